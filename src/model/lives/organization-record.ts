// An organization's life written in its stored record (the registry's `status`, `suspendedBy`, `deleteOn`): the one
// writer of those fields for every door that moves an organization — the Owner's delete and undelete, billing's
// webhook and Marketplace's Suspend and Reinstate, the operator's suspend and resume — so the place a record is in is
// always one organization-life.ts's table leads to (test/architecture/lives-writers.test.ts holds every door to it).
import {
  type OrganizationEvent,
  type OrganizationLife,
  type OrganizationRefusal,
  organizationLifeOf,
  organizationNext,
} from './organization-life.js';

/**
 * The fields of a stored organization its life is written in: the runtime's (contract/tenants.ts `TenantRecord`,
 * `deleteOn` an ISO time) and the reference model's (access/model/model-state.ts `RegistryRecord`, in ms).
 */
export interface LifeFields {
  readonly status: 'active' | 'suspended';
  readonly suspendedBy?: 'billing';
  readonly deleteOn?: string | number;
}

/** When a record's deletion is due, in ms (NaN for a time that is none: then it is never due). */
const dueOf = (deleteOn: string | number | undefined): number | undefined =>
  typeof deleteOn === 'string' ? Date.parse(deleteOn) : deleteOn;

/** A place a record can hold: an erased organization is no record but a tombstone (`{ id, status: 'erased' }`). */
export type RecordedLife = Exclude<OrganizationLife, 'erased'>;

/**
 * `record` written in `life`: active — `status: 'active'`, no reason, no `deleteOn`; suspended by billing —
 * `suspendedBy: 'billing'`; by the operator — suspended with no reason; deleted — suspended until `deleteOn` (the one
 * given, else the record's own). `organizationLifeOf` reads back the place written.
 *
 * @example
 * ```ts
 * recordInLife(record, 'suspended-by-billing').suspendedBy; // 'billing'
 * recordInLife(record, 'deleted', '2026-12-01T00:00:00.000Z').deleteOn; // '2026-12-01T00:00:00.000Z'
 * ```
 */
export function recordInLife<R extends LifeFields>(
  record: R,
  life: RecordedLife,
  deleteOn?: R['deleteOn'],
): R {
  const { suspendedBy: _reason, deleteOn: kept, ...rest } = record;
  const day = deleteOn ?? kept;
  if (life === 'active') return { ...rest, status: 'active' } as R;
  if (life === 'suspended-by-billing')
    return { ...rest, status: 'suspended', suspendedBy: 'billing' } as R;
  if (life === 'deleted' && day !== undefined)
    return { ...rest, status: 'suspended', deleteOn: day } as R;
  return { ...rest, status: 'suspended' } as R;
}

/**
 * `record` after `event` as the table moves it (organization-life.ts `organizationNext`, at `now` ms: the undelete and
 * the erase timer read `deleteOn`), or the refusal. An event that leaves the place as it was gives `record` back
 * unchanged (nothing to write); one that leads to `erased` is refused here — a tombstone replaces the record.
 *
 * @example
 * ```ts
 * organizationMoved({ ...record, status: 'active' }, 'billing-ends', Date.now()); // { ok: true, record: { …, suspendedBy: 'billing' } }
 * ```
 */
export function organizationMoved<R extends LifeFields>(
  record: R,
  event: OrganizationEvent,
  now: number,
  deleteOn?: R['deleteOn'],
):
  | { readonly ok: true; readonly record: R; readonly life: RecordedLife }
  | { readonly ok: false; readonly refusal: OrganizationRefusal } {
  const life = organizationLifeOf(record);
  const moved = organizationNext({ life, deleteOn: dueOf(record.deleteOn) }, event, now);
  if (!moved.ok) return moved;
  if (moved.life === 'erased') return { ok: false, refusal: 'organization-erased' };
  if (moved.life === life && deleteOn === undefined) return { ok: true, record, life };
  return { ok: true, record: recordInLife(record, moved.life, deleteOn), life: moved.life };
}
