import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { flatTerms, parseFilter, QUERY_LIMITS } from '../../src/contract/query/index.js';
import { parseListQuery } from '../../src/contract/query/list-query.js';
import { compileListQuery } from '../../src/runtime/queries/list-query.js';
import { type LocalCosmos, startLocalCosmos } from './support/local-cosmos.js';

const entity = {
  schema: {
    a: { type: 'number' as const, required: false },
    b: { type: 'string' as const, required: false },
  },
};

/** `b eq 'x' or (a eq 2 and (b eq 'x' or (…)))`: and/or alternating, `depth` levels of parentheses. */
function alternating(depth: number): string {
  let f = 'a eq 1';
  for (let i = 0; i < depth; i++) f = i % 2 ? `a eq 2 and (${f})` : `b eq 'x' or (${f})`;
  return f;
}
/** `not (b eq 'y' or not (…))`: a `not` and a pair of parentheses per level. */
function negations(depth: number): string {
  let f = 'a eq 1';
  for (let i = 0; i < depth; i++) f = `not (b eq 'y' or ${f})`;
  return f;
}

/** Deepest nesting of parentheses in SQL text, not counting those of an `IN (…)` list. */
function nesting(sql: string): number {
  let depth = 0;
  let max = 0;
  for (const m of sql.replace(/IN \([^()]*\)/g, 'IN list').matchAll(/[()]/g)) {
    depth += m[0] === '(' ? 1 : -1;
    max = Math.max(max, depth);
  }
  return max;
}

function compiled(filter: string) {
  const q = parseListQuery((n) => (n === '$filter' ? filter : null), entity);
  if (!q.ok) throw new Error(JSON.stringify(q.issues));
  return compileListQuery(q.value, 'id');
}

// The local Cosmos DB engine's parser pays about three times per level of parentheses (measured: a filter
// nested 6 levels ~6.5 s, 8 levels over 30 s): the runtime writes every filter flat, an OR of ANDs.
describe('$filter compiles flat, whatever its nesting within the limits', () => {
  it('at the maximum depth the SQL has no nested parentheses and stays small', () => {
    for (const filter of [
      alternating(QUERY_LIMITS.maxDepth - 1),
      negations(QUERY_LIMITS.maxDepth / 2 - 1),
      negations(QUERY_LIMITS.maxDepth),
    ]) {
      const parsed = parseFilter(filter);
      if (!parsed.ok) continue; // over the depth limit: a 400, never SQL
      const c = compiled(filter);
      expect(nesting(c.where!), filter).toBe(0);
      expect(flatTerms(parsed.value, QUERY_LIMITS.maxTerms)).toBeLessThanOrEqual(
        QUERY_LIMITS.maxTerms,
      );
      // Bounded by the terms and the literals, never by the nesting.
      expect(c.where!.length).toBeLessThan(QUERY_LIMITS.maxTerms * 40 * (c.parameters.length + 1));
    }
  });

  it('a filter whose flat form is too large is a 400 too-complex, not a slow query', () => {
    const product = Array.from(
      { length: 7 },
      (_, i) => `(a eq ${String(i)} or b eq '${String(i)}')`,
    ).join(' and '); // 2^7 = 128 terms
    const q = parseListQuery((n) => (n === '$filter' ? product : null), entity);
    expect(q.ok).toBe(false);
    expect(!q.ok && q.issues[0]!.code).toBe('too-complex');
  });

  it('negation goes to the comparisons (De Morgan), null tests stay exact complements', () => {
    expect(compiled("not (a gt 1 and b eq 'x')").where).toBe('c["a"] <= @p0 OR c["b"] != @p1');
    expect(compiled('not (a eq null)').where).toBe('IS_DEFINED(c["a"]) AND NOT IS_NULL(c["a"])');
    expect(compiled("not startswith(b, 'x') and not (a in (1, 2))").where).toBe(
      'NOT STARTSWITH(c["b"], @p0) AND NOT (c["a"] IN (@p1, @p2))',
    );
  });
});

describe('the flat SQL answers as the filter says, on the local Cosmos DB server', () => {
  let cosmos: LocalCosmos;
  beforeAll(async () => {
    cosmos = await startLocalCosmos();
  });
  afterAll(async () => cosmos?.stop());

  it('maximum-depth filters select the items a direct evaluation selects', async () => {
    const c = await cosmos.container('flat-filter', '/id');
    const items = [
      { id: '1', a: 1, b: 'x' },
      { id: '2', a: 2, b: 'y' },
      { id: '3', a: 1 },
      { id: '4', b: 'y' },
      { id: '5', a: 2, b: 'x' },
    ];
    // (No item of another type than the literal: the local server's != is true there, Azure's undefined — pinned as text above.)
    for (const i of items) await c.items.create(i);
    // Kleene logic as Cosmos DB evaluates it: a comparison with an absent field, or a value of another type, is undefined.
    type V = boolean | undefined;
    const eq = (v: unknown, w: unknown): V =>
      v === undefined || typeof v !== typeof w ? undefined : v === w;
    const and = (x: V, y: V): V =>
      x === false || y === false ? false : x === undefined || y === undefined ? undefined : true;
    const or = (x: V, y: V): V =>
      x === true || y === true ? true : x === undefined || y === undefined ? undefined : false;
    const not = (x: V): V => (x === undefined ? undefined : !x);
    const alt = (i: Record<string, unknown>, depth: number): V => {
      let r = eq(i.a, 1);
      for (let k = 0; k < depth; k++) r = k % 2 ? and(eq(i.a, 2), r) : or(eq(i.b, 'x'), r);
      return r;
    };
    const neg = (i: Record<string, unknown>, depth: number): V => {
      let r = eq(i.a, 1);
      for (let k = 0; k < depth; k++) r = not(or(eq(i.b, 'y'), r));
      return r;
    };
    for (const [filter, expected] of [
      [
        alternating(QUERY_LIMITS.maxDepth - 1),
        (i: Record<string, unknown>) => alt(i, QUERY_LIMITS.maxDepth - 1),
      ],
      // A not and a pair of parentheses per level: half the levels.
      [
        negations(QUERY_LIMITS.maxDepth / 2 - 1),
        (i: Record<string, unknown>) => neg(i, QUERY_LIMITS.maxDepth / 2 - 1),
      ],
      [negations(5), (i: Record<string, unknown>) => neg(i, 5)],
    ] as const) {
      const q = compiled(filter);
      const { resources } = await c.items
        .query<{ id: string }>({
          query: `SELECT c.id FROM c WHERE (${q.where!})`,
          parameters: [...q.parameters],
        })
        .fetchAll();
      expect(resources.map((r) => r.id).sort(), filter).toEqual(
        items
          .filter((i) => expected(i) === true)
          .map((i) => i.id)
          .sort(),
      );
    }
  });
});
