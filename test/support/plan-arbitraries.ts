import fc from 'fast-check';
import type { ResourcePlan } from '../../src/model/plan.js';

/** Plan strings as renderers meet them: plain names, and names with markup, quotes, pipes and line breaks. */
export const planText: fc.Arbitrary<string> = fc.oneof(
  { weight: 3, arbitrary: fc.stringMatching(/^[A-Za-z][A-Za-z0-9_-]{0,20}$/) },
  { weight: 1, arbitrary: fc.string({ minLength: 1, maxLength: 24 }) },
  { weight: 1, arbitrary: fc.constantFrom('<script>alert(1)</script>', '"quoted"', "it's", 'a|b', 'a&amp;b', '</svg>', 'x\ny', '<!--', ']]>') },
);

const usd = fc.integer({ min: 0, max: 500_000 }).map((cents) => cents / 100);

/**
 * A `ResourcePlan`-shaped value with random components, resources and Terraform resources (unique keys and
 * addresses; consumers drawn from the components' ids, plus now and then one that is no component), for
 * properties of the renderers: not a plan the planner would make, a plan any renderer must survive.
 *
 * @example
 * ```ts
 * fc.assert(fc.property(arbitraryPlan(), (plan) => { renderPlanHtml(plan); }));
 * ```
 */
export function arbitraryPlan(options: { readonly maxComponents?: number; readonly maxResources?: number } = {}): fc.Arbitrary<ResourcePlan> {
  const components = fc.uniqueArray(fc.record({ key: planText, id: planText, type: fc.constantFrom('CrudApi', 'FunctionsApp', 'StaticSite', 'Custom<X>') }), {
    minLength: 0, maxLength: options.maxComponents ?? 12, selector: (c) => c.key,
  });
  const resources = fc.uniqueArray(fc.record({
    key: planText, type: fc.constantFrom('cosmos', 'functions', 'storage', 'monitoring', 'keyvault', 'custom'), name: planText, cost: usd,
    deploys: fc.uniqueArray(fc.record({ terraformType: fc.constantFrom('azurerm_cosmosdb_account', 'azurerm_storage_account', 'azurerm_role_assignment', 'custom_thing'), name: planText }), {
      maxLength: 6, selector: (d) => `${d.terraformType}.${d.name}`,
    }),
  }), { minLength: 0, maxLength: options.maxResources ?? 8, selector: (r) => r.key });
  return fc.tuple(components, resources, fc.array(fc.nat(), { maxLength: 40 }), fc.option(planText, { nil: undefined }), planText).map(([cs, rs, picks, stranger, backendId]) => {
    // Each resource gets consumers from the components (by id), the component a resource map entry for it.
    const consumers = rs.map(() => new Set<string>());
    const uses = cs.map(() => ({} as Record<string, string>));
    picks.forEach((n, i) => {
      if (cs.length === 0 || rs.length === 0) return;
      const c = n % cs.length;
      const r = (n + i) % rs.length;
      consumers[r]!.add(cs[c]!.id);
      uses[c]![rs[r]!.type] = rs[r]!.key;
    });
    if (stranger !== undefined && rs.length > 0) consumers[0]!.add(stranger);
    const resources = rs.map((r, i) => ({
      key: r.key, type: r.type, name: r.name, compatibility: 'x', config: {}, consumers: [...consumers[i]!].sort(),
      deploys: r.deploys, estimatedMonthlyUsd: r.cost,
    }));
    const shared = Math.round(resources.reduce((s, r) => s + r.estimatedMonthlyUsd, 0) * 100) / 100;
    return {
      version: 1, backendId, environment: 'prod', location: 'eastus',
      components: cs.map((c, i) => ({ key: c.key, id: c.id, type: c.type, resources: uses[i]!, outputs: {} })),
      resources,
      issues: [], limitViolations: [],
      summary: { resources: resources.length, unsharedResources: resources.length, reduction: 0, estimatedMonthlyUsd: { shared, unshared: shared } },
      naming: { token: 'tgtxxx', atApply: true, derivedFrom: 'at apply' },
    } as ResourcePlan;
  });
}
