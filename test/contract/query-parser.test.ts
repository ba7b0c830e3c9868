import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  checkFilter,
  checkSortable,
  formatLiteral,
  parseFilter,
  parseListQuery,
  parseOrderBy,
  parseSelect,
  QUERY_LIMITS,
  type FilterNode,
  type QueryIssue,
  type QuerySchema,
} from '../../src/contract/query/index.js';

const schema: QuerySchema = {
  id: { type: 'string', required: true },
  name: { type: 'string', required: true },
  price: { type: 'number', required: false },
  qty: { type: 'integer', required: false },
  active: { type: 'boolean', required: false },
  born: { type: 'date', required: false },
  at: { type: 'timestamp', required: false },
  tags: { type: 'array', required: false },
  meta: { type: 'object', required: false },
};

function issuesOf(text: string): readonly QueryIssue[] {
  const r = parseFilter(text);
  if (!r.ok) return r.issues;
  return checkFilter(r.value, schema);
}
function tree(text: string): FilterNode {
  const r = parseFilter(text);
  if (!r.ok) throw new Error(JSON.stringify(r.issues));
  return r.value;
}

describe('$filter parser', () => {
  it('parses comparisons, precedence (not > and > or) and positions', () => {
    expect(tree('price gt 5')).toEqual({
      kind: 'compare',
      op: 'gt',
      pos: 0,
      field: { name: 'price', pos: 0 },
      value: { kind: 'number', value: 5, pos: 9 },
    });
    const t = tree("name eq 'a' or not price le -1.5e2 and active eq true");
    expect(t.kind).toBe('or');
    if (t.kind !== 'or') return;
    expect(t.items[0]).toMatchObject({
      kind: 'compare',
      op: 'eq',
      value: { kind: 'string', value: 'a', pos: 8 },
    });
    expect(t.items[1]).toMatchObject({
      kind: 'and',
      pos: 15,
      items: [
        { kind: 'not', pos: 15, operand: { op: 'le', value: { value: -150, pos: 28 } } },
        {
          kind: 'compare',
          field: { name: 'active', pos: 39 },
          value: { kind: 'boolean', value: true },
        },
      ],
    });
  });

  it('parentheses group; in (…) lists; string functions; null', () => {
    const t = tree("(name eq 'a' or name eq 'b') and price in (1, 2.5,3)");
    expect(t).toMatchObject({
      kind: 'and',
      items: [
        { kind: 'or', pos: 1 },
        {
          kind: 'in',
          field: { name: 'price', pos: 33 },
          values: [{ value: 1 }, { value: 2.5 }, { value: 3 }],
        },
      ],
    });
    expect(tree("startswith(name, 'Al')")).toMatchObject({
      kind: 'call',
      fn: 'startswith',
      field: { name: 'name', pos: 11 },
      value: { value: 'Al', pos: 17 },
    });
    expect(tree('price eq null')).toMatchObject({
      kind: 'compare',
      value: { kind: 'null', value: null },
    });
  });

  it("reads '' inside a string as one quote, and keeps unicode and NUL as they are", () => {
    expect(tree("name eq 'O''Brien'")).toMatchObject({
      value: { kind: 'string', value: "O'Brien" },
    });
    expect(tree("name eq ''''")).toMatchObject({ value: { value: "'" } });
    expect(tree("name eq 'ü\u0000😀'")).toMatchObject({ value: { value: 'ü\u0000😀' } });
  });

  it.each([
    ['price gt', 8, 'syntax'],
    ['price gt 5 and', 14, 'syntax'],
    ["name eq 'abc", 8, 'syntax'],
    ['price gt 5)', 10, 'syntax'],
    ['(price gt 5', 11, 'syntax'],
    ['price gte 5', 6, 'syntax'],
    ['price > 5', 6, 'syntax'],
    ['name eq "a"', 8, 'syntax'],
    ["name eq 'a' -- comment", 12, 'syntax'],
    ["name eq 'a'; DROP", 11, 'syntax'],
    ['c.name eq 1', 1, 'syntax'],
    ['price eq 5abc', 9, 'syntax'],
    ['price eq 01', 9, 'syntax'],
    ['price in ()', 10, 'syntax'],
    ["startswith(name 'a')", 16, 'syntax'],
    ['1 eq 1', 0, 'syntax'],
    ['price eq 1e400', 9, 'syntax'],
    ['', 0, 'syntax'],
    ["name eq 'a'\u0000", 11, 'syntax'],
  ])('%j → %s at %i', (text, position, code) => {
    const [first] = issuesOf(text);
    expect(first).toMatchObject({ code, position, parameter: '$filter' });
  });

  it.each([
    ['prize gt 5', 0, 'unknown-field'],
    ["price gt 'cheap'", 9, 'literal-type'],
    ['qty eq 1.5', 7, 'literal-type'],
    ["active eq 'true'", 10, 'literal-type'],
    ['name eq 5', 8, 'literal-type'],
    ['price gt null', 9, 'literal-type'],
    ["name in ('a', null)", 14, 'literal-type'],
    ['tags eq 1', 0, 'not-filterable'],
    ["meta eq 'x'", 0, 'not-filterable'],
    ["startswith(price, '1')", 0, 'operator-type'],
    ['contains(name, 1)', 15, 'literal-type'],
    ["constructor eq 'x'", 0, 'unknown-field'],
    ["__proto__ eq 'x'", 0, 'unknown-field'],
  ])('%j is checked against the schema: %s at %i', (text, position, code) => {
    const issues = issuesOf(text);
    expect(issues[0]).toMatchObject({ code, position });
  });

  it('accepts typed literals for every filterable type; reports all issues at once', () => {
    expect(
      issuesOf(
        "born ge '2020-01-01' and at lt 1700000000000 and at gt '2024-01-01T00:00:00Z' and qty le 3 and active ne false and id eq 'x'",
      ),
    ).toEqual([]);
    expect(issuesOf('prize gt 1 and name eq 2').map((i) => [i.code, i.position])).toEqual([
      ['unknown-field', 0],
      ['literal-type', 23],
    ]);
  });

  it('refuses over-long, over-deep and over-wide expressions with the position', () => {
    const long = `name eq '${'x'.repeat(QUERY_LIMITS.maxLength)}'`;
    expect(issuesOf(long)[0]).toMatchObject({ code: 'too-long', position: QUERY_LIMITS.maxLength });
    const deep = `${'('.repeat(QUERY_LIMITS.maxDepth + 1)}price gt 1${')'.repeat(QUERY_LIMITS.maxDepth + 1)}`;
    expect(issuesOf(deep)[0]).toMatchObject({ code: 'too-deep', position: QUERY_LIMITS.maxDepth });
    expect(issuesOf(`${'not '.repeat(QUERY_LIMITS.maxDepth + 1)}price gt 1`)[0]).toMatchObject({
      code: 'too-deep',
      position: 4 * QUERY_LIMITS.maxDepth,
    });
    const ok = `${'('.repeat(QUERY_LIMITS.maxDepth)}price gt 1${')'.repeat(QUERY_LIMITS.maxDepth)}`;
    expect(issuesOf(ok)).toEqual([]);
    const wide = `price in (${Array.from({ length: QUERY_LIMITS.maxLiterals + 1 }, (_, i) => i).join(',')})`;
    expect(issuesOf(wide)[0]).toMatchObject({ code: 'too-many' });
    // A long and/or chain is flat, not deep.
    expect(issuesOf(Array.from({ length: 60 }, () => 'price gt 1').join(' and '))).toEqual([]);
  });

  it('never throws: any text is a tree or issues with a position inside the text', () => {
    fc.assert(
      fc.property(
        fc.string({
          maxLength: 80,
          unit: fc.constantFrom(..."pricenamqty()',.-0123456789 eqgtlndorsw_\u0000é😀".split('')),
        }),
        (text) => {
          const r = parseFilter(text);
          if (r.ok) checkFilter(r.value, schema);
          else
            for (const i of r.issues)
              expect(i.position).toBeGreaterThanOrEqual(0),
                expect(i.position).toBeLessThanOrEqual(text.length);
        },
      ),
      { numRuns: 500 },
    );
  });

  it('formatLiteral round-trips any string, number and boolean through the parser', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string({ unit: 'binary' }),
          fc.double({ noNaN: true, noDefaultInfinity: true }),
          fc.boolean(),
        ),
        (value) => {
          const r = parseFilter(`name eq ${formatLiteral(value)}`);
          expect(r.ok).toBe(true);
          if (r.ok && r.value.kind === 'compare')
            expect(r.value.value.value).toBe(Object.is(value, -0) ? 0 : value);
        },
      ),
      { numRuns: 300 },
    );
    expect(formatLiteral(null)).toBe('null');
    expect(() => formatLiteral(Number.NaN)).toThrow(RangeError);
  });
});

describe('$orderby and $select', () => {
  it('parses terms with directions and positions', () => {
    expect(parseOrderBy('name, price desc ,qty asc', schema)).toEqual({
      ok: true,
      value: [
        { field: { name: 'name', pos: 0 }, direction: 'asc' },
        { field: { name: 'price', pos: 6 }, direction: 'desc' },
        { field: { name: 'qty', pos: 18 }, direction: 'asc' },
      ],
    });
  });

  it.each([
    ['prize', 0, 'unknown-field'],
    ['name,', 5, 'syntax'],
    ['name down', 5, 'syntax'],
    ['name, name desc', 6, 'syntax'],
    ["name'", 4, 'syntax'],
    [
      Array.from({ length: QUERY_LIMITS.maxOrderBy + 1 }, () => 'name').join(','),
      5 * QUERY_LIMITS.maxOrderBy,
      'too-many',
    ],
  ])('$orderby %j → %s at %i', (text, position, code) => {
    const r = parseOrderBy(text, schema);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.issues[0]).toMatchObject({ code, position, parameter: '$orderby' });
  });

  it('checks sorts against the declared ones: a field either way, a composite as declared or all reversed', () => {
    const sortable = [
      [{ field: 'price', order: 'ascending' as const }],
      [
        { field: 'name', order: 'ascending' as const },
        { field: 'price', order: 'descending' as const },
      ],
    ];
    const terms = (text: string) => {
      const r = parseOrderBy(text, schema);
      if (!r.ok) throw new Error('parse');
      return r.value;
    };
    expect(checkSortable(terms('price desc'), sortable)).toEqual([]);
    expect(checkSortable(terms('name, price desc'), sortable)).toEqual([]);
    expect(checkSortable(terms('name desc, price asc'), sortable)).toEqual([]);
    const [mixed] = checkSortable(terms('name, price'), sortable);
    expect(mixed).toMatchObject({ code: 'not-sortable', position: 0 });
    expect(mixed!.message).toContain("sortable: [['name', 'price']]");
    const [single] = checkSortable(terms('qty'), sortable);
    expect(single!.message).toContain("sortable: ['qty']");
    expect(checkSortable(terms('name'), sortable)[0]?.code).toBe('not-sortable');
    expect(checkSortable(terms('price'), undefined)[0]?.code).toBe('not-sortable');
  });

  it('$select: schema fields, duplicates dropped, unknown ones with their position', () => {
    expect(parseSelect('name, price,name', schema)).toEqual({ ok: true, value: ['name', 'price'] });
    const r = parseSelect('name, prise', schema);
    expect(r.ok ? [] : r.issues).toMatchObject([
      { code: 'unknown-field', position: 6, parameter: '$select', field: 'prise' },
    ]);
  });

  it('parseListQuery gathers the issues of every parameter; empty parameters are absent', () => {
    const params: Record<string, string> = {
      $filter: 'prize gt 1',
      $orderby: 'qty',
      $select: 'nope',
    };
    const r = parseListQuery((n) => params[n], { schema, sortable: [] });
    expect(r.ok ? [] : r.issues.map((i) => [i.parameter, i.code])).toEqual([
      ['$filter', 'unknown-field'],
      ['$orderby', 'not-sortable'],
      ['$select', 'unknown-field'],
    ]);
    expect(
      parseListQuery((n) => (({ $filter: '  ', $select: '' }) as Record<string, string>)[n], {
        schema,
      }),
    ).toEqual({ ok: true, value: {} });
  });
});
