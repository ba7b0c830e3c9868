import type { HttpRequest, HttpResponseInit } from '@azure/functions';
import {
  DEFAULT_RUNTIME_AUTH,
  type GuardedResource,
  type RuntimeAuth,
  type RuntimeManifest,
} from '../../model/runtime-manifest.js';
import { claimOf, type ClientPrincipal, identityOf, principalOf } from './client-principal.js';
import { problemResponse } from '../http/response.js';
import { TENANT_HEADER, tenantOf } from '../values/partition.js';
import { requireTenant, type Resolved } from '../http/scope.js';
import { isIsolated, type Tenant } from '../values/tenancy.js';
import { isWellFormed } from '../values/text-checks.js';
import { SHARED_TENANT } from '../telemetry/attributes.js';

/** Longest tenant value accepted from a claim (the partition key limit, as for the header). */
const MAX_TENANT_LENGTH = 2048;

/**
 * The deployed app's caller policy from its manifest: authentication required and the tenant from `tid`
 * unless the manifest says otherwise; a malformed `auth` falls back to that secure default.
 *
 * @example
 * ```ts
 * import { app } from '@azure/functions';
 * registerCrudRoutes(app, manifest, { containerFor, caller: callerPolicyOf(manifest) });
 * ```
 */
export function callerPolicyOf(manifest: RuntimeManifest): RuntimeAuth {
  const a = manifest.auth as Partial<RuntimeAuth> | undefined;
  if (!a || typeof a !== 'object') return DEFAULT_RUNTIME_AUTH;
  return {
    required: a.required !== false,
    tenantClaim:
      typeof a.tenantClaim === 'string' && a.tenantClaim !== ''
        ? a.tenantClaim
        : DEFAULT_RUNTIME_AUTH.tenantClaim,
    trustTenantHeader: a.trustTenantHeader === true,
    // Anything but a list of strings or 'any' admits nobody: a malformed allow-list must not open the API.
    ...(a.allowedTenants === undefined
      ? {}
      : {
          allowedTenants:
            a.allowedTenants === 'any'
              ? ('any' as const)
              : Array.isArray(a.allowedTenants)
                ? a.allowedTenants.filter((t): t is string => typeof t === 'string')
                : [],
        }),
    ...(typeof a.homeTenant === 'string' && a.homeTenant !== ''
      ? { homeTenant: a.homeTenant }
      : {}),
  };
}

/** The 401 answer: no principal, or one that names nobody (no `oid`/`sub` claim). */
function unauthenticated(principal: ClientPrincipal | undefined): HttpResponseInit {
  const detail = principal
    ? 'Authentication is required: the signed-in principal carries no identity claim (oid or sub), so it names ' +
      'no caller.'
    : 'Authentication is required: call the API with an Entra ID bearer token for its app registration ' +
      '(BackendConfig.auth.clientId).';
  return problemResponse('unauthenticated', detail, { headers: { 'WWW-Authenticate': 'Bearer' } });
}

/**
 * The principal App Service vouches for: only when authentication is on, since with it off nothing strips a
 * client-sent `x-ms-client-principal` and trusting it would be spoofing
 * (https://learn.microsoft.com/azure/app-service/configure-authentication-user-identities).
 */
function vouchedPrincipal(request: HttpRequest, policy: RuntimeAuth): ClientPrincipal | undefined {
  return policy.required ? principalOf(request) : undefined;
}

/**
 * The 401 response when the policy requires authentication and the request carries no principal with an
 * identity claim; checked first, so an anonymous caller learns nothing about the route (not even which
 * methods it allows).
 *
 * @example
 * ```ts
 * const denied = authenticate(request, options.caller);
 * if (denied) return denied;
 * ```
 */
export function authenticate(
  request: HttpRequest,
  policy: RuntimeAuth | undefined,
): HttpResponseInit | undefined {
  if (!policy?.required) return undefined;
  const principal = principalOf(request);
  return principal && identityOf(principal) !== undefined ? undefined : unauthenticated(principal);
}

function tenantRequired(entity: GuardedResource, policy: RuntimeAuth): HttpResponseInit {
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
 * Who may call, and the tenant every request of an isolated entity is confined to. With a policy: no
 * principal (or one without `oid`/`sub`) while authentication is required → **401**; the tenant is
 * `x-tenant-id` only if the policy trusts a gateway to set it, else the principal's claim — and with
 * `auth: 'none'` never a principal, which nothing vouches for then; none → **403** `tenant-required`.
 * Without a policy (handlers built directly, not by the deployed runtime) `x-tenant-id` names the tenant.
 *
 * @example
 * ```ts
 * const tenant = resolveTenant(entity, request, callerPolicyOf(manifest));
 * if (!tenant.ok) console.log(tenant.response.status); // 401: no signed-in caller
 * ```
 */
export function resolveTenant(
  entity: GuardedResource,
  request: HttpRequest,
  policy: RuntimeAuth | undefined,
): Resolved<Tenant | undefined> {
  if (!policy) return requireTenant(entity, request);
  const denied = authenticate(request, policy);
  if (denied) return { ok: false, response: denied };
  if (!isIsolated(entity)) return { ok: true, value: undefined };
  const fromHeader = policy.trustTenantHeader ? tenantOf(request) : undefined;
  if (fromHeader !== undefined) return admitted(fromHeader, `the ${TENANT_HEADER} header`);
  const principal = vouchedPrincipal(request, policy);
  const claim = principal ? claimOf(principal, policy.tenantClaim) : undefined;
  if (claim !== undefined && claim.length <= MAX_TENANT_LENGTH && isWellFormed(claim))
    return admitted(claim, `the ${policy.tenantClaim} claim of your token`);
  return { ok: false, response: tenantRequired(entity, policy) };
}

/**
 * A tenant id as resolved, unless it is `shared`: traces and usage record requests on shared data with
 * `atakora.tenant = shared` (telemetry/attributes.ts), so a tenant of that name would be told apart from shared data
 * nowhere; it is refused (403 `tenant-required`) before anything runs.
 */
function admitted(id: string, source: string): Resolved<Tenant | undefined> {
  if (id !== SHARED_TENANT) return { ok: true, value: { id, source } };
  return {
    ok: false,
    response: problemResponse(
      'tenant-required',
      `${source} names the tenant "${SHARED_TENANT}", which is reserved (it stands for shared data in traces ` +
        'and usage); give the tenant another id.',
    ),
  };
}
