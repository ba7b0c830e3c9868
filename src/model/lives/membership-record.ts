// A person's membership life written in what the `members` container keeps (a membership item's `via`, a bar's
// `by`): the one writer of those fields for every door that admits a person — an organization's creation, an
// accepted invitation, a domain's auto-join, an approved join request, a linked directory's first request, SCIM — and
// every way out, so the place stored is always one membership-life.ts's table leads to
// (test/architecture/lives-writers.test.ts holds every door to it).
import {
  type BarredBy,
  enter,
  leave,
  lifeOf,
  type MembershipDoor,
  type MembershipExit,
} from './membership-life.js';

/**
 * `fields` written as the membership `door` admits: the table's member through that door (`enter` of a person
 * outside — the door asked {@link enter} of the person's own life first), its `via` the door lifeOf reads back.
 *
 * @example
 * ```ts
 * membershipThrough({ id: 'acme|u-9', tenant: 'acme', userId: 'u-9', roles: ['Member'], addedOn: '…' }, 'domain').via; // 'domain'
 * ```
 */
export function membershipThrough<R extends object>(
  fields: R,
  door: MembershipDoor,
): R & { readonly via: MembershipDoor } {
  const admitted = enter({ state: 'outside' }, { door });
  // Every door admits a person outside (membership-life.ts): the refusal branch is the table's, never taken.
  return { ...fields, via: admitted.ok ? admitted.life.via : door };
}

/**
 * The bar a member going out by `exit` leaves (the table's `leave`): `removed` or `deprovisioned` — none for a member
 * who leaves of their own will (outside again: every door admits them as anyone).
 *
 * @example
 * ```ts
 * barOnExit({ via: 'domain' }, 'deprovisioned'); // 'deprovisioned'
 * barOnExit({ via: 'domain' }, 'left'); // undefined
 * ```
 */
export function barOnExit(
  membership: { readonly via?: MembershipDoor | undefined },
  exit: MembershipExit,
): BarredBy | undefined {
  const after = leave(lifeOf(membership, undefined), exit);
  return after.state === 'barred' ? after.by : undefined;
}
