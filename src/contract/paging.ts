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
 * await fetch(`${apiEndpoint}`); // at most DEFAULT_PAGE_SIZE items
 * ```
 */
export const DEFAULT_PAGE_SIZE = 50;

/**
 * The largest `limit` a list request may ask for.
 *
 * @example
 * ```ts
 * await fetch(`${apiEndpoint}?limit=${MAX_PAGE_SIZE}`);
 * ```
 */
export const MAX_PAGE_SIZE = 1000;

/**
 * Response header carrying the continuation token (also accepted as a request header).
 *
 * @example
 * ```ts
 * const next = response.headers.get(CONTINUATION_HEADER);
 * ```
 */
export const CONTINUATION_HEADER = 'x-ms-continuation';

/**
 * The body of a list response.
 *
 * @example
 * ```ts
 * const page = (await (await fetch(apiEndpoint)).json()) as ListPage<{ id: string }>;
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
  filter: '$filter', orderBy: '$orderby', select: '$select', first: '$first', after: '$after',
} as const);
