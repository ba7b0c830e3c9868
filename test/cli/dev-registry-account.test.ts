/**
 * `atakora dev` on a tenant registry whose CrudApis are not on the account the backend creates: one CrudApi in an
 * account of its own (fixtures/verify/org-strong.ts, consistency 'Strong') or the default account an existing one
 * (fixtures/verify/org-existing.ts, cosmosConfig.useExisting). Dev runs every account on one local Cosmos DB server,
 * so the old dev served both — organizations made and listed — a backend Azure would deploy with the registry
 * planned nowhere or no role on it. Dev now refuses them at load with the plan errors, as plan and deploy do.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startDev } from '../../src/cli/dev/session/session.js';

const stateDir = mkdtempSync(join(tmpdir(), 'atakora-dev-regacct-'));
afterAll(() => {
  rmSync(stateDir, { recursive: true, force: true });
});
const options = { log: () => undefined, stateDir, sitePort: 0, port: 0 };

/** POST api/tenants as the operator's TenantAdmin: the status dev answers, or the error it refused to start with. */
async function outcome(fixture: string) {
  return startDev(fixture, options).then(
    async (dev) => {
      try {
        const res = await fetch(`${dev.apps[0]?.url ?? ''}/api/tenants`, {
          method: 'POST',
          headers: {
            'x-atakora-dev-user': 'alice@example.com;roles=TenantAdmin',
            'content-type': 'application/json',
          },
          body: JSON.stringify({ name: 'Acme' }),
        });
        await res.text();
        return res.status;
      } finally {
        await dev.stop();
      }
    },
    (e: unknown) => e as { code?: string; issues?: { code: string; components?: unknown }[] },
  );
}

describe("atakora dev: the tenant registry's account", () => {
  it('refuses a membership backend whose CrudApi has an account of its own (TENANTS_REGISTRY_OTHER_ACCOUNT)', async () => {
    const got = await outcome('test/cli/fixtures/verify/org-strong.ts');
    expect(got).toMatchObject({ code: 'PLAN_HAS_ERRORS' });
    expect(typeof got === 'object' ? got.issues : got).toEqual([
      expect.objectContaining({
        code: 'TENANTS_REGISTRY_OTHER_ACCOUNT',
        components: ['FolderApi'],
      }),
    ]);
  });

  it('refuses a membership backend on an existing account (TENANTS_REGISTRY_EXISTING_ACCOUNT)', async () => {
    const got = await outcome('test/cli/fixtures/verify/org-existing.ts');
    expect(got).toMatchObject({ code: 'PLAN_HAS_ERRORS' });
    expect(typeof got === 'object' ? got.issues : got).toEqual([
      expect.objectContaining({
        code: 'TENANTS_REGISTRY_EXISTING_ACCOUNT',
        components: ['FolderApi'],
      }),
    ]);
  });
});
