import type { FilterNode, LiteralNode } from './ast.js';

/** Cosmos DB's three-valued result: a comparison with an absent field or a value of another type is `undefined`. */
type Tri = boolean | undefined;

/** The type Cosmos DB compares a value as, or `undefined` for one it never compares (objects, arrays, absent). */
function kindOf(v: unknown): 'number' | 'string' | 'boolean' | 'null' | undefined {
  if (v === null) return 'null';
  const t = typeof v;
  return t === 'number' || t === 'string' || t === 'boolean' ? t : undefined;
}

function compare(a: unknown, op: string, lit: LiteralNode): Tri {
  const k = kindOf(a);
  if (k === undefined || k !== lit.kind) return undefined;
  const b = lit.value;
  const x = a as number | string | boolean | null;
  switch (op) {
    case 'eq':
      return x === b;
    case 'ne':
      return x !== b;
    case 'gt':
      return (x as number) > (b as number);
    case 'ge':
      return (x as number) >= (b as number);
    case 'lt':
      return (x as number) < (b as number);
    default:
      return (x as number) <= (b as number);
  }
}

function evaluate(n: FilterNode, item: Readonly<Record<string, unknown>>): Tri {
  const field = (name: string) => (Object.hasOwn(item, name) ? item[name] : undefined);
  switch (n.kind) {
    case 'and': {
      let out: Tri = true;
      for (const i of n.items) {
        const r = evaluate(i, item);
        if (r === false) return false;
        if (r === undefined) out = undefined;
      }
      return out;
    }
    case 'or': {
      let out: Tri = false;
      for (const i of n.items) {
        const r = evaluate(i, item);
        if (r === true) return true;
        if (r === undefined) out = undefined;
      }
      return out;
    }
    case 'not': {
      const r = evaluate(n.operand, item);
      return r === undefined ? undefined : !r;
    }
    case 'compare': {
      const v = field(n.field.name);
      // `eq null` is "absent or null", `ne null` "present and not null": always true or false.
      if (n.value.kind === 'null') return (v === undefined || v === null) === (n.op === 'eq');
      return compare(v, n.op, n.value);
    }
    case 'in': {
      const v = field(n.field.name);
      if (kindOf(v) === undefined) return undefined;
      return n.values.some((lit) => compare(v, 'eq', lit) === true);
    }
    case 'call': {
      const v = field(n.field.name);
      if (typeof v !== 'string' || n.value.kind !== 'string') return undefined;
      const s = n.value.value;
      return n.fn === 'startswith'
        ? v.startsWith(s)
        : n.fn === 'endswith'
          ? v.endsWith(s)
          : v.includes(s);
    }
  }
}

/**
 * Whether an item matches a parsed `$filter` as the runtime's Cosmos DB query would decide (three-valued logic:
 * a comparison with an absent field, or with a value of another type, matches neither itself nor its `not`;
 * `eq null` is "absent or null"). For clients that filter what they already hold (the realtime `watch` and `live`).
 *
 * @example
 * ```ts
 * const r = parseFilter("done eq false and startswith(title, 'A')");
 * if (r.ok) matchesFilter(r.value, { title: 'Apples', done: false }); // true
 * ```
 */
export function matchesFilter(
  filter: FilterNode,
  item: Readonly<Record<string, unknown>>,
): boolean {
  return evaluate(filter, item) === true;
}
