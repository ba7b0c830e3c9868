import type { PlanIssue } from '../../../model/plan.js';
import { at } from '../../../model/at.js';

/** A value one component asked for, with who asked and how strongly. */
export interface Contribution<T> {
  readonly componentId: string;
  readonly priority: number;
  readonly value: T;
}

/** A merge outcome: the value plus what the merge found worth saying. */
export interface Merged<T> {
  readonly value: T;
  readonly issues: PlanIssue[];
}

/**
 * The contributions of the requirements whose list is not empty, for {@link union}: a requirement with no
 * values adds nothing to a union, so it needs no contribution (10,000 CrudApis ask for no storage containers,
 * CORS origins or capabilities; their union is one pass over nothing instead of 10,000 contributions).
 *
 * @example
 * ```ts
 * union(listContributions(reqs, (r) => r.requirement.config.queues)).value; // what every requirement's contribution gives
 * ```
 */
export function listContributions<
  R extends { readonly componentId: string; readonly requirement: { readonly priority?: number } },
  T,
>(reqs: readonly R[], pick: (r: R) => readonly T[] | undefined): Contribution<readonly T[]>[] {
  const out: Contribution<readonly T[]>[] = [];
  for (let i = 0; i < reqs.length; i++) {
    const r = at(reqs, i);
    const value = pick(r);
    if (value && value.length > 0)
      out.push({ componentId: r.componentId, priority: r.requirement.priority ?? 10, value });
  }
  return out;
}

/**
 * Union: every distinct value, sorted (databases, capabilities, CORS origins, tags' keys).
 *
 * @example
 * ```ts
 * union([
 *   { componentId: 'A', priority: 10, value: ['x'] },
 *   { componentId: 'B', priority: 10, value: ['y', 'x'] },
 * ]).value; // ['x', 'y']
 * ```
 */
export function union<T extends string | number>(
  items: readonly Contribution<readonly T[]>[],
): Merged<T[]> {
  const set = new Set<T>();
  for (const c of items) for (const v of c.value) set.add(v);
  return { value: [...set].sort(compare), issues: [] };
}

/**
 * Maximum: the highest value by an order (SKU tier, throughput, retention).
 *
 * @example
 * ```ts
 * maximum(contribs, (a, b) => a - b).value; // the largest number
 * ```
 */
export function maximum<T>(
  items: readonly Contribution<T>[],
  order: (a: T, b: T) => number,
): Merged<T | undefined> {
  let best: T | undefined;
  for (const c of items) if (best === undefined || order(c.value, best) > 0) best = c.value;
  return { value: best, issues: [] };
}

/**
 * Priority: for a scalar that must have one value. Equal values merge silently; otherwise the highest
 * priority wins with a warning naming both components and values; a tie between different values is an error.
 *
 * @example
 * ```ts
 * priority(
 *   [
 *     { componentId: 'A', priority: 20, value: 'Strong' },
 *     { componentId: 'B', priority: 10, value: 'Session' },
 *   ],
 *   'consistency',
 * );
 * // → { value: 'Strong', issues: [warning naming A, B, 'Strong', 'Session'] }
 * ```
 */
export function priority<T extends string | number | boolean>(
  items: readonly Contribution<T>[],
  what: string,
  path?: readonly (string | number)[],
): Merged<T | undefined> {
  const defined = items.filter((c) => c.value !== undefined);
  if (defined.length === 0) return { value: undefined, issues: [] };
  const sorted = [...defined].sort(
    (a, b) => b.priority - a.priority || compare(a.componentId, b.componentId),
  );
  const winner = at(sorted, 0);
  const issues: PlanIssue[] = [];
  for (const other of sorted.slice(1)) {
    if (other.value === winner.value) continue;
    const names =
      `${winner.componentId} (${String(winner.value)}, priority ${winner.priority}) and ${other.componentId} ` +
      `(${String(other.value)}, priority ${other.priority})`;
    if (other.priority === winner.priority) {
      issues.push({
        severity: 'error',
        code: 'MERGE_CONFLICT',
        components: [winner.componentId, other.componentId],
        message: `Conflicting ${what}: ${names} have equal priority.`,
        ...(path ? { path } : {}),
      });
    } else {
      issues.push({
        severity: 'warning',
        code: 'MERGE_CONFLICT',
        components: [winner.componentId, other.componentId],
        message:
          `Conflicting ${what}: ${names}; ${winner.componentId} has the higher priority, so ${what} is ` +
          `${String(winner.value)}.`,
        ...(path ? { path } : {}),
      });
    }
  }
  return { value: winner.value, issues };
}

/** Code-unit order: locale-independent, so plans are byte-identical everywhere. */
export function compare(a: string | number, b: string | number): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
