import type { JsonValue } from '../../model/plan.js';
import type { ConfigChange } from './diff-types.js';
import { compare } from '../../kit/pure/resources/merge-strategies.js';

/**
 * Leaf-level differences of two JSON values; arrays of named objects are matched by name, not position. Only the
 * keys (and names) whose values differ are sorted and walked: a Function App's config holds every CrudApi's
 * settings and entity, and one more CrudApi is a few changes among thousands of equal keys (sorting and walking
 * them all was a third of a review page with a base at 1,000 CrudApis).
 */
export function diffConfig(
  before: JsonValue | undefined,
  after: JsonValue | undefined,
  path: string[] = [],
  text = '',
): ConfigChange[] {
  // Two objects: changesOf compares each key's values and finds none changed when they write the same JSON (one
  // walk of a Function App's config instead of two, the second stopping at the first change).
  if (isObject(before) && isObject(after)) return changesOf(before, after, path, text);
  return sameJson(before, after) ? [] : changesOf(before, after, path, text);
}

/** {@link diffConfig} of two values known to write different JSON. */
function changesOf(
  before: JsonValue | undefined,
  after: JsonValue | undefined,
  path: string[],
  text: string,
): ConfigChange[] {
  if (isObject(before) && isObject(after)) {
    const keys: string[] = [];
    // Two objects under one key are diffed at once, not first told apart by sameJson (which, for a Function App's
    // 3,000 settings and one CrudApi's more, counts the written keys of each before the diff walks them again):
    // their changes are the empty list exactly when every key's values write the same JSON.
    let found: Map<string, ConfigChange[]> | undefined;
    for (const k of Object.keys(before)) {
      const x = before[k];
      const y = after[k];
      if (x !== y && isObject(x) && isObject(y)) {
        const sub = changesOf(x, y, [...path, k], text ? `${text}.${k}` : k);
        if (sub.length > 0) {
          keys.push(k);
          (found ??= new Map()).set(k, sub);
        }
      } else if (!sameJson(x, y)) keys.push(k);
    }
    for (const k of Object.keys(after))
      if (!Object.hasOwn(before, k) && !sameJson(before[k], after[k])) keys.push(k);
    const out: ConfigChange[] = [];
    for (const k of keys.sort(compare))
      out.push(
        ...(found?.get(k) ??
          changesOf(before[k], after[k], [...path, k], text ? `${text}.${k}` : k)),
      );
    return out;
  }
  if (Array.isArray(before) && Array.isArray(after)) {
    const b = before as readonly JsonValue[];
    const a = after as readonly JsonValue[];
    const byId = identities(b, a);
    if (byId) {
      const [bi, ai] = byId;
      const ids: string[] = [];
      bi.forEach((x, k) => {
        if (!sameJson(x, ai.get(k))) ids.push(k);
      });
      ai.forEach((_, k) => {
        if (!bi.has(k)) ids.push(k);
      });
      const out: ConfigChange[] = [];
      for (const k of ids.sort(compare))
        out.push(...changesOf(bi.get(k), ai.get(k), [...path, k], `${text}[${k}]`));
      return out;
    }
  }
  return [
    {
      path,
      pathText: text,
      ...(before !== undefined ? { before } : {}),
      ...(after !== undefined ? { after } : {}),
    },
  ];
}

const IDENTITY_FIELDS = ['name', 'componentId', 'key', 'id'] as const;

/**
 * Both lists' items by the first of {@link IDENTITY_FIELDS} that is a string, distinct within each list, in every
 * item of both lists (the maps made while checking that, not in a second pass); `undefined` when no field is.
 */
function identities(
  before: readonly JsonValue[],
  after: readonly JsonValue[],
): [Map<string, JsonValue>, Map<string, JsonValue>] | undefined {
  if (before.length + after.length === 0) return undefined;
  for (const x of before) if (!isObject(x)) return undefined;
  for (const x of after) if (!isObject(x)) return undefined;
  for (const f of IDENTITY_FIELDS) {
    const b = byDistinct(before, f);
    const a = b && byDistinct(after, f);
    if (b && a) return [b, a];
  }
  return undefined;
}

/** The items of `list` by their `field`, or `undefined` when one's is no string or two share one. */
function byDistinct(list: readonly JsonValue[], field: string): Map<string, JsonValue> | undefined {
  const m = new Map<string, JsonValue>();
  for (const x of list) {
    const v = (x as Record<string, JsonValue>)[field];
    if (typeof v !== 'string' || m.has(v)) return undefined;
    m.set(v, x);
  }
  return m;
}

export const isObject = (v: JsonValue | undefined): v is { readonly [k: string]: JsonValue } =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * `JSON.stringify(a) === JSON.stringify(b)`, without writing either: the diff asks it of every subtree on the way
 * down to each change, and a Function App's config holds every CrudApi's entity (writing it at each level made a
 * diff of two plans of 1,000 CrudApis cost ×5 the page that shows it). The same answer for JSON data (a plan, or
 * one read from a file): key order counts, as it does in the text; keys whose value JSON leaves out (undefined,
 * functions, symbols) are skipped, and in arrays such values and non-finite numbers are `null`. A value with a
 * `toJSON` method (not plan data) is compared by its text.
 *
 * @example
 * ```ts
 * sameJson({ a: 1, b: [2] }, { a: 1, b: [2] }); // true
 * sameJson({ a: 1, b: 2 }, { b: 2, a: 1 }); // false, as their JSON texts differ
 * ```
 */
export function sameJson(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  // Two objects (most of what the diff walks): their kinds told without jsonKind's tests of each.
  if (typeof a === 'object' && typeof b === 'object' && a !== null && b !== null) {
    if (hasToJson(a) || hasToJson(b)) return JSON.stringify(a) === JSON.stringify(b);
    const array = Array.isArray(a);
    if (array !== Array.isArray(b)) return false;
    return array
      ? sameItems(a as readonly unknown[], b as readonly unknown[])
      : sameEntries(a as Record<string, unknown>, b as Record<string, unknown>);
  }
  const ta = jsonKind(a);
  const tb = jsonKind(b);
  if (ta === 'text' || tb === 'text') return JSON.stringify(a) === JSON.stringify(b);
  if (ta !== tb) return false;
  // The same kind, one at least not an object (two objects were compared above): so neither is one.
  return ta === 'null' || ta === 'absent' || a === b;
}

const hasToJson = (v: object) => typeof (v as { toJSON?: unknown }).toJSON === 'function';

function sameItems(x: readonly unknown[], y: readonly unknown[]): boolean {
  if (x.length !== y.length) return false;
  for (let i = 0; i < x.length; i++)
    if (x[i] !== y[i] && !sameJson(inArray(x[i]), inArray(y[i]))) return false;
  return true;
}

/**
 * Objects: the same written keys in the same order, with the same values. Most objects the diff compares (each
 * entity, container and setting of two plans) have the same keys in the same order: keys and values are compared
 * in one loop, each value read once (no list of keys filtered per object, which was half of a diff of two plans of
 * 1,000 CrudApis; one loop instead of the keys' and then the values' made comparing their entities ×1.4 faster). A
 * key whose value JSON leaves out on both sides is in neither text, so it counts as equal; left out on one side
 * only, the texts differ (sameJson says so of the two values). Keys that part ways are settled by
 * {@link sameWrittenKeys}, from the start.
 */
function sameEntries(x: Record<string, unknown>, y: Record<string, unknown>): boolean {
  const kx = Object.keys(x);
  const ky = Object.keys(y);
  const n = kx.length;
  if (n === ky.length) {
    // The keys before the first that differ are the same, with values that write the same JSON: a value that
    // differs under the same key makes the texts differ, whatever follows.
    let i = 0;
    for (; i < n; i++) {
      const k = kx[i] as string;
      if (k !== ky[i]) break;
      const a = x[k];
      const b = y[k];
      if (a !== b && !sameJson(a, b)) return false;
    }
    if (i === n) return true;
  }
  return sameWrittenKeys(x, kx, y, ky);
}

/** {@link sameJson} of two objects whose keys differ: the keys JSON writes of each, in order, with their values. */
function sameWrittenKeys(
  x: Record<string, unknown>,
  kx: readonly string[],
  y: Record<string, unknown>,
  ky: readonly string[],
): boolean {
  // Counted first: keys that differ are mostly one object holding a key more (a CrudApi's settings among 3,000),
  // told apart without a filtered list of each.
  if (written(x, kx) !== written(y, ky)) return false;
  const wx = kx.filter((k) => jsonKind(x[k]) !== 'absent');
  const wy = ky.filter((k) => jsonKind(y[k]) !== 'absent');
  return wx.length === wy.length && wx.every((k, n) => k === wy[n] && sameJson(x[k], y[k]));
}

/** How many of `keys` JSON writes of `o`. */
function written(o: Record<string, unknown>, keys: readonly string[]): number {
  let n = 0;
  for (const k of keys) if (jsonKind(o[k]) !== 'absent') n++;
  return n;
}

/** A value as JSON writes it: a non-finite number is `null`; `absent` is what it leaves out of an object. */
function jsonKind(
  v: unknown,
): 'null' | 'absent' | 'number' | 'string' | 'boolean' | 'array' | 'object' | 'text' {
  if (v === null) return 'null';
  switch (typeof v) {
    case 'number':
      return Number.isFinite(v) ? 'number' : 'null';
    case 'string':
      return 'string';
    case 'boolean':
      return 'boolean';
    case 'object':
      // A toJSON method (a Date, say) writes what it returns: compare the texts.
      if (typeof (v as { toJSON?: unknown }).toJSON === 'function') return 'text';
      return Array.isArray(v) ? 'array' : 'object';
    case 'bigint':
      return 'text';
    default:
      return 'absent';
  }
}

/** In an array, what JSON leaves out of an object is written `null`. */
const inArray = (v: unknown): unknown => (jsonKind(v) === 'absent' ? null : v);
