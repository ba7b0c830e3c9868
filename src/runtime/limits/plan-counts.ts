import type { RuntimeTenantPlan, RuntimeTenantRegistry } from '../../model/runtime-manifest.js';
import { type RoomStore, SEATS_ROOM_ID } from '../usage/room-store.js';

/** The counts against a plan's seats and items, and what is past them (`GET api/tenant`). */
export interface PlanCounts {
  /** `members`: the seats taken (counted on a backend some plan bounds seats); `items`: per bounded CrudApi. */
  readonly counts: { readonly members?: number; readonly items: Readonly<Record<string, number>> };
  /** What is past the organization's plan now (after a downgrade): `members`, `items.<CrudApi>`. */
  readonly over: readonly string[];
}

/**
 * An organization's counts as the plans' rooms keep them (limits/counted-room.ts) and what is over its plan: a
 * downgrade deletes nothing, so members and items past the new bounds stay — listed here, and new ones refused.
 * A count never kept yet (nothing admitted or created since a plan declared the bound) reads as none: `members`
 * absent, an item count 0. Undefined when no plan bounds seats or items.
 *
 * @example
 * ```ts
 * await planCounts(rooms, registry, 'acme', plan); // { counts: { members: 4, items: { ProjectApi: 3 } }, over: ['members'] }
 * ```
 */
export async function planCounts(
  rooms: RoomStore,
  registry: Pick<RuntimeTenantRegistry, 'plans' | 'billing'>,
  tenant: string,
  plan: RuntimeTenantPlan,
): Promise<PlanCounts | undefined> {
  const plans = Object.values(registry.plans);
  const seats =
    plans.some((p) => p.members !== undefined) ||
    (registry.billing?.subscriptions?.perSeat?.length ?? 0) > 0;
  const members = seats ? (await rooms.read(tenant, SEATS_ROOM_ID))?.value.count : undefined;
  const crudApis = [...new Set(plans.flatMap((p) => Object.keys(p.items ?? {})))].sort();
  // No plan bounds seats or items: the answer stays what it was before plans could (backends of today unchanged).
  if (!seats && crudApis.length === 0) return undefined;
  const items: Record<string, number> = {};
  for (const c of crudApis)
    items[c] = (await rooms.read(tenant, `room|items|${c}`))?.value.count ?? 0;
  const over = [
    ...(members !== undefined && plan.members !== undefined && members > plan.members
      ? ['members']
      : []),
    ...crudApis
      .filter((c) => plan.items?.[c] !== undefined && (items[c] ?? 0) > (plan.items[c] ?? 0))
      .map((c) => `items.${c}`),
  ];
  return { counts: { ...(members !== undefined ? { members } : {}), items }, over };
}
