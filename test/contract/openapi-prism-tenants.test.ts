/**
 * `prism proxy --errors` in front of `atakora dev` serving a backend with a tenant registry: the TenantAdmin API
 * (list, register, read, patch back what GET returned, suspend), `api/tenant`, and their documented errors — a
 * duplicate, an unknown plan, a stale If-Match, a caller without the role, a suspended directory — without a
 * violation.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type PrismProxy, startPrismProxy } from './support/prism-proxy.js';

let proxy: PrismProxy | undefined;
// The session's user is of dev's home directory (local-dev); the header signs in as another caller.
const ADMIN = { 'x-atakora-dev-user': 'ops@local-dev;roles=TenantAdmin' };
const PLAIN = { 'x-atakora-dev-user': 'someone@local-dev' };

beforeAll(async () => {
  proxy = await startPrismProxy('test/contract/fixtures/tenants/backend.ts');
});
afterAll(async () => proxy?.stop());

describe('prism proxy --errors: the tenant routes', () => {
  it('the TenantAdmin API and api/tenant answer as documented', async () => {
    const call = proxy!.call;
    const id = `t-${crypto.randomUUID()}`;
    const created = await call('POST', '/api/tenants', { id, name: 'Contoso' }, ADMIN);
    expect(created.status).toBe(201);
    expect((await call('POST', '/api/tenants', { id }, ADMIN)).status).toBe(409);
    expect((await call('POST', '/api/tenants', { id: 'x-1', plan: 'gold' }, ADMIN)).status).toBe(
      400,
    );
    const read = await call('GET', `/api/tenants/${id}`, undefined, ADMIN);
    expect(read.status).toBe(200);
    expect((await call('PATCH', `/api/tenants/${id}`, read.body, ADMIN)).status).toBe(200);
    expect(
      (
        await call(
          'PATCH',
          `/api/tenants/${id}`,
          { plan: 'pro' },
          { ...ADMIN, 'if-match': '"stale"' },
        )
      ).status,
    ).toBe(412);
    expect((await call('GET', '/api/tenants?$first=1', undefined, ADMIN)).status).toBe(200);
    expect((await call('GET', '/api/tenants/nobody', undefined, ADMIN)).status).toBe(404);
    expect((await call('GET', '/api/tenants', undefined, PLAIN)).status).toBe(403);
    expect(
      (await call('GET', '/api/tenant', undefined, { 'x-atakora-dev-user': `u@${id}` })).status,
    ).toBe(200);
    expect(
      (await call('POST', '/api/notes', { title: 'n' }, { 'x-atakora-dev-user': `u@${id}` }))
        .status,
    ).toBe(201);
    expect((await call('PATCH', `/api/tenants/${id}`, { status: 'suspended' }, ADMIN)).status).toBe(
      200,
    );
    expect(
      (await call('GET', '/api/tenant', undefined, { 'x-atakora-dev-user': `u@${id}` })).status,
    ).toBe(403);
    expect((await call('GET', '/api/tenant')).status).toBe(200);
    expect(proxy!.violations).toEqual([]);
    expect(proxy!.undeclared).toEqual([]);
  });
});
