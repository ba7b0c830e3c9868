/**
 * How long the migrations of one request may take together: a point in `performance.now()` time. A list page
 * shares one budget between its items, so a page never waits longer for its migrations than a single read would.
 *
 * @example
 * ```ts
 * const budget = migrationBudget(ctx.cosmos?.timeoutMs);
 * for (const r of page) await presentStored(ctx, r, select, budget);
 * ```
 */
export interface MigrationBudget {
  readonly deadline: number;
  readonly ms: number;
}

/** The default budget of a request's migrations (the runtime's per-call Cosmos DB deadline, 10 s). */
export const DEFAULT_MIGRATION_BUDGET_MS = 10_000;

/**
 * A budget of `ms` milliseconds from now (the request's per-call deadline; {@link DEFAULT_MIGRATION_BUDGET_MS}
 * when the context names none).
 *
 * @example
 * ```ts
 * migrationBudget(2000).deadline - performance.now(); // ≈ 2000
 * ```
 */
export function migrationBudget(ms = DEFAULT_MIGRATION_BUDGET_MS): MigrationBudget {
  return { deadline: performance.now() + ms, ms };
}
