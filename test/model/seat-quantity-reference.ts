/**
 * The reference of a per-seat Stripe subscription's quantity (DESIGN §2: `perSeat` — "the subscription's quantity is
 * the organization's members, kept equal on every join and removal"): one organization's members, the price its
 * subscription is on, and whether its Checkout was paid — read by seat-quantity.model.test.ts against what the Stripe
 * stand-in holds after joins, removals, updates reaching Stripe out of order, the first link and portal moves.
 */

/** The organization's people besides its Owner, and its subscription. */
export interface SeatState {
  readonly members: readonly string[];
  /** Its Checkout (opened on the per-seat `team` at the run's start) paid: the subscription linked. */
  readonly paid: boolean;
  /** The subscription's price: per seat (`price_team`) or flat (`price_pro`, moved in the portal). */
  readonly price: 'price_team' | 'price_pro';
}

export const SEATS_START: SeatState = { members: [], paid: false, price: 'price_team' };

export const joined = (s: SeatState, user: string): SeatState =>
  s.members.includes(user) ? s : { ...s, members: [...s.members, user] };

export const removed = (s: SeatState, user: string): SeatState => ({
  ...s,
  members: s.members.filter((m) => m !== user),
});

/**
 * The quantity Stripe must bill once every update has landed, whatever order they reached it in: on the per-seat
 * price, the members (the Owner too); undefined where the reference predicts nothing (not paid yet, or on the flat
 * price, whose quantity the portal owns).
 */
export const billedQuantity = (s: SeatState): number | undefined =>
  s.paid && s.price === 'price_team' ? s.members.length + 1 : undefined;
