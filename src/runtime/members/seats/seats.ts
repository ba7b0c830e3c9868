import type { HttpResponseInit } from '@azure/functions';
import type { Membership } from '../../../contract/members.js';
import {
  type Room,
  RoomBusyError,
  roomCount,
  giveRoom,
  takeRoom,
} from '../../limits/counted-room.js';
import { roomBusy, seatLimit } from '../../limits/plan-room-problem.js';
import { planLimits } from '../../tenants/plan-limits.js';
import type { Tagged } from '../member-store.js';
import { SEATS_ROOM_ID } from '../../usage/room-store.js';
import type { MembersApi } from '../members-api.js';

// Seats (plans.<n>.members, docs/packaging.md "Seats"): the one function every door that admits a person calls to
// write the membership — invitation acceptance, domain auto-join, join-request approval, a directory user's first
// request, SCIM's user linked or re-activated, the creator of an organization — so the count moves with every member
// written, and the bound holds whichever door, whichever instance. test/runtime/seats-doors.test.ts checks that no
// other code of src/runtime creates a membership.

/** The count's id in the organization's partition of the usage container. */
export const SEATS_ROOM = SEATS_ROOM_ID;

/** The seats were full: the bound, the members written, the admissions under way. */
export interface SeatsFull {
  readonly limit: number;
  readonly count: number;
  readonly held: number;
}

/** What {@link seatMember} answers: the membership written, one there already, or the seats full. */
export type Seated = Tagged<Membership> | 'exists' | { readonly full: SeatsFull };

/**
 * Whether seats are counted on this backend: some plan bounds `members`, or some Stripe price is per seat. Counted
 * on every plan then (the count must be right when a plan with a bound applies later); else never read or written.
 *
 * @example
 * ```ts
 * if (!countsSeats(api)) return api.store.create(m);
 * ```
 */
export function countsSeats(api: Pick<MembersApi, 'registry' | 'rooms'>): boolean {
  if (!api.rooms) return false;
  return (
    Object.values(api.registry.plans).some((p) => p.members !== undefined) ||
    (api.registry.billing?.subscriptions?.perSeat?.length ?? 0) > 0
  );
}

function roomOf(api: MembersApi, tenant: string): Room | undefined {
  const store = api.rooms;
  if (!store || !countsSeats(api)) return undefined;
  return {
    store,
    tenant,
    id: SEATS_ROOM,
    now: () => (api.now ? api.now().getTime() : Date.now()),
    counted: () => api.countMembers?.(tenant) ?? Promise.resolve(0),
  };
}

/** The organization's seats: its record's plan's `members` (defaultPlan's for an undeclared plan). */
async function boundOf(api: MembersApi, tenant: string): Promise<number | undefined> {
  const record = (await api.admin.read(tenant))?.record;
  return planLimits(api.registry, record?.plan ?? api.registry.defaultPlan).limits.members;
}

/**
 * Write `membership` in a seat of its organization. A membership there already is the answer first (`'exists'`),
 * whatever the seats: a member who walks through a door again (an invitation sent before they joined, a directory's
 * or SCIM's first request once a member) holds their seat and is never told the seats are full. Otherwise a seat is
 * reserved (the count and every instance's admissions under way within the plan's `members`, written at the count's
 * version — limits/counted-room.ts), the membership created, then the seat counted; given back when the membership
 * was made meanwhile (the create never overwrites: of two doors at once, one membership and one seat) or the write
 * failed. `{ full }` when no seat is left (nothing written). Without seats counted: the store's create alone.
 *
 * @example
 * ```ts
 * const made = await seatMember(api, membership);
 * if (typeof made === 'object' && 'full' in made) return seatLimitOf(api, tenant, made.full, false);
 * ```
 */
export async function seatMember(api: MembersApi, membership: Membership): Promise<Seated> {
  const room = roomOf(api, membership.tenant);
  if (!room) return api.store.create(membership);
  // Read before the seat: a full organization must answer a member what it answers them when seats are free.
  if (await api.store.read(membership.tenant, membership.userId)) return 'exists';
  const taken = await takeRoom(room, await boundOf(api, membership.tenant));
  if (!taken.ok) return { full: { limit: (await boundOf(api, membership.tenant)) ?? 0, ...taken } };
  let made: Tagged<Membership> | 'exists';
  try {
    made = await api.store.create(membership);
  } catch (e) {
    await taken.hold.release();
    throw e;
  }
  if (made === 'exists') {
    await taken.hold.release();
    return made;
  }
  await taken.hold.settle();
  await api.seatsChanged?.(membership.tenant);
  return made;
}

/**
 * A member gone (removed, left, deprovisioned): their seat given back.
 *
 * @example
 * ```ts
 * await seatFreed(api, 'acme');
 * ```
 */
export async function seatFreed(api: MembersApi, tenant: string): Promise<void> {
  const room = roomOf(api, tenant);
  if (!room) return;
  await giveRoom(room);
  await api.seatsChanged?.(tenant);
}

/**
 * Whether the organization's seats are full now (members written and admissions under way at its plan's bound):
 * what a door that does not admit yet checks — an invitation created, a SCIM user provisioned — so nobody is
 * promised a seat there is not. The admission itself still reserves ({@link seatMember}).
 *
 * @example
 * ```ts
 * const full = await seatsFull(api, 'acme');
 * if (full) return seatLimitOf(api, 'acme', full, true);
 * ```
 */
export async function seatsFull(api: MembersApi, tenant: string): Promise<SeatsFull | undefined> {
  const room = roomOf(api, tenant);
  if (!room) return undefined;
  const limit = await boundOf(api, tenant);
  if (limit === undefined) return undefined;
  const count = await roomCount(room);
  return count >= limit ? { limit, count, held: 0 } : undefined;
}

/**
 * The members the organization's seats count (undefined without seats counted).
 *
 * @example
 * ```ts
 * await seatCount(api, 'acme'); // 3
 * ```
 */
export async function seatCount(api: MembersApi, tenant: string): Promise<number | undefined> {
  const room = roomOf(api, tenant);
  return room ? roomCount(room) : undefined;
}

/**
 * 402 `seat-limit` for `tenant` (the plans with a seat more; for an Owner, the checkout route).
 *
 * @example
 * ```ts
 * return seatLimitOf(api, 'acme', full, caller.roles.includes('Owner'));
 * ```
 */
export function seatLimitOf(
  api: Pick<MembersApi, 'registry'>,
  tenant: string,
  full: SeatsFull,
  owner: boolean,
): HttpResponseInit {
  return seatLimit({ registry: api.registry, owner }, tenant, full.limit, full.count, full.held);
}

/**
 * {@link seatMember}'s refusals as answers: the count kept changing (503) — anything else thrown on.
 *
 * @example
 * ```ts
 * const made = await seatMember(api, m).catch(seatBusy);
 * ```
 */
export function seatBusy(e: unknown): { readonly busy: HttpResponseInit } {
  if (e instanceof RoomBusyError) return { busy: roomBusy() };
  throw e;
}

/** Whether {@link seatMember} answered that the seats were full. */
export const isFull = (s: Seated): s is { readonly full: SeatsFull } =>
  typeof s === 'object' && 'full' in s;
