// An organization's life (DESIGN §2, "One life per organization, person and subscription"; "Organizations their
// Owners run"): where an organization is, what moves it, and which doors each place opens to whom. Pure data and
// small functions, read by the runtime's doors (the admission of every route, the Owner's delete and undelete, the
// erase timer, the webhook) and by the reference models (src/access/model/owner-states.ts, test/model): one table.

/**
 * Where an organization is: `active`; suspended by the operator (`atakora tenant suspend`, `PATCH api/tenants/{id}`)
 * or by billing (an ended subscription under `onCanceled: 'suspend'`: its Owners may still pay); `deleted` by an
 * Owner (`DELETE api/tenant`: closed, erased after `deleteOn`, restorable until then); `erased` (a tombstone
 * `{ id, status: 'erased', erasedOn }`: its id never given again, no door open to anyone).
 *
 * @example
 * ```ts
 * const life: OrganizationLife = 'deleted';
 * ```
 */
export type OrganizationLife =
  | 'active'
  | 'suspended-by-operator'
  | 'suspended-by-billing'
  | 'deleted'
  | 'erased';

/**
 * What happens to an organization: the operator suspends or resumes it, or erases it (`atakora tenant delete`);
 * its subscription ends under `onCanceled: 'suspend'` or pays again; an Owner deletes or undeletes it; the erase
 * timer erases it once `deleteOn` passed.
 */
export type OrganizationEvent =
  | 'operator-suspends'
  | 'operator-resumes'
  | 'operator-erases'
  | 'billing-ends'
  | 'billing-pays'
  | 'owner-deletes'
  | 'owner-undeletes'
  | 'erase-due';

/**
 * Why an event is refused, as the problem type the door answers: an Owner's delete of an organization not active
 * (the admission's 403 `tenant-suspended`), an undelete of one not deleted (409), the erase of one nobody deleted, and
 * anything of an erased one (it is no organization: the door answers as for an unknown id).
 */
export type OrganizationRefusal =
  | 'tenant-suspended'
  | 'organization-not-deleted'
  | 'organization-deletion-final'
  | 'organization-erased';

const SUSPENDED_MOVES = {
  'operator-resumes': 'active',
  'operator-erases': 'erased',
} as const;

/**
 * The table: from each place, where each event leads (an event absent from a row is refused, see
 * {@link organizationNext}). Billing never moves a deleted organization (its undelete applies what billing would
 * have: organization-billing.ts) nor the operator's suspension (only the operator lifts it); an erased one has no
 * row: nothing moves it.
 *
 * @example
 * ```ts
 * ORGANIZATION_LIFE.deleted['owner-undeletes']; // 'active'
 * ```
 */
export const ORGANIZATION_LIFE: Readonly<
  Record<OrganizationLife, Readonly<Partial<Record<OrganizationEvent, OrganizationLife>>>>
> = {
  active: {
    'operator-suspends': 'suspended-by-operator',
    'operator-resumes': 'active',
    'operator-erases': 'erased',
    'billing-ends': 'suspended-by-billing',
    'billing-pays': 'active',
    'owner-deletes': 'deleted',
  },
  'suspended-by-operator': {
    ...SUSPENDED_MOVES,
    'operator-suspends': 'suspended-by-operator',
    'billing-ends': 'suspended-by-operator',
    'billing-pays': 'suspended-by-operator',
  },
  'suspended-by-billing': {
    ...SUSPENDED_MOVES,
    'operator-suspends': 'suspended-by-operator',
    'billing-ends': 'suspended-by-billing',
    'billing-pays': 'active',
  },
  deleted: {
    // The operator's status is theirs: a resume ends the deletion (the record keeps no reason), a suspension keeps it.
    'operator-suspends': 'deleted',
    'operator-resumes': 'active',
    'operator-erases': 'erased',
    'billing-ends': 'deleted',
    'billing-pays': 'deleted',
    'owner-undeletes': 'active',
    'erase-due': 'erased',
  },
  erased: {},
};

/**
 * The next place after `event` at `now` (ms), or the refusal: an undelete or an erase reads `deleteOn` — the undelete
 * is `organization-deletion-final` from `deleteOn` on, the timer's erase refused before it.
 *
 * @example
 * ```ts
 * organizationNext({ life: 'deleted', deleteOn: t + DAY }, 'owner-undeletes', t); // { ok: true, life: 'active' }
 * organizationNext({ life: 'erased' }, 'owner-undeletes', t); // { ok: false, refusal: 'organization-erased' }
 * ```
 */
export function organizationNext(
  state: { readonly life: OrganizationLife; readonly deleteOn?: number | undefined },
  event: OrganizationEvent,
  now: number,
):
  | { readonly ok: true; readonly life: OrganizationLife }
  | { readonly ok: false; readonly refusal: OrganizationRefusal } {
  const { life, deleteOn } = state;
  if (life === 'erased') return { ok: false, refusal: 'organization-erased' };
  const due = deleteOn !== undefined && deleteOn <= now;
  if (event === 'owner-undeletes' && life === 'deleted' && due)
    return { ok: false, refusal: 'organization-deletion-final' };
  if (event === 'erase-due' && life === 'deleted' && !due)
    return { ok: false, refusal: 'organization-not-deleted' };
  const next = ORGANIZATION_LIFE[life][event];
  if (next !== undefined) return { ok: true, life: next };
  return {
    ok: false,
    refusal:
      event === 'owner-undeletes' || event === 'erase-due'
        ? 'organization-not-deleted'
        : 'tenant-suspended',
  };
}

/**
 * The place a stored record says (the registry's `status`, `suspendedBy`, `deleteOn`): a tombstone's `erased`; a
 * suspended record with a `deleteOn` deleted by an Owner; one billing suspended; any other suspension the
 * operator's — an unknown status never opens a door.
 *
 * @example
 * ```ts
 * organizationLifeOf({ status: 'suspended', deleteOn: '2026-12-01T00:00:00Z' }); // 'deleted'
 * ```
 */
export function organizationLifeOf(record: {
  readonly status?: unknown;
  readonly suspendedBy?: unknown;
  readonly deleteOn?: unknown;
}): OrganizationLife {
  if (record.status === 'active') return 'active';
  if (record.status === 'erased') return 'erased';
  if (typeof record.deleteOn === 'string' || typeof record.deleteOn === 'number') return 'deleted';
  return record.suspendedBy === 'billing' ? 'suspended-by-billing' : 'suspended-by-operator';
}

/** The billing routes an organization's members may still reach while it is not active. */
export type BillingDoor = 'billing' | 'checkout' | 'portal';

/**
 * Which billing doors each place opens, and to which roles: an active organization every route by its own rule
 * (Owners buy and manage, Owners and Admins read); one billing suspended the same, so an Owner pays to come back;
 * one an Owner deleted its Owners' view of billing and the portal — the subscription they still pay for until the
 * period's end — never a new Checkout; the operator's suspension and a tombstone nothing.
 *
 * @example
 * ```ts
 * BILLING_DOORS.deleted.portal; // ['Owner']
 * ```
 */
export const BILLING_DOORS: Readonly<
  Record<OrganizationLife, Readonly<Partial<Record<BillingDoor, readonly string[]>>>>
> = {
  active: { billing: ['Owner', 'Admin'], checkout: ['Owner'], portal: ['Owner'] },
  'suspended-by-billing': { billing: ['Owner', 'Admin'], checkout: ['Owner'], portal: ['Owner'] },
  deleted: { billing: ['Owner'], portal: ['Owner'] },
  'suspended-by-operator': {},
  erased: {},
};

/**
 * Whether a member with `roles` passes the admission of a suspended or deleted organization on `door` (an active
 * organization admits every member; the route's own rule then decides). Everything else is 403 `tenant-suspended`.
 *
 * @example
 * ```ts
 * billingDoorOpen('deleted', 'portal', ['Owner']);  // true
 * billingDoorOpen('deleted', 'billing', ['Admin']); // false
 * ```
 */
export function billingDoorOpen(
  life: OrganizationLife,
  door: BillingDoor | undefined,
  roles: readonly string[],
): boolean {
  if (life === 'active') return true;
  if (door === undefined) return false;
  const open = BILLING_DOORS[life][door] ?? [];
  return roles.some((r) => open.includes(r));
}
