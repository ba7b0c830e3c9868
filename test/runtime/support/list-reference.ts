// A reference evaluation of list queries in plain JavaScript, written independently of src/contract/query:
// the property tests draw a query as this module's tree, render it as text, send it to the runtime, and compare
// with what evaluate()/sortKeys() compute here. Semantics are Cosmos DB's: three-valued logic (a comparison
// with a field the item lacks is undefined; `not` keeps it undefined; `false and U` is false, `true or U` true),
// `eq null` = absent or null, strings compared by code unit (ordinal).
import fc from 'fast-check';

export type Lit = string | number | boolean | null;
export type RefFilter =
  | { k: 'cmp'; field: string; op: 'eq' | 'ne' | 'gt' | 'ge' | 'lt' | 'le'; value: Lit }
  | { k: 'in'; field: string; values: Lit[] }
  | { k: 'fn'; fn: 'startswith' | 'endswith' | 'contains'; field: string; value: string }
  | { k: 'and' | 'or'; items: RefFilter[] }
  | { k: 'not'; item: RefFilter };

type Tri = true | false | undefined;
type Item = Record<string, unknown>;

/** The test's own quoting (OData: a quote inside a string is written twice). */
export function lit(v: Lit): string {
  return typeof v === 'string' ? `'${v.split("'").join("''")}'` : String(v);
}

export function render(f: RefFilter): string {
  switch (f.k) {
    case 'cmp':
      return `${f.field} ${f.op} ${lit(f.value)}`;
    case 'in':
      return `${f.field} in (${f.values.map(lit).join(', ')})`;
    case 'fn':
      return `${f.fn}(${f.field},${lit(f.value)})`;
    case 'and':
    case 'or':
      return f.items.map((i) => `(${render(i)})`).join(` ${f.k} `);
    case 'not':
      return `not (${render(f.item)})`;
  }
}

function compare(a: unknown, op: string, b: Lit): Tri {
  if (b === null) {
    const isNull = a === undefined || a === null;
    return op === 'eq' ? isNull : !isNull;
  }
  if (a === undefined || typeof a !== typeof b) return undefined;
  const x = a as string | number | boolean;
  switch (op) {
    case 'eq':
      return x === b;
    case 'ne':
      return x !== b;
    case 'gt':
      return x > b;
    case 'ge':
      return x >= b;
    case 'lt':
      return x < b;
    default:
      return x <= b;
  }
}

export function evaluate(f: RefFilter, item: Item): Tri {
  switch (f.k) {
    case 'cmp':
      return compare(item[f.field], f.op, f.value);
    case 'in': {
      const v = item[f.field];
      return v === undefined ? undefined : f.values.includes(v as Lit);
    }
    case 'fn': {
      const v = item[f.field];
      if (typeof v !== 'string') return undefined;
      return f.fn === 'startswith'
        ? v.startsWith(f.value)
        : f.fn === 'endswith'
          ? v.endsWith(f.value)
          : v.includes(f.value);
    }
    case 'and': {
      const r = f.items.map((i) => evaluate(i, item));
      return r.includes(false) ? false : r.includes(undefined) ? undefined : true;
    }
    case 'or': {
      const r = f.items.map((i) => evaluate(i, item));
      return r.includes(true) ? true : r.includes(undefined) ? undefined : false;
    }
    case 'not': {
      const r = evaluate(f.item, item);
      return r === undefined ? undefined : !r;
    }
  }
}

/** -1/0/1 by Cosmos DB's ordering of same-typed values (the test's sort fields always hold one type). */
export function cmpValues(a: unknown, b: unknown): number {
  return (a as number) < (b as number) ? -1 : (a as number) > (b as number) ? 1 : 0;
}

// Small alphabets so that equality, prefixes and ties happen often; the quote tests literal escaping.
const text = fc.string({ unit: fc.constantFrom('a', 'b', 'A', "'", 'é', ' '), maxLength: 3 });
const price = fc.oneof(fc.integer({ min: -3, max: 3 }), fc.constantFrom(0.5, -1.25, 2.75));

/** A random product as the test entity's schema allows (name, category, price required). */
export const itemArb = fc.record(
  {
    name: text,
    category: fc.constantFrom('x', 'y', 'z'),
    price,
    qty: fc.option(fc.integer({ min: 0, max: 3 }), { nil: undefined }),
    active: fc.option(fc.boolean(), { nil: undefined }),
    note: fc.option(text, { nil: undefined }),
  },
  { requiredKeys: ['name', 'category', 'price'] },
);

const ops = fc.constantFrom('eq', 'ne', 'gt', 'ge', 'lt', 'le') as fc.Arbitrary<
  'eq' | 'ne' | 'gt' | 'ge' | 'lt' | 'le'
>;
const stringField = fc.constantFrom('name', 'category', 'note');
const leaf: fc.Arbitrary<RefFilter> = fc.oneof(
  fc.record({
    k: fc.constant('cmp' as const),
    field: stringField,
    op: ops,
    value: text as fc.Arbitrary<Lit>,
  }),
  fc.record({
    k: fc.constant('cmp' as const),
    field: fc.constant('price'),
    op: ops,
    value: price as fc.Arbitrary<Lit>,
  }),
  fc.record({
    k: fc.constant('cmp' as const),
    field: fc.constant('qty'),
    op: ops,
    value: fc.integer({ min: 0, max: 3 }) as fc.Arbitrary<Lit>,
  }),
  fc.record({
    k: fc.constant('cmp' as const),
    field: fc.constant('active'),
    op: fc.constantFrom('eq' as const, 'ne' as const),
    value: fc.boolean() as fc.Arbitrary<Lit>,
  }),
  fc.record({
    k: fc.constant('cmp' as const),
    field: fc.constantFrom('note', 'qty', 'active'),
    op: fc.constantFrom('eq' as const, 'ne' as const),
    value: fc.constant(null),
  }),
  // `in` on required fields only: on a field the item lacks, the local server's IN is false where Azure's is
  // undefined (so `not (note in (…))` differs); test/runtime/list-query.test.ts pins that case's SQL instead.
  fc.record({
    k: fc.constant('in' as const),
    field: fc.constantFrom('name', 'category'),
    values: fc.array(text as fc.Arbitrary<Lit>, { minLength: 1, maxLength: 3 }),
  }),
  fc.record({
    k: fc.constant('in' as const),
    field: fc.constant('price'),
    values: fc.array(price as fc.Arbitrary<Lit>, { minLength: 1, maxLength: 3 }),
  }),
  fc.record({
    k: fc.constant('fn' as const),
    fn: fc.constantFrom('startswith' as const, 'endswith' as const, 'contains' as const),
    field: stringField,
    value: text,
  }),
);

/** Random filters up to three levels of and/or/not over the leaves above. */
export const filterArb: fc.Arbitrary<RefFilter> = fc.letrec<{ f: RefFilter }>((tie) => ({
  // At most three levels: the local server's SQL parser takes about three times longer per level of parentheses.
  f: fc.oneof(
    { depthSize: 'small', maxDepth: 3, withCrossShrink: true },
    leaf,
    fc.record({
      k: fc.constantFrom('and' as const, 'or' as const),
      items: fc.array(tie('f'), { minLength: 2, maxLength: 3 }),
    }),
    fc.record({ k: fc.constant('not' as const), item: tie('f') }),
  ),
})).f;
