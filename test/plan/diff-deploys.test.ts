/**
 * diffPlans matches Terraform resources by type, then name (src/plan/diff/diff.ts `ByAddress`, `deployIndex`), and makes
 * an address only for what it lists. This holds that to the plain model it replaced — every Terraform resource by
 * its address `type.name`, the last planned resource listing it owning it, each list in address order — on random
 * plans and random edits of them: Terraform resources dropped, added (also at an address another planned resource
 * lists) and moved from one planned resource to another.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { STATEFUL_TERRAFORM_TYPES } from '../../src/plan/diff/diff-types.js';
import { diffPlans } from '../../src/plan/diff/diff.js';
import type { PlannedDeploy, ResourcePlan } from '../../src/model/plan.js';
import { arbitraryPlan, planText } from '../support/plan-arbitraries.js';

const TYPES = ['azurerm_cosmosdb_account', 'azurerm_storage_account', 'custom_thing'] as const;

const edit = fc.record({
  op: fc.constantFrom('drop', 'move', 'add'),
  r: fc.nat(),
  d: fc.nat(),
  to: fc.nat(),
  terraformType: fc.constantFrom(...TYPES),
  name: fc.oneof(planText, fc.constantFrom('a', 'b', 'x.y')),
});
type Edit = typeof edit extends fc.Arbitrary<infer T> ? T : never;

/** `before` edited: each resource keeps its key, type, name and config; only its Terraform resources change. */
function edited(before: ResourcePlan, edits: readonly Edit[]) {
  const lists: PlannedDeploy[][] = before.resources.map((r) => [...r.deploys]);
  for (const e of edits) {
    if (lists.length === 0) break;
    const from = lists[e.r % lists.length]!;
    if (e.op === 'add')
      from.push({ terraformType: e.terraformType, name: e.name } as PlannedDeploy);
    else if (from.length > 0) {
      const [d] = from.splice(e.d % from.length, 1);
      if (e.op === 'move') lists[e.to % lists.length]!.push(d!);
    }
  }
  return { ...before, resources: before.resources.map((r, i) => ({ ...r, deploys: lists[i]! })) };
}

/** The model: address → key of the last planned resource listing it. */
function owners(plan: ResourcePlan): Map<string, string> {
  const m = new Map<string, string>();
  for (const r of plan.resources)
    for (const d of r.deploys) m.set(`${d.terraformType}.${d.name}`, r.key);
  return m;
}
const inOrder = (xs: Iterable<string>) => [...xs].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
const refOf = (address: string, resourceKey: string) => {
  const dot = address.indexOf('.');
  return {
    terraformType: address.slice(0, dot),
    name: address.slice(dot + 1),
    address,
    resourceKey,
  };
};

describe('diffPlans: Terraform resources by address', () => {
  it('adds, removes and moves are those of the address model, each list in address order', () => {
    fc.assert(
      fc.property(
        arbitraryPlan({ maxResources: 6 }),
        fc.array(edit, { maxLength: 14 }),
        fc.boolean(),
        (plan, edits, forward) => {
          const other = edited(plan, edits);
          const [before, after] = forward ? [plan, other] : [other, plan];
          const b = owners(before);
          const a = owners(after);
          const d = diffPlans(before, after);
          expect(d.deploys.adds).toEqual(
            inOrder([...a.keys()].filter((k) => !b.has(k))).map((k) => refOf(k, a.get(k)!)),
          );
          expect(d.deploys.removes).toEqual(
            inOrder([...b.keys()].filter((k) => !a.has(k))).map((k) => refOf(k, b.get(k)!)),
          );
          expect(d.deploys.replacements).toEqual(
            inOrder([...a.keys()].filter((k) => b.has(k) && b.get(k) !== a.get(k))).map((k) => {
              const ref = refOf(k, a.get(k)!);
              return {
                ...ref,
                reason: `moved from ${b.get(k)} to ${a.get(k)}`,
                stateful: STATEFUL_TERRAFORM_TYPES.includes(ref.terraformType),
              };
            }),
          );
          // Configs are equal (the edits touch only Terraform resources): nothing is updated in place.
          expect(d.deploys.changes).toEqual([]);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('a plan against itself lists nothing', () => {
    fc.assert(
      fc.property(arbitraryPlan(), (plan) => {
        expect(diffPlans(plan, plan).deploys).toEqual({
          adds: [],
          removes: [],
          changes: [],
          replacements: [],
        });
      }),
    );
  });
});
