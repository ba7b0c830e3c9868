/**
 * Limits on the shape of a JSON body, checked on the text before `JSON.parse` builds anything: bytes bound
 * the text, but not what parsing it costs (a 900 KB body of `[]` pairs becomes 12–15 MB of heap) nor the
 * recursion of everything that later walks the value (a body nested thousands deep overflowed the stack).
 *
 * @example
 * ```ts
 * const limits: JsonShapeLimits = { maxDepth: 32, maxValues: 50_000 };
 * ```
 */
export interface JsonShapeLimits {
  /** Deepest nesting of objects and arrays (the body object itself is depth 1). */
  readonly maxDepth: number;
  /** Most values in the document: every object, array, string, number, boolean, null and member key counts one. */
  readonly maxValues: number;
}

/**
 * Defaults of {@link JsonShapeLimits}: deeper than any sane item document, and few enough values that
 * a parsed body costs a few MB of heap at most.
 *
 * @example
 * ```ts
 * DEFAULT_JSON_LIMITS.maxDepth; // 32: a request body nested deeper is refused with 400
 * ```
 */
export const DEFAULT_JSON_LIMITS: JsonShapeLimits = { maxDepth: 32, maxValues: 50_000 };

/** Why a text exceeds the limits, or `undefined` when it does not. */
export type ShapeViolation =
  | { readonly limit: 'depth' | 'values'; readonly detail: string }
  | undefined;

// The structural characters of JSON, as the scan below compares them (char codes).
const code = (c: string): number => c.charCodeAt(0);
const QUOTE = code('"');
const BACKSLASH = code('\\');
const OPEN_OBJECT = code('{');
const OPEN_ARRAY = code('[');
const CLOSE_OBJECT = code('}');
const CLOSE_ARRAY = code(']');
const COMMA = code(',');
const COLON = code(':');

/**
 * Count the depth and the values of a JSON text in one linear pass, without parsing it. Only structural
 * characters outside strings count, so the result is exact for valid JSON; for invalid JSON it is some
 * number and `JSON.parse` rejects the text afterwards anyway.
 *
 * @example
 * ```ts
 * scanJsonShape('{"a":[[[]]]}', { maxDepth: 3, maxValues: 100 }); // { limit: 'depth', detail: '…' }
 * scanJsonShape('{"a":1}', DEFAULT_JSON_LIMITS);                    // undefined
 * ```
 */
export function scanJsonShape(text: string, limits: JsonShapeLimits): ShapeViolation {
  // No more characters than values allowed and no more brackets than levels: neither limit can be passed (each value
  // starts at a character of its own, each level opens with a bracket), answered with native searches, no walk.
  if (text.length <= limits.maxValues && opensAtMost(text, limits.maxDepth)) return undefined;
  return walkJsonShape(text, limits);
}

/** Whether `text` holds at most `max` opening brackets (`{` and `[`, in strings too). */
function opensAtMost(text: string, max: number): boolean {
  let n = 0;
  for (let i = text.indexOf('{'); i !== -1; i = text.indexOf('{', i + 1))
    if (++n > max) return false;
  for (let i = text.indexOf('['); i !== -1; i = text.indexOf('[', i + 1))
    if (++n > max) return false;
  return true;
}

/**
 * {@link scanJsonShape}'s walk itself, character by character, with no shortcut: what the shortcut is held to.
 *
 * @example
 * ```ts
 * walkJsonShape('{"a":[[[]]]}', { maxDepth: 3, maxValues: 100 }); // { limit: 'depth', detail: '…' }
 * ```
 */
export function walkJsonShape(text: string, limits: JsonShapeLimits): ShapeViolation {
  let depth = 0;
  // Values = containers + members/elements; an element is counted at each comma and at the first
  // non-blank character after an opening bracket, which this approximates by counting "value starts".
  let values = 0;
  let expectValue = true;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === BACKSLASH) i++;
      else if (c === QUOTE) inString = false;
      continue;
    }
    if (c <= 0x20) continue;
    if (c === COMMA || c === COLON) {
      // After a colon comes the member's value; after a comma, an element or a member's key.
      expectValue = true;
      continue;
    }
    if (c === CLOSE_OBJECT || c === CLOSE_ARRAY) {
      depth--;
      expectValue = false;
      continue;
    }
    if (expectValue) {
      values++;
      if (values > limits.maxValues) {
        return {
          limit: 'values',
          detail: `The body has more than ${limits.maxValues} JSON values.`,
        };
      }
      expectValue = false;
    }
    if (c === QUOTE) inString = true;
    else if (c === OPEN_OBJECT || c === OPEN_ARRAY) {
      depth++;
      expectValue = true;
      if (depth > limits.maxDepth) {
        return {
          limit: 'depth',
          detail: `The body is nested more than ${limits.maxDepth} levels deep.`,
        };
      }
    }
  }
  return undefined;
}

/**
 * Keys that must never reach a merge: `__proto__` swaps an object's prototype when assigned, so a field of
 * that name could make a required value "exist" through inheritance. Rejected at any depth.
 *
 * @example
 * ```ts
 * findForbiddenKey(JSON.parse('{"a":{"__proto__":{}}}')); // ['a', '__proto__']
 * ```
 */
export function findForbiddenKey(value: unknown): string[] | undefined {
  return findPath(value, (key) => key === '__proto__');
}

/**
 * The path of the first number JSON cannot carry into Cosmos DB: `JSON.parse('1e400')` is `Infinity`, which
 * `JSON.stringify` writes as `null` — stored, it would silently be something else. Walks the whole value,
 * so a field of an `object` field or an element of an array counts too.
 *
 * @example
 * ```ts
 * findNonFiniteNumber(JSON.parse('{"a":{"b":[1,-1e999]}}')); // ['a', 'b', '1']
 * ```
 */
export function findNonFiniteNumber(value: unknown): string[] | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? undefined : [];
  return findPath(value, (_key, v) => typeof v === 'number' && !Number.isFinite(v));
}

/**
 * The path of the first member or element of a parsed JSON value (at any depth) that `hit` names by its key
 * (undefined for an array's element) or its value; undefined when none does. The path is built only on the way
 * back from a hit: nothing is allocated per visited node.
 */
function findPath(value: unknown, hit: Hit): string[] | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const found = below(value[i], undefined, hit);
      if (found) return [String(i), ...found];
    }
    return undefined;
  }
  for (const key of Object.keys(value)) {
    const found = below((value as Record<string, unknown>)[key], key, hit);
    if (found) return [key, ...found];
  }
  return undefined;
}

type Hit = (key: string | undefined, member: unknown) => boolean;

/** `[]` when `hit` names the member itself, else the path of a hit below it. */
const below = (member: unknown, key: string | undefined, hit: Hit): string[] | undefined =>
  hit(key, member) ? [] : findPath(member, hit);
