import { LIST_QUERY_PARAMETERS as P } from '../paging.js';

/**
 * Why a list query was refused, as data (Zod-style issues): which parameter, where in it (0-based offset), a
 * stable code and a message. The runtime answers them as a 400 problem; the client can show them as they are.
 *
 * @example
 * ```ts
 * const issue: QueryIssue = {
 *   code: 'unknown-field',
 *   parameter: '$filter',
 *   position: 0,
 *   message: 'Unknown field "prize".',
 * };
 * ```
 */
export interface QueryIssue {
  readonly code: QueryIssueCode;
  /** The query parameter: `$filter`, `$orderby`, `$select`, `$first`, `$after`, `$apply`. */
  readonly parameter: QueryParameter;
  /** 0-based offset into the parameter's (URL-decoded) text. */
  readonly position: number;
  readonly message: string;
  /** The field concerned, when there is one. */
  readonly field?: string;
}

/**
 * The list-query parameters this grammar reads.
 *
 * @example
 * ```ts
 * QUERY_PARAMETERS.includes('$filter'); // true
 * ```
 */
export const QUERY_PARAMETERS = [P.filter, P.orderBy, P.select, P.first, P.after, P.apply] as const;
/** One of {@link QUERY_PARAMETERS}. @example `const p: QueryParameter = '$filter';` */
export type QueryParameter = (typeof QUERY_PARAMETERS)[number];

/**
 * The issue codes (documented in docs/troubleshooting.md, "List query problems").
 *
 * @example
 * ```ts
 * const code: QueryIssueCode = 'syntax';
 * ```
 */
export type QueryIssueCode =
  | 'syntax'
  | 'too-long'
  | 'too-deep'
  | 'too-many'
  | 'too-complex'
  | 'unknown-field'
  | 'not-filterable'
  | 'literal-type'
  | 'operator-type'
  | 'not-sortable'
  | 'not-groupable'
  | 'not-numeric'
  | 'duplicate-alias'
  | 'conflict';

/**
 * Limits of one list query. They bound what one request costs to parse, compile and run (and keep the
 * recursive-descent parser far from the stack limit).
 *
 * @example
 * ```ts
 * QUERY_LIMITS.maxLength; // 2000 characters per parameter
 * ```
 */
export const QUERY_LIMITS = Object.freeze({
  /** Characters in one parameter's text. */
  maxLength: 2000,
  /** Nesting of parentheses and `not` in `$filter`. */
  maxDepth: 32,
  /** Literals in one `$filter` (each becomes one SQL parameter). */
  maxLiterals: 100,
  /**
   * Conjunctions of `$filter` written flat (an OR of ANDs, see `flatTerms`): the runtime sends every filter to
   * Cosmos DB without nested parentheses, which the local engine's parser pays for exponentially.
   */
  maxTerms: 64,
  /** Terms of `$orderby`. */
  maxOrderBy: 8,
  /** Fields of `$apply`'s `groupby`. */
  maxGroupBy: 8,
  /**
   * Aggregates of one `$apply` (`$count` included): Azure runs a cross-partition GROUP BY with at most 21 aggregate
   * system functions (Learn, "GROUP BY (NoSQL query)", Remarks).
   */
  maxAggregates: 21,
  /** Groups one `$apply` answers (all at once, unpaged): past it, a 400 that asks for a narrower `$filter`. */
  maxGroups: 1000,
});

/** Thrown inside the parsers only, and turned into a {@link QueryIssue} at their boundary. */
export class QueryFailure extends Error {
  constructor(readonly issue: QueryIssue) {
    super(issue.message);
    this.name = 'QueryFailure';
  }
}

/** A parse result: the value, or the issues. @example `const r: QueryResult<number> = { ok: true, value: 1 };` */
export type QueryResult<T> =
  | { readonly ok: true; readonly value: T }
  | { readonly ok: false; readonly issues: readonly QueryIssue[] };

/**
 * The refusal of a parameter's text longer than {@link QUERY_LIMITS}' `maxLength` (before anything is tokenized),
 * else undefined: the one length check every parser makes first.
 *
 * @example
 * ```ts
 * const long = tooLong('$filter', text);
 * if (long) return long;
 * ```
 */
export function tooLong(
  parameter: QueryParameter,
  text: string,
): { readonly ok: false; readonly issues: readonly QueryIssue[] } | undefined {
  if (text.length <= QUERY_LIMITS.maxLength) return undefined;
  const max = QUERY_LIMITS.maxLength;
  const message = `${parameter} is longer than ${String(max)} characters.`;
  return { ok: false, issues: [{ code: 'too-long', parameter, position: max, message }] };
}
