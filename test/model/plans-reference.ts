/**
 * The reference of plan limits: what each request of a tenant's caller is answered, from that tenant's (and that
 * caller's) own traffic only — the tenant's stored bytes and RU of the day, the requests each admitted in the UTC
 * minute — and, for a write, from the stored bytes of the tenant its bytes belong to: the caller's for its own
 * items, the creator's for a shared item (whoever writes or deletes it). Pure: the answer and the next state.
 */

/** A tenant's plan and the registry's per-caller bound, as generated. */
export interface ModelPlan {
  readonly requestsPerMinute?: number;
  readonly requestUnitsPerDay?: number;
  readonly storageMb?: number;
}

/** What a tenant has done so far, as the limits see it. */
export interface TenantState {
  /** Bytes of the items it created that exist now (whoever changed or deleted them since). */
  readonly storedBytes: number;
  /** RU its served requests were charged this UTC day. */
  readonly ru: number;
  /** The UTC minute (ms since the epoch ÷ 60,000) the counts below are of. */
  readonly minute: number;
  readonly admitted: number;
  readonly admittedBy: Readonly<Record<string, number>>;
}

/**
 * A request as the limits see it: a write whose added bytes are known before it runs (`create`, `write`: a
 * replace or merge, which may shrink the item), or anything else.
 */
export type PlanOp = 'create' | 'write' | 'list' | 'delete';

/** The answer the model expects: served, or the refusal's status and problem type. */
export type PlanAnswer =
  | { readonly served: true }
  | {
      readonly served: false;
      readonly status: 403 | 429;
      readonly code: 'storage-quota-exceeded' | 'quota-exceeded' | 'rate-limited';
    };

/** MiB, as the plan's storageMb counts. */
export const BYTES_PER_MB = 1024 * 1024;

/** A tenant that has done nothing yet. */
export const freshTenant = (): TenantState => ({
  storedBytes: 0,
  ru: 0,
  minute: Number.NaN,
  admitted: 0,
  admittedBy: {},
});

/** The state's counts of the minute of `now`: a new minute starts with none admitted. */
function inMinute(s: TenantState, now: number): TenantState {
  const minute = Math.floor(now / 60_000);
  return s.minute === minute ? s : { ...s, minute, admitted: 0, admittedBy: {} };
}

/**
 * The answer to `op` of `user` at `now` from the limits stage, in the order the runtime checks: the RU of the day,
 * the rates of the tenant and the caller (only a request they admit takes a place in the minute's window). The
 * storage quota is the write's own check, once its added bytes are known ({@link storageAnswer}): a write it
 * refuses was admitted here (it took its place in the window).
 */
export function planAnswer(
  state: TenantState,
  plan: ModelPlan,
  perUser: number | undefined,
  _op: PlanOp,
  user: string,
  now: number,
): { answer: PlanAnswer; next: TenantState } {
  const s = inMinute(state, now);
  if (plan.requestUnitsPerDay !== undefined && s.ru >= plan.requestUnitsPerDay)
    return { answer: { served: false, status: 429, code: 'quota-exceeded' }, next: s };
  const mine = s.admittedBy[user] ?? 0;
  if (
    (plan.requestsPerMinute !== undefined && s.admitted >= plan.requestsPerMinute) ||
    (perUser !== undefined && mine >= perUser)
  )
    return { answer: { served: false, status: 429, code: 'rate-limited' }, next: s };
  const counted =
    plan.requestsPerMinute !== undefined || perUser !== undefined
      ? { ...s, admitted: s.admitted + 1, admittedBy: { ...s.admittedBy, [user]: mine + 1 } }
      : s;
  return { answer: { served: true }, next: counted };
}

/**
 * The storage quota of a write adding `added` bytes (negative: it shrinks the item) to the tenant they belong to
 * (`owner`, under `plan`): refused when it adds bytes and they would pass the quota; a shrinking write, a read or
 * a delete always goes on.
 */
export function storageAnswer(owner: TenantState, plan: ModelPlan, added: number): PlanAnswer {
  return added > 0 &&
    plan.storageMb !== undefined &&
    owner.storedBytes + added > plan.storageMb * BYTES_PER_MB
    ? { served: false, status: 403, code: 'storage-quota-exceeded' }
    : { served: true };
}

/**
 * Whether `served` parallel writes of one tenant (their added bytes, from `stored` before them) and `refused` ones
 * (refused for storage) are what one instance's reservations allow: the served ones fit together, and none refused
 * would have fit beside them. Reads nothing of the order they ran in.
 */
export function batchFits(
  stored: number,
  plan: ModelPlan,
  served: readonly number[],
  refused: readonly number[],
): boolean {
  if (plan.storageMb === undefined) return refused.length === 0;
  const max = plan.storageMb * BYTES_PER_MB;
  const after = stored + served.reduce((a, b) => a + b, 0);
  return (served.length === 0 || after <= max) && refused.every((r) => after + r > max);
}

/** What a served request cost and stored, added to its tenant's state. */
export function charged(s: TenantState, ru: number, bytes: number): TenantState {
  return { ...s, ru: s.ru + ru, storedBytes: s.storedBytes + bytes };
}
