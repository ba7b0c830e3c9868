import { randomUUID } from 'node:crypto';
import type { RoomCount, RoomStore, TaggedCount } from '../usage/room-store.js';

/** How long a hold lives unsettled: an admission or create that crashed gives its room back after this. */
export const HOLD_LAPSE_MS = 120_000;
/** A count untouched this long, with no hold, may be recounted from the data (drift from a cascade, the CLI). */
export const QUIET_MS = 60_000;
/** Writes one decision may try while other instances move the same count (20 parallel creates: at most 20 rounds). */
const ATTEMPTS = 60;

/** A room taken: `settle` once the thing is written (counted), `release` when it was not (the room given back). */
export interface RoomHold {
  settle(): Promise<void>;
  release(): Promise<void>;
}

/** What {@link takeRoom} answers: a hold, or the bound reached (`count` things written and `held` under way). */
export type Taken =
  | { readonly ok: true; readonly hold: RoomHold }
  | { readonly ok: false; readonly count: number; readonly held: number };

/** The room's parts: its store, the count's id and tenant, the clock, and how to count the things from the data. */
export interface Room {
  readonly store: RoomStore;
  readonly tenant: string;
  /** `room|members`, `room|items|<CrudApi>`. */
  readonly id: string;
  readonly now: () => number;
  /** The things as the data holds them (a query): a count never seen before starts from it. */
  readonly counted: () => Promise<number>;
}

const liveHolds = (c: RoomCount, now: number): Record<string, number> =>
  Object.fromEntries(Object.entries(c.holds).filter(([, lapse]) => lapse > now));

const pause = (attempt: number) =>
  new Promise((resolve) => setTimeout(resolve, Math.random() * Math.min(50, 2 + attempt * 3)));

/** Thrown when the count kept changing under every attempt: the caller answers 503 with `Retry-After`. */
export class RoomBusyError extends Error {
  readonly code = 503;
  constructor(id: string) {
    super(`The count ${id} kept changing under concurrent writes: try again.`);
  }
}

/** Read, change and write the count at the version read until one write wins (or create it from the data). */
async function moved<T>(
  room: Room,
  change: (
    c: RoomCount,
    now: number,
    kept: boolean,
  ) => { next: RoomCount; answer: T } | { answer: T },
): Promise<T> {
  for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
    if (attempt > 0) await pause(attempt);
    const now = room.now();
    const found: TaggedCount | undefined = await room.store.read(room.tenant, room.id);
    const base: RoomCount = found?.value ?? {
      id: room.id,
      tenant: room.tenant,
      kind: 'room',
      count: await room.counted(),
      holds: {},
      changedAt: now,
    };
    const step = change(base, now, found !== undefined);
    if (!('next' in step)) return step.answer;
    const written = found
      ? await room.store.replace(step.next, found.etag)
      : await room.store.create(step.next);
    if (written !== 'changed' && written !== 'exists') return step.answer;
  }
  throw new RoomBusyError(room.id);
}

/**
 * Take one room under `bound` (undefined: unbounded, counted all the same so a later plan's bound holds): the count
 * and the live holds of every instance, plus this one, must stay within it — decided and written at the version
 * read, so concurrent takers on any instance never pass it together. A full count untouched for {@link QUIET_MS}
 * with no hold is recounted from the data first (what a cascade or the CLI removed comes back then; a recent write
 * another session might not see yet is never recounted away).
 *
 * @example
 * ```ts
 * const taken = await takeRoom(room, 3);
 * if (!taken.ok) return seatLimit(…);
 * try { await write(); await taken.hold.settle(); } catch (e) { await taken.hold.release(); throw e; }
 * ```
 */
export async function takeRoom(room: Room, bound: number | undefined): Promise<Taken> {
  const holdId = randomUUID();
  let recounted = false;
  for (;;) {
    const answer = await moved<Taken | 'recount'>(room, (c, now) => {
      const holds = liveHolds(c, now);
      const held = Object.keys(holds).length;
      if (bound !== undefined && c.count + held + 1 > bound) {
        const quiet = held === 0 && now - c.changedAt >= QUIET_MS;
        return { answer: quiet && !recounted ? 'recount' : { ok: false, count: c.count, held } };
      }
      return {
        next: { ...c, holds: { ...holds, [holdId]: now + HOLD_LAPSE_MS }, changedAt: now },
        answer: { ok: true, hold: holdOf(room, holdId) },
      };
    });
    if (answer !== 'recount') return answer;
    recounted = true;
    const actual = await room.counted();
    await moved(room, (c, now) =>
      actual < c.count && Object.keys(liveHolds(c, now)).length === 0
        ? { next: { ...c, count: actual }, answer: undefined }
        : { answer: undefined },
    );
  }
}

function holdOf(room: Room, holdId: string): RoomHold {
  let open = true;
  const end = (add: number) => {
    if (!open) return Promise.resolve();
    open = false;
    return moved(room, (c, now) => {
      const { [holdId]: _mine, ...holds } = liveHolds(c, now);
      return { next: { ...c, count: c.count + add, holds, changedAt: now }, answer: undefined };
    });
  };
  return { settle: () => end(1), release: () => end(0) };
}

/**
 * One thing removed (a member gone, an item deleted): its room given back.
 *
 * @example
 * ```ts
 * await giveRoom(room);
 * ```
 */
export function giveRoom(room: Room): Promise<void> {
  return moved(room, (c, now) => ({
    next: { ...c, count: Math.max(0, c.count - 1), holds: liveHolds(c, now), changedAt: now },
    answer: undefined,
  }));
}

/**
 * Things written or removed past the runtime (`atakora tenant import`'s items, `tenant delete`'s): the count moved
 * by `added` (negative: removed), so a create after them meets the bound with them counted and `GET api/tenant`
 * shows what is over. A count never kept yet is created from the data, which holds them already (never counted
 * twice); for things removed it stays unkept.
 *
 * @example
 * ```ts
 * await roomAdded(room, 3);
 * ```
 */
export function roomAdded(room: Room, added: number): Promise<void> {
  return moved(room, (c, now, kept) =>
    // Things removed from a count never kept: nothing to give back (none is created for them).
    !kept && added < 0
      ? { answer: undefined }
      : {
          next: {
            ...c,
            count: kept ? Math.max(0, c.count + added) : c.count,
            holds: liveHolds(c, now),
            changedAt: now,
          },
          answer: undefined,
        },
  );
}

/**
 * The count as stored (things written; holds aside), or the data's count when none is stored yet.
 *
 * @example
 * ```ts
 * await roomCount(room); // 3
 * ```
 */
export async function roomCount(room: Room): Promise<number> {
  const found = await room.store.read(room.tenant, room.id);
  return found ? found.value.count : room.counted();
}
