/**
 * The project statistics handler (src/project-stats.ts) tested as its callers, as you would test yours: the backend
 * served by `startBackend` (`atakora dev`'s stack on loopback, fresh data), two customers registered by the home
 * directory's TenantAdmin, projects made through the typed client as each customer's users, and the handler's
 * `dataOf` answering each caller with their own organization's projects only.
 *
 *   npx vitest run examples/saas/project-stats.test.ts
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBackend, type TestBackend } from '@atakora/component/testing';
import saas from './backend.js';

let t: TestBackend;
beforeAll(async () => {
  t = await startBackend(saas);
  // The registry is data: the operator (the home directory's TenantAdmin) registers customers, no deploy.
  const ops = t.as({ user: 'ops', roles: ['TenantAdmin'] }).client<typeof saas>();
  await ops.tenants.create({ id: 'contoso', name: 'Contoso', plan: 'pro' });
  await ops.tenants.create({ id: 'fabrikam', name: 'Fabrikam' });
});
afterAll(() => t?.stop());

describe('GET api/stats/projects: dataOf as the caller', () => {
  it("counts the caller's organization's projects, and no one else's", async () => {
    const alice = t.as({ user: 'alice', directory: 'contoso' });
    const projects = alice.client<typeof saas>().projects;
    await projects.create({ name: 'Website' });
    await projects.create({ name: 'Launch', done: true });
    const fred = t.as({ user: 'fred', directory: 'fabrikam' });
    await fred.client<typeof saas>().projects.create({ name: 'Warehouse' });

    expect(await (await alice.fetch('api/stats/projects')).json()).toEqual({
      open: 1,
      done: 1,
      newest: ['Website'],
    });
    expect(await (await fred.fetch('api/stats/projects')).json()).toEqual({
      open: 1,
      done: 0,
      newest: ['Warehouse'],
    });
  });

  it('never runs the handler for a directory the registry does not know', async () => {
    const eve = await t.as({ user: 'eve', directory: 'northwind' }).fetch('api/stats/projects');
    expect(eve.status).toBe(403);
    expect(((await eve.json()) as { type: string }).type).toMatch(/tenant-not-registered$/);
  });
});
