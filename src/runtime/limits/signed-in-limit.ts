import {
  type RuntimeAuth,
  type RuntimeTenantRegistry,
  TENANT_ADMIN_ROLE,
} from '../../model/runtime-manifest.js';
import type { UsageMeter } from '../usage/usage-meter.js';
import type { LimitedTenant } from './limited-tenant.js';
import { isHomeDirectory } from '../tenants/tenant-record.js';

/**
 * The per-user bound of the routes that act in no organization when `tenants.perUser.requestsPerMinute` is not
 * set: a person creating, listing and joining organizations makes a few such requests a minute; a script making
 * 150 organizations in 3 s is refused after the first 60.
 *
 * @example
 * ```ts
 * registry.perUser?.requestsPerMinute ?? SIGNED_IN_REQUESTS_PER_MINUTE; // 60
 * ```
 */
export const SIGNED_IN_REQUESTS_PER_MINUTE = 60;

/**
 * Where the meter counts the requests of the routes that act in no organization: a key no tenant id can be (ids
 * are `^[a-z0-9][a-z0-9-]{2,62}$`), whose minute counts are shared by every instance as a tenant's are.
 */
export const SIGNED_IN_KEY = '~signed-in';

/**
 * What the per-user bound reads of a request (the pipeline's tenant context has it; spelled here without the
 * pipeline's types, which stand above this room): who calls, the endpoint's policy and flag, the meter.
 */
export interface SignedInScope {
  readonly caller: {
    readonly id: string | undefined;
    requestCaller(): { readonly tid: string; readonly roles: readonly string[] } | undefined;
  };
  readonly endpoint: {
    readonly policy: RuntimeAuth | undefined;
    readonly limitedPerUser?: boolean;
  };
  readonly services: { readonly meter?: UsageMeter };
}

/**
 * With tenants by membership, the routes that act in no organization (`limitedPerUser`: `POST api/tenants`,
 * `GET api/me/tenants`, `POST api/invitations/accept`) have no plan to limit them: each signed-in caller is bounded
 * by `tenants.perUser.requestsPerMinute` (else {@link SIGNED_IN_REQUESTS_PER_MINUTE}) through the tenant routes'
 * own rate limit — the same window, cross-instance counts, 429 and `RateLimit` headers. The operator (the home
 * directory's `TenantAdmin`) is never limited, as on `api/tenants` everywhere.
 *
 * @example
 * ```ts
 * const limited = limitedTenant(ctx) ?? signedInLimited(ctx);
 * ```
 */
export function signedInLimited(ctx: SignedInScope): LimitedTenant | undefined {
  const { endpoint, caller, services } = ctx;
  const registry = endpoint.policy?.registry;
  const meter = services.meter;
  if (!endpoint.limitedPerUser || !registry?.membership || !meter || caller.id === undefined)
    return undefined;
  const signedIn = caller.requestCaller();
  if (
    signedIn &&
    isHomeDirectory(signedIn.tid, endpoint.policy) &&
    signedIn.roles.includes(TENANT_ADMIN_ROLE)
  )
    return undefined;
  return signedInBound(registry, caller.id, meter);
}

/**
 * `user`'s window of the requests that act in no organization: {@link SIGNED_IN_KEY} in the meter, bounded by
 * `tenants.perUser.requestsPerMinute` (else {@link SIGNED_IN_REQUESTS_PER_MINUTE}) — what the no-tenant routes are
 * limited by, and what an outsider's tries to join an organization count against (members/membership-tenants.ts).
 *
 * @example
 * ```ts
 * const refusal = await rateLimit(undefined, signedInBound(registry, caller.id, meter)); // 429 past the bound
 * ```
 */
export function signedInBound(
  registry: RuntimeTenantRegistry,
  user: string,
  meter: UsageMeter,
): LimitedTenant {
  return {
    tenant: SIGNED_IN_KEY,
    user,
    plan: {},
    registry: {
      ...registry,
      perUser: {
        ...registry.perUser,
        requestsPerMinute: registry.perUser?.requestsPerMinute ?? SIGNED_IN_REQUESTS_PER_MINUTE,
      },
    },
    meter,
  };
}
