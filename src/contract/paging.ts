/**
 * Paging of the collection route (`GET api/<route>`): `limit` items per page (default {@link DEFAULT_PAGE_SIZE},
 * at most {@link MAX_PAGE_SIZE}), the next page named by the `continuationToken` the previous one returned
 * (in the body and the {@link CONTINUATION_HEADER} header; `null` on the last page).
 */

/**
 * Items per page when the request names no `limit`.
 *
 * @example
 * ```ts
 * DEFAULT_PAGE_SIZE; // 50: a list request without `$first` answers at most this many items
 * ```
 */
export const DEFAULT_PAGE_SIZE = 50;

/**
 * The largest `limit` a list request may ask for.
 *
 * @example
 * ```ts
 * const url = `https://func-backend-prod-k3x9a1.azurewebsites.net/api/users?$first=${MAX_PAGE_SIZE}`; // the most one page may hold
 * ```
 */
export const MAX_PAGE_SIZE = 1000;

/**
 * Response header carrying the continuation token (also accepted as a request header).
 *
 * @example
 * ```ts
 * async function nextToken(apiEndpoint: string) {
 *   const response = await fetch(apiEndpoint);
 *   return response.headers.get(CONTINUATION_HEADER); // null on the last page
 * }
 * ```
 */
export const CONTINUATION_HEADER = 'x-ms-continuation';

/**
 * The body of a list response.
 *
 * @example
 * ```ts
 * const page: ListPage<{ id: string; title: string }> = await client.notes.list({ first: 20 }).page();
 * page.continuationToken; // null on the last page
 * ```
 */
export interface ListPage<T> {
  readonly items: readonly T[];
  /** Pass back as `continuationToken` for the next page; `null` on the last one. */
  readonly continuationToken: string | null;
}

/**
 * The list query parameters besides paging: Data API builder's REST conventions (DESIGN §6).
 *
 * @example
 * ```ts
 * `${apiEndpoint}?${LIST_QUERY_PARAMETERS.filter}=price gt 10`;
 * ```
 */
export const LIST_QUERY_PARAMETERS = Object.freeze({
  filter: '$filter',
  orderBy: '$orderby',
  select: '$select',
  first: '$first',
  after: '$after',
  /** Aggregates (OData Data Aggregation's `groupby`/`aggregate` subset): see contract/query/parse-apply.ts. */
  apply: '$apply',
} as const);
