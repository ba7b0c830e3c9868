import type { HttpHandler } from '@azure/functions';
import { tenantChangeIssues, tenantIdIssue } from '../../contract/tenants.js';
import type { MembersApi } from '../members/members-api.js';
import { createOrganization } from '../members/organization-operations.js';
import { type RuntimeAuth, TENANT_ADMIN_ROLE } from '../../model/runtime-manifest.js';
import { methodNotAllowed, refused } from '../http/response.js';
import type { Resolved } from '../http/scope.js';
import type {
  CallerContext,
  Endpoint,
  RuntimeServices,
  TenantContext,
} from '../pipeline/context.js';
import { isHomeDirectory } from '../tenants/tenant-record.js';
import { serve } from '../pipeline/serve.js';
import {
  createTenantRecord,
  listTenantRecords,
  readTenantRecord,
  type TenantsApi,
  updateTenantRecord,
} from '../tenants/tenants-operations.js';

/** What a TenantAdmin request asks: the registry's page, a registration, or one record read or changed. */
type TenantsRoute =
  | { readonly op: 'list' }
  | { readonly op: 'create' }
  | { readonly op: 'read'; readonly id: string }
  | { readonly op: 'update'; readonly id: string };

const COLLECTION_METHODS = ['GET', 'POST'];
const ITEM_METHODS = ['GET', 'PATCH'];

/** The collection route's methods (405 with `Allow` for the others). */
function collectionRoute(ctx: CallerContext<TenantsRoute>): Resolved<TenantsRoute> {
  if (ctx.method === 'GET') return { ok: true, value: { op: 'list' } };
  if (ctx.method === 'POST') return { ok: true, value: { op: 'create' } };
  return methodNotAllowed(COLLECTION_METHODS, ctx.request.method);
}

/** The item route's methods; an id no directory can have is 404 like one that is not registered. */
function itemRoute(ctx: CallerContext<TenantsRoute>): Resolved<TenantsRoute> {
  const op = ctx.method === 'GET' ? 'read' : ctx.method === 'PATCH' ? 'update' : undefined;
  if (!op) return methodNotAllowed(ITEM_METHODS, ctx.request.method);
  const id = ctx.request.params['id'] ?? '';
  if (tenantIdIssue(id)) return refused('not-found', `Tenant ${id} is not registered.`);
  return { ok: true, value: { op, id } };
}

/**
 * Only the home directory's `TenantAdmin`: its callers hold the roles its own administrators assign; an
 * administrator of a customer's directory assigns roles there, so a `TenantAdmin` of theirs proves nothing here.
 */
function tenantAdminOnly(policy: RuntimeAuth) {
  return (ctx: TenantContext<TenantsRoute>): Resolved<undefined> => {
    // With tenants by membership and createTenants 'any-user', any signed-in caller creates an organization.
    const anyUser =
      ctx.route.op === 'create' && policy.registry?.membership?.createTenants === 'any-user';
    return anyUser || isTenantAdmin(ctx, policy)
      ? { ok: true, value: undefined }
      : refused(
          'tenant-admin-required',
          `Managing the tenant registry takes the ${TENANT_ADMIN_ROLE} app role of this API's own directory; ` +
            'your token holds none (a role assigned in another directory does not count).',
        );
  };
}

/** Whether the caller is of the home directory and holds its `TenantAdmin` app role (the operator). */
function isTenantAdmin(ctx: TenantContext<TenantsRoute>, policy: RuntimeAuth): boolean {
  const caller = ctx.caller.requestCaller();
  return (
    caller !== undefined &&
    isHomeDirectory(caller.tid, policy) &&
    caller.roles.includes(TENANT_ADMIN_ROLE)
  );
}

/**
 * `POST api/tenants` with tenants by membership: an organization, its creator its Owner (organization-operations.ts);
 * the operator's TenantAdmin may also name its plan and status.
 */
function createOrganizationFor(
  ctx: TenantContext<TenantsRoute>,
  policy: RuntimeAuth,
  api: TenantsApi,
  members: MembersApi,
) {
  const userId = ctx.caller.id ?? '';
  const email = ctx.caller.email;
  const operator = isTenantAdmin(ctx, policy)
    ? {
        fields: ['plan', 'status'],
        check: (b: Readonly<Record<string, unknown>>) =>
          tenantChangeIssues(
            { plan: b['plan'], status: b['status'] },
            Object.keys(api.registry.plans),
          ),
      }
    : undefined;
  return createOrganization(
    members,
    { userId, ...(email ? { email } : {}) },
    ctx.request,
    operator,
  );
}

/**
 * The TenantAdmin API's two routes — `GET|POST api/tenants` and `GET|PATCH api/tenants/{id}` — through the request
 * pipeline (admission, the registry stage, then the home directory's `TenantAdmin` role; everyone else 403
 * `tenant-admin-required`), exempt from every plan limit (`unlimited`: the limits never lock the operator out).
 *
 * @example
 * ```ts
 * const { collection, item } = createTenantsHandlers(policy, { store: cosmosRegistryAdmin(container), registry }, services);
 * app.http('tenants-admin', { route: 'tenants', methods: ['GET', 'POST'], authLevel: 'anonymous', handler: collection });
 * ```
 */
export function createTenantsHandlers(
  policy: RuntimeAuth,
  api: TenantsApi,
  services: RuntimeServices,
  members?: MembersApi,
): { collection: HttpHandler; item: HttpHandler } {
  const audited: TenantsApi = services.audit ? { ...api, audit: services.audit } : api;
  const endpoint = (route: Endpoint<TenantsRoute>['route']): Endpoint<TenantsRoute> => ({
    policy,
    unlimited: true,
    // The registry's API acts in no organization (tenants by membership); there each user other than the operator
    // is bounded per minute (limits/signed-in-limit.ts: creating organizations is not free).
    withoutTenant: true,
    limitedPerUser: true,
    route,
    authorize: tenantAdminOnly(policy),
    handle: (ctx) => {
      const r = ctx.route;
      if (r.op === 'list') return listTenantRecords(api, ctx.request);
      if (r.op === 'create' && members) return createOrganizationFor(ctx, policy, api, members);
      if (r.op === 'create') return createTenantRecord(api, ctx.request);
      if (r.op === 'read') return readTenantRecord(api, r.id);
      // The operator as the organization's log names them (membership backends keep one: services.audit).
      const { id, email } = ctx.caller;
      const actor = {
        id: id ?? 'operator',
        ...(email !== undefined ? { email } : {}),
        via: 'api' as const,
      };
      return updateTenantRecord(audited, r.id, ctx.request, actor);
    },
  });
  return {
    collection: serve(endpoint(collectionRoute), services),
    item: serve(endpoint(itemRoute), services),
  };
}
