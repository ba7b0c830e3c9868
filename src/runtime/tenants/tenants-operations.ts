import type { HttpRequest, HttpResponseInit } from '@azure/functions';
import { CONTINUATION_HEADER, DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE } from '../../contract/paging.js';
import {
  changedTenantRecord,
  newTenantRecord,
  type TenantChange,
  tenantChangeIssues,
} from '../../contract/tenants.js';
import {
  TENANT_REGISTRATION_FIELDS,
  tenantRegistrationIssues,
  unknownTenantFields,
} from '../../contract/tenant-registration.js';
import type { RuntimeTenantRegistry } from '../../model/runtime-manifest.js';
import type { AuditActor } from '../../contract/audit.js';
import { type AuditLog, recordAudit } from '../audit/record-audit.js';
import { recordChanges } from '../audit/record-changes.js';
import { ifMatchSatisfied } from '../data/if-match.js';
import { readJsonObject } from '../http/body.js';
import { ifMatchOf } from '../http/if-match-header.js';
import { answerUnavailable } from '../http/cosmos-errors.js';
import { type FieldError, jsonResponse, problemResponse, refused } from '../http/response.js';
import { checkContinuationToken } from '../values/text-checks.js';
import { isIssuedContinuation } from '../values/continuation-shape.js';
import type { RegistryAdminStore, TaggedRecord } from './registry-admin-store.js';
import type { RegistryCache } from './registry-cache.js';
import type { TenantRecord } from './tenant-record.js';
import { planWarningOf } from '../../contract/tenant-plan-warning.js';

/**
 * What the TenantAdmin operations need: the registry's store and its configuration (plans, default plan), and this
 * instance's cache of it (which forgets a record it changed).
 */
export interface TenantsApi {
  readonly store: RegistryAdminStore;
  readonly registry: RuntimeTenantRegistry;
  readonly records?: RegistryCache;
  /** With tenants by membership: the audit log a change of an organization's record is recorded in. */
  readonly audit?: AuditLog;
}

/** The fields a change names (a registration's are the contract's, contract/tenant-registration.ts, and billing). */
const PATCH_FIELDS = ['plan', 'name', 'status', 'billing'];
/** Read-only fields a GET body carries: a PATCH may send them back unchanged (the client's read-modify-write). */
const READ_ONLY = [
  'id',
  'createdOn',
  'updatedOn',
  'planWarning',
  'suspendedBy',
  'deleteOn',
  'checkoutSessions',
];
/** Writes retried when another writer changed the record between our read and our replace. */
const MAX_WRITE_ATTEMPTS = 3;

const withEtag = (
  api: TenantsApi,
  status: number,
  tagged: TaggedRecord,
  extra: Record<string, string> = {},
) =>
  jsonResponse(status, shown(api, tagged.record), {
    ...(tagged.etag ? { ETag: tagged.etag } : {}),
    ...extra,
  });

/** A record as the API shows it: with its `planWarning` when its plan is not one the config declares. */
function shown(api: TenantsApi, record: TenantRecord): TenantRecord {
  const warning = planWarningOf(
    Object.keys(api.registry.plans),
    api.registry.defaultPlan,
    record.plan,
  );
  return warning ? { ...record, planWarning: warning } : record;
}

const invalid = (detail: string, errors: readonly FieldError[]) =>
  problemResponse('validation', detail, { errors });

/** A registry call: its Cosmos DB failure answered as every route answers one (503/429 with Retry-After). */
const orUnavailable = (run: () => Promise<HttpResponseInit>): Promise<HttpResponseInit> =>
  answerUnavailable('the tenant registry', run);

/** This instance forgets the record at once; the other instances' caches let it go within their 30 s. */
function forget(api: TenantsApi, id: string): void {
  api.records?.forget(id);
}

/**
 * `limit`/`$first` and `continuationToken`/`$after` (or the header), as the CRUD lists take them: the registry's
 * pages, and the membership routes' (members, invitations).
 *
 * @example
 * ```ts
 * const page = pageOf(request);
 * if (!page.ok) return page.response;
 * ```
 */
export function pageOf(
  request: HttpRequest,
):
  | { ok: true; limit: number; token: string | undefined }
  | { ok: false; response: HttpResponseInit } {
  const q = request.query;
  const sentLimit = q.get('$first') ?? q.get('limit');
  const limit = sentLimit === null ? DEFAULT_PAGE_SIZE : Number(sentLimit);
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_PAGE_SIZE)
    return refused('invalid-limit', `limit must be an integer from 1 to ${String(MAX_PAGE_SIZE)}.`);
  const token =
    q.get('$after') ?? q.get('continuationToken') ?? request.headers.get(CONTINUATION_HEADER);
  if (token !== null && token !== '') {
    const bad = checkContinuationToken(token);
    if (bad !== undefined || !isIssuedContinuation(token))
      return refused(
        'invalid-continuation-token',
        "The continuation token is not one this API issued: send back the previous page's as it came.",
      );
  }
  return { ok: true, limit, token: token || undefined };
}

/**
 * `run` on the request's page (its limit and token), or the 400 of a page it cannot ask for.
 *
 * @example
 * ```ts
 * return onPage(request, (page) => orUnavailable(() => list(page.limit, page.token)));
 * ```
 */
export function onPage(
  request: HttpRequest,
  run: (page: { limit: number; token: string | undefined }) => Promise<HttpResponseInit>,
): Promise<HttpResponseInit> {
  const page = pageOf(request);
  return page.ok ? run(page) : Promise.resolve(page.response);
}

/**
 * `GET api/tenants`: one page of the registry by id, `{ items, continuationToken }` (the token also in
 * `x-ms-continuation`; `null` on the last page).
 *
 * @example
 * ```ts
 * // GET /api/tenants?$first=100 → { "items": [{ "id": "contoso", … }], "continuationToken": null }
 * ```
 */
export function listTenantRecords(
  api: TenantsApi,
  request: HttpRequest,
): Promise<HttpResponseInit> {
  return onPage(request, (page) =>
    orUnavailable(async () => {
      const { records, next } = await api.store.list(page.limit, page.token);
      const header = next !== undefined && checkContinuationToken(next) === undefined;
      return jsonResponse(
        200,
        { items: records.map((r) => shown(api, r)), continuationToken: next ?? null },
        header ? { [CONTINUATION_HEADER]: next } : {},
      );
    }),
  );
}

/**
 * `POST api/tenants`: register `{ id, plan?, name?, status? }` (plan default `tenants.defaultPlan`, status
 * `active`) → 201 with `Location` and `ETag`; 409 `conflict` when the id is registered (the record stays as it
 * is); 400 `validation` for an id that is no tenant id, `shared`, or an unknown plan (the plans named).
 *
 * @example
 * ```ts
 * // POST /api/tenants { "id": "72f988bf-…", "plan": "pro" } → 201, Location: /api/tenants/72f988bf-…
 * ```
 */
export async function createTenantRecord(
  api: TenantsApi,
  request: HttpRequest,
): Promise<HttpResponseInit> {
  const body = await readJsonObject(request);
  if (!body.ok) return body.response;
  const b = body.value;
  // The registration rules every writer of a record shares (tenant add, tenant import): the contract's.
  const errors: FieldError[] = tenantRegistrationIssues(b, Object.keys(api.registry.plans), [
    ...TENANT_REGISTRATION_FIELDS,
    'billing',
  ]);
  if (errors.length > 0) return invalid('The registration is not valid.', errors);
  const id = b['id'] as string;
  const record = newTenantRecord(id, b, api.registry.defaultPlan, new Date().toISOString());
  return orUnavailable(async () => {
    const stored = await api.store.create(record);
    if (stored === 'exists')
      return problemResponse(
        'conflict',
        `Tenant ${id} is registered already: PATCH it to change it.`,
      );
    forget(api, id);
    return withEtag(api, 201, stored, {
      Location: `${new URL(request.url).pathname}/${encodeURIComponent(id)}`,
    });
  });
}

/**
 * `GET api/tenants/{id}`: the record with its `ETag`, or 404.
 *
 * @example
 * ```ts
 * // GET /api/tenants/contoso → 200 { "id": "contoso", "plan": "free", "status": "active", … }
 * ```
 */
export function readTenantRecord(api: TenantsApi, id: string): Promise<HttpResponseInit> {
  return orUnavailable(async () => {
    const found = await api.store.read(id);
    return found ? withEtag(api, 200, found) : notRegistered(id);
  });
}

const notRegistered = (id: string) =>
  problemResponse('not-found', `Tenant ${id} is not registered.`);

/** The change a PATCH body asks for, or the 400 naming what is wrong with it. */
function changeOf(
  api: TenantsApi,
  id: string,
  body: Readonly<Record<string, unknown>>,
): { ok: true; change: TenantChange } | { ok: false; response: HttpResponseInit } {
  if (body['id'] !== undefined && body['id'] !== id)
    return refused('id-immutable', `The body names another id than the URL (${id}).`);
  const errors = [
    ...unknownTenantFields(body, [...PATCH_FIELDS, ...READ_ONLY]),
    ...tenantChangeIssues(body, Object.keys(api.registry.plans)),
  ];
  if (errors.length > 0)
    return { ok: false, response: invalid('The change is not valid.', errors) };
  const { plan, name, status, billing } = body as TenantChange;
  return { ok: true, change: { plan, name, status, billing } };
}

/**
 * `PATCH api/tenants/{id}`: a JSON merge patch of `plan`, `name` (`null` removes it), `billing` (`{ stripeCustomerId }`,
 * `null` removes it: the operator's alone, as every route here) and `status` (`active` |
 * `suspended`) → 200 with the record and its new `ETag`. With `If-Match`, only the version that tag names is
 * changed (412 otherwise); without, the change is applied to the record as it is (retried when another writer
 * got in between). A suspension holds on this instance at once, on every other within 30 s.
 *
 * @example
 * ```ts
 * // PATCH /api/tenants/contoso  If-Match: "…"  { "status": "suspended" } → 200 { …, "status": "suspended" }
 * ```
 */
export async function updateTenantRecord(
  api: TenantsApi,
  id: string,
  request: HttpRequest,
  actor?: AuditActor,
): Promise<HttpResponseInit> {
  const ifMatch = ifMatchOf(request);
  if (!ifMatch.ok) return ifMatch.response;
  const condition = ifMatch.value;
  const body = await readJsonObject(request);
  if (!body.ok) return body.response;
  const asked = changeOf(api, id, body.value);
  if (!asked.ok) return asked.response;
  return orUnavailable(async () => {
    for (let attempt = 1; ; attempt++) {
      const found = await api.store.read(id);
      if (!found) return notRegistered(id);
      if (!ifMatchSatisfied(condition, found.etag))
        return problemResponse(
          'precondition-failed',
          `Tenant ${id} has changed since the ETag in If-Match: read it again and retry.`,
        );
      const next = changedTenantRecord(found.record, asked.change, new Date().toISOString());
      if (!next) return withEtag(api, 200, found);
      const stored = await api.store.replace(next, found.etag);
      if (stored === 'missing') return notRegistered(id);
      if (stored !== 'changed') {
        forget(api, id);
        // The organization's log (membership backends): each field the operator changed, by them.
        if (actor)
          for (const c of recordChanges(found.record, next))
            await recordAudit(api, { tenant: id, actor, target: id, ...c });
        return withEtag(api, 200, stored);
      }
      // Someone wrote between our read and our replace: a client's If-Match named the version now gone.
      if (condition.kind === 'tags' || attempt >= MAX_WRITE_ATTEMPTS)
        return problemResponse(
          condition.kind === 'tags' ? 'precondition-failed' : 'write-contention',
          `Tenant ${id} changed while it was being written: read it again and retry.`,
        );
    }
  });
}
