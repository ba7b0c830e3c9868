import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { listContributions, union } from '../../src/kit/pure/resources/merge-strategies.js';

// The resource types union their requirements' lists from listContributions (only the requirements with values);
// before, every requirement made a contribution, empty or not. The union must be the same.
const req = fc.record({
  componentId: fc.constantFrom('A', 'B', 'C'),
  requirement: fc.record({ priority: fc.option(fc.constantFrom(5, 10, 20), { nil: undefined }) }),
  list: fc.option(
    fc.array(fc.constantFrom('x', 'y', 'z', 'EnableServerless', 'https://a.example'), {
      maxLength: 4,
    }),
    { nil: undefined },
  ),
});

describe('listContributions', () => {
  it('property: the union of the requirements with values is the union of a contribution per requirement', () => {
    fc.assert(
      fc.property(fc.array(req, { maxLength: 8 }), (reqs) => {
        const every = reqs.map((r) => ({
          componentId: r.componentId,
          priority: r.requirement.priority ?? 10,
          value: r.list ?? [],
        }));
        expect(union(listContributions(reqs, (r) => r.list))).toEqual(union(every));
      }),
      { numRuns: 500 },
    );
  });

  it('leaves out the requirements without values and keeps who asked, with the default priority', () => {
    const reqs = [
      { componentId: 'A', requirement: {}, list: [] },
      { componentId: 'B', requirement: { priority: 20 }, list: ['y', 'x'] },
      { componentId: 'C', requirement: {}, list: undefined },
    ];
    expect(listContributions(reqs, (r) => r.list)).toEqual([
      { componentId: 'B', priority: 20, value: ['y', 'x'] },
    ]);
  });
});
