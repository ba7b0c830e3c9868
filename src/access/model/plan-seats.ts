/**
 * Seats and items in the reference model (DESIGN §2, "Plans that package the product"; test/model/seats.model.test.ts):
 * a plan's `members` bounds the people every door admits and its `items` the items of each CrudApi an organization
 * holds. The rules, as the model states them:
 * - a door that admits a person (an invitation accepted, a domain's `auto` join, a request approved, a linked
 *   directory's first request, a provisioned user's first request, SCIM re-activating a user) takes a seat, or is
 *   402 `seat-limit` when the members are at the bound — nobody admitted, nothing the person holds (an invitation, a
 *   join request, a SCIM user) lost;
 * - a door that promises a seat without admitting yet (an invitation created, a join request made, an active SCIM
 *   user provisioned) checks the seats and takes none: 402 `seat-limit` at the bound, else served;
 * - a door that finds what it would make there already answers that before the seats, full or not: a pending
 *   requester asking again is 409 `join-request-exists` (their request stays), an approval of a requester who became
 *   a member meanwhile 409 `already-a-member` (the request dropped) — never a 402 telling them to pay for a seat
 *   they hold or a request that waits; a member accepting an invitation (one made before they joined by another
 *   door) is served as when seats are free — 201, the invitation's roles added to theirs — and takes no seat: they
 *   hold one already; so is SCIM provisioning an active user whose e-mail is a member's (201, no seat promised);
 * - a member removed (by an Owner, deprovisioned by SCIM) gives the seat back;
 * - a create takes an item's room, a delete gives it back, 402 `item-limit` at the bound;
 * - a downgrade deletes nothing: what is past the new bound stays, is listed in `over`, and nothing new enters until
 *   the count is under the bound again;
 * - several admissions (or creates) at once admit exactly the room left, the others refused as one at a time would be;
 * - a 402 names the bound, the plans with room for one more (unbounded ones included, in the config's order) and, for
 *   an Owner of a backend whose plans are sold through subscriptions, the checkout route.
 */

/** A plan's bounds as this model reads them (`plans.<n>.members`, `plans.<n>.items`). */
export interface CountedPlan {
  readonly members?: number;
  readonly items?: Readonly<Record<string, number>>;
}

/** The plans by name, in the config's order. */
export type CountedPlans = Readonly<Record<string, CountedPlan>>;

/** What the model expects of a door: served with a status, or a 402 of a plan's bound with its body's fields. */
export type BoundAnswer =
  | { readonly kind: 'served'; readonly status: number }
  | { readonly kind: 'refused'; readonly status: number; readonly problem: string }
  | {
      readonly kind: 'seat-limit' | 'item-limit';
      readonly limit: number;
      readonly plans: readonly string[];
      readonly checkout?: string;
      readonly crudApi?: string;
    };

/** An organization's counts against its plan: its plan's name, its members, its items per CrudApi. */
export interface CountedOrganization {
  readonly plan: string;
  readonly members: number;
  readonly items: Readonly<Record<string, number>>;
}

/** Who asks: `checkout` the route a 402 names (an Owner on a backend selling plans through subscriptions). */
export interface Asker {
  readonly checkout?: string;
}

/**
 * The doors of a person into an organization: `take` admits (a seat taken), `check` promises (none taken), `none`
 * finds its work there already (a pending requester asking again; an approval of a requester who is a member now)
 * and answers its refusal whatever the seats, `held` is a member's (an invitation accepted by one who joined
 * meanwhile, SCIM provisioning a member's e-mail) and is served whatever the seats, taking none.
 */
export type SeatDoor =
  | 'invite'
  | 'invite-pending'
  | 'accept'
  | 'accept-member'
  | 'auto-join'
  | 'request-join'
  | 'request-again'
  | 'approve'
  | 'approve-member'
  | 'directory'
  | 'scim-create'
  | 'scim-create-member'
  | 'scim-sign-in'
  | 'scim-reactivate';

/** Each door's status when served (a `none` door's refusal), and whether it takes a seat or only checks one is left. */
export const SEAT_DOORS: Readonly<
  Record<
    SeatDoor,
    {
      readonly status: number;
      readonly seat: 'take' | 'check' | 'none' | 'held';
      readonly problem?: string;
    }
  >
> = {
  invite: { status: 201, seat: 'check' },
  // An invitation to a person whose join request is pending: an invitation as any other.
  'invite-pending': { status: 201, seat: 'check' },
  accept: { status: 201, seat: 'take' },
  // An invitation accepted by a member (an approval or a join admitted them after it was sent): their roles merged.
  'accept-member': { status: 201, seat: 'held' },
  'auto-join': { status: 201, seat: 'take' },
  'request-join': { status: 202, seat: 'check' },
  'request-again': { status: 409, seat: 'none', problem: 'join-request-exists' },
  approve: { status: 201, seat: 'take' },
  'approve-member': { status: 409, seat: 'none', problem: 'already-a-member' },
  directory: { status: 200, seat: 'take' },
  'scim-create': { status: 201, seat: 'check' },
  // An active SCIM user naming a member (their e-mail): a seat they hold already, promised to nobody new.
  'scim-create-member': { status: 201, seat: 'held' },
  'scim-sign-in': { status: 200, seat: 'take' },
  'scim-reactivate': { status: 200, seat: 'take' },
};

/**
 * The plans whose bound admits `wanted` (unbounded ones included), in the config's order: what a 402 names.
 *
 * @example
 * ```ts
 * plansWithRoomFor({ free: { members: 2 }, team: { members: 5 }, pro: {} }, (p) => p.members, 3); // ['team', 'pro']
 * ```
 */
export function plansWithRoomFor(
  plans: CountedPlans,
  boundOf: (p: CountedPlan) => number | undefined,
  wanted: number,
): string[] {
  return Object.entries(plans)
    .filter(([, p]) => (boundOf(p) ?? Number.POSITIVE_INFINITY) >= wanted)
    .map(([name]) => name);
}

const seatsOf = (p: CountedPlan) => p.members;
const itemsOf = (crudApi: string) => (p: CountedPlan) => p.items?.[crudApi];

function refusal(
  kind: 'seat-limit' | 'item-limit',
  limit: number,
  plans: readonly string[],
  asker: Asker,
  crudApi?: string,
): BoundAnswer {
  return {
    kind,
    limit,
    plans,
    ...(asker.checkout !== undefined ? { checkout: asker.checkout } : {}),
    ...(crudApi !== undefined ? { crudApi } : {}),
  };
}

/**
 * A door of a person into `org`: its answer and the organization after it (a seat taken by an admitting door).
 *
 * @example
 * ```ts
 * seatDoor('accept', { plan: 'free', members: 2, items: {} }, { free: { members: 2 }, team: {} }, {});
 * // { answer: { kind: 'seat-limit', limit: 2, plans: ['team'] }, next: <unchanged> }
 * ```
 */
export function seatDoor(
  door: SeatDoor,
  org: CountedOrganization,
  plans: CountedPlans,
  asker: Asker,
): { readonly answer: BoundAnswer; readonly next: CountedOrganization } {
  const found = SEAT_DOORS[door];
  // What the door would make is there already: that is the answer, before (and whatever) the seats.
  if (found.seat === 'none')
    return {
      answer: { kind: 'refused', status: found.status, problem: found.problem ?? '' },
      next: org,
    };
  // A member's door: their seat is theirs already — served, full or not, the count unchanged.
  if (found.seat === 'held') return { answer: { kind: 'served', status: found.status }, next: org };
  const bound = plans[org.plan]?.members;
  if (bound !== undefined && org.members >= bound) {
    const named = plansWithRoomFor(plans, seatsOf, org.members + 1);
    return { answer: refusal('seat-limit', bound, named, asker), next: org };
  }
  const { status, seat } = SEAT_DOORS[door];
  const next = seat === 'take' ? { ...org, members: org.members + 1 } : org;
  return { answer: { kind: 'served', status }, next };
}

/**
 * A member gone (an Owner removed them, SCIM deprovisioned them): the seat given back.
 *
 * @example
 * ```ts
 * seatGiven({ plan: 'free', members: 3, items: {} }).members; // 2
 * ```
 */
export function seatGiven(org: CountedOrganization): CountedOrganization {
  return { ...org, members: Math.max(0, org.members - 1) };
}

/**
 * A create of an item of `crudApi` in `org`: 201 and the room taken, or 402 `item-limit` at the bound.
 *
 * @example
 * ```ts
 * itemCreate('NoteApi', { plan: 'free', members: 1, items: { NoteApi: 3 } }, { free: { items: { NoteApi: 3 } } }, {});
 * ```
 */
export function itemCreate(
  crudApi: string,
  org: CountedOrganization,
  plans: CountedPlans,
  asker: Asker,
): { readonly answer: BoundAnswer; readonly next: CountedOrganization } {
  const bound = plans[org.plan]?.items?.[crudApi];
  const count = org.items[crudApi] ?? 0;
  if (bound !== undefined && count >= bound) {
    const named = plansWithRoomFor(plans, itemsOf(crudApi), count + 1);
    return { answer: refusal('item-limit', bound, named, asker, crudApi), next: org };
  }
  const next = { ...org, items: { ...org.items, [crudApi]: count + 1 } };
  return { answer: { kind: 'served', status: 201 }, next };
}

/**
 * An item of `crudApi` deleted: its room given back.
 *
 * @example
 * ```ts
 * itemDeleted('NoteApi', org).items.NoteApi;
 * ```
 */
export function itemDeleted(crudApi: string, org: CountedOrganization): CountedOrganization {
  const count = org.items[crudApi] ?? 0;
  return { ...org, items: { ...org.items, [crudApi]: Math.max(0, count - 1) } };
}

/**
 * `n` admissions (`seats`) or creates (`items` of a CrudApi) at once: how many are served — exactly the room left,
 * as one at a time would — and the plans a refused one may name: a refusal decided while others were still being
 * admitted counts them too (the runtime's `held`), so any list from the room for one past the bound to the room for
 * all of them.
 *
 * @example
 * ```ts
 * atOnce(6, { plan: 'free', members: 1, items: {} }, { free: { members: 2 }, team: {} }, seats).served; // 1
 * ```
 */
export function atOnce(
  n: number,
  org: CountedOrganization,
  plans: CountedPlans,
  of: { readonly kind: 'seats' } | { readonly kind: 'items'; readonly crudApi: string },
): { readonly served: number; readonly refusedPlans: readonly (readonly string[])[] } {
  const boundOf = of.kind === 'seats' ? seatsOf : itemsOf(of.crudApi);
  const count = of.kind === 'seats' ? org.members : (org.items[of.crudApi] ?? 0);
  const bound = boundOf(plans[org.plan] ?? {});
  if (bound === undefined) return { served: n, refusedPlans: [] };
  const served = Math.min(n, Math.max(0, bound - count));
  const refusedPlans: string[][] = [];
  for (let wanted = Math.max(bound, count) + 1; wanted <= count + n; wanted++)
    refusedPlans.push(plansWithRoomFor(plans, boundOf, wanted));
  return { served, refusedPlans };
}

/**
 * What `GET api/tenant` shows of the bounds: the plan's `limits` (`members`, `items`), the `counts` against them and
 * `over` — `members` and `items.<CrudApi>` past the plan's bound now (after a downgrade).
 *
 * @example
 * ```ts
 * tenantBounds({ plan: 'free', members: 3, items: { NoteApi: 1 } }, { free: { members: 2 } }, ['NoteApi']).over; // ['members']
 * ```
 */
export function tenantBounds(
  org: CountedOrganization,
  plans: CountedPlans,
  crudApis: readonly string[],
): {
  readonly limits: CountedPlan;
  readonly counts: { readonly members: number; readonly items: Readonly<Record<string, number>> };
  readonly over: readonly string[];
} {
  const plan = plans[org.plan] ?? {};
  const items = Object.fromEntries([...crudApis].sort().map((c) => [c, org.items[c] ?? 0]));
  const over = [
    ...(plan.members !== undefined && org.members > plan.members ? ['members'] : []),
    ...Object.keys(items)
      .filter((c) => plan.items?.[c] !== undefined && (items[c] ?? 0) > (plan.items[c] ?? 0))
      .map((c) => `items.${c}`),
  ];
  const limits = {
    ...(plan.members !== undefined ? { members: plan.members } : {}),
    ...(plan.items !== undefined ? { items: plan.items } : {}),
  };
  return { limits, counts: { members: org.members, items }, over };
}
