// A person's membership in one organization as one life (DESIGN §2, "One life per organization, person and
// subscription"): every door that admits a person and every way out, as a pure transition table the runtime's doors
// call (runtime/members/member-life.ts) and the reference model reads (access/model). A door that decides on its own
// whom it admits is how a removed person walks back in; here each door only asks this table.

/**
 * The doors a person comes in through — what the member item keeps as `via`: the organization's creation (its first
 * Owner: `POST api/tenants`, a Marketplace purchase's landing page), an accepted invitation, a verified domain's auto-join, an approved join request, a linked directory's first
 * request, SCIM provisioning (linked on sign-in, or re-activated).
 *
 * @example
 * ```ts
 * MEMBERSHIP_DOORS.includes('domain'); // true
 * ```
 */
export const MEMBERSHIP_DOORS = [
  'created',
  'invitation',
  'domain',
  'join-request',
  'directory',
  'scim',
] as const;

/** One of {@link MEMBERSHIP_DOORS}. */
export type MembershipDoor = (typeof MEMBERSHIP_DOORS)[number];

/**
 * The ways out: an Owner removes the member, the member leaves, SCIM deprovisions them (`active: false`, `DELETE`).
 *
 * @example
 * ```ts
 * MEMBERSHIP_EXITS; // ['removed', 'left', 'deprovisioned']
 * ```
 */
export const MEMBERSHIP_EXITS = ['removed', 'left', 'deprovisioned'] as const;

/** One of {@link MEMBERSHIP_EXITS}. */
export type MembershipExit = (typeof MEMBERSHIP_EXITS)[number];

/** Why a person is barred: an Owner removed them, or SCIM deprovisioned them. */
export type BarredBy = 'removed' | 'deprovisioned';

/**
 * Where a person stands in one organization: `outside` (never a member, or left of their own will), a `member`
 * through the door they came in by, or `barred` (removed or deprovisioned: no door admits them again until an
 * Owner's new invitation or SCIM's re-activation).
 *
 * @example
 * ```ts
 * const life: MembershipLife = { state: 'member', via: 'invitation' };
 * ```
 */
export type MembershipLife =
  | { readonly state: 'outside' }
  | { readonly state: 'member'; readonly via: MembershipDoor }
  | {
      readonly state: 'barred';
      readonly by: BarredBy;
      /** When they were barred (ISO 8601), when known: an invitation sent before it lifts nothing. */
      readonly since?: string;
    };

/** What re-admits a barred person through a door: nothing, an Owner's invitation, or SCIM re-activating them. */
export type Readmission = 'never' | 'owner-invitation' | 'scim-reactivation';

/**
 * The table: which door re-admits a barred person and on what, and where each way out leads. Every door admits a
 * person `outside`; none admits a member twice (each door answers that its own way: an invitation adds its roles, a
 * join is 409 `already-a-member`, a directory's or SCIM's first request finds the membership there).
 *
 * @example
 * ```ts
 * MEMBERSHIP_LIFE.readmits.domain; // 'never'
 * MEMBERSHIP_LIFE.exits.removed; // 'barred'
 * ```
 */
export const MEMBERSHIP_LIFE: {
  readonly readmits: Readonly<Record<MembershipDoor, Readmission>>;
  readonly exits: Readonly<Record<MembershipExit, 'barred' | 'outside'>>;
} = {
  readmits: {
    // A new organization has nobody barred: its creator is its first member.
    created: 'never',
    invitation: 'owner-invitation',
    domain: 'never',
    'join-request': 'never',
    directory: 'never',
    scim: 'scim-reactivation',
  },
  exits: { removed: 'barred', left: 'outside', deprovisioned: 'barred' },
};

/** What a door knows when it admits someone: the door, and what may lift a bar. */
export interface MembershipEntry {
  readonly door: MembershipDoor;
  /** An invitation: its sender (the last resender) is an Owner of the organization now. */
  readonly byOwner?: boolean;
  /** SCIM: the person's provisioned user was made active (created, or re-activated) since they were barred. */
  readonly reactivated?: boolean;
  /**
   * An invitation: when it was sent (its last send, ISO 8601). Only an Owner's word given at or after the bar lifts
   * it — an invitation sent before a removal or a deprovisioning, to whatever address, never re-admits.
   */
  readonly sentOn?: string;
}

/** Whether an invitation sent at `sentOn` was sent at or after the bar of `since` (a bar of no known time: yes). */
const sentSince = (sentOn: string | undefined, since: string | undefined): boolean =>
  since === undefined || (sentOn !== undefined && Date.parse(sentOn) >= Date.parse(since));

/** A door's verdict: the person's life once admitted, or why not. */
export type EntryVerdict =
  | { readonly ok: true; readonly life: MembershipLife & { readonly state: 'member' } }
  | { readonly ok: false; readonly refused: 'already-a-member' | 'barred' };

/**
 * Whether `entry` admits a person whose life is `life`: `outside` → a member through its door; a member → refused
 * `already-a-member`; `barred` → only through a door whose {@link MEMBERSHIP_LIFE} re-admission the entry carries
 * (an Owner's invitation sent at or after the bar, SCIM's re-activation), else refused `barred`.
 *
 * @example
 * ```ts
 * enter({ state: 'barred', by: 'removed' }, { door: 'domain' }); // { ok: false, refused: 'barred' }
 * enter({ state: 'barred', by: 'removed' }, { door: 'invitation', byOwner: true }); // { ok: true, life: { state: 'member', via: 'invitation' } }
 * ```
 */
export function enter(life: MembershipLife, entry: MembershipEntry): EntryVerdict {
  if (life.state === 'member') return { ok: false, refused: 'already-a-member' };
  const admitted = { ok: true, life: { state: 'member', via: entry.door } } as const;
  if (life.state === 'outside') return admitted;
  const readmits = MEMBERSHIP_LIFE.readmits[entry.door];
  if (
    readmits === 'owner-invitation' &&
    entry.byOwner === true &&
    sentSince(entry.sentOn, life.since)
  )
    return admitted;
  if (readmits === 'scim-reactivation' && entry.reactivated === true) return admitted;
  return { ok: false, refused: 'barred' };
}

/**
 * The life after a member goes out by `exit` (a life that is no member's stays as it is: nothing to leave).
 *
 * @example
 * ```ts
 * leave({ state: 'member', via: 'domain' }, 'deprovisioned'); // { state: 'barred', by: 'deprovisioned' }
 * leave({ state: 'member', via: 'domain' }, 'left'); // { state: 'outside' }
 * ```
 */
export function leave(life: MembershipLife, exit: MembershipExit): MembershipLife {
  if (life.state !== 'member') return life;
  return MEMBERSHIP_LIFE.exits[exit] === 'barred'
    ? { state: 'barred', by: exit === 'removed' ? 'removed' : 'deprovisioned' }
    : { state: 'outside' };
}

/**
 * The life once SCIM re-activates (or provisions anew) the person: a bar is lifted — they are `outside` again, and
 * every door admits them as anyone — a member stays one.
 *
 * @example
 * ```ts
 * reactivate({ state: 'barred', by: 'deprovisioned' }); // { state: 'outside' }
 * ```
 */
export function reactivate(life: MembershipLife): MembershipLife {
  return life.state === 'barred' ? { state: 'outside' } : life;
}

/**
 * The life of a person from what is stored: a membership (and the door it keeps), a bar, or neither. A membership
 * wins over a bar (a bar left behind by a crash between the two writes admits nothing, and keeps nobody out who is
 * in).
 *
 * @example
 * ```ts
 * lifeOf({ via: 'scim' }, undefined); // { state: 'member', via: 'scim' }
 * lifeOf(undefined, { by: 'removed' }); // { state: 'barred', by: 'removed' }
 * ```
 */
export function lifeOf(
  membership: { readonly via?: MembershipDoor | undefined } | undefined,
  bar: { readonly by: BarredBy } | undefined,
): MembershipLife {
  if (membership) return { state: 'member', via: membership.via ?? 'invitation' };
  return bar ? { state: 'barred', by: bar.by } : { state: 'outside' };
}

/**
 * Whether `value` is a {@link MembershipDoor} (what a stored item's `via` must be to be read as one).
 *
 * @example
 * ```ts
 * isMembershipDoor('directory'); // true
 * isMembershipDoor('backdoor'); // false
 * ```
 */
export function isMembershipDoor(value: unknown): value is MembershipDoor {
  return typeof value === 'string' && (MEMBERSHIP_DOORS as readonly string[]).includes(value);
}
