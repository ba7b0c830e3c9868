import type { HttpResponseInit } from '@azure/functions';
import { CHECKOUT_ROUTE } from '../../contract/tenant-billing.js';
import type { RuntimeTenantPlan, RuntimeTenantRegistry } from '../../model/runtime-manifest.js';
import { problemResponse } from '../http/response.js';

/** What a refusal of a plan's bound knows: the registry (its plans), whether the caller is an Owner. */
export interface RoomRefusal {
  readonly registry: Pick<RuntimeTenantRegistry, 'plans' | 'billing'>;
  /** The caller is an Owner of the organization: the problem names the checkout route. */
  readonly owner: boolean;
}

/**
 * The plans whose bound (`boundOf`) admits `wanted` things — unbounded ones included — in the config's order: what a
 * 402 names as the way on.
 *
 * @example
 * ```ts
 * plansWithRoom(registry.plans, (p) => p.members, 4); // ['team', 'enterprise']
 * ```
 */
export function plansWithRoom(
  plans: Readonly<Record<string, RuntimeTenantPlan>>,
  boundOf: (plan: RuntimeTenantPlan) => number | undefined,
  wanted: number,
): string[] {
  return Object.entries(plans)
    .filter(([, p]) => (boundOf(p) ?? Number.POSITIVE_INFINITY) >= wanted)
    .map(([name]) => name);
}

/** The checkout route an Owner upgrades through, when subscriptions drive plans. */
function checkoutOf(r: RoomRefusal): { checkout?: string } {
  return r.owner && r.registry.billing?.subscriptions ? { checkout: CHECKOUT_ROUTE } : {};
}

/**
 * 402 `seat-limit`: the organization has `limit` members (and `held` being admitted); the plans with room for one
 * more and, for an Owner, the checkout route.
 *
 * @example
 * ```ts
 * return seatLimit({ registry, owner: false }, 'acme', 3, 3, 0);
 * ```
 */
export function seatLimit(
  r: RoomRefusal,
  tenant: string,
  limit: number,
  count: number,
  held: number,
): HttpResponseInit {
  const plans = plansWithRoom(r.registry.plans, (p) => p.members, count + held + 1);
  const joining = held > 0 ? ` (${String(held)} more being admitted)` : '';
  return problemResponse(
    'seat-limit',
    `Organization ${tenant} has ${String(count)} members${joining}, its plan's ${String(limit)} seats: nobody ` +
      `more joins until a member leaves or the organization moves to a plan with more seats` +
      `${plans.length > 0 ? ` (${plans.join(', ')})` : ''}.`,
    { limit, plans, ...checkoutOf(r) },
  );
}

/**
 * 402 `item-limit`: the organization holds `limit` items of `crudApi`; the plans with room for one more and, for an
 * Owner, the checkout route.
 *
 * @example
 * ```ts
 * return itemLimit({ registry, owner: true }, 'ProjectApi', 2, 2, 0);
 * ```
 */
export function itemLimit(
  r: RoomRefusal,
  crudApi: string,
  limit: number,
  count: number,
  held: number,
): HttpResponseInit {
  const plans = plansWithRoom(r.registry.plans, (p) => p.items?.[crudApi], count + held + 1);
  const creating = held > 0 ? ` (${String(held)} more being created)` : '';
  return problemResponse(
    'item-limit',
    `This organization holds ${String(count)} items of ${crudApi}${creating}, its plan's ${String(limit)}: ` +
      'delete one to create another, or move to a plan with more' +
      `${plans.length > 0 ? ` (${plans.join(', ')})` : ''}.`,
    { crudApi, limit, plans, ...checkoutOf(r) },
  );
}

/**
 * 503 `database-unavailable` with `Retry-After`: a count kept changing under every attempt (limits/counted-room.ts
 * `RoomBusyError`) — nothing was written.
 *
 * @example
 * ```ts
 * if (e instanceof RoomBusyError) return roomBusy();
 * ```
 */
export const roomBusy = (): HttpResponseInit =>
  problemResponse(
    'database-unavailable',
    "The plan's count kept changing under concurrent writes: nothing was written; retry after Retry-After.",
    { headers: { 'Retry-After': '1' } },
  );
