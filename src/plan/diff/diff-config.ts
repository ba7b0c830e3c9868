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
    const kb = Object.keys(before);
    for (const k of kb) {
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
    // A key of `after` where `before` has it too, in a common start or end of both key lists, is no new key: only
    // the rest are looked up (a Function App's 3,000 settings and one CrudApi's more).
    const ka = Object.keys(after);
    let start = 0;
    while (start < kb.length && start < ka.length && kb[start] === ka[start]) start++;
    let endB = kb.length;
    let endA = ka.length;
    while (endB > start && endA > start && kb[endB - 1] === ka[endA - 1]) {
      endB--;
      endA--;
    }
    for (let i = start; i < endA; i++) {
      const k = ka[i] as string;
      if (!Object.hasOwn(before, k) && !sameJson(before[k], after[k])) keys.push(k);
    }
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
    const changed = changedItems(b, a);
    if (changed) {
      const out: ConfigChange[] = [];
      for (const [k, x, y] of changed.sort((p, q) => compare(p[0], q[0])))
        out.push(...changesOf(x, y, [...path, k], `${text}[${k}]`));
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

/** An item whose identity is `0`, before (`1`) and after (`2`): `undefined` where a list lacks it. */
type Pair = [string, JsonValue | undefined, JsonValue | undefined];

/**
 * The items of two lists matched by the first of {@link IDENTITY_FIELDS} that is a string, distinct within each
 * list, in every item of both lists, whose values write different JSON (one side absent when only the other has
 * it); `undefined` when no field is. Two lists in the order of that field (a plan's entities, databases and
 * containers are) are matched in one walk of both: no map of either (two of 1,000 entities at 1,000 CrudApis).
 */
function changedItems(
  before: readonly JsonValue[],
  after: readonly JsonValue[],
): Pair[] | undefined {
  if (before.length + after.length === 0) return undefined;
  for (let i = 0; i < before.length; i++) if (!isObject(before[i])) return undefined;
  for (let i = 0; i < after.length; i++) if (!isObject(after[i])) return undefined;
  for (const f of IDENTITY_FIELDS) {
    const b = identified(before, f);
    const a = b !== undefined ? identified(after, f) : undefined;
    if (b === undefined || a === undefined) continue;
    return b && a ? mergedPairs(before, after, f) : mappedPairs(before, after, f);
  }
  return undefined;
}

/**
 * Whether every item of `list` has a string `field`, each its own: `true` when they are in increasing order
 * (distinct without a set), `false` when distinct otherwise, `undefined` when one is no string or two share one.
 */
function identified(list: readonly JsonValue[], field: string): boolean | undefined {
  let last: string | undefined;
  let ordered = true;
  for (let i = 0; i < list.length; i++) {
    const v = (list[i] as Record<string, JsonValue>)[field];
    if (typeof v !== 'string') return undefined;
    if (ordered && last !== undefined && !(last < v)) ordered = false;
    last = v;
  }
  if (ordered) return true;
  const seen = new Set<string>();
  for (let i = 0; i < list.length; i++) {
    const v = (list[i] as Record<string, JsonValue>)[field] as string;
    if (seen.has(v)) return undefined;
    seen.add(v);
  }
  return false;
}

const idOf = (x: JsonValue | undefined, field: string) =>
  (x as Record<string, JsonValue>)[field] as string;

/** {@link changedItems} of two lists each in increasing order of `field`: both walked once, side by side. */
function mergedPairs(
  before: readonly JsonValue[],
  after: readonly JsonValue[],
  field: string,
): Pair[] {
  const out: Pair[] = [];
  let i = 0;
  let j = 0;
  while (i < before.length || j < after.length) {
    const x = before[i];
    const y = after[j];
    const kx = i < before.length ? idOf(x, field) : undefined;
    const ky = j < after.length ? idOf(y, field) : undefined;
    if (kx !== undefined && kx === ky) {
      if (!sameJson(x, y)) out.push([kx, x, y]);
      i++;
      j++;
    } else if (kx !== undefined && (ky === undefined || kx < ky)) {
      out.push([kx, x, undefined]);
      i++;
    } else {
      out.push([ky as string, undefined, y]);
      j++;
    }
  }
  return out;
}

/** {@link changedItems} of two lists in any order, each item found by its `field` in a map of the other list. */
function mappedPairs(
  before: readonly JsonValue[],
  after: readonly JsonValue[],
  field: string,
): Pair[] {
  const bi = new Map<string, JsonValue>();
  for (const x of before) bi.set(idOf(x, field), x);
  const ai = new Map<string, JsonValue>();
  for (const y of after) ai.set(idOf(y, field), y);
  const out: Pair[] = [];
  bi.forEach((x, k) => {
    const y = ai.get(k);
    if (!sameJson(x, y)) out.push([k, x, y]);
  });
  ai.forEach((y, k) => {
    if (!bi.has(k)) out.push([k, undefined, y]);
  });
  return out;
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
