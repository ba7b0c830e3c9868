import type { ApiKey, ApiKeyInput, CreatedApiKey } from '../contract/integrations/api-keys.js';
import { API_KEY_ROUTES } from '../contract/integrations/api-keys.js';
import { apiPrefixOf } from './domains-client.js';
import { send, type Transport } from './transport.js';
import type { ApiKeysClient } from './types.js';
import { urlSegment } from './url-segment.js';

type Signal = { readonly signal?: AbortSignal } | undefined;
const signal = (o: Signal) => (o?.signal ? { signal: o.signal } : {});

/**
 * `client.tenant.apiKeys`: the API keys of the organization the client acts in (an Owner or an Admin) — `create`
 * answers the key once, `list` never does, `revoke` ends one.
 *
 * @example
 * ```ts
 * const { key } = await client.tenant.apiKeys.create({ name: 'nightly export', role: 'Member' });
 * ```
 */
export function apiKeysMember(t: Transport): ApiKeysClient {
  const at: Transport = { ...t, baseUrl: `${apiPrefixOf(t.baseUrl)}/${API_KEY_ROUTES.keys}` };
  return {
    create: async (input: ApiKeyInput, options) =>
      (await send(at, { method: 'POST', path: '', body: input, ...signal(options) }))
        .body as CreatedApiKey,
    list: async (options) =>
      (
        (await send(at, { method: 'GET', path: '', ...signal(options) })).body as {
          items: ApiKey[];
        }
      ).items,
    revoke: async (id, options) => {
      await send(at, {
        method: 'DELETE',
        path: `/${urlSegment(id, ['tenant', 'apiKeys', 'revoke', 'id'])}`,
        ...signal(options),
      });
    },
  };
}
