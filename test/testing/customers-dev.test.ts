/**
 * A customers backend (`auth.signInAudience: 'customers'`) served by dev's stack admits only its external tenant's
 * users, as App Service does in Azure: a customer (an email) creates and lists organizations; a workforce-shaped
 * user of another directory (`bob@contoso`) is 403 `tenant-not-allowed` on every route, the no-organization ones
 * included, and creates nothing.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBackend, type TestBackend } from '../../src/entry/testing.js';
import backend from './fixtures/customers-backend.js';

let t: TestBackend;
beforeAll(async () => {
  t = await startBackend(backend);
});
afterAll(() => t?.stop());

const answer = async (r: Promise<Response>) => {
  const res = await r;
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
};
const post = (body: unknown) => ({
  method: 'POST',
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify(body),
});

describe('a customers backend under dev', () => {
  it('a customer creates and lists an organization', async () => {
    const alice = t.as({ user: 'alice@example.com' });
    expect((await answer(alice.fetch('api/tenants', post({ name: 'Alice Co' })))).status).toBe(201);
    const mine = await answer(alice.fetch('api/me/tenants'));
    expect([mine.status, (mine.body['items'] as unknown[]).length]).toEqual([200, 1]);
  });

  it('bob@contoso, a user of another directory, is refused and creates nothing', async () => {
    const bob = t.as({ user: 'bob', directory: 'contoso' });
    for (const r of [
      bob.fetch('api/tenants', post({ name: 'Bob Co' })),
      bob.fetch('api/me/tenants'),
    ]) {
      const refused = await answer(r);
      expect([refused.status, refused.body['type']]).toEqual([
        403,
        'urn:atakora:problem:tenant-not-allowed',
      ]);
    }
  });
});
