import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { sortDeploys } from '../../src/plan/phases/merge.js';
import type { PlannedDeploy } from '../../src/model/plan.js';

// The reference: one stable sort by type, then name, written the obvious way.
const reference = (ds: readonly PlannedDeploy[]) =>
  ds
    .map((d, i) => ({ d, i }))
    .sort((a, b) =>
      a.d.terraformType < b.d.terraformType
        ? -1
        : a.d.terraformType > b.d.terraformType
          ? 1
          : a.d.name < b.d.name
            ? -1
            : a.d.name > b.d.name
              ? 1
              : a.i - b.i,
    )
    .map((x) => x.d);

describe('sortDeploys (plan/phases/merge.ts)', () => {
  const deploy = fc.record({
    terraformType: fc.constantFrom('azurerm_a', 'azurerm_b', 'time_sleep'),
    name: fc.stringMatching(/^[ab_-]{0,3}$/),
    tag: fc.nat(5),
  });
  it('property: by type, then name, ties in their order — whether the input comes in order or not', () => {
    fc.assert(
      fc.property(fc.array(deploy, { maxLength: 12 }), fc.boolean(), (ds, presorted) => {
        const input = presorted ? reference(ds) : ds;
        const out = sortDeploys(input);
        expect(out).toEqual(reference(input));
        // Same objects (ties told apart by identity), in a new array the caller's list is not frozen with.
        out.forEach((d, i) => expect(d).toBe(reference(input)[i]));
        expect(out).not.toBe(input);
      }),
      { numRuns: 1000 },
    );
  });
});
