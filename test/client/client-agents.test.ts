/**
 * The typed client's connected agents (DESIGN §2, "Grants are data") as the wire sees them: `client.me.agents` calls
 * `api/me/agents` in no organization (no `X-Atakora-Tenant`, whatever the client's — the person's grants of every
 * organization), `client.tenant.agents` calls `api/tenant/agents` in the client's organization; `revoke` sends the
 * grant as one path segment; a refusal is a ProblemError with the route's problem code.
 */
import { describe, expect, it } from 'vitest';
import { createClient } from '../../src/client/create-client.js';
import { ProblemError } from '../../src/client/problem-error.js';
import type { ConnectedAgent } from '../../src/contract/mcp/oauth/agents.js';
import type { TenantMembers } from '../../src/client/types.js';

const API = 'https://func-orgs.azurewebsites.net/api';

const agent: ConnectedAgent = {
  id: 'g3Zk9qA7',
  person: 'ada',
  organization: 'acme-k3x9qa',
  clientId: 'https://claude.ai/oauth/mcp-client.json',
  clientName: 'Claude',
  clientHost: 'claude.ai',
  connectedOn: '2026-11-29T01:00:00.000Z',
  lastUsedOn: null,
};

function recording(status: (url: string, method: string) => number = () => 200) {
  const seen: [string, string, string | null][] = [];
  const fetch = async (input: string | URL | Request, init?: RequestInit) => {
    const url = String(input);
    const method = init?.method ?? 'GET';
    seen.push([method, url.replace(API, ''), new Headers(init?.headers).get('x-atakora-tenant')]);
    const s = status(url, method);
    if (s === 404)
      return new Response(
        JSON.stringify({
          type: 'urn:atakora:problem:not-found',
          title: 'Not Found',
          status: 404,
          detail: 'No connected agent "x" is yours to revoke.',
        }),
        { status: 404, headers: { 'content-type': 'application/problem+json' } },
      );
    return method === 'DELETE'
      ? new Response(null, { status: 204 })
      : Response.json({ items: [agent] });
  };
  return { seen, fetch };
}

const clientWith = (fetch: ReturnType<typeof recording>['fetch']) =>
  createClient<never>({
    baseUrls: { notes: `${API}/notes` },
    getToken: () => 't',
    fetch,
    tenant: 'acme-k3x9qa',
  }) as unknown as TenantMembers;

describe('client.me.agents and client.tenant.agents', () => {
  it("list and revoke the person's grants in no organization, the organization's in the client's", async () => {
    const { seen, fetch } = recording();
    const client = clientWith(fetch);
    expect(await client.me.agents.list()).toEqual([agent]);
    await client.me.agents.revoke('g/1 x');
    expect(await client.tenant.agents.list()).toEqual([agent]);
    await client.tenant.agents.revoke('g3Zk9qA7');
    expect(seen).toEqual([
      ['GET', '/me/agents', null],
      ['DELETE', '/me/agents/g%2F1%20x', null],
      ['GET', '/tenant/agents', 'acme-k3x9qa'],
      ['DELETE', '/tenant/agents/g3Zk9qA7', 'acme-k3x9qa'],
    ]);
  });

  it('a grant not yours is a ProblemError not-found; a grant no URL can carry is refused before sending', async () => {
    const { seen, fetch } = recording(() => 404);
    const client = clientWith(fetch);
    const refused = await client.me.agents.revoke('x').catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(ProblemError);
    expect((refused as ProblemError).code).toBe('not-found');
    await expect(client.tenant.agents.revoke('\ud800')).rejects.toMatchObject({
      code: 'CLIENT_INPUT_INVALID',
    });
    expect(seen).toHaveLength(1);
  });
});
