import type { ConnectedAgent } from '../../contract/mcp/oauth/agents.js';
import { AGENT_ROUTES } from '../../contract/mcp/oauth/agents.js';
import { apiPrefixOf } from '../domains-client.js';
import { send, type Transport } from '../transport.js';
import type { AgentsClient } from '../types.js';
import { urlSegment } from '../url-segment.js';

type Signal = { readonly signal?: AbortSignal } | undefined;
const signal = (o: Signal) => (o?.signal ? { signal: o.signal } : {});

/**
 * The connected agents (`mcp.authorization`, DESIGN §2 "Grants are data") of one side: `'me'` — `client.me.agents`,
 * the caller's own grants in every organization, sent in no organization (no `X-Atakora-Tenant`, as `me.tenants()`);
 * `'tenant'` — `client.tenant.agents`, every member's grants in the organization the client acts in (an Owner or an
 * Admin). `list()` answers the live grants, never a token; `revoke(grant)` ends one (refresh at once, its access
 * tokens at the MCP door within 30 s).
 *
 * @example
 * ```ts
 * const mine = agentsOf(transport, 'me');
 * for (const agent of await mine.list()) console.log(agent.clientName, agent.organization);
 * ```
 */
export function agentsOf(t: Transport, side: 'me' | 'tenant'): AgentsClient {
  const route = side === 'me' ? AGENT_ROUTES.mine : AGENT_ROUTES.organization;
  const at: Transport = {
    ...t,
    baseUrl: `${apiPrefixOf(t.baseUrl)}/${route}`,
    ...(side === 'me' ? { tenant: () => undefined } : {}),
  };
  return {
    list: async (options) =>
      (
        (await send(at, { method: 'GET', path: '', ...signal(options) })).body as {
          items: ConnectedAgent[];
        }
      ).items,
    revoke: async (grant, options) => {
      await send(at, {
        method: 'DELETE',
        path: `/${urlSegment(grant, [side, 'agents', 'revoke', 'grant'])}`,
        ...signal(options),
      });
    },
  };
}
