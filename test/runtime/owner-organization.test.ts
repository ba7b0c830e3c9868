/**
 * Organizations their Owners run (DESIGN §2), through the request pipeline against the local Cosmos DB server:
 * `PATCH api/tenant { name }` by an Owner or Admin, `DELETE api/tenant` by an Owner (suspended at once, `deleteOn`
 * set `tenants.deleteAfterDays` ahead), `POST api/tenant/undelete` by an Owner before then — each in the audit log,
 * and an operator's suspension never lifted by an Owner.
 */
import type { Container } from '@azure/cosmos';
import type { HttpFunctionOptions } from '@azure/functions';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { AuditEntry } from '../../src/contract/audit.js';
import {
  code,
  member,
  organizationCalls,
  policy,
  record,
  reseed,
  who,
} from './support/organization-calls.js';
import { type LocalCosmos, startLocalCosmos } from './support/local-cosmos.js';
import { registerOrganizationsApp } from './support/organizations-app.js';

let cosmos: LocalCosmos;
let members: Container;
let tenants: Container;
let audit: Container;
const fns = new Map<string, HttpFunctionOptions>();

const { call, auditOf, setRoles } = organizationCalls(fns);

beforeAll(async () => {
  cosmos = await startLocalCosmos();
  ({ members, tenants, audit } = await registerOrganizationsApp(cosmos, fns, policy));
});
afterAll(async () => cosmos?.stop());
beforeEach(async () => {
  await reseed(
    { members, tenants, audit },
    [record('acme'), record('globex', 'pro')],
    [
      member('acme', 'ada', ['Owner']),
      member('acme', 'bob', ['Member']),
      member('acme', 'cyd', ['Admin']),
      member('globex', 'gus', ['Owner']),
      member('globex', 'ada', ['Member']),
    ],
  );
});

const org = (user: Record<string, string>, tenant: string, method: string, body?: unknown) =>
  call('tenant-self', method, 'tenant', user, tenant, body === undefined ? {} : { body });
const undelete = (user: Record<string, string>, tenant: string) =>
  call('membership-tenant-undelete', 'POST', 'tenant/undelete', user, tenant);
const stored = async (id: string): Promise<Record<string, unknown>> =>
  (await tenants.item(id, id).read<Record<string, unknown>>()).resource ?? {};
const actions = async (tenant: string) =>
  (await audit.items.query<AuditEntry>('SELECT * FROM c').fetchAll()).resources
    .filter((e) => e.tenant === tenant)
    .map((e) => [e.action, e.actor.id]);

describe('PATCH api/tenant renames the organization', () => {
  it('by an Owner or an Admin, validated as a new organization, recorded', async () => {
    const r = await org(who('ada'), 'acme', 'PATCH', { name: '  Acme Corp ' });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ id: 'acme', name: 'Acme Corp', status: 'active' });
    expect((await org(who('cyd'), 'acme', 'PATCH', { name: 'Acme Inc' })).status).toBe(200);
    expect((await stored('acme')).name).toBe('Acme Inc');
    // The same route still reads the organization, and names every method it serves.
    expect((await org(who('bob'), 'acme', 'GET')).body).toMatchObject({
      id: 'acme',
      status: 'active',
    });
    const put = await org(who('ada'), 'acme', 'PUT', { name: 'x' });
    expect(put.status).toBe(405);
    expect(put.headers.get('allow')).toBe('GET, PATCH, DELETE');
    const member = await org(who('bob'), 'acme', 'PATCH', { name: 'Mine' });
    expect([member.status, code(member)]).toEqual([403, 'access-denied']);
    for (const body of [{ name: '' }, { name: 'x'.repeat(500) }, { name: 'A', plan: 'pro' }, {}]) {
      const bad = await org(who('ada'), 'acme', 'PATCH', body);
      expect([bad.status, code(bad)]).toEqual([400, 'validation']);
    }
    // The field error says which: missing or blank is `required`, too long `maxLength` (a form names the fix).
    const fieldCodes = async (body: unknown) =>
      (
        (await org(who('ada'), 'acme', 'PATCH', body)).body as {
          errors: { field: string; code: string }[];
        }
      ).errors.map((e) => `${e.field}:${e.code}`);
    expect(await fieldCodes({ name: '  ' })).toEqual(['name:required']);
    expect(await fieldCodes({ name: 'x'.repeat(500) })).toEqual(['name:maxLength']);
    expect(await actions('acme')).toEqual([
      ['organization.renamed', 'ada'],
      ['organization.renamed', 'cyd'],
    ]);
  });
});

describe('DELETE api/tenant and POST api/tenant/undelete', () => {
  it('an Owner deletes: suspended at once, deleteOn 30 days ahead; undelete before then restores it', async () => {
    const admin = await org(who('cyd'), 'acme', 'DELETE');
    expect([admin.status, code(admin)]).toEqual([403, 'access-denied']);
    const r = await org(who('ada'), 'acme', 'DELETE');
    expect(r.status).toBe(202);
    const deleted = await stored('acme');
    expect(deleted.status).toBe('suspended');
    const days =
      (Date.parse(String(deleted.deleteOn)) - Date.parse(String(deleted.updatedOn))) / 86_400_000;
    expect(days).toBe(30);
    expect(r.body).toMatchObject({ id: 'acme', status: 'suspended', deleteOn: deleted.deleteOn });
    // Suspended: its members are refused at once, the deleting Owner included.
    const after = await call('membership-members', 'GET', 'tenant/members', who('ada'), 'acme');
    expect([after.status, code(after)]).toEqual([403, 'tenant-suspended']);
    // Its members still see it among theirs, suspended, with the day it may be erased.
    const mine = await call('membership-me-tenants', 'GET', 'me/tenants', who('bob'));
    expect(mine.body.items).toContainEqual(
      expect.objectContaining({ id: 'acme', status: 'suspended', deleteOn: deleted.deleteOn }),
    );
    // An Admin, a plain member and a non-member cannot undo it.
    for (const u of ['cyd', 'bob', 'gus']) {
      const refused = await undelete(who(u), 'acme');
      expect(refused.status).toBe(403);
    }
    const back = await undelete(who('ada'), 'acme');
    expect(back.status).toBe(200);
    expect(back.body).toMatchObject({ id: 'acme', status: 'active' });
    expect((await stored('acme')).deleteOn).toBeUndefined();
    expect(
      (await call('membership-members', 'GET', 'tenant/members', who('ada'), 'acme')).status,
    ).toBe(200);
    expect(await actions('acme')).toEqual([
      ['organization.deleted', 'ada'],
      ['organization.undeleted', 'ada'],
    ]);
  });

  it("an operator's suspension and a deletion past its deleteOn are not undone by an Owner", async () => {
    await tenants.items.upsert({ ...record('acme'), status: 'suspended' });
    const operator = await undelete(who('ada'), 'acme');
    expect([operator.status, code(operator)]).toEqual([409, 'organization-not-deleted']);
    // The operator resumed an Owner's deletion: the deleteOn left behind restores nothing.
    await tenants.items.upsert({ ...record('globex'), deleteOn: '2099-01-01T00:00:00.000Z' });
    const active = await undelete(who('gus'), 'globex');
    expect([active.status, code(active)]).toEqual([409, 'organization-not-deleted']);
    await tenants.items.upsert({
      ...record('acme'),
      status: 'suspended',
      deleteOn: '2026-01-02T00:00:00.000Z',
    });
    const late = await undelete(who('ada'), 'acme');
    expect([late.status, code(late)]).toEqual([410, 'organization-deletion-final']);
    expect((await stored('acme')).status).toBe('suspended');
    // A removed Owner cannot restore what they no longer run.
    await tenants.items.upsert({
      ...record('acme'),
      status: 'suspended',
      deleteOn: '2099-01-01T00:00:00.000Z',
    });
    await members.item('acme|ada', 'acme').delete();
    const removed = await undelete(who('ada'), 'acme');
    expect([removed.status, code(removed)]).toEqual([403, 'access-denied']);
    const none = await undelete(who('ada'), '');
    expect(none.status).toBe(400);
  });
});
