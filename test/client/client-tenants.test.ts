/**
 * `client.tenants` and `client.tenant()` end to end against `atakora dev` serving a backend with a tenant registry:
 * register, read, list every page, an ETag-checked update (a stale one a 412 ProblemError), suspend and resume, the
 * caller's own tenant; a caller without the home directory's TenantAdmin role refused with a typed problem.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDev, type DevSession } from '../../src/cli/dev/session/session.js';
import { createClient } from '../../src/client/create-client.js';
import { etagOf } from '../../src/client/etags.js';
import { ProblemError } from '../../src/client/problem-error.js';
import type { backend } from './fixtures/tenants-backend.js';

let dev: DevSession;
beforeAll(async () => {
  dev = await startDev('test/contract/fixtures/tenants/backend.ts', {
    log: () => undefined,
    quietWorkers: true,
  });
});
afterAll(async () => {
  await dev?.stop();
});

/** A client signed in to dev as `user` (`<user>@<tenant>[;roles=…]`): dev's sign-in header on every request. */
const clientAs = (user: string) =>
  createClient<typeof backend>({
    baseUrls: { notes: `${dev.apps[0]!.url}/api/notes` },
    getToken: () => 'dev-token',
    fetch: (input, init) =>
      fetch(input, {
        ...init,
        headers: { ...(init?.headers as object), 'x-atakora-dev-user': user },
      }),
  });
const problemOf = (e: unknown) => (e instanceof ProblemError ? [e.status, e.type] : e);

describe('client.tenants against atakora dev', () => {
  it('registers, reads, lists, updates with ETags, suspends and resumes', async () => {
    const admin = clientAs('ops@local-dev;roles=TenantAdmin');
    const id = `c-${crypto.randomUUID()}`;
    const created = await admin.tenants.create({ id, name: 'Contoso' });
    expect(created).toMatchObject({ id, plan: 'free', status: 'active', name: 'Contoso' });
    expect(etagOf(created)).toBeTruthy();
    const again = await admin.tenants.create({ id }).catch(problemOf);
    expect(again).toEqual([409, 'urn:atakora:problem:conflict']);
    const read = await admin.tenants.get(id);
    expect(etagOf(read)).toBe(etagOf(created));
    const pro = await admin.tenants.update(id, { plan: 'pro' }, { ifMatch: read });
    expect(pro.plan).toBe('pro');
    const stale = await admin.tenants
      .update(id, { plan: 'free' }, { ifMatch: read })
      .catch(problemOf);
    expect(stale).toEqual([412, 'urn:atakora:problem:precondition-failed']);
    const unknownPlan = await admin.tenants.update(id, { plan: 'gold' }).catch(problemOf);
    expect(unknownPlan).toEqual([400, 'urn:atakora:problem:validation']);
    for (const extra of ['page-1', 'page-2', 'page-3'])
      await admin.tenants.create({ id: `${id}-${extra}` });
    const ids: string[] = [];
    for await (const t of admin.tenants.list({ first: 2 })) ids.push(t.id);
    expect(ids).toEqual(
      expect.arrayContaining([id, `${id}-page-1`, `${id}-page-2`, `${id}-page-3`]),
    );
    expect((await admin.tenants.list({ first: 2 }).page()).items.length).toBeLessThanOrEqual(2);

    const member = clientAs(`ada@${id}`);
    const me = await member.tenant();
    expect(me).toMatchObject({
      id,
      plan: 'pro',
      status: 'active',
      limits: { requestsPerMinute: 6000 },
    });
    await member.notes.create({ title: 'kept' });
    const suspended = await admin.tenants.update(id, { status: 'suspended' });
    expect(suspended.status).toBe('suspended');
    expect(await member.tenant().catch(problemOf)).toEqual([
      403,
      'urn:atakora:problem:tenant-suspended',
    ]);
    expect(await member.notes.list().page().catch(problemOf)).toEqual([
      403,
      'urn:atakora:problem:tenant-suspended',
    ]);
    await admin.tenants.update(id, { status: 'active' });
    expect((await member.notes.list().page()).items.map((n) => n.title)).toEqual(['kept']);
  });

  it('refuses a home caller without the role and an admin of another directory', async () => {
    const plain = clientAs('someone@local-dev');
    expect(await plain.tenants.list().page().catch(problemOf)).toEqual([
      403,
      'urn:atakora:problem:tenant-admin-required',
    ]);
    const admin = clientAs('ops@local-dev;roles=TenantAdmin');
    const other = `o-${crypto.randomUUID()}`;
    await admin.tenants.create({ id: other });
    const foreign = clientAs(`boss@${other};roles=TenantAdmin`);
    expect(await foreign.tenants.update(other, { plan: 'pro' }).catch(problemOf)).toEqual([
      403,
      'urn:atakora:problem:tenant-admin-required',
    ]);
    expect((await admin.tenants.get(other)).plan).toBe('free');
  });
});
