/**
 * The reference of the doors an organization's Owner comes in by — the Marketplace landing page and `POST
 * api/tenants` — composed with the ways out of a membership and of an organization (DESIGN §2, "One life per
 * organization, person and subscription", "Sold on Azure Marketplace beside Stripe"). Pure: the answer and the next
 * state, from the contract alone (never the runtime's code).
 *
 * - Landing: the first to land on an unclaimed purchase claims it and becomes the Owner of a new organization — one
 *   organization more they own, so 409 `organization-limit` (nothing claimed) when they own
 *   `maxOrganizationsPerUser` already. Reopened: its Owner lands on it (302); a person an Owner removed is barred —
 *   403 `member-barred`, and no membership written (the landing's door, `created`, re-admits nobody); anyone else,
 *   the buyer who left included, 409 `marketplace-purchase-claimed` (the creator's door admits only the first Owner).
 * - Invitations (by an Owner) and their acceptance: a barred person is re-admitted by an Owner's invitation; as Owner
 *   only within the bound (409 `organization-limit`); a member's roles are merged. Nothing of a deleted organization:
 *   its routes are 403 `tenant-suspended`.
 * - Removal by an Owner bars the person; leaving does not; the last Owner stays (409 `last-owner`).
 * - `POST api/tenants` k times at once by one person: exactly as many 201 as the bound leaves room for, the rest 409
 *   `organization-limit`.
 * - The Owner's delete: the organization closed (403 `tenant-suspended` on its routes) — no door opens into it, a new
 *   purchase's landing asking for it included.
 */

export const PEOPLE = ['ada', 'bob', 'mal'] as const;
export type Person = (typeof PEOPLE)[number];
export type Role = 'Owner' | 'Member';
/** The runs' `tenants.maxOrganizationsPerUser`. */
export const MAX_OWNED = 3;

export interface LandingState {
  /** Who claimed the purchase (their landing made the organization). */
  readonly claimedBy?: Person;
  /** The landed organization's members and their roles. */
  readonly members: Readonly<Partial<Record<Person, readonly Role[]>>>;
  /** The people an Owner removed from it. */
  readonly barred: readonly Person[];
  /** Invitations left open (an acceptance refused): to whom, by whom. */
  readonly open: readonly { readonly to: Person; readonly by: Person }[];
  /** Its Owner deleted it. */
  readonly deleted: boolean;
  /** How many organizations each person owns (the landed one included). */
  readonly owned: Readonly<Record<Person, number>>;
}

export interface Answer {
  readonly status: number;
  readonly code?: string;
}

export const START: LandingState = {
  members: {},
  barred: [],
  open: [],
  deleted: false,
  owned: { ada: 0, bob: 0, mal: 0 },
};

const isOwner = (s: LandingState, p: Person) => s.members[p]?.includes('Owner') === true;
const owners = (s: LandingState) => PEOPLE.filter((p) => isOwner(s, p));
const plus = (s: LandingState, p: Person, n: number) => ({ ...s.owned, [p]: s.owned[p] + n });
const suspended: Answer = { status: 403, code: 'tenant-suspended' };

/** The landing page opened by `p`. */
export function land(s: LandingState, p: Person): [Answer, LandingState] {
  if (s.claimedBy === undefined) {
    if (s.owned[p] >= MAX_OWNED) return [{ status: 409, code: 'organization-limit' }, s];
    return [
      { status: 302 },
      { ...s, claimedBy: p, members: { [p]: ['Owner'] }, owned: plus(s, p, 1) },
    ];
  }
  if (isOwner(s, p)) return [{ status: 302 }, s];
  if (s.barred.includes(p)) return [{ status: 403, code: 'member-barred' }, s];
  return [{ status: 409, code: 'marketplace-purchase-claimed' }, s];
}

/**
 * `p` lands a new purchase asking for the landed organization (`&organization=<id>`): only its Owner links one (403
 * `access-denied`), never into it once its Owner deleted it (403 `tenant-suspended`: nothing claimed, linked or
 * activated), and one purchase bills it already (409 `billing-channel-taken`). Nothing changes.
 */
export function landInto(s: LandingState, p: Person): [Answer, LandingState] {
  if (!isOwner(s, p)) return [{ status: 403, code: 'access-denied' }, s];
  if (s.deleted) return [suspended, s];
  return [{ status: 409, code: 'billing-channel-taken' }, s];
}

/** An Owner's invitation of `p` as `role`, accepted by `p`: the invitation's answer, then the acceptance's. */
export function inviteAndAccept(
  s: LandingState,
  by: Person,
  p: Person,
  role: Role,
): [Answer, Answer | undefined, LandingState] {
  if (!s.members[by]) return [{ status: 403, code: 'not-a-member' }, undefined, s];
  if (s.deleted) return [suspended, undefined, s];
  if (!isOwner(s, by)) return [{ status: 403, code: 'access-denied' }, undefined, s];
  if (s.members[p]) return [{ status: 409, code: 'already-a-member' }, undefined, s];
  if (s.open.some((i) => i.to === p))
    return [{ status: 409, code: 'invitation-exists' }, undefined, s];
  if (role === 'Owner' && s.owned[p] >= MAX_OWNED)
    return [
      { status: 201 },
      { status: 409, code: 'organization-limit' },
      { ...s, open: [...s.open, { to: p, by }] },
    ];
  const becomesOwner = role === 'Owner';
  return [
    { status: 201 },
    { status: 201 },
    {
      ...s,
      members: { ...s.members, [p]: [role] },
      barred: s.barred.filter((b) => b !== p),
      owned: plus(s, p, becomesOwner ? 1 : 0),
    },
  ];
}

/** `by` removes `p` (`by === p`: `p` leaves). */
export function remove(s: LandingState, by: Person, p: Person): [Answer, LandingState] {
  if (!s.members[by]) return [{ status: 403, code: 'not-a-member' }, s];
  if (s.deleted) return [suspended, s];
  if (!s.members[p]) return [{ status: 404, code: 'not-found' }, s];
  if (by !== p && !isOwner(s, by)) return [{ status: 403, code: 'access-denied' }, s];
  if (isOwner(s, p) && owners(s).length === 1) return [{ status: 409, code: 'last-owner' }, s];
  const { [p]: _gone, ...members } = s.members;
  return [
    { status: 204 },
    {
      ...s,
      members,
      barred: by === p ? s.barred : [...s.barred, p],
      // A removal (or leaving) revokes the open invitations the person sent.
      open: s.open.filter((i) => i.by !== p),
      owned: plus(s, p, isOwner(s, p) ? -1 : 0),
    },
  ];
}

/** `p` creates `k` organizations at once: the answers' statuses, sorted, and the next state. */
export function createMany(s: LandingState, p: Person, k: number): [Answer[], LandingState] {
  const room = Math.max(0, Math.min(k, MAX_OWNED - s.owned[p]));
  const answers: Answer[] = [
    ...Array.from({ length: room }, () => ({ status: 201 })),
    ...Array.from({ length: k - room }, () => ({ status: 409, code: 'organization-limit' })),
  ];
  return [answers, { ...s, owned: plus(s, p, room) }];
}

/** An Owner deletes the landed organization (`DELETE api/tenant`). */
export function ownerDelete(s: LandingState, by: Person): [Answer, LandingState] {
  if (!s.members[by]) return [{ status: 403, code: 'not-a-member' }, s];
  if (s.deleted) return [suspended, s];
  if (!isOwner(s, by)) return [{ status: 403, code: 'access-denied' }, s];
  return [{ status: 200 }, { ...s, deleted: true }];
}
