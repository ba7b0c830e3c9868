/**
 * `tenants.plans.<n>.items` checks (plan/checks/plan-items.ts): a backend that bounds no items has nothing to check,
 * and the check reads none of its components (it ran over every one on every cold plan: an index of 10,000 CrudApis
 * at 10,000 components, for no issue). With items, the issues are the ones the check always gave.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { NormalizedConfig } from '../../src/model/config.js';
import type { PlanIssue } from '../../src/model/plan.js';
import type { PlanComponent } from '../../src/plan/plan-input.js';
import { planItemsIssues } from '../../src/plan/checks/plan-items.js';

const MAX_ITEMS = 1_000_000_000;

/** The check as it was before it returned early: every CrudApi indexed, then each plan's items checked. */
function reference(components: readonly PlanComponent[], config: NormalizedConfig): PlanIssue[] {
  const plans = config.tenants?.plans ?? {};
  const crud = new Map(
    components
      .filter((c) => c.definition.componentType === 'CrudApi')
      .map((c) => [c.definition.componentId, c] as const),
  );
  const issues: PlanIssue[] = [];
  for (const [plan, { items }] of Object.entries(plans))
    for (const [name, count] of Object.entries(items ?? {})) {
      const c = crud.get(name);
      const known = [...crud.keys()];
      const message = !c
        ? `${name} is not a CrudApi of this backend (${known.join(', ') || 'it has none'}): name a CrudApi by its ` +
          'component id.'
        : ((c.definition.config ?? {}) as Record<string, unknown>)['tenancy'] === 'shared'
          ? `${name} is tenancy: 'shared' — one data set for every organization, so no organization's count can bound ` +
            'it: bound a tenant-scoped CrudApi, or drop the key.'
          : typeof count !== 'number' || !Number.isInteger(count) || count < 1 || count > MAX_ITEMS
            ? `${JSON.stringify(count)} is not a whole number of items from 1 to ${String(MAX_ITEMS)}.`
            : undefined;
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

/** A component whose definition counts its reads. */
function counted(
  id: string,
  componentType: string,
  tenancy: 'shared' | undefined,
  reads: { n: number },
): PlanComponent {
  const definition = { componentId: id, componentType, config: tenancy ? { tenancy } : {} };
  return {
    key: id.toLowerCase(),
    get definition() {
      reads.n++;
      return definition as unknown as PlanComponent['definition'];
    },
  };
}

const configWith = (plans: Record<string, { items?: Record<string, unknown> }> | undefined) =>
  (plans === undefined ? {} : { tenants: { plans } }) as unknown as NormalizedConfig;

describe('planItemsIssues (tenants.plans.<n>.items)', () => {
  it('reads no component when no plan bounds items: without tenants, without plans, plans without items', () => {
    const cases: (Record<string, { items?: Record<string, unknown> }> | undefined)[] = [
      undefined,
      {},
      { free: {}, pro: { items: {} } },
      { free: { items: undefined } },
    ];
    for (const plans of cases) {
      const reads = { n: 0 };
      const components = Array.from({ length: 50 }, (_, i) =>
        counted(`Api${i}`, 'CrudApi', undefined, reads),
      );
      expect(planItemsIssues(components, configWith(plans))).toEqual([]);
      expect(reads.n).toBe(0);
    }
  });

  it('fast-check: the issues are the reference check’s, items bounded or not', () => {
    const id = fc.constantFrom('NoteApi', 'TaskApi', 'Catalog', 'Jobs', 'Nope');
    const count = fc.oneof(
      fc.integer({ min: -2, max: 5 }),
      fc.constantFrom(0.5, MAX_ITEMS, MAX_ITEMS + 1, Number.NaN),
      fc.constantFrom('3', null, true),
    );
    const plan = fc.record(
      { items: fc.option(fc.dictionary(id, count, { maxKeys: 4 }), { nil: undefined }) },
      { requiredKeys: [] },
    );
    const plans = fc.option(fc.dictionary(fc.constantFrom('free', 'pro', 'team'), plan), {
      nil: undefined,
    });
    const component = fc.record({
      id: fc.constantFrom('NoteApi', 'TaskApi', 'Catalog', 'Jobs'),
      type: fc.constantFrom('CrudApi', 'FunctionsApp'),
      shared: fc.boolean(),
    });
    fc.assert(
      fc.property(fc.uniqueArray(component, { selector: (c) => c.id }), plans, (cs, ps) => {
        const reads = { n: 0 };
        const components = cs.map((c) =>
          counted(c.id, c.type, c.shared ? 'shared' : undefined, reads),
        );
        const config = configWith(ps);
        expect(planItemsIssues(components, config)).toEqual(reference(components, config));
      }),
      { numRuns: 300 },
    );
  });
});
