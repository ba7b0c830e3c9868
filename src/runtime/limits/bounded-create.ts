import type { HttpResponseInit } from '@azure/functions';
import type { RoomStore } from '../usage/room-store.js';
import { roomBusy } from './plan-room-problem.js';
import { giveRoom, type Room, RoomBusyError, takeRoom } from './counted-room.js';

/** What {@link createWithin} answers: the thing written, or the bound reached with how many are held or under way. */
export type Within =
  | { readonly created: true }
  | { readonly created: false; readonly held: number };

/**
 * Write one more thing of an organization under `bound` — an API key, a webhook endpoint — deciding on the room's
 * count at the version read (counted-room.ts: Cosmos DB's optimistic concurrency), so creations racing on any
 * instance never pass the bound together, as a count of the stored things read before each write would let them.
 * The room is given back when the write fails. Throws {@link RoomBusyError} when the count kept changing (a 503).
 *
 * @example
 * ```ts
 * const within = await createWithin(room, 20, () => store.create(key));
 * if (!within.created) return limitProblem(within.held);
 * ```
 */
export async function createWithin(
  room: Room,
  bound: number,
  write: () => Promise<void>,
): Promise<Within> {
  const taken = await takeRoom(room, bound);
  if (!taken.ok) return { created: false, held: taken.count + taken.held };
  try {
    await write();
  } catch (e) {
    await taken.hold.release().catch(() => undefined);
    throw e;
  }
  await taken.hold.settle();
  return { created: true };
}

/**
 * One thing of the room removed (a key revoked, an endpoint deleted): its place given back. A count that kept
 * changing is left as it is — the thing is gone already, and a full count untouched for a minute is recounted from
 * the data (counted-room.ts `takeRoom`).
 *
 * @example
 * ```ts
 * await store.remove(tenant, id);
 * await placeFreed(room);
 * ```
 */
export async function placeFreed(room: Room): Promise<void> {
  try {
    await giveRoom(room);
  } catch (e) {
    if (!(e instanceof RoomBusyError)) throw e;
  }
}

/** A room whose store of counts may be absent (one instance's stores in tests): then its `counted` decides alone. */
export type MaybeRoom = Omit<Room, 'store'> & { readonly store: RoomStore | undefined };

const roomOf = (place: MaybeRoom): Room | undefined =>
  place.store ? { ...place, store: place.store } : undefined;

/**
 * Write one more thing of an organization under `bound`: {@link createWithin} the room when its store keeps counts,
 * else the bound decided on `counted` read before the write (one instance's stores). Undefined once written; else
 * `full(held)`, the route's 409, or the 503 `roomBusy` where the room's count kept changing.
 *
 * @example
 * ```ts
 * const refused = await createBounded(room, 10, () => store.create(hook), (held) => limitProblem(held));
 * if (refused) return refused;
 * ```
 */
export async function createBounded(
  place: MaybeRoom,
  bound: number,
  write: () => Promise<void>,
  full: (held: number) => HttpResponseInit,
): Promise<HttpResponseInit | undefined> {
  const room = roomOf(place);
  let within: Within;
  if (room) {
    try {
      within = await createWithin(room, bound, write);
    } catch (e) {
      if (e instanceof RoomBusyError) return roomBusy();
      throw e;
    }
  } else {
    const held = await place.counted();
    if (held >= bound) within = { created: false, held };
    else {
      await write();
      within = { created: true };
    }
  }
  return within.created ? undefined : full(within.held);
}

/**
 * {@link placeFreed} in the room, when its store keeps counts.
 *
 * @example
 * ```ts
 * await placeFreedIn({ store: rooms, tenant, id, now, counted });
 * ```
 */
export async function placeFreedIn(place: MaybeRoom): Promise<void> {
  const room = roomOf(place);
  if (room) await placeFreed(room);
}
