import type { NormalizedConfig } from '../../model/config.js';
import type { PlanIssue } from '../../model/plan.js';
import type { PlanComponent } from '../plan-input.js';

/** The largest count a plan may give: Cosmos DB's integers are exact to 2^53, far past any count worth selling. */
const MAX_ITEMS = 1_000_000_000;

/** A CrudApi's items belong to one organization unless it says `tenancy: 'shared'` (DESIGN §6). */
function tenantScoped(c: PlanComponent): boolean {
  return ((c.definition.config ?? {}) as Record<string, unknown>)['tenancy'] !== 'shared';
}

/**
 * Plan errors `PLAN_ITEMS_INVALID` for `tenants.plans.<n>.items` (docs/packaging.md, "Items"): each key names a
 * CrudApi of the backend (its component id) whose items belong to one organization — a shared catalogue has no
 * organization to count for — and each value is a whole number of at least 1 (0 would refuse every create: leave the
 * CrudApi's operations without `create`, or its rules, instead).
 *
 * @example
 * ```ts
 * planItemsIssues(components, config); // [{ code: 'PLAN_ITEMS_INVALID', path: ['config', 'tenants', 'plans', 'free', 'items', 'Nope'], … }]
 * ```
 */
export function planItemsIssues(
  components: readonly PlanComponent[],
  config: NormalizedConfig,
): PlanIssue[] {
  const plans = config.tenants?.plans ?? {};
  // Most backends bound no items (none without tenants): then nothing is checked and no index of the CrudApis is
  // built — 10,000 entries on every cold plan of 10,000 CrudApis (docs/performance.md, round 5).
  if (
    !Object.values(plans).some(({ items }) => items !== undefined && Object.keys(items).length > 0)
  )
    return [];
  const crud = new Map(
    components
      .filter((c) => c.definition.componentType === 'CrudApi')
      .map((c) => [c.definition.componentId, c] as const),
  );
  const issues: PlanIssue[] = [];
  for (const [plan, { items }] of Object.entries(plans))
    for (const [name, count] of Object.entries(items ?? {})) {
      const message = itemsProblem(crud.get(name), name, count, [...crud.keys()]);
      if (message === undefined) continue;
      issues.push({
        severity: 'error',
        code: 'PLAN_ITEMS_INVALID',
        path: ['config', 'tenants', 'plans', plan, 'items', name],
        components: crud.has(name) ? [name] : [],
        message: `tenants.plans.${plan}.items.${name}: ${message}`,
      });
    }
  return issues;
}

function itemsProblem(
  c: PlanComponent | undefined,
  name: string,
  count: unknown,
  known: readonly string[],
): string | undefined {
  if (!c)
    return (
      `${name} is not a CrudApi of this backend (${known.join(', ') || 'it has none'}): name a CrudApi by its ` +
      'component id.'
    );
  if (!tenantScoped(c))
    return (
      `${name} is tenancy: 'shared' — one data set for every organization, so no organization's count can bound ` +
      'it: bound a tenant-scoped CrudApi, or drop the key.'
    );
  if (typeof count !== 'number' || !Number.isInteger(count) || count < 1 || count > MAX_ITEMS)
    return `${JSON.stringify(count)} is not a whole number of items from 1 to ${String(MAX_ITEMS)}.`;
  return undefined;
}
