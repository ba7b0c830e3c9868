/**
 * Who a background cascade acts as, recorded as data in the parent's mark (the request's caller, `Caller.job()`):
 * identity, tenant, roles. A job turns it back into a caller with `Caller.ofJob` — the same rules as the request's,
 * and nothing re-encoded or decoded again.
 *
 * @example
 * ```ts
 * const job: JobCaller = { oid: 'u1', tid: 't1', roles: [] };
 * ```
 */
export interface JobCaller {
  readonly oid: string;
  /** The caller's tenant (the one its request was confined to); absent when it had none. */
  readonly tid?: string;
  readonly roles: readonly string[];
}
