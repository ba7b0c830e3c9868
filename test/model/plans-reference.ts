/**
 * The reference of plan limits: what each request of a tenant's caller is answered, from that tenant's (and that
 * caller's) own traffic only — the tenant's stored bytes and RU of the day (the sums of what its own served
 * requests added), the requests each admitted in the UTC minute. Pure: the answer and the next state.
 */

/** A tenant's plan and the registry's per-caller bound, as generated. */
export interface ModelPlan {
  readonly requestsPerMinute?: number;
  readonly requestUnitsPerDay?: number;
  readonly storageMb?: number;
}

/** What a tenant has done so far, as the limits see it. */
export interface TenantState {
  /** Bytes its served creates added minus what its served deletes freed. */
  readonly storedBytes: number;
  /** RU its served requests were charged this UTC day. */
  readonly ru: number;
  /** The UTC minute (ms since the epoch ÷ 60,000) the counts below are of. */
  readonly minute: number;
  readonly admitted: number;
  readonly admittedBy: Readonly<Record<string, number>>;
}

/** A request as the limits see it: a write that may add bytes (`create`) or anything else. */
export type PlanOp = 'create' | 'list' | 'delete';

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
 * The answer to `op` of `user` at `now`, in the order the runtime checks: the storage quota (writes that may add
 * bytes), the RU of the day, the rates of the tenant and the caller (only a request they admit takes a place in
 * the minute's window).
 */
export function planAnswer(
  state: TenantState,
  plan: ModelPlan,
  perUser: number | undefined,
  op: PlanOp,
  user: string,
  now: number,
): { answer: PlanAnswer; next: TenantState } {
  const s = inMinute(state, now);
  if (
    op === 'create' &&
    plan.storageMb !== undefined &&
    s.storedBytes >= plan.storageMb * BYTES_PER_MB
  )
    return { answer: { served: false, status: 403, code: 'storage-quota-exceeded' }, next: s };
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

/** What a served request cost and stored, added to its tenant's state. */
export function charged(s: TenantState, ru: number, bytes: number): TenantState {
  return { ...s, ru: s.ru + ru, storedBytes: s.storedBytes + bytes };
}
