import type { HttpRequest, HttpResponseInit } from '@azure/functions';
import { DEFAULT_RUNTIME_AUTH, type RuntimeAuth, type RuntimeEntity, type RuntimeManifest } from '../model/runtime-manifest.js';
import { claimOf, principalOf } from './client-principal.js';
import { problemResponse } from './http-response.js';
import { isTenantScoped, TENANT_HEADER, tenantOf } from './partition.js';
import { requireTenant, type Resolved } from './request-scope.js';

/** Longest tenant value accepted from a claim (the partition key limit, as for the header). */
const MAX_TENANT_LENGTH = 2048;

/**
 * The deployed app's caller policy from its manifest: authentication required and the tenant from `tid`
 * unless the manifest says otherwise; a malformed `auth` falls back to that secure default.
 *
 * @example
 * ```ts
 * registerCrudRoutes(app, manifest, { containerFor, caller: callerPolicyOf(manifest) });
 * ```
 */
export function callerPolicyOf(manifest: RuntimeManifest): RuntimeAuth {
  const a = manifest.auth as Partial<RuntimeAuth> | undefined;
  if (!a || typeof a !== 'object') return DEFAULT_RUNTIME_AUTH;
  return {
    required: a.required !== false,
    tenantClaim: typeof a.tenantClaim === 'string' && a.tenantClaim !== '' ? a.tenantClaim : DEFAULT_RUNTIME_AUTH.tenantClaim,
    trustTenantHeader: a.trustTenantHeader === true,
  };
}

/** The 401 answer for a request without a principal while authentication is required. */
function unauthenticated(): HttpResponseInit {
  return problemResponse(401, 'unauthenticated', 'Authentication is required: call the API with an Entra ID bearer token for its app registration (BackendConfig.auth.clientId).', { headers: { 'WWW-Authenticate': 'Bearer' } });
}

/**
 * The 401 response when the policy requires authentication and the request carries no principal; checked
 * first, so an anonymous caller learns nothing about the route (not even which methods it allows).
 *
 * @example
 * ```ts
 * const denied = authenticate(request, options.caller);
 * if (denied) return denied;
 * ```
 */
export function authenticate(request: HttpRequest, policy: RuntimeAuth | undefined): HttpResponseInit | undefined {
  return policy?.required && !principalOf(request) ? unauthenticated() : undefined;
}

/**
 * Who may call, and the tenant of a `/tenantId` entity. With a policy: no principal while authentication is
 * required → **401**; the tenant is `x-tenant-id` only if the policy trusts a gateway to set it, else the
 * principal's claim; none → **403** `tenant-required`. Without a policy (handlers built directly, not by the
 * deployed runtime) the header names the tenant, as before.
 *
 * @example
 * ```ts
 * const tenant = resolveTenant(entity, request, options.caller);
 * if (!tenant.ok) return tenant.response;
 * ```
 */
export function resolveTenant(entity: RuntimeEntity, request: HttpRequest, policy: RuntimeAuth | undefined): Resolved<string | undefined> {
  if (!policy) return requireTenant(entity, request);
  const principal = principalOf(request);
  if (policy.required && !principal) {
    return { ok: false, response: unauthenticated() };
  }
  if (!isTenantScoped(entity)) return { ok: true, value: undefined };
  const fromHeader = policy.trustTenantHeader ? tenantOf(request) : undefined;
  const fromClaim = principal ? claimOf(principal, policy.tenantClaim) : undefined;
  const tenant = fromHeader ?? (fromClaim !== undefined && fromClaim.length <= MAX_TENANT_LENGTH ? fromClaim : undefined);
  if (tenant === undefined) {
    const source = policy.trustTenantHeader ? `the ${TENANT_HEADER} header or the ${policy.tenantClaim} claim` : `the ${policy.tenantClaim} claim of the caller`;
    return { ok: false, response: problemResponse(403, 'tenant-required', `${entity.entityName} is scoped by tenant: ${source} is required.`) };
  }
  return { ok: true, value: tenant };
}
