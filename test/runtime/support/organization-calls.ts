// The calls the runtime tests of an organizations backend make (audit-log, owner-organization, domains, joins,
// directory, SCIM): the policy with an audit log, signed-in callers, each route called by its function's name, and
// each test's organizations seeded from scratch.
import type { Container } from '@azure/cosmos';
import type { HttpFunctionOptions, HttpHandler } from '@azure/functions';
import { principalHeader } from './built-app.js';
import { invoke, type Reply } from './http.js';
import { membershipAuth } from './registry-auth.js';

export const policy = membershipAuth(
  'home-dir',
  { plans: { free: {}, pro: { auditRetentionDays: 365 } }, defaultPlan: 'free' },
  { createTenants: 'any-user', audit: 'audit' },
);

export const who = (oid: string, email?: string, roles: string[] = []) =>
  principalHeader([
    ['oid', oid],
    ['tid', 'home-dir'],
    ...roles.map((r) => ['roles', r] as const),
    // A verified e-mail, as Entra proves one (verified-email.ts).
    ...(email ? ([['verified_primary_email', email]] as const) : []),
  ]);
export const code = (r: Reply) => String(r.body?.type ?? '').replace('urn:atakora:problem:', '');
export const member = (tenant: string, userId: string, roles: string[]) => ({
  id: `${tenant}|${userId}`,
  tenant,
  userId,
  roles,
  addedOn: '2026-01-01T00:00:00.000Z',
});
export const record = (id: string, plan = 'free') => ({
  id,
  plan,
  status: 'active',
  createdOn: '2026-01-01T00:00:00.000Z',
  updatedOn: '2026-01-01T00:00:00.000Z',
});

/**
 * Each test's organizations from scratch: the registry's `tenants`, `members` and `audit` containers emptied, then
 * the given registry records and memberships written.
 */
export async function reseed(
  c: { readonly tenants: Container; readonly members: Container; readonly audit: Container },
  records: readonly object[],
  memberships: readonly object[],
): Promise<void> {
  for (const box of [c.members, c.tenants, c.audit]) {
    const { resources } = await box.items
      .query<Record<string, string>>('SELECT c.id, c.tenant FROM c')
      .fetchAll();
    for (const r of resources)
      await box.item(r['id'] ?? '', box === c.tenants ? r['id'] : r['tenant']).delete();
  }
  for (const r of records) await c.tenants.items.create(r);
  for (const m of memberships) await c.members.items.create(m);
}

/** `call` (a function by name, as `user`, in `org`), the audit read and a role change, over the registered `fns`. */
export function organizationCalls(fns: ReadonlyMap<string, HttpFunctionOptions>) {
  const handler = (name: string) => {
    const f = fns.get(name);
    if (!f) throw new Error(`no function ${name}`);
    return f.handler as HttpHandler;
  };
  const call = (
    name: string,
    method: string,
    path: string,
    user: Record<string, string>,
    org?: string,
    opts: { body?: unknown; params?: Record<string, string>; query?: Record<string, string> } = {},
  ) =>
    invoke(handler(name), method, path, {
      headers: { ...user, ...(org ? { 'x-atakora-tenant': org } : {}) },
      ...(opts.body === undefined ? {} : { body: opts.body }),
      params: opts.params ?? {},
      query: opts.query ?? {},
    });
  const auditOf = (user: Record<string, string>, org: string, query: Record<string, string> = {}) =>
    call('tenant-audit', 'GET', 'tenant/audit', user, org, { query });
  const setRoles = (org: string, by: string, userId: string, roles: string[]) =>
    call('membership-member', 'PATCH', `tenant/members/${userId}`, who(by), org, {
      body: { roles },
      params: { userId },
    });
  return { call, auditOf, setRoles };
}
