import type { HttpResponseInit } from '@azure/functions';
import type { GuardedResource, RuntimeAuth } from '../../model/runtime-manifest.js';
import type { ClientPrincipal } from './client-principal.js';
import { problemResponse, refused } from '../http/response.js';
import { TENANT_HEADER } from './tenant-header.js';
import type { Resolved } from '../http/scope.js';
import { isIsolated, type Tenant } from '../values/tenancy.js';
import { SHARED_TENANT } from '../telemetry/attributes.js';

/**
 * The tenant of a resource for a caller without a policy (handlers built directly, not by the deployed runtime,
 * which always has one): `x-tenant-id`. A missing header is a **403** (`urn:atakora:problem:tenant-required`,
 * DESIGN §6): without a tenant nothing may be read or written. The header names a tenant, it is not a credential —
 * authentication belongs to the platform in front of the app (Easy Auth, APIM), which should set it.
 *
 * @example
 * ```ts
 * const tenant = requireTenant(entity, { id: 'contoso', source: 'the x-tenant-id header' });
 * if (!tenant.ok) return tenant.response;
 * ```
 */
export function requireTenant(
  entity: GuardedResource,
  tenant: Tenant | undefined,
): Resolved<Tenant | undefined> {
  if (!isIsolated(entity)) return { ok: true, value: undefined };
  if (tenant !== undefined) return { ok: true, value: tenant };
  return refused(
    'tenant-required',
    `The ${TENANT_HEADER} header is required for ${entity.entityName}.`,
  );
}

/**
 * The 401 answer: no principal, or one that names nobody (no `oid`/`sub` claim).
 *
 * @example
 * ```ts
 * return unauthenticated(undefined); // 401 with WWW-Authenticate: Bearer
 * ```
 */
export function unauthenticated(principal: ClientPrincipal | undefined): HttpResponseInit {
  const detail = principal
    ? 'Authentication is required: the signed-in principal carries no identity claim (oid or sub), so it names ' +
      'no caller.'
    : 'Authentication is required: call the API with an Entra ID bearer token for its app registration ' +
      '(BackendConfig.auth.clientId).';
  return problemResponse('unauthenticated', detail, { headers: { 'WWW-Authenticate': 'Bearer' } });
}

/**
 * The 403 `tenant-required` answer for `entity`, saying where the policy looks for a tenant.
 *
 * @example
 * ```ts
 * return tenantRequired(entity, policy);
 * ```
 */
export function tenantRequired(entity: GuardedResource, policy: RuntimeAuth): HttpResponseInit {
  const header = `the ${TENANT_HEADER} header your trusted gateway sets`;
  const detail = policy.required
    ? `${entity.entityName} is confined to a tenant: your token has no ${policy.tenantClaim} claim${policy.trustTenantHeader ? ` and the request has no ${header}` : ''}.`
    : `${entity.entityName} is confined to a tenant and authentication is off (auth: 'none'), so ` +
      `x-ms-client-principal is not trusted: ` +
      (policy.trustTenantHeader
        ? `${header} is required.`
        : "configure a trusted gateway (tenancy.trustGatewayHeader) or declare the CrudApi tenancy: 'shared'.");
  return problemResponse('tenant-required', detail);
}

/**
 * The tenant an isolated resource is confined to: the caller's, unless there is none (403 `tenant-required`) or it
 * is `shared`: traces and usage record requests on shared data with `atakora.tenant = shared`
 * (telemetry/attributes.ts), so a tenant of that name would be told apart from shared data nowhere; it is refused
 * (403 `tenant-required`) before anything runs.
 *
 * @example
 * ```ts
 * const tenant = admittedTenant(caller.tenant, entity, policy);
 * if (!tenant.ok) return tenant.response;
 * ```
 */
export function admittedTenant(
  candidate: Tenant | undefined,
  entity: GuardedResource,
  policy: RuntimeAuth,
): Resolved<Tenant | undefined> {
  if (!candidate) return { ok: false, response: tenantRequired(entity, policy) };
  const { id, source } = candidate;
  if (id !== SHARED_TENANT) return { ok: true, value: candidate };
  return refused(
    'tenant-required',
    `${source} names the tenant "${SHARED_TENANT}", which is reserved (it stands for shared data in traces ` +
      'and usage); give the tenant another id.',
  );
}
