import type { HttpResponseInit } from '@azure/functions';
import type { RuntimeTenantRegistry } from '../../model/runtime-manifest.js';
import { DEFAULT_USER_REALTIME_CONNECTIONS } from '../../contract/realtime.js';
import { problemResponse } from '../http/response.js';
import type { TenantRecord } from '../tenants/tenant-record.js';
import { planLimits } from '../tenants/plan-limits.js';
import type { ConnectionCounts } from './connection-ledger.js';

/** What `Retry-After` says on a refused connection: a closed socket frees its place at once, so soon. */
export const CONNECTION_RETRY_AFTER_SECONDS = 30;

/**
 * The bounds of one tenant's and one user's live connections: the tenant's plan's `realtimeConnections` (absent:
 * unbounded) and `tenants.perUser.realtimeConnections` (absent: {@link DEFAULT_USER_REALTIME_CONNECTIONS}).
 *
 * @example
 * ```ts
 * const bounds: ConnectionBounds = { tenant: 20, user: 3 };
 * ```
 */
export interface ConnectionBounds {
  readonly tenant?: number;
  readonly user?: number;
}

/**
 * The 429 `too-many-connections` when one more connection would pass a bound, else undefined: the tenant's
 * connections reaching its plan's bound, or the user's reaching the per-user bound.
 *
 * @example
 * ```ts
 * overBound({ tenant: 20, user: 1 }, { tenant: 20, user: 3 })?.status; // 429
 * ```
 */
export function overBound(
  counts: ConnectionCounts,
  bounds: ConnectionBounds,
): HttpResponseInit | undefined {
  const headers = { 'Retry-After': String(CONNECTION_RETRY_AFTER_SECONDS) };
  if (bounds.tenant !== undefined && counts.tenant >= bounds.tenant)
    return problemResponse(
      'too-many-connections',
      `Your tenant has ${String(counts.tenant)} live realtime connections, the most its plan allows ` +
        `(${String(bounds.tenant)}): close one, or retry after Retry-After.`,
      { headers, scope: 'tenant', limit: bounds.tenant },
    );
  if (bounds.user !== undefined && counts.user >= bounds.user)
    return problemResponse(
      'too-many-connections',
      `You have ${String(counts.user)} live realtime connections, the most one user may hold ` +
        `(${String(bounds.user)}): close one, or retry after Retry-After.`,
      { headers, scope: 'user', limit: bounds.user },
    );
  return undefined;
}

/**
 * The bounds for a tenant as its registry record says (its plan; the default plan without a record, as the home
 * directory has) and the registry's per-user bound, {@link DEFAULT_USER_REALTIME_CONNECTIONS} when none is set —
 * or, without a registry, that default alone.
 *
 * @example
 * ```ts
 * boundsOf(registry, record); // { tenant: 20, user: 3 }
 * ```
 */
export function boundsOf(
  registry: RuntimeTenantRegistry | undefined,
  record: Pick<TenantRecord, 'plan'> | undefined,
): ConnectionBounds {
  // Without a registry no plan bounds a tenant; each caller keeps the default bound (counted per instance).
  if (!registry) return { user: DEFAULT_USER_REALTIME_CONNECTIONS };
  // An undeclared plan has defaultPlan's bounds, never none (tenants/plan-limits.ts).
  const plan = planLimits(registry, record?.plan ?? registry.defaultPlan).limits;
  return {
    ...(plan.realtimeConnections === undefined ? {} : { tenant: plan.realtimeConnections }),
    user: registry.perUser?.realtimeConnections ?? DEFAULT_USER_REALTIME_CONNECTIONS,
  };
}
