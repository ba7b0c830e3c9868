import { mayHoldRef } from './resources/resource-ref.js';

/**
 * Copy a plain-data tree as JSON would (dropping `undefined` properties and functions, turning `undefined`
 * array items and non-finite numbers into null) and freeze the copy, in one pass: plain, frozen, and equal
 * to its own JSON round trip, without paying for a stringify and a parse of a large tree.
 *
 * Every object this returns is remembered (weakly), and a later copy that meets it again keeps it as it
 * is: it is already plain and frozen. So data made plain once (a definition's requirements, built once
 * and planned many times) is not copied again. Use it where data crosses into the planner from code that
 * may keep or change it (a user's component, provider or config).
 *
 * @example
 * ```ts
 * const entity = frozenPlainData({ name: 'User', ttl: undefined }); // { name: 'User' }, frozen
 * frozenPlainData({ entities: [entity] }).entities[0] === entity;   // true
 * ```
 */
export function frozenPlainData<T>(value: T): T {
  const outer = refSeen;
  refSeen = false;
  const out = copy(value);
  if (!refSeen && out !== null && typeof out === 'object') refFree.add(out);
  refSeen ||= outer;
  return out as T;
}

/**
 * Whether `value` was made by {@link frozenPlainData} and holds no text that may be a resource reference
 * (`${cosmos.endpoint}`, kit/pure/resources/resource-ref.ts): the planner's reference walk skips it whole. A CrudApi's
 * runtime entity is one: 10,000 of them were most of a fresh process's reference walk.
 *
 * @example
 * ```ts
 * isRefFreePlainData(frozenPlainData({ name: 'User' }));            // true
 * isRefFreePlainData(frozenPlainData({ url: '${cosmos.endpoint}' })); // false
 * ```
 */
export function isRefFreePlainData(value: object): boolean {
  return refFree.has(value);
}

/**
 * Make a tree the caller has just built plain and frozen **in place**: what {@link frozenPlainData} gives,
 * without a copy of the parts the caller owns. An object that is not frozen yet is taken to be the caller's
 * own, fresh and held by nobody else: its `undefined` and function properties are dropped, `undefined` or
 * function array items and non-finite numbers become null, and it is frozen. A frozen object is kept only
 * when {@link frozenPlainData} made it (frozen is not plain); any other one, or an object that is not a
 * plain object or array, is copied. So the caller must bring foreign data in through `frozenPlainData`
 * before it builds on it, and data it places more than once too (else each further place is a copy): this
 * is how the planner freezes a 21 MB plan at about a tenth of a copy's cost (~60 vs ~620 ms at 10,000 CrudApis).
 *
 * @example
 * ```ts
 * const entity = frozenPlainData({ name: 'User' });
 * const plan = freezeOwnedPlainData({ entities: [entity], gone: undefined }); // same object, frozen, no `gone`
 * plan.entities[0] === entity;                                               // true
 * ```
 */
export function freezeOwnedPlainData<T>(value: T): T {
  return settle(value) as T;
}

/**
 * Freeze a flat record of strings the caller has just built, and mark it plain data: {@link freezeOwnedPlainData}
 * then keeps it without visiting its properties. For large records of known strings (a Function App's 30,000
 * settings at 10,000 CrudApis, a walk of 7 ms); the caller must have checked that every value is a string.
 *
 * @example
 * ```ts
 * const settings = frozenStringRecord({ USER_API_DATABASE_NAME: 'user-db' });
 * freezeOwnedPlainData({ settings }).settings === settings; // true
 * ```
 */
export function frozenStringRecord<T extends { readonly [name: string]: string }>(record: T): T {
  Object.freeze(record);
  plain.add(record);
  return record;
}

const plain = new WeakSet<object>();
/** Roots made by frozenPlainData with no text that may hold a reference (only roots: one entry per call). */
const refFree = new WeakSet<object>();
/** Whether the copy under way met a text that may hold a reference, or plain data not known to hold none. */
let refSeen = false;

function copy(v: unknown): unknown {
  if (v === null || typeof v !== 'object') {
    if (typeof v === 'string' && mayHoldRef(v)) refSeen = true;
    return typeof v === 'number' && !Number.isFinite(v) ? null : v;
  }
  if (plain.has(v)) {
    if (!refFree.has(v)) refSeen = true;
    return v;
  }
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

// An object the caller placed twice is frozen at its first place and copied at the second (it is frozen by
// then, and not by frozenPlainData): right, if slower. Share data made by frozenPlainData instead. Nothing
// here records what it froze: a set of 150,000 objects cost more than the freezing itself.
function settle(v: unknown): unknown {
  if (v === null || typeof v !== 'object')
    return typeof v === 'number' && !Number.isFinite(v) ? null : v;
  return settleObject(v);
}

/**
 * {@link settle} of an object. Its items and properties that are not objects are settled in the loop, not by
 * a call each: they are two thirds of the 500,000 values of a plan of 10,000 CrudApis.
 */
function settleObject(v: object): unknown {
  if (Object.isFrozen(v)) return plain.has(v) ? v : copy(v);
  if (Array.isArray(v)) {
    for (let i = 0; i < v.length; i++) {
      const x: unknown = v[i];
      if (typeof x === 'object') {
        if (x !== null) {
          const y = settleObject(x);
          if (y !== x) v[i] = y;
        }
      } else if (
        x === undefined ||
        typeof x === 'function' ||
        (typeof x === 'number' && !Number.isFinite(x))
      )
        v[i] = null;
    }
  } else {
    if (Object.getPrototypeOf(v) !== Object.prototype) return copy(v);
    const record = v as Record<string, unknown>;
    // for…in rather than Object.keys: no array per object (200,000 of them in a plan of 10,000 CrudApis);
    // the prototype is Object.prototype (checked above), so every key met is the object's own.
    for (const k in record) {
      const x = record[k];
      if (typeof x === 'object') {
        if (x !== null) {
          const y = settleObject(x);
          if (y !== x) record[k] = y;
        }
      } else if (x === undefined || typeof x === 'function') {
        // Rare (an optional field left undefined): deleting makes this one object slower, never the plan wrong.
        // eslint-disable-next-line @typescript-eslint/no-dynamic-delete
        delete record[k];
      } else if (typeof x === 'number' && !Number.isFinite(x)) record[k] = null;
    }
  }
  return Object.freeze(v);
}
