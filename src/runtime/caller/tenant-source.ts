import type { HttpRequest, HttpResponseInit } from '@azure/functions';
import {
  DEFAULT_RUNTIME_AUTH,
  type GuardedResource,
  type RuntimeAuth,
  type RuntimeManifest,
  type RuntimeTenantRegistry,
} from '../../model/runtime-manifest.js';
import { claimOf, type ClientPrincipal, identityOf, principalOf } from './client-principal.js';
import { problemResponse } from '../http/response.js';
import { TENANT_HEADER, tenantOf } from './tenant-header.js';
import type { Resolved } from '../http/scope.js';
import { isIsolated, type Tenant } from '../values/tenancy.js';
import { isWellFormed } from '../values/text-checks.js';
import { SHARED_TENANT } from '../telemetry/attributes.js';

/**
 * The caller's tenant for an isolated entity (`undefined` value for a shared one), from `x-tenant-id`: the
 * rule of handlers built without a caller policy (the deployed runtime always has one, see `resolveTenant`).
 * A missing header is a **403** (`urn:atakora:problem:tenant-required`, DESIGN §6): without a tenant nothing
 * may be read or written. The header names a tenant, it is not a credential — authentication belongs to
 * the platform in front of the app (Easy Auth, APIM), which should set it.
 *
 * @example
 * ```ts
 * const tenant = requireTenant(entity, request);
 * if (!tenant.ok) return tenant.response;
 * ```
 */
export function requireTenant(
  entity: GuardedResource,
  request: HttpRequest,
): Resolved<Tenant | undefined> {
  if (!isIsolated(entity)) return { ok: true, value: undefined };
  const tenant = tenantOf(request);
  if (tenant === undefined) {
    return {
      ok: false,
      response: problemResponse(
        'tenant-required',
        `The ${TENANT_HEADER} header is required for ${entity.entityName}.`,
      ),
    };
  }
  return { ok: true, value: { id: tenant, source: `the ${TENANT_HEADER} header` } };
}

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
    ...registryOf(a.registry),
  };
}

/**
 * The manifest's registry kept as is when it names its container; a malformed one still says a registry is meant
 * (its container left empty), so the allow-list stays empty and the registry stage admits no other directory.
 */
function registryOf(r: unknown): Pick<RuntimeAuth, 'registry'> {
  if (r === undefined) return {};
  const o = (r && typeof r === 'object' ? r : {}) as Partial<RuntimeTenantRegistry>;
  if (
    typeof o.database === 'string' &&
    typeof o.container === 'string' &&
    typeof o.usage === 'string' &&
    typeof o.plans === 'object'
  )
    return { registry: o as RuntimeTenantRegistry };
  return {
    registry: {
      database: '',
      container: '',
      usage: '',
      plans: {},
      defaultPlan: '',
      signUp: 'invite',
    },
  };
}

/** The 401 answer: no principal, or one that names nobody (no `oid`/`sub` claim). */
export function unauthenticated(principal: ClientPrincipal | undefined): HttpResponseInit {
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

/** The 403 `tenant-required` answer for `entity`, saying where the policy looks for a tenant. */
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
  return admittedTenant(
    tenantCandidate(request, vouchedPrincipal(request, policy), policy),
    entity,
    policy,
  );
}

/**
 * The caller's tenant under `policy`, whatever the resource: the trusted gateway's `x-tenant-id` when the policy
 * trusts one, else the tenant claim of the principal App Service vouches for; undefined when neither names one.
 *
 * @example
 * ```ts
 * tenantCandidate(request, principalOf(request), policy)?.id; // 'contoso-tid'
 * ```
 */
export function tenantCandidate(
  request: HttpRequest,
  principal: ClientPrincipal | undefined,
  policy: RuntimeAuth,
): Tenant | undefined {
  const fromHeader = policy.trustTenantHeader ? tenantOf(request) : undefined;
  if (fromHeader !== undefined) return { id: fromHeader, source: `the ${TENANT_HEADER} header` };
  const claim = principal ? claimOf(principal, policy.tenantClaim) : undefined;
  return claim !== undefined && claim.length <= MAX_TENANT_LENGTH && isWellFormed(claim)
    ? { id: claim, source: `the ${policy.tenantClaim} claim of your token` }
    : undefined;
}

/**
 * The tenant an isolated resource is confined to: the candidate, unless there is none (403 `tenant-required`) or it
 * is `shared`: traces and usage record requests on shared data with `atakora.tenant = shared`
 * (telemetry/attributes.ts), so a tenant of that name would be told apart from shared data nowhere; it is refused
 * (403 `tenant-required`) before anything runs.
 *
 * @example
 * ```ts
 * const tenant = admittedTenant(tenantCandidate(request, principal, policy), entity, policy);
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
  return {
    ok: false,
    response: problemResponse(
      'tenant-required',
      `${source} names the tenant "${SHARED_TENANT}", which is reserved (it stands for shared data in traces ` +
        'and usage); give the tenant another id.',
    ),
  };
}
