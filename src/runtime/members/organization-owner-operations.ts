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
import {
  type Actor,
  auditActor,
  type MembersApi,
  nowOf,
  orUnavailable,
  recordMemberAudit,
} from './members-api.js';
import {
  type OrganizationRefusal,
  organizationLifeOf,
  organizationNext,
} from '../../model/lives/organization-life.js';
import { organizationMoved, recordInLife } from '../../model/lives/organization-record.js';
import {
  BILLING_UNAVAILABLE,
  billingOnDelete,
  billingOnUndelete,
} from '../billing/organization-subscription.js';
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
      // Too long is its own code: a form tells a person what to change (elements/forms/field-errors.ts).
      code: typeof name === 'string' && name.trim() !== '' ? 'maxLength' : 'required',
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
    await recordMemberAudit(api, actor, tenant, 'organization.renamed', tenant, {
      name: { ...(before.name !== undefined ? { from: before.name } : {}), to: next.name },
    });
    return jsonResponse(200, done);
  });
}

/** Stripe failing while a delete or an undelete reaches the subscription: 503, the organization unchanged. */
const billingUnavailable = () =>
  problemResponse(
    'billing-unavailable',
    'Stripe could not be reached (or its key is not set) to change the subscription; nothing changed: retry.',
    { headers: { 'Retry-After': '30' } },
  );

/** `run`, its Stripe failures (the SDK's errors carry a `type`) answered 503 `billing-unavailable`. */
async function withStripe(run: () => Promise<HttpResponseInit>): Promise<HttpResponseInit> {
  try {
    return await run();
  } catch (e) {
    const type = (e as { type?: unknown }).type;
    if (typeof type === 'string' && type.startsWith('Stripe')) return billingUnavailable();
    throw e;
  }
}

/** How many times a delete or an undelete reads the record again after a concurrent write (the webhook's). */
const ATTEMPTS = 5;

/**
 * `DELETE api/tenant` by an Owner: the organization deleted (organization-life.ts: closed to every member from the
 * next request, 403 `tenant-suspended`, but for its Owners' billing view and portal) with `deleteOn`
 * `tenants.deleteAfterDays` (default 30) ahead; 202 with the record. Billing composes with it
 * (billing/organization-subscription.ts): a live subscription is set to cancel at the period's end — paid for until
 * then, never renewed — and the open Checkouts expire. Its data is kept until `deleteOn`, when the daily erase timer
 * (routes/organization-erase-timer.ts) removes it; until then an Owner restores it with `POST api/tenant/undelete`.
 * Audited `organization.deleted`.
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
  return orUnavailable(() =>
    withStripe(async () => {
      for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
        const read = await api.admin.read(tenant);
        if (!read) return problemResponse('not-found', `Organization ${tenant} is gone.`);
        const now = nowOf(api);
        const moved = organizationMoved(read.record, 'owner-deletes', now.getTime());
        if (!moved.ok)
          return problemResponse('tenant-suspended', `Organization ${tenant} is not active.`);
        const billed = await billingOnDelete(api.billing, read.record);
        if (billed === BILLING_UNAVAILABLE) return billingUnavailable();
        const days = api.membership.deleteAfterDays ?? DEFAULT_DELETE_AFTER_DAYS;
        const deleteOn = new Date(now.getTime() + days * DAY_MS).toISOString();
        const next: TenantRecord = {
          ...recordInLife(billed, moved.life, deleteOn),
          updatedOn: now.toISOString(),
        };
        const stored = await api.admin.replace(next, read.etag);
        if (stored === 'changed') continue;
        if (stored === 'missing') return changed(tenant);
        api.forgetRecord?.(tenant);
        const sub = next.billing?.subscription;
        await recordMemberAudit(api, actor, tenant, 'organization.deleted', tenant, {
          status: { from: read.record.status, to: next.status },
          deleteOn,
          ...(sub?.cancelAtPeriodEnd
            ? { subscription: { id: sub.id, cancelAtPeriodEnd: sub.cancelAtPeriodEnd } }
            : {}),
        });
        return jsonResponse(202, stored.record);
      }
      return changed(tenant);
    }),
  );
}

/** The undelete's refusal of an organization its life does not let an Owner restore (organization-life.ts). */
function notRestorable(
  tenant: string,
  record: TenantRecord,
  refusal: OrganizationRefusal,
): HttpResponseInit {
  if (refusal === 'organization-deletion-final')
    return problemResponse(
      'organization-deletion-final',
      `Organization ${tenant} was to be erased on ${record.deleteOn ?? ''}: it can no longer be restored.`,
    );
  return problemResponse(
    'organization-not-deleted',
    record.status === 'active'
      ? `Organization ${tenant} is active: there is nothing to restore.`
      : `Organization ${tenant} was suspended by the operator or by billing, not deleted by an Owner: the operator ` +
          'resumes it (atakora tenant resume), or an Owner pays (POST api/tenant/billing/checkout).',
  );
}

/**
 * `POST api/tenant/undelete` by an Owner of the organization named in `X-Atakora-Tenant` (the route passes the tenant
 * stage, which refuses a suspended organization, and checks the membership itself): an organization an Owner deleted
 * is restored, `deleteOn` cleared — 200 with the record — and billing composed with it
 * (billing/organization-subscription.ts): a subscription still scheduled to cancel resumes; one that ended meanwhile
 * gets `onCanceled` as the webhook would have given it (the default plan, or suspended by billing) — never active on
 * a paid plan without a paying subscription. 409 `organization-not-deleted` for one no Owner deleted (an operator's
 * suspension stays the operator's), 410 `organization-deletion-final` after its `deleteOn`. Audited
 * `organization.undeleted` (the `tenant.undeleted` event).
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
  return orUnavailable(() =>
    withStripe(async () => {
      // Read from the store, not the cache: a removed Owner must not restore what they can no longer run.
      const membership = await api.store.read(tenant, user.userId);
      if (!membership?.value.roles.includes(OWNER_ROLE)) return notOwner;
      for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
        const read = await api.admin.read(tenant);
        if (!read) return problemResponse('not-found', `Organization ${tenant} is gone.`);
        const now = nowOf(api);
        const { deleteOn, ...kept } = read.record;
        const moved = organizationNext(
          {
            life: organizationLifeOf(read.record),
            deleteOn: deleteOn === undefined ? undefined : Date.parse(deleteOn),
          },
          'owner-undeletes',
          now.getTime(),
        );
        if (!moved.ok) return notRestorable(tenant, read.record, moved.refusal);
        const billed = await billingOnUndelete(api.billing, kept, api.registry.defaultPlan);
        if (billed === BILLING_UNAVAILABLE) return billingUnavailable();
        const next: TenantRecord = { ...billed, updatedOn: now.toISOString() };
        const stored = await api.admin.replace(next, read.etag);
        if (stored === 'changed') continue;
        if (stored === 'missing') return changed(tenant);
        api.forgetRecord?.(tenant);
        await recordAudit(api, {
          tenant,
          actor: auditActor(user),
          action: 'organization.undeleted',
          target: tenant,
          changes: {
            status: { from: 'suspended', to: next.status },
            deleteOn: { from: deleteOn },
            ...(next.plan !== read.record.plan
              ? { plan: { from: read.record.plan, to: next.plan } }
              : {}),
            ...(next.suspendedBy ? { suspendedBy: next.suspendedBy } : {}),
          },
        });
        return jsonResponse(200, stored.record);
      }
      return changed(tenant);
    }),
  );
}
