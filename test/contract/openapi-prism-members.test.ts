/**
 * `prism proxy --errors` in front of `atakora dev` serving a backend with tenants by membership: every membership
 * route (me/tenants, an organization created, members listed, changed, removed, invitations created, listed, read,
 * revoked, accepted) and their documented errors — tenant-required, not-a-member, last-owner,
 * invitation-email-mismatch, invitation-expired, a Member inviting — without a violation.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type PrismProxy, startPrismProxy } from './support/prism-proxy.js';

let proxy: PrismProxy | undefined;
const as = (email: string, org?: string) => ({
  'x-atakora-dev-user': email,
  ...(org ? { 'x-atakora-tenant': org } : {}),
});

beforeAll(async () => {
  proxy = await startPrismProxy('test/contract/fixtures/organizations/backend.ts');
});
afterAll(async () => proxy?.stop());

describe('prism proxy --errors: the membership routes', () => {
  it('answer as documented', async () => {
    const call = (proxy as PrismProxy).call;
    const created = await call(
      'POST',
      '/api/tenants',
      { name: 'Prism Co' },
      as('olga@example.com'),
    );
    expect(created.status).toBe(201);
    const org = (created.body as { id: string }).id;
    const olga = as('olga@example.com', org);
    expect((await call('GET', '/api/me/tenants', undefined, as('olga@example.com'))).status).toBe(
      200,
    );
    expect((await call('GET', '/api/tenant/members', undefined, olga)).status).toBe(200);
    expect((await call('GET', '/api/tenant', undefined, olga)).status).toBe(200);
    expect((await call('POST', '/api/notes', { title: 'n' }, olga)).status).toBe(201);
    const inv = await call(
      'POST',
      '/api/tenant/invitations',
      { email: 'pia@example.com', roles: ['Member'] },
      olga,
    );
    expect(inv.status).toBe(201);
    const { id, acceptUrl } = inv.body as { id: string; acceptUrl: string };
    const token = new URL(acceptUrl).searchParams.get('invitation');
    expect((await call('GET', '/api/tenant/invitations', undefined, olga)).status).toBe(200);
    expect((await call('GET', `/api/tenant/invitations/${id}`, undefined, olga)).status).toBe(200);
    expect(
      (await call('POST', '/api/invitations/accept', { token }, as('eve@example.com'))).status,
    ).toBe(403);
    const joined = await call('POST', '/api/invitations/accept', { token }, as('pia@example.com'));
    expect(joined.status).toBe(201);
    expect(
      (await call('POST', '/api/invitations/accept', { token }, as('pia@example.com'))).status,
    ).toBe(410);
    const pia = (joined.body as { userId: string }).userId;
    const pias = as('pia@example.com', org);
    expect(
      (await call('POST', '/api/tenant/invitations', { email: 'x@example.com', roles: [] }, pias))
        .status,
    ).toBe(403);
    expect(
      (await call('PATCH', `/api/tenant/members/${pia}`, { roles: ['Admin'] }, olga)).status,
    ).toBe(200);
    const other = await call(
      'POST',
      '/api/tenant/invitations',
      { email: 'q@example.com', roles: [] },
      olga,
    );
    expect(
      (
        await call(
          'DELETE',
          `/api/tenant/invitations/${(other.body as { id: string }).id}`,
          undefined,
          olga,
        )
      ).status,
    ).toBe(204);
    const olgaId = (
      (await call('GET', '/api/tenant/members', undefined, olga)).body as {
        items: { userId: string; roles: string[] }[];
      }
    ).items.find((m) => m.roles.includes('Owner'))?.userId;
    expect(
      (await call('DELETE', `/api/tenant/members/${olgaId ?? ''}`, undefined, olga)).status,
    ).toBe(409);
    expect((await call('GET', '/api/notes', undefined, as('eve@example.com', org))).status).toBe(
      403,
    );
    // Pia now belongs to one organization; a second makes the header necessary.
    expect(
      (await call('POST', '/api/tenants', { name: 'Second' }, as('pia@example.com'))).status,
    ).toBe(201);
    expect((await call('GET', '/api/notes', undefined, as('pia@example.com'))).status).toBe(400);
    expect((await call('DELETE', `/api/tenant/members/${pia}`, undefined, pias)).status).toBe(204);
    expect((proxy as PrismProxy).violations).toEqual([]);
  });
});
