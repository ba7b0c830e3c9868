/**
 * The extension members (RFC 9457 §3.2) the runtime adds to a problem document, by problem code: what a client can
 * act on beyond `type`, `title`, `status` and `detail` — which limit refused it, which relation or field, which
 * rules would allow it. A code without an entry carries no extension member.
 *
 * @example
 * ```ts
 * const members: ProblemMembers['rate-limited'] = { policy: 'user' };
 * ```
 */
export interface ProblemMembers {
  /** `policy`: the bound that refused — the tenant's plan (`requestsPerMinute`) or the caller's (`perUser`). */
  readonly 'rate-limited': { readonly policy: 'tenant' | 'user' };
  readonly 'quota-exceeded': { readonly quota: 'requestUnitsPerDay' };
  readonly 'storage-quota-exceeded': { readonly quota: 'storageMb' };
  /**
   * `feature`: the feature the door needs; `plans`: the plans that include it (sorted); `checkout`: for an Owner of
   * an organization whose backend sells plans through Stripe, the route that subscribes to one.
   */
  readonly 'feature-not-in-plan': {
    readonly feature: string;
    readonly plans: readonly string[];
    readonly checkout?: 'POST api/tenant/billing/checkout';
  };
  /** `scope`: whose live connections reached the bound; `limit`: that bound. */
  readonly 'too-many-connections': { readonly scope: 'tenant' | 'user'; readonly limit: number };
  /**
   * `limit`: the plan's seats; `plans`: the plans that would admit one more member; `checkout`: for an Owner (with
   * subscriptions), the route that upgrades (`POST api/tenant/billing/checkout { plan }`).
   */
  readonly 'seat-limit': PlanLimitMembers;
  /** `crudApi`: the CrudApi (component id) whose bound was reached; the rest as `seat-limit`'s. */
  readonly 'item-limit': PlanLimitMembers & { readonly crudApi: string };
  /** `rules`: the access rules that would allow it (empty: none does). */
  readonly 'access-denied': { readonly operation?: string; readonly rules: readonly string[] };
  readonly 'reference-not-found': { readonly field: string; readonly relation: string };
  readonly 'has-children': { readonly relation: string; readonly operation?: 'delete' };
  readonly 'invalid-expand': { readonly parameter: '$expand' };
  readonly 'invalid-query': QueryProblemMembers;
  readonly 'not-sortable': QueryProblemMembers;
}

/** What a 402 of a plan's bound says: the bound, the plans with room, and for an Owner the checkout route. */
export interface PlanLimitMembers {
  readonly limit: number;
  readonly plans: readonly string[];
  readonly checkout?: string;
}

/** Where a list query went wrong: the first issue's parameter and position, and every issue. */
export interface QueryProblemMembers {
  readonly parameter: string;
  readonly position: number;
  readonly issues: readonly {
    readonly code: string;
    readonly parameter: string;
    readonly position: number;
    readonly message: string;
  }[];
}

/**
 * The extension members of a problem of code `C` (any member, unknown, for a code that declares none).
 *
 * @example
 * ```ts
 * type M = MembersOf<'too-many-connections'>; // { scope: 'tenant' | 'user'; limit: number }
 * ```
 */
export type MembersOf<C extends string> = C extends keyof ProblemMembers
  ? ProblemMembers[C]
  : Readonly<Record<string, unknown>>;
