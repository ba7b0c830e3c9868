import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { matchesFilter } from '../../src/contract/query/evaluate-filter.js';
import { parseFilter } from '../../src/contract/query/parse-filter.js';
import { evaluate, filterArb, itemArb, render } from '../runtime/support/list-reference.js';

// The client's realtime `watch` and `live` decide whether an item matches a `$filter` themselves. They must
// decide as the runtime's Cosmos DB query does: test/runtime/list-query.test.ts holds the runtime to this same
// reference (three-valued logic, `eq null` = absent or null, ordinal strings), so here the client is held to it.
describe('matchesFilter (the client-side $filter) agrees with the list query', () => {
  it('on random filters and items, as the reference the runtime is tested against', () => {
    fc.assert(
      fc.property(filterArb, itemArb, (f, item) => {
        const parsed = parseFilter(render(f));
        expect(parsed.ok).toBe(true);
        if (!parsed.ok) return;
        expect(matchesFilter(parsed.value, item)).toBe(evaluate(f, item) === true);
      }),
      { numRuns: 5000 },
    );
  });

  it('values of another type, objects and absent fields match neither a comparison nor its not', () => {
    const f = (text: string) => {
      const r = parseFilter(text);
      if (!r.ok) throw new Error(text);
      return r.value;
    };
    expect(matchesFilter(f("price gt '3'"), { price: 5 })).toBe(false);
    expect(matchesFilter(f("not (price gt '3')"), { price: 5 })).toBe(false);
    expect(matchesFilter(f('tags eq 1'), { tags: [1] })).toBe(false);
    expect(matchesFilter(f('qty eq null'), {})).toBe(true);
    expect(matchesFilter(f('qty ne null'), { qty: null })).toBe(false);
    expect(matchesFilter(f("startswith(name, 'a') or qty gt 1"), { qty: 2 })).toBe(true);
  });
});
