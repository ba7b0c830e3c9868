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
