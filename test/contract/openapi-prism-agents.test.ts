/**
 * `prism proxy --errors` in front of `atakora dev` serving a backend with `mcp.authorization`
 * (test/contract/fixtures/agents): the connected agents' routes — the person's (`api/me/agents`, in no organization:
 * no `X-Atakora-Tenant` declared, none needed), the organization's for its Owner (`api/tenant/agents`), a Member's
 * and an outsider's 403, and a grant that is not there 404 on both — answer as the document says, without a
 * violation and with every header declared.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createOrganization,
  devUser as as,
  type PrismProxy,
  startPrismProxy,
} from './support/prism-proxy.js';

let proxy: PrismProxy | undefined;

beforeAll(async () => {
  proxy = await startPrismProxy('test/contract/fixtures/agents/backend.ts');
});
afterAll(async () => proxy?.stop());

describe('prism proxy --errors: the connected agents’ routes', () => {
  it('answer as documented', async () => {
    const call = (proxy as PrismProxy).call;
    const { org, owner } = await createOrganization(call, 'Agents Co', 'olga@example.com');
    const mine = await call('GET', '/api/me/agents', undefined, as('olga@example.com'));
    expect(mine.status).toBe(200);
    expect(mine.body).toEqual({ items: [] });
    expect(
      (await call('DELETE', '/api/me/agents/g-none', undefined, as('olga@example.com'))).status,
    ).toBe(404);
    expect((await call('GET', '/api/tenant/agents', undefined, owner)).status).toBe(200);
    expect((await call('DELETE', '/api/tenant/agents/g-none', undefined, owner)).status).toBe(404);
    // A Member is refused the organization's list; someone of no organization there too.
    const inv = await call(
      'POST',
      '/api/tenant/invitations',
      { email: 'pia@example.com', roles: ['Member'] },
      owner,
    );
    const token = new URL((inv.body as { acceptUrl: string }).acceptUrl).searchParams.get(
      'invitation',
    );
    expect(
      (await call('POST', '/api/invitations/accept', { token }, as('pia@example.com'))).status,
    ).toBe(201);
    const member = await call('GET', '/api/tenant/agents', undefined, as('pia@example.com', org));
    expect(member.status).toBe(403);
    expect(
      (await call('GET', '/api/tenant/agents', undefined, as('eve@example.com', org))).status,
    ).toBe(403);
    expect((proxy as PrismProxy).violations).toEqual([]);
    expect((proxy as PrismProxy).undeclared).toEqual([]);
  });
});
