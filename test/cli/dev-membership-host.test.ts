/**
 * `atakora dev` on tenants by membership: the organizations' routes (`GET api/me/tenants`, `POST api/tenants`) are the
 * CRUD runtime's, reading the registry in the CrudApis' local Cosmos DB server. A membership backend with no CrudApi
 * (test/cli/fixtures/verify/org-docs.ts: a FileStore alone) had neither — dev served it with no route to create or
 * list an organization, so every request was refused "not a member" for good — and now refuses it at load with the
 * plan error TENANTS_CRUDAPI_MISSING, as plan and deploy do. With a CrudApi beside the FileStore
 * (fixtures/verify/org-files.ts), the routes answer: an organization is created, listed, and its files served.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startDev } from '../../src/cli/dev/session/session.js';

const stateDir = mkdtempSync(join(tmpdir(), 'atakora-dev-host-'));
afterAll(() => {
  rmSync(stateDir, { recursive: true, force: true });
});
const options = { log: () => undefined, stateDir, sitePort: 0, port: 0 };

/** Alice, the operator's TenantAdmin (`createTenants` is `'operator'` by default): she owns what she creates. */
async function call(url: string, method: string, path: string, body?: unknown, org?: string) {
  const res = await fetch(`${url}/api/${path}`, {
    method,
    headers: {
      'x-atakora-dev-user': 'alice@example.com;roles=TenantAdmin',
      ...(org ? { 'x-atakora-tenant': org } : {}),
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await res.text();
  return { status: res.status, body: text ? (JSON.parse(text) as unknown) : undefined };
}

describe('atakora dev: the organizations of a membership backend', () => {
  it('refuses a membership backend with no CrudApi at load (TENANTS_CRUDAPI_MISSING)', async () => {
    // The old dev started it: the answer was then GET api/me/tenants' status (404, no function serves it).
    const outcome = await startDev('test/cli/fixtures/verify/org-docs.ts', options).then(
      async (dev) => {
        try {
          return (await call(dev.apps[0]?.url ?? '', 'GET', 'me/tenants')).status;
        } finally {
          await dev.stop();
        }
      },
      (e: unknown) => e as { code?: string; issues?: { code: string; components?: unknown }[] },
    );
    expect(outcome).toMatchObject({ code: 'PLAN_HAS_ERRORS' });
    expect(typeof outcome === 'object' ? outcome.issues : outcome).toEqual([
      expect.objectContaining({ code: 'TENANTS_CRUDAPI_MISSING', components: ['Documents'] }),
    ]);
  });

  it('answers GET api/me/tenants and POST api/tenants with a CrudApi beside the FileStore', async () => {
    const dev = await startDev('test/cli/fixtures/verify/org-files.ts', options);
    try {
      const url =
        dev.apps.find((a) => a.functions.some((f) => f.name === 'Documents-files'))?.url ?? '';
      expect(await call(url, 'GET', 'me/tenants')).toMatchObject({ status: 200 });
      const made = await call(url, 'POST', 'tenants', { name: 'Acme' });
      expect(made.status).toBe(201);
      const id = String((made.body as { id: unknown }).id);
      const mine = await call(url, 'GET', 'me/tenants');
      expect(mine.status).toBe(200);
      expect(JSON.stringify(mine.body)).toContain(id);
      // A member of the organization now: its files are served (an empty list), no longer "not a member".
      expect(await call(url, 'GET', 'documents', undefined, id)).toMatchObject({ status: 200 });
    } finally {
      await dev.stop();
    }
  });
});
