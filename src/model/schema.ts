/**
 * A small schema language for JSON that crosses a process boundary (the runtime manifest): a schema is plain
 * data (`kind` and its constraints) that carries the TypeScript type it admits, and {@link parseWith} reads a
 * value against it, returning either the value (rebuilt from the schema, so it holds no key the schema does not
 * name) or every issue found, each with its path. The writer types what it writes with the same schema's type
 * ({@link exactSchema} ties a schema to a declared interface both ways), so writer and reader cannot drift.
 *
 * In-house rather than zod: the runtime bundle the Function App loads stays a few kilobytes, and the issues are
 * data the caller turns into its own error.
 *
 * @example
 * ```ts
 * const Point = object({ x: number(), y: number(), label: optional(string()) });
 * const r = parseWith(Point, JSON.parse(text)); // { ok: true, value: { x, y, label? } } or { ok: false, issues }
 * ```
 */

/** Where a value sits in the input: object keys and array indexes from the root. */
export type SchemaPath = readonly (string | number)[];

/**
 * One thing wrong with the input, as data.
 *
 * @example
 * ```ts
 * const issue: SchemaIssue = { path: ['entities', 0, 'route'], message: 'expected a non-empty string' };
 * ```
 */
export interface SchemaIssue {
  readonly path: SchemaPath;
  readonly message: string;
}

/** What a schema node is, as data; {@link parseWith} interprets it. */
export type SchemaNode =
  | { readonly kind: 'string'; readonly pattern?: RegExp }
  | { readonly kind: 'literal'; readonly values: readonly (string | number | boolean)[] }
  | { readonly kind: 'number'; readonly integer: boolean; readonly min?: number }
  | { readonly kind: 'boolean' }
  | { readonly kind: 'unknown' }
  | { readonly kind: 'array'; readonly item: SchemaNode; readonly minItems: number }
  | { readonly kind: 'record'; readonly value: SchemaNode }
  | {
      readonly kind: 'object';
      readonly fields: Readonly<Record<string, SchemaNode | OptionalNode>>;
    }
  | { readonly kind: 'union'; readonly options: readonly SchemaNode[]; readonly expected: string }
  | {
      readonly kind: 'tagged';
      readonly tag: string;
      readonly cases: Readonly<Record<string, SchemaNode>>;
    }
  | {
      readonly kind: 'refine';
      readonly inner: SchemaNode;
      readonly check: (value: never) => readonly SchemaIssue[];
    };

/** An object field that may be absent. */
export interface OptionalNode {
  readonly kind: 'optional';
  readonly inner: SchemaNode;
}

declare const admits: unique symbol;

/**
 * A schema node admitting values of type `T` (a phantom: never present at run time).
 *
 * @example
 * ```ts
 * const port: Schema<number> = number({ integer: true, min: 1 });
 * ```
 */
export type Schema<T> = SchemaNode & { readonly [admits]?: T };

/** An optional object field admitting `T` when present. */
export type Optional<T> = OptionalNode & { readonly [admits]?: T };

/**
 * The type a schema admits.
 *
 * @example
 * ```ts
 * type Point = Infer<typeof Point>;
 * ```
 */
export type Infer<S> = S extends { readonly [admits]?: infer T } ? T : never;

type Fields = Readonly<Record<string, Schema<unknown> | Optional<unknown>>>;
type OptionalKeys<F extends Fields> = {
  [K in keyof F]: F[K] extends OptionalNode ? K : never;
}[keyof F];
type Flat<T> = { [K in keyof T]: T[K] } & {};
/** The object type of a field map: optional fields `?:`, every field readonly. */
export type ObjectOf<F extends Fields> = Flat<
  { readonly [K in Exclude<keyof F, OptionalKeys<F>>]: Infer<F[K]> } & {
    readonly [K in OptionalKeys<F>]?: Infer<F[K]>;
  }
>;

/**
 * A non-empty string, optionally matching `pattern`.
 *
 * @example
 * ```ts
 * const route = string({ pattern: /^[a-z]+$/ });
 * ```
 */
export function string(options: { readonly pattern?: RegExp } = {}): Schema<string> {
  return { kind: 'string', ...options };
}

/**
 * One of the given values exactly.
 *
 * @example
 * ```ts
 * const order = literal('ascending', 'descending'); // Schema<'ascending' | 'descending'>
 * ```
 */
export function literal<const V extends readonly (string | number | boolean)[]>(
  ...values: V
): Schema<V[number]> {
  return { kind: 'literal', values };
}

/**
 * A finite number, optionally an integer (safe) and at least `min`.
 *
 * @example
 * ```ts
 * const size = number({ integer: true, min: 1 });
 * ```
 */
export function number(
  options: { readonly integer?: boolean; readonly min?: number } = {},
): Schema<number> {
  return {
    kind: 'number',
    integer: options.integer ?? false,
    ...(options.min !== undefined ? { min: options.min } : {}),
  };
}

/**
 * `true` or `false`.
 *
 * @example
 * ```ts
 * const enabled = boolean();
 * ```
 */
export function boolean(): Schema<boolean> {
  return { kind: 'boolean' };
}

/**
 * Any JSON value, kept as it is (a JSON Schema the app passes through, say).
 *
 * @example
 * ```ts
 * const keyword = unknown();
 * ```
 */
export function unknown(): Schema<unknown> {
  return { kind: 'unknown' };
}

/**
 * An array of `item`, with at least `minItems` entries.
 *
 * @example
 * ```ts
 * const tags = array(string(), { minItems: 1 });
 * ```
 */
export function array<T>(
  item: Schema<T>,
  options: { readonly minItems?: number } = {},
): Schema<readonly T[]> {
  return { kind: 'array', item, minItems: options.minItems ?? 0 };
}

/**
 * An object whose every key maps to `value`.
 *
 * @example
 * ```ts
 * const settings = record(string());
 * ```
 */
export function record<T>(value: Schema<T>): Schema<{ readonly [key: string]: T }> {
  return { kind: 'record', value };
}

/**
 * Marks an object field that may be absent.
 *
 * @example
 * ```ts
 * const labelled = object({ label: optional(string()) });
 * ```
 */
export function optional<T>(inner: Schema<T>): Optional<T> {
  return { kind: 'optional', inner };
}

/**
 * An object with the given fields (in this order: issues are reported in it). Keys the schema does not name are
 * left out of the parsed value.
 *
 * @example
 * ```ts
 * const Point = object({ x: number(), y: number() });
 * ```
 */
export function object<const F extends Fields>(fields: F): Schema<ObjectOf<F>> {
  return { kind: 'object', fields };
}

/**
 * The first option the value matches; `expected` words the issue when none does.
 *
 * @example
 * ```ts
 * const ttl = union('-1 or a positive integer', literal(-1), number({ integer: true, min: 1 }));
 * ```
 */
export function union<const S extends readonly Schema<unknown>[]>(
  expected: string,
  ...options: S
): Schema<Infer<S[number]>> {
  return { kind: 'union', options, expected };
}

/**
 * Objects told apart by the string field `tag`: the case its value names checks the rest, so issues speak of
 * that case only.
 *
 * @example
 * ```ts
 * const shape = tagged('kind', {
 *   circle: object({ kind: literal('circle'), r: number() }),
 *   dot: object({ kind: literal('dot') }),
 * });
 * ```
 */
export function tagged<const C extends Readonly<Record<string, Schema<object>>>>(
  tag: string,
  cases: C,
): Schema<Infer<C[keyof C]>> {
  return { kind: 'tagged', tag, cases };
}

/**
 * A rule across fields, run once `inner` holds; it returns issues with paths relative to the value.
 *
 * @example
 * ```ts
 * const range = refine(object({ lo: number(), hi: number() }), (r) =>
 *   r.lo <= r.hi ? [] : [{ path: ['hi'], message: 'below lo' }],
 * );
 * ```
 */
export function refine<T>(
  inner: Schema<T>,
  check: (value: T) => readonly SchemaIssue[],
): Schema<T> {
  return { kind: 'refine', inner, check };
}

/**
 * Whether `A` and `B` are the same type (optional and readonly modifiers included): two deferred conditional
 * types are related only when their checked types are identical.
 */
type Same<A, B> =
  // eslint-disable-next-line @typescript-eslint/no-unnecessary-type-parameters -- the deferred generic is the point
  (<G>() => G extends A ? 1 : 2) extends <G>() => G extends B ? 1 : 2 ? true : false;

/**
 * Ties a schema to a declared type: compiles only when the schema admits exactly `T` (a field missing from
 * either side, or typed differently, is a type error), so the interface keeps its documentation and the schema
 * cannot drift from it.
 *
 * @example
 * ```ts
 * interface Point { readonly x: number; readonly y: number }
 * const PointSchema = exactSchema<Point>()(object({ x: number(), y: number() }));
 * ```
 */
export function exactSchema<T>() {
  return <S extends Schema<T>>(
    schema: S,
    ..._same: Same<Infer<S>, T> extends true ? [] : [schemaDiffersFrom: T]
  ): Schema<T> => schema;
}

/**
 * The outcome of {@link parseWith}: the value, or every issue (never empty).
 *
 * @example
 * ```ts
 * const r: Parsed<number> = parseWith(number(), 3);
 * ```
 */
export type Parsed<T> =
  | { readonly ok: true; readonly value: T }
  | { readonly ok: false; readonly issues: readonly [SchemaIssue, ...SchemaIssue[]] };

/**
 * Reads `value` against `schema`: every issue, each with its path, or the value rebuilt from the schema.
 *
 * @example
 * ```ts
 * const r = parseWith(object({ x: number() }), { x: 'a' }); // { ok: false, issues: [{ path: ['x'], message: 'expected a number' }] }
 * ```
 */
export function parseWith<T>(schema: Schema<T>, value: unknown): Parsed<T> {
  const issues: SchemaIssue[] = [];
  const read = readNode(schema, value, [], issues);
  const [first, ...rest] = issues;
  // readNode only rebuilds what the schema admits, and nothing is admitted when it recorded an issue.
  return first ? { ok: false, issues: [first, ...rest] } : { ok: true, value: read as T };
}

const isObject = (v: unknown): v is Readonly<Record<string, unknown>> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);
const words = (values: readonly unknown[]): string =>
  values.map((v) => JSON.stringify(v)).join(' | ');

/** What {@link readNode} returns for a value it recorded an issue about. */
const INVALID = Symbol('invalid');

/** The value rebuilt from `node`, issues appended to `issues` (the returned value means nothing when any were). */
function readNode(
  node: SchemaNode,
  value: unknown,
  path: SchemaPath,
  issues: SchemaIssue[],
): unknown {
  const fail = (message: string): typeof INVALID => {
    issues.push({ path, message });
    return INVALID;
  };
  switch (node.kind) {
    case 'string':
      if (typeof value !== 'string' || value === '') return fail('expected a non-empty string');
      if (node.pattern && !node.pattern.test(value))
        return fail(`"${value}" does not match ${String(node.pattern)}`);
      return value;
    case 'literal':
      return node.values.some((v) => v === value)
        ? value
        : fail(`expected ${words(node.values)}, got ${JSON.stringify(value) ?? 'nothing'}`);
    case 'number':
      if (typeof value !== 'number' || !Number.isFinite(value)) return fail('expected a number');
      if (node.integer && !Number.isSafeInteger(value)) return fail('expected an integer');
      return node.min !== undefined && value < node.min
        ? fail(`expected at least ${node.min}`)
        : value;
    case 'boolean':
      return typeof value === 'boolean' ? value : fail('expected true or false');
    case 'unknown':
      return value;
    case 'array':
      if (!Array.isArray(value)) return fail('expected an array');
      if (value.length < node.minItems)
        return fail(`expected at least ${node.minItems} entr${node.minItems === 1 ? 'y' : 'ies'}`);
      return value.map((v: unknown, i) => readNode(node.item, v, [...path, i], issues));
    case 'record':
      if (!isObject(value)) return fail('expected an object');
      return Object.fromEntries(
        Object.entries(value).map(([k, v]) => [k, readNode(node.value, v, [...path, k], issues)]),
      );
    case 'object': {
      if (!isObject(value)) return fail('expected an object');
      const out: Record<string, unknown> = {};
      for (const [key, field] of Object.entries(node.fields)) {
        const v = value[key];
        if (field.kind === 'optional') {
          if (v !== undefined) out[key] = readNode(field.inner, v, [...path, key], issues);
        } else if (v === undefined) {
          issues.push({ path: [...path, key], message: 'missing' });
        } else {
          out[key] = readNode(field, v, [...path, key], issues);
        }
      }
      return out;
    }
    case 'union': {
      for (const option of node.options) {
        const tried: SchemaIssue[] = [];
        const read = readNode(option, value, path, tried);
        if (tried.length === 0) return read;
      }
      return fail(`expected ${node.expected}`);
    }
    case 'tagged': {
      const tag = isObject(value) ? value[node.tag] : undefined;
      const chosen =
        typeof tag === 'string' && Object.hasOwn(node.cases, tag) ? node.cases[tag] : undefined;
      if (!chosen)
        return fail(`expected an object with ${node.tag}: ${words(Object.keys(node.cases))}`);
      return readNode(chosen, value, path, issues);
    }
    case 'refine': {
      const before = issues.length;
      const read = readNode(node.inner, value, path, issues);
      if (issues.length > before) return read;
      // The inner schema admitted the value, so it is of the refined type.
      for (const issue of (node.check as (v: unknown) => readonly SchemaIssue[])(read))
        issues.push({ path: [...path, ...issue.path], message: issue.message });
      return read;
    }
  }
}
