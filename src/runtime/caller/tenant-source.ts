import type { BillingDoor } from '../../model/lives/organization-life.js';
import type { HttpRequest, HttpResponseInit } from '@azure/functions';
import {
  DEFAULT_RUNTIME_AUTH,
  type RuntimeAuth,
  type RuntimeManifest,
  type RuntimeTenantRegistry,
} from '../../model/runtime-manifest.js';
import type { Caller } from './caller-view.js';
import { refused } from '../http/response.js';
import { registryBinding } from '../values/process-binding.js';

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

/**
 * What a tenant source decides of a caller: admitted — the caller as the source completes them (their tenant's
 * record and plan; with memberships, the tenant and roles too) — or refused. `ledgerTenant`: the tenant the usage
 * ledger counts the request under, refused or not, when the source knows it (a stranger's requests count as
 * `anonymous`, so tokens of unknown directories never add tenants to the ledger).
 *
 * @example
 * ```ts
 * const admission: TenantAdmission = { ok: true, caller: caller.with({ registered }), ledgerTenant: 't1' };
 * ```
 */
export type TenantAdmission =
  | { readonly ok: true; readonly caller: Caller; readonly ledgerTenant?: string }
  | { readonly ok: false; readonly response: HttpResponseInit; readonly ledgerTenant?: string };

/**
 * Where a request's tenant is admitted (DESIGN §2 "Tenants are data", "Tenants by membership"): the pipeline's
 * registry stage asks the source its app chose at start, once per request, and hands the caller it answers to every
 * later stage. A new way of admitting tenants (membership: the `X-Atakora-Tenant` header checked against the
 * members store, roles from the membership) is one new source, not an edit of any handler.
 *
 * @example
 * ```ts
 * const source: TenantSource = registryTenants(policy.registry, policy.homeTenant, cache);
 * const admission = await source.admit(caller, request);
 * ```
 */
export interface TenantSource {
  /**
   * The admission of `caller`'s request; `route.withoutTenant`: the route acts in no tenant (with memberships no
   * organization is asked for: the caller's own list, accepting an invitation, the registry's API).
   */
  admit(
    caller: Caller,
    request: Pick<HttpRequest, 'headers'>,
    route?: {
      readonly withoutTenant?: boolean | undefined;
      /** `api/tenant/directory` (members/directory): an Owner passes `requireDirectory` there. */
      readonly directoryRoute?: boolean | undefined;
      /** A billing route: its door in the organization's life (routes/billing-routes.ts, organization-life.ts). */
      readonly billingDoor?: BillingDoor | undefined;
      /** The MCP door: where an agent's own token is taken (members/agents/agent-tenants.ts). */
      readonly agents?: boolean | undefined;
    },
  ): TenantAdmission | Promise<TenantAdmission>;
}

/**
 * The app's tenant source per registry (`bind`, `bound`): made once at start (routes/app-services.ts), read once by
 * what is built apart from the route registration (a FunctionsApp's gate: pipeline/services.ts `boundServices`) —
 * never per request.
 *
 * @example
 * ```ts
 * tenantSources.bind(policy.registry, membershipTenants(policy.registry, members, cache));
 * const source = tenantSources.bound(policy.registry);
 * ```
 */
export const tenantSources = registryBinding<'container', TenantSource>(
  'atakora.runtime.tenantSources',
  'container',
);

/**
 * Tenants by membership where this process has no members store: no organization is admitted (closed, never
 * open); a route that acts in no organization passes.
 *
 * @example
 * ```ts
 * const source = tenantSources.bound(registry) ?? NO_ORGANIZATIONS;
 * ```
 */
export const NO_ORGANIZATIONS: TenantSource = {
  admit: (caller, _request, route) =>
    route?.withoutTenant
      ? { ok: true, caller }
      : refused(
          'not-a-member',
          'You are a member of no organization of this API: create one (POST api/tenants) or accept an ' +
            'invitation.',
        ),
};
