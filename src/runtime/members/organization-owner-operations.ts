import type { HttpRequest, HttpResponseInit } from '@azure/functions';
import {
  ADMIN_ROLE,
  DEFAULT_DELETE_AFTER_DAYS,
  MAX_ORGANIZATION_NAME,
  ORGANIZATION_ID,
  OWNER_ROLE,
  TENANT_SELECT_HEADER,
} from '../../contract/members.js';
import type { TenantRecord } from '../../contract/tenants.js';
import { recordAudit } from '../audit/record-audit.js';
import { readJsonObject } from '../http/body.js';
import { type FieldError, jsonResponse, problemResponse } from '../http/response.js';
import { type Actor, auditActor, type MembersApi, nowOf, orUnavailable } from './members-api.js';
import type { SignedInUser } from './organization-operations.js';

const DAY_MS = 86_400_000;

const accessDenied = (tenant: string, what: string, roles: readonly string[]) =>
  problemResponse('access-denied', `Only an ${roles.join(' or ')} of ${tenant} ${what}.`, {
    rules: [`roles: [${roles.map((r) => `'${r}'`).join(', ')}]`],
  });

const changed = (tenant: string) =>
  problemResponse(
    'conflict',
    `Organization ${tenant} changed meanwhile: read it again (GET api/me/tenants) and retry.`,
  );

/** The record replaced (conditional on `etag`: 409 when it changed meanwhile), this instance's cached copy forgotten. */
async function replaced(
  api: MembersApi,
  next: TenantRecord,
  etag: string,
): Promise<HttpResponseInit | TenantRecord> {
  const stored = await api.admin.replace(next, etag);
  if (stored === 'changed' || stored === 'missing') return changed(next.id);
  api.forgetRecord?.(next.id);
  return stored.record;
}

/**
 * `PATCH api/tenant { name }` by an Owner or Admin of the request's organization: its display name, validated as
 * `POST api/tenants` validates it (a non-empty string of at most `MAX_ORGANIZATION_NAME` characters, trimmed; no
 * other field — the plan, status and billing are the operator's). 200 with the record; audited `organization.renamed`.
 *
 * @example
 * ```ts
 * // PATCH /api/tenant { "name": "Acme Corp" } → 200 { "id": "acme", "name": "Acme Corp", "status": "active", … }
 * ```
 */
export async function renameOrganization(
  api: MembersApi,
  actor: Actor,
  tenant: string,
  request: HttpRequest,
): Promise<HttpResponseInit> {
  if (!actor.roles.includes(OWNER_ROLE) && !actor.roles.includes(ADMIN_ROLE))
    return accessDenied(tenant, 'renames it', [OWNER_ROLE, ADMIN_ROLE]);
  const body = await readJsonObject(request);
  if (!body.ok) return body.response;
  const { name, ...rest } = body.value;
  const errors: FieldError[] = Object.keys(rest).map((k) => ({
    field: k,
    code: 'unknown',
    message: `${k} is not a field an Owner changes (name); the plan and status are the operator's.`,
  }));
  if (typeof name !== 'string' || name.trim() === '' || name.length > MAX_ORGANIZATION_NAME)
    errors.push({
      field: 'name',
      code: 'required',
      message: `name is required: the organization's display name (at most ${String(MAX_ORGANIZATION_NAME)} characters).`,
    });
  if (errors.length > 0 || typeof name !== 'string')
    return problemResponse('validation', 'The organization is not valid.', { errors });
  return orUnavailable(async () => {
    const read = await api.admin.read(tenant);
    if (!read) return problemResponse('not-found', `Organization ${tenant} is gone.`);
    const before = read.record;
    const next = { ...before, name: name.trim(), updatedOn: nowOf(api).toISOString() };
    const done = await replaced(api, next, read.etag);
    if (!('id' in done)) return done;
    await recordAudit(api, {
      tenant,
      actor: auditActor(actor),
      action: 'organization.renamed',
      target: tenant,
      changes: {
        name: { ...(before.name !== undefined ? { from: before.name } : {}), to: next.name },
      },
    });
    return jsonResponse(200, done);
  });
}

/**
 * `DELETE api/tenant` by an Owner: the organization suspended at once (every member refused from the next request,
 * 403 `tenant-suspended`) with `deleteOn` `tenants.deleteAfterDays` (default 30) ahead; 202 with the record. Its data
 * is kept until `deleteOn`, when the daily erase timer (routes/organization-erase-timer.ts) removes it; until then an
 * Owner restores it with `POST api/tenant/undelete`. Audited `organization.deleted`.
 *
 * @example
 * ```ts
 * // DELETE /api/tenant → 202 { "id": "acme", "status": "suspended", "deleteOn": "2026-12-27T…", … }
 * ```
 */
export function deleteOrganization(
  api: MembersApi,
  actor: Actor,
  tenant: string,
): Promise<HttpResponseInit> {
  if (!actor.roles.includes(OWNER_ROLE))
    return Promise.resolve(accessDenied(tenant, 'deletes it', [OWNER_ROLE]));
  return orUnavailable(async () => {
    const read = await api.admin.read(tenant);
    if (!read) return problemResponse('not-found', `Organization ${tenant} is gone.`);
    const now = nowOf(api);
    const days = api.membership.deleteAfterDays ?? DEFAULT_DELETE_AFTER_DAYS;
    const deleteOn = new Date(now.getTime() + days * DAY_MS).toISOString();
    const next: TenantRecord = {
      ...read.record,
      status: 'suspended',
      deleteOn,
      updatedOn: now.toISOString(),
    };
    const done = await replaced(api, next, read.etag);
    if (!('id' in done)) return done;
    await recordAudit(api, {
      tenant,
      actor: auditActor(actor),
      action: 'organization.deleted',
      target: tenant,
      changes: { status: { from: read.record.status, to: 'suspended' }, deleteOn },
    });
    return jsonResponse(202, done);
  });
}

/**
 * `POST api/tenant/undelete` by an Owner of the organization named in `X-Atakora-Tenant` (the route passes the tenant
 * stage, which refuses a suspended organization, and checks the membership itself): an organization an Owner deleted
 * is active again, `deleteOn` cleared — 200 with the record. 409 `organization-not-deleted` for one no Owner deleted
 * (an operator's suspension stays the operator's), 410 `organization-deletion-final` after its `deleteOn`.
 * Audited `organization.undeleted`.
 *
 * @example
 * ```ts
 * // POST /api/tenant/undelete (X-Atakora-Tenant: acme) → 200 { "id": "acme", "status": "active", … }
 * ```
 */
export async function undeleteOrganization(
  api: MembersApi,
  user: SignedInUser,
  request: Pick<HttpRequest, 'headers'>,
): Promise<HttpResponseInit> {
  const tenant = request.headers.get(TENANT_SELECT_HEADER)?.trim() ?? '';
  if (tenant === '')
    return problemResponse(
      'tenant-required',
      `Name the organization to restore in ${TENANT_SELECT_HEADER}.`,
      {},
      400,
    );
  const notOwner = accessDenied(tenant.slice(0, 80), 'restores it', [OWNER_ROLE]);
  if (!ORGANIZATION_ID.test(tenant)) return notOwner;
  return orUnavailable(async () => {
    // Read from the store, not the cache: a removed Owner must not restore what they can no longer run.
    const membership = await api.store.read(tenant, user.userId);
    if (!membership?.value.roles.includes(OWNER_ROLE)) return notOwner;
    const read = await api.admin.read(tenant);
    if (!read) return problemResponse('not-found', `Organization ${tenant} is gone.`);
    const { deleteOn, ...kept } = read.record;
    // Only a suspended record's deleteOn is an Owner's deletion: one the operator resumed keeps it, meaning nothing.
    if (deleteOn === undefined || read.record.status === 'active')
      return problemResponse(
        'organization-not-deleted',
        read.record.status === 'active'
          ? `Organization ${tenant} is active: there is nothing to restore.`
          : `Organization ${tenant} was suspended by the operator, not deleted by an Owner: the operator resumes it ` +
              `(atakora tenant resume).`,
      );
    const now = nowOf(api);
    if (Date.parse(deleteOn) <= now.getTime())
      return problemResponse(
        'organization-deletion-final',
        `Organization ${tenant} was to be erased on ${deleteOn}: it can no longer be restored.`,
      );
    const next: TenantRecord = { ...kept, status: 'active', updatedOn: now.toISOString() };
    const done = await replaced(api, next, read.etag);
    if (!('id' in done)) return done;
    await recordAudit(api, {
      tenant,
      actor: auditActor(user),
      action: 'organization.undeleted',
      target: tenant,
      changes: { status: { from: 'suspended', to: 'active' }, deleteOn: { from: deleteOn } },
    });
    return jsonResponse(200, done);
  });
}
