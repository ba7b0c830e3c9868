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
   * A failure to reach Stripe (the admission stands; the quantity is marked owed and the billing timer sets it again:
   * seat-quantity-owed.ts); none: thrown to the caller.
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
 * change stands, seat-quantity-owed.ts marks it owed for the billing timer) or, without one, is thrown (the webhook
 * answers 5xx and Stripe retries the event). A live subscription on a price that is not per seat is set to 1 when it
 * holds another. True when Stripe holds the quantity (or none is kept), false when it may not (a failure, no key).
 *
 * @example
 * ```ts
 * await keepSeatQuantity(scope, 'acme'); // true: subscription item quantity → 4
 * ```
 */
export async function keepSeatQuantity(scope: SeatQuantityScope, tenant: string): Promise<boolean> {
  const perSeat = scope.billing.subscriptions.perSeat ?? [];
  if (perSeat.length === 0) return true;
  try {
    const sub = (await scope.record(tenant))?.billing?.subscription;
    if (!sub?.price) return true;
    if (!subscriptionLives(subscriptionLifeOf(sub.status, sub.cancelAtPeriodEnd === true)))
      return true;
    if (!perSeat.includes(sub.price)) return await flatQuantity(scope, sub);
    const stripe = await scope.billing.stripe();
    if (!stripe) return false;
    const seats = async () =>
      Math.max(
        1,
        (await scope.rooms.read(tenant, SEATS_ROOM_ID))?.value.count ??
          (await scope.counted?.(tenant)) ??
          1,
      );
    let count = await seats();
    for (let round = 0; round < SEAT_ROUNDS; round++) {
      if (!(await stripe.setQuantity(sub.id, sub.price, count))) return true;
      const after = await seats();
      if (after === count) return true;
      count = after;
    }
    return false;
  } catch (e) {
    if (!scope.onError) throw e;
    scope.onError(e);
    return false;
  }
}

/**
 * A live subscription on a price that is not per seat (moved there in the portal or by the operator) billed at
 * quantity 1: an item's quantity is the item's until set, so a per-seat count left on it would bill the flat price
 * that many times. Only when Stripe's last word (the record) holds another.
 */
async function flatQuantity(
  scope: SeatQuantityScope,
  sub: { readonly id: string; readonly price?: string; readonly quantity?: number },
): Promise<boolean> {
  if (sub.quantity === undefined || sub.quantity === 1 || !sub.price) return true;
  const stripe = await scope.billing.stripe();
  if (!stripe) return false;
  await stripe.setQuantity(sub.id, sub.price, 1);
  return true;
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
