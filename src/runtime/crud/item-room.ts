import type { HttpResponseInit } from '@azure/functions';
import { OWNER_ROLE } from '../../contract/members.js';
import type { Container } from '@azure/cosmos';
import { callCosmos, type TracedCallPolicy } from '../data/cosmos-policy.js';
import {
  giveRoom,
  type Room,
  RoomBusyError,
  type RoomHold,
  type Taken,
  takeRoom,
} from '../limits/counted-room.js';
import { limitedTenant } from '../limits/limited-tenant.js';
import { itemLimit, roomBusy } from '../limits/plan-room-problem.js';
import type { RoomStore } from '../usage/room-store.js';
import { TENANT_FIELD } from '../values/tenancy.js';
import type { CrudRequest } from './context.js';

/** A create's room under its plan's `items`: a hold to settle or release, or the 402 that refuses it. */
export type HeldItem =
  | { readonly ok: true; readonly hold: RoomHold | undefined }
  | { readonly ok: false; readonly response: HttpResponseInit };

const NO_HOLD: HeldItem = { ok: true, hold: undefined };

/**
 * Whether any plan bounds `crudApi`'s items: then every create and delete of it moves its count, whatever plan the
 * organization is on now, so a later downgrade's bound counts what is there. No plan bounding it: nothing counted,
 * nothing read (backends of today unchanged).
 *
 * @example
 * ```ts
 * countsItems(registry, 'ProjectApi'); // true when some plan says items: { ProjectApi: n }
 * ```
 */
export function countsItems(
  registry: {
    readonly plans: Readonly<
      Record<string, { readonly items?: Readonly<Record<string, number>> | undefined }>
    >;
  },
  crudApi: string,
): boolean {
  return Object.values(registry.plans).some((p) => p.items?.[crudApi] !== undefined);
}

/** Where a CrudApi's items live and how its calls are bounded: what its room needs to count them from the data. */
export interface ItemRoomParts {
  readonly componentId: string;
  readonly partitionKey: string;
  readonly container: Container;
  readonly cosmos: TracedCallPolicy;
}

/**
 * The count of a CrudApi's items of `tenant` (the runtime's creates and deletes, the CLI's imports move it): its id,
 * and how the data counts them (a query of the container).
 *
 * @example
 * ```ts
 * const room = itemRoom({ componentId: 'NoteApi', partitionKey: '/tenantId', container, cosmos }, rooms, 'acme', Date.now);
 * ```
 */
export function itemRoom(
  parts: ItemRoomParts,
  rooms: RoomStore,
  tenant: string,
  now: () => number,
): Room {
  const byKey = parts.partitionKey === `/${TENANT_FIELD}`;
  return {
    store: rooms,
    tenant,
    id: itemRoomId(parts.componentId),
    now,
    counted: async () => {
      const { resources } = await callCosmos(parts.cosmos, (abortSignal) =>
        parts.container.items
          .query<number>(
            {
              query: `SELECT VALUE COUNT(1) FROM c WHERE c.${TENANT_FIELD} = @t`,
              parameters: [{ name: '@t', value: tenant }],
            },
            { abortSignal, ...(byKey ? { partitionKey: tenant } : {}) },
          )
          .fetchAll(),
      );
      return resources.reduce((a, b) => a + b, 0);
    },
  };
}

/**
 * The id of the count of a CrudApi's items (in the usage ledger's container, the organization's partition).
 *
 * @example
 * ```ts
 * itemRoomId('ProjectApi'); // 'room|items|ProjectApi'
 * ```
 */
export const itemRoomId = (crudApi: string): string => `room|items|${crudApi}`;

/** The room this request counts in, when its entity is counted, confined to a tenant and the ledger is there. */
function countedRoom(ctx: CrudRequest): { room: Room; limit: number | undefined } | undefined {
  const limited = ctx.limits ? limitedTenant(ctx.limits) : undefined;
  const rooms = limited?.meter.rooms;
  if (!limited || !rooms || ctx.tenant === undefined) return undefined;
  if (!countsItems(limited.registry, ctx.entity.componentId)) return undefined;
  return {
    room: itemRoom(
      {
        componentId: ctx.entity.componentId,
        partitionKey: ctx.entity.partitionKey,
        container: ctx.container,
        cosmos: ctx.cosmos,
      },
      rooms,
      ctx.tenant.id,
      limited.meter.now,
    ),
    limit: limited.plan.items?.[ctx.entity.componentId],
  };
}

/**
 * Before a create: one item's room under the organization's plan (`items.<CrudApi>`), reserved in the count every
 * instance writes at its version (limits/counted-room.ts) — 402 `item-limit` naming the CrudApi, the bound, the plans
 * with room and, for an Owner, the checkout route. Nothing for an entity no plan bounds.
 *
 * @example
 * ```ts
 * const room = await holdItemRoom(ctx);
 * if (!room.ok) return room.response;
 * ```
 */
export async function holdItemRoom(ctx: CrudRequest): Promise<HeldItem> {
  const counted = countedRoom(ctx);
  if (!counted) return NO_HOLD;
  let taken: Taken;
  try {
    taken = await takeRoom(counted.room, counted.limit);
  } catch (e) {
    if (e instanceof RoomBusyError) return { ok: false, response: roomBusy() };
    throw e;
  }
  if (taken.ok) return { ok: true, hold: taken.hold };
  const limited = ctx.limits ? limitedTenant(ctx.limits) : undefined;
  return {
    ok: false,
    response: itemLimit(
      {
        registry: limited?.registry ?? { plans: {} },
        owner: ctx.call.caller.membership?.roles.includes(OWNER_ROLE) === true,
      },
      ctx.entity.componentId,
      counted.limit ?? 0,
      taken.count,
      taken.held,
    ),
  };
}

/**
 * After a delete removed an item: its room given back (an entity no plan bounds: nothing).
 *
 * @example
 * ```ts
 * await itemRoomFreed(ctx);
 * ```
 */
export async function itemRoomFreed(ctx: CrudRequest): Promise<void> {
  const counted = countedRoom(ctx);
  if (counted) await giveRoom(counted.room);
}
