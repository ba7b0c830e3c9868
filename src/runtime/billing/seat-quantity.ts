import type { TenantRecord } from '../../contract/tenants.js';
import { subscriptionLifeOf, subscriptionLives } from '../../model/lives/subscription-life.js';
import { type RoomStore, SEATS_ROOM_ID } from '../usage/room-store.js';
import type { OrganizationSubscriptions } from './organization-subscription.js';

/** What keeping a per-seat subscription's quantity reads: billing's port, the seat counts, the records. */
export interface SeatQuantityScope {
  readonly billing: OrganizationSubscriptions;
  readonly rooms: RoomStore;
  readonly record: (tenant: string) => Promise<TenantRecord | undefined>;
  /** A failure to reach Stripe (the admission stands; the next join or removal, or a checkout, sets it again). */
  readonly onError?: (error: unknown) => void;
}

/**
 * The quantity of `tenant`'s subscription made its members again when its price is per seat (`plans.<n>.stripe.perSeat`,
 * DESIGN §2): read the seat count (members/seats/seats.ts) and set the subscription item's quantity to it — Stripe's
 * default proration (API reference, "Update a subscription item"). Nothing for an organization without a live
 * subscription on a per-seat price; never below 1 (Stripe bills a licensed item's quantity; an organization always
 * has its Owner). A Stripe failure is reported and left: the membership change stands.
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
    const count = (await scope.rooms.read(tenant, SEATS_ROOM_ID))?.value.count ?? 1;
    const stripe = await scope.billing.stripe();
    await stripe?.setQuantity(sub.id, sub.price, Math.max(1, count));
  } catch (e) {
    scope.onError?.(e);
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
