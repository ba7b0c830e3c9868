/**
 * Copy a plain-data tree as JSON would (dropping `undefined` properties and functions, turning `undefined`
 * array items and non-finite numbers into null) and freeze the copy, in one pass: plain, frozen, and equal
 * to its own JSON round trip, without paying for a stringify and a parse of a large tree.
 *
 * Every object this returns is remembered (weakly), and a later copy that meets it again keeps it as it
 * is: it is already plain and frozen. So data made plain once (a definition's requirements, built once
 * and planned many times; the plan, copied again into a deployment target) is not copied again.
 *
 * @example
 * ```ts
 * const entity = frozenPlainData({ name: 'User', ttl: undefined }); // { name: 'User' }, frozen
 * frozenPlainData({ entities: [entity] }).entities[0] === entity;   // true
 * ```
 */
export function frozenPlainData<T>(value: T): T {
  return copy(value) as T;
}

const plain = new WeakSet<object>();

function copy(v: unknown): unknown {
  if (v === null || typeof v !== 'object') return typeof v === 'number' && !Number.isFinite(v) ? null : v;
  if (plain.has(v)) return v;
  let out: unknown[] | Record<string, unknown>;
  if (Array.isArray(v)) {
    const items = new Array<unknown>(v.length);
    for (let i = 0; i < v.length; i++) {
      const x: unknown = v[i];
      items[i] = x === undefined || typeof x === 'function' ? null : copy(x);
    }
    out = items;
  } else {
    const record: Record<string, unknown> = {};
    for (const k of Object.keys(v)) {
      const x = (v as Record<string, unknown>)[k];
      if (x !== undefined && typeof x !== 'function') record[k] = copy(x);
    }
    out = record;
  }
  Object.freeze(out);
  plain.add(out);
  return out;
}
