import type { TenantRecord } from '../../contract/tenants.js';
import { subscriptionLifeOf, subscriptionLives } from '../../model/lives/subscription-life.js';
import { type RoomStore, SEATS_ROOM_ID } from '../usage/room-store.js';
import type { OrganizationSubscriptions } from './organization-subscription.js';

/** What keeping a per-seat subscription's quantity reads: billing's port, the seat counts, the records. */
export interface SeatQuantityScope {
  readonly billing: OrganizationSubscriptions;
  readonly rooms: RoomStore;
  readonly record: (tenant: string) => Promise<TenantRecord | undefined>;
  /** The members counted from the data, where no seat count is kept yet. */
  readonly counted?: (tenant: string) => Promise<number>;
  /**
   * A failure to reach Stripe (the admission stands; the next join or removal, or a checkout, sets it again); none:
   * thrown to the caller.
   */
  readonly onError?: (error: unknown) => void;
}

/** How many times a quantity is written and read back before the next join or removal is left to set it. */
const SEAT_ROUNDS = 4;

/**
 * The quantity of `tenant`'s subscription made its members again when its price is per seat (`plans.<n>.stripe.perSeat`,
 * DESIGN §2): read the seat count (members/seats/seats.ts), set the subscription item's quantity to it when Stripe
 * holds another — Stripe's default proration (API reference, "Update a subscription item") — then read the count
 * again: changed meanwhile (a join or removal whose own update may have reached Stripe first), the count read after
 * the write is written again. So the last write to Stripe is always followed by a read of the count by its writer,
 * and a stale count that reaches Stripe late is corrected by the call that sent it: whatever order the updates
 * arrive in, Stripe ends at the members. Nothing for an organization without a live subscription on a per-seat
 * price; never below 1 (an organization always has its Owner). A Stripe failure goes to `onError` (the membership
 * change stands) or, without one, is thrown (the webhook answers 5xx and Stripe retries the event).
 *
 * @example
 * ```ts
 * await keepSeatQuantity(scope, 'acme'); // subscription item quantity → 4
 * ```
 */
export async function keepSeatQuantity(scope: SeatQuantityScope, tenant: string): Promise<void> {
  const perSeat = scope.billing.subscriptions.perSeat ?? [];
  if (perSeat.length === 0) return;
  try {
    const sub = (await scope.record(tenant))?.billing?.subscription;
    if (!sub?.price || !perSeat.includes(sub.price)) return;
    if (!subscriptionLives(subscriptionLifeOf(sub.status, sub.cancelAtPeriodEnd === true))) return;
    const stripe = await scope.billing.stripe();
    if (!stripe) return;
    const seats = async () =>
      Math.max(
        1,
        (await scope.rooms.read(tenant, SEATS_ROOM_ID))?.value.count ??
          (await scope.counted?.(tenant)) ??
          1,
      );
    let count = await seats();
    for (let round = 0; round < SEAT_ROUNDS; round++) {
      if (!(await stripe.setQuantity(sub.id, sub.price, count))) return;
      const after = await seats();
      if (after === count) return;
      count = after;
    }
  } catch (e) {
    if (!scope.onError) throw e;
    scope.onError(e);
  }
}

/**
 * The quantity a Checkout on `price` opens with: the organization's members for a per-seat price, else 1.
 *
 * @example
 * ```ts
 * await checkoutQuantity(subscriptions, rooms, 'acme', 'price_team'); // 3
 * ```
 */
export async function checkoutQuantity(
  subscriptions: OrganizationSubscriptions['subscriptions'],
  rooms: RoomStore | undefined,
  tenant: string,
  price: string,
  counted: () => Promise<number>,
): Promise<number> {
  if (!(subscriptions.perSeat ?? []).includes(price)) return 1;
  const stored = await rooms?.read(tenant, SEATS_ROOM_ID);
  return Math.max(1, stored ? stored.value.count : await counted());
}
