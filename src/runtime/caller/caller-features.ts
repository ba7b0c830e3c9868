import type { PlanFeatures } from '../../model/plans/plan-features.js';

/**
 * Who calls a handler, as the runtime admitted them: `oid` (the identity claim: Entra's object id, else `sub`),
 * `tid` (their directory), `name` (display name, when the token has one), `roles` (app roles of the API
 * registration), and `tenant` — the tenant the runtime confines their data to (the tenant claim, `tid` unless
 * `tenancy.claim` says otherwise, or the header a trusted gateway sets).
 *
 * @example
 * ```ts
 * // What callerOf(request) answers, but `features` (not enumerable: `callerOf(request).features.has('reports')`).
 * const caller: Omit<RequestCaller, 'features'> = {
 *   oid: '00000000-0000-0000-0000-00000000000a',
 *   tid: 'contoso-tid',
 *   name: 'Alice',
 *   roles: ['OrderAdmin'],
 *   tenant: 'contoso-tid',
 * };
 * ```
 */
export interface RequestCaller {
  readonly oid: string;
  readonly tid: string;
  readonly name?: string;
  readonly roles: readonly string[];
  readonly tenant: string;
  /** `'key'` when an organization's API key calls (`oid` is then the key's id, `tid` empty); absent for a person. */
  readonly kind?: 'key';
  /**
   * The features of the plan the caller's organization (or directory) is on: `features.has('reports')` — the
   * built-ins and the application's own (docs/packaging.md). Every feature when no plan lists features, or the
   * backend has no plans.
   */
  readonly features: CallerFeatures;
}

/**
 * What a handler asks of its caller's plan: `has(name)`, and the names the plan lists.
 *
 * @example
 * ```ts
 * if (!callerOf(request).features.has('reports')) return { status: 402 };
 * ```
 */
export type CallerFeatures = Pick<PlanFeatures, 'has' | 'names'>;

/**
 * `caller` with its plan's `features`, not enumerable: a handler reads `callerOf(request).features.has(…)`, while
 * the caller as data (its JSON, a spread, an equality) stays the identity it was before plans had features.
 *
 * @example
 * ```ts
 * const caller = withFeatures({ oid, tid, roles, tenant }, ALL_FEATURES);
 * caller.features.has('reports'); // true
 * ```
 */
export function withFeatures(
  caller: Omit<RequestCaller, 'features'>,
  features: CallerFeatures,
): RequestCaller {
  return Object.defineProperty({ ...caller }, 'features', {
    value: features,
    enumerable: false,
  }) as RequestCaller;
}
