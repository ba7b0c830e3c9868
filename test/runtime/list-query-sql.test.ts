import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseListQuery, type QuerySchema } from '../../src/contract/query/index.js';
import { compileListQuery, localCompositeIndexes } from '../../src/runtime/queries/list-query.js';

const schema: QuerySchema = {
  name: { type: 'string', required: true },
  note: { type: 'string', required: false },
  price: { type: 'number', required: false },
  active: { type: 'boolean', required: false },
};
const sortable = [
  [{ field: 'name', order: 'ascending' as const }],
  [
    { field: 'name', order: 'ascending' as const },
    { field: 'price', order: 'descending' as const },
  ],
];

function compiled(params: Record<string, string>, pk = 'id') {
  const r = parseListQuery((n) => params[n], { schema, sortable });
  if (!r.ok) throw new Error(JSON.stringify(r.issues));
  return compileListQuery(r.value, pk);
}

describe('compiled Cosmos DB SQL (the text the local server cannot vouch for)', () => {
  it.each([
    ["name eq 'a'", 'c["name"] = @p0', ['a']],
    ['price ne 1.5', 'c["price"] != @p0', [1.5]],
    ['price gt 1 and price le 2', 'c["price"] > @p0 AND c["price"] <= @p1', [1, 2]],
    [
      "name eq 'a' or name eq 'b' and active eq true",
      'c["name"] = @p0 OR c["name"] = @p1 AND c["active"] = @p2',
      ['a', 'b', true],
    ],
    // Flat (an OR of ANDs, no nested parentheses: the local engine's parser pays per level), a parameter reused.
    [
      "(name eq 'a' or name eq 'b') and active eq true",
      'c["name"] = @p0 AND c["active"] = @p2 OR c["name"] = @p1 AND c["active"] = @p2',
      ['a', 'b', true],
    ],
    ["not (name eq 'a')", 'c["name"] != @p0', ['a']],
    ["not not name eq 'a'", 'c["name"] = @p0', ['a']],
    ["not (name eq 'a' and price gt 1)", 'c["name"] != @p0 OR c["price"] <= @p1', ['a', 1]],
    ["not startswith(name,'a')", 'NOT STARTSWITH(c["name"], @p0)', ['a']],
    [
      "endswith(name,'a') or contains(note,'b')",
      'ENDSWITH(c["name"], @p0) OR CONTAINS(c["note"], @p1)',
      ['a', 'b'],
    ],
    // `in` on an optional field: Azure's IN is undefined for an item without the field (like =), so
    // `not (note in (…))` leaves it out; the local server's IN is false there and keeps it. Pinned as text.
    ["not (note in ('a', 'b'))", 'NOT (c["note"] IN (@p0, @p1))', ['a', 'b']],
    ['note eq null', 'NOT IS_DEFINED(c["note"]) OR IS_NULL(c["note"])', []],
    [
      'note ne null and price eq null',
      'IS_DEFINED(c["note"]) AND NOT IS_NULL(c["note"]) AND NOT IS_DEFINED(c["price"]) OR IS_DEFINED(c["note"]) AND NOT IS_NULL(c["note"]) AND IS_NULL(c["price"])',
      [],
    ],
  ])('%s → %s', (filter, where, values) => {
    const c = compiled({ $filter: filter });
    expect(c.where).toBe(where);
    expect(c.parameters).toEqual(values.map((value, i) => ({ name: `@p${i}`, value })));
    expect(c.select).toBe('*');
  });

  it('$orderby and $select: schema names only, id, _etag and the partition key always projected', () => {
    const c = compiled({ $orderby: 'name desc, price asc', $select: 'note,name' }, 'region');
    expect(c.orderBy).toBe('c["name"] DESC, c["price"] ASC');
    expect(c.select).toBe('c["id"], c["_etag"], c["region"], c["_atakoraV"], c["note"], c["name"]');
    expect(c.parameters).toEqual([]);
  });

  it('no literal ever appears in the SQL: every string literal is a parameter, whatever it holds', () => {
    fc.assert(
      fc.property(
        fc.array(fc.string({ unit: 'binary', minLength: 1 }), { minLength: 1, maxLength: 5 }),
        (values) => {
          const filter = values.map((v) => `name eq '${v.replaceAll("'", "''")}'`).join(' or ');
          const c = compiled({ $filter: filter });
          expect(c.where).toBe(values.map((_, i) => `c["name"] = @p${i}`).join(' OR '));
          expect(c.parameters.map((p) => p.value)).toEqual(values);
        },
      ),
      { numRuns: 200 },
    );
  });

  it('localCompositeIndexes adds the reverse of each composite sort for the local server', () => {
    expect(localCompositeIndexes(sortable)).toEqual([
      [
        { path: '/name', order: 'ascending' },
        { path: '/price', order: 'descending' },
      ],
      [
        { path: '/name', order: 'descending' },
        { path: '/price', order: 'ascending' },
      ],
    ]);
    expect(localCompositeIndexes(undefined)).toEqual([]);
  });
});
