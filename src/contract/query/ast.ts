/**
 * The list-query grammar's vocabulary and syntax tree (Data API builder's REST conventions, DESIGN §6): what the
 * parser produces, the runtime compiles to Cosmos DB SQL, and the typed client writes. Plain data with the
 * position (0-based offset into the parameter's text) of every node, so each error can point at its place.
 *
 * @example
 * ```ts
 * const node: FilterNode = {
 *   kind: 'compare', op: 'gt', pos: 0,
 *   field: { name: 'price', pos: 0 }, value: { kind: 'number', value: 5, pos: 9 },
 * }; // price gt 5
 * ```
 */
export type FilterNode = LogicalNode | NotNode | CompareNode | InNode | CallNode;

/**
 * Comparison operators of `$filter`, as written in the query string.
 *
 * @example
 * ```ts
 * COMPARE_OPERATORS.includes('ge'); // true
 * ```
 */
export const COMPARE_OPERATORS = ['eq', 'ne', 'gt', 'ge', 'lt', 'le'] as const;
/** One of {@link COMPARE_OPERATORS}. @example `const op: CompareOperator = 'eq';` */
export type CompareOperator = (typeof COMPARE_OPERATORS)[number];

/**
 * Logical operators of `$filter`: `and`, `or` (binary) and `not` (prefix).
 *
 * @example
 * ```ts
 * LOGICAL_OPERATORS; // ['and', 'or', 'not']
 * ```
 */
export const LOGICAL_OPERATORS = ['and', 'or', 'not'] as const;

/**
 * String functions of `$filter`, written `startswith(field,'text')`; case-sensitive.
 *
 * @example
 * ```ts
 * STRING_FUNCTIONS.includes('contains'); // true
 * ```
 */
export const STRING_FUNCTIONS = ['startswith', 'endswith', 'contains'] as const;
/** One of {@link STRING_FUNCTIONS}. @example `const fn: StringFunction = 'startswith';` */
export type StringFunction = (typeof STRING_FUNCTIONS)[number];

/** A field named in an expression, where it was written. @example `const f: FieldRef = { name: 'price', pos: 0 };` */
export interface FieldRef {
  readonly name: string;
  readonly pos: number;
}

/**
 * A literal as written: `'text'` (with `''` for a quote), a number, `true`/`false`, `null`.
 *
 * @example
 * ```ts
 * const l: LiteralNode = { kind: 'string', value: "O'Brien", pos: 8 }; // 'O''Brien'
 * ```
 */
export type LiteralNode =
  | { readonly kind: 'string'; readonly value: string; readonly pos: number }
  | { readonly kind: 'number'; readonly value: number; readonly pos: number }
  | { readonly kind: 'boolean'; readonly value: boolean; readonly pos: number }
  | { readonly kind: 'null'; readonly value: null; readonly pos: number };

/** `a and b and c` / `a or b`: n-ary, so a long chain is one level deep. */
export interface LogicalNode {
  readonly kind: 'and' | 'or';
  readonly items: readonly FilterNode[];
  readonly pos: number;
}

/** `not x`. */
export interface NotNode {
  readonly kind: 'not';
  readonly operand: FilterNode;
  readonly pos: number;
}

/** `field op literal`. */
export interface CompareNode {
  readonly kind: 'compare';
  readonly op: CompareOperator;
  readonly field: FieldRef;
  readonly value: LiteralNode;
  readonly pos: number;
}

/** `field in ('a', 'b')`. */
export interface InNode {
  readonly kind: 'in';
  readonly field: FieldRef;
  readonly values: readonly LiteralNode[];
  readonly pos: number;
}

/** `startswith(field, 'text')`, `endswith(…)`, `contains(…)`. */
export interface CallNode {
  readonly kind: 'call';
  readonly fn: StringFunction;
  readonly field: FieldRef;
  readonly value: LiteralNode;
  readonly pos: number;
}

/**
 * One `$orderby` term: `price desc` → `{ field: { name: 'price', pos: 0 }, direction: 'desc' }` (default `asc`).
 *
 * @example
 * ```ts
 * const term: OrderByTerm = { field: { name: 'price', pos: 0 }, direction: 'desc' };
 * ```
 */
export interface OrderByTerm {
  readonly field: FieldRef;
  readonly direction: 'asc' | 'desc';
}
