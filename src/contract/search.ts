/**
 * A CrudApi's search route, `POST api/<route>/search`: one home for the runtime that serves it, the OpenAPI document
 * that declares it, the typed client and the MCP tool that call it.
 */

/**
 * How a search ranks: by full-text relevance (BM25, `FullTextScore`), by vector distance (`VectorDistance`), or by
 * both fused (`RRF`, reciprocal rank fusion).
 *
 * @example
 * ```ts
 * SEARCH_MODES.includes('hybrid'); // true
 * ```
 */
export const SEARCH_MODES = ['text', 'vector', 'hybrid'] as const;

/**
 * One of `SEARCH_MODES`.
 *
 * @example
 * ```ts
 * const mode: SearchMode = 'vector';
 * ```
 */
export type SearchMode = (typeof SEARCH_MODES)[number];

/**
 * The body of a search: the words (`text`), the query vector (`vector`), or both; `mode` defaults to what they give
 * (text alone → `text`, a vector alone → `vector`, both → `hybrid`); `filter` is a list's `$filter`; `first` and
 * `after` page as a list's `$first` and `$after`; `select` as a list's `$select` — each item then holds `id`, the
 * partition key, the fields named and its `score`. Without `select` an item holds every field but the vector, which
 * no answer carries unless `select` names it.
 *
 * @example
 * ```ts
 * const body: SearchBody = { text: 'login bug', filter: "status eq 'open'", first: 10 };
 * ```
 */
export interface SearchBody {
  readonly text?: string | undefined;
  readonly vector?: readonly number[] | undefined;
  readonly mode?: SearchMode | undefined;
  readonly filter?: string | undefined;
  readonly first?: number | undefined;
  readonly after?: string | undefined;
  readonly select?: readonly string[] | undefined;
}

/**
 * What a search answers: the page's items, best first, each with its `score`, and the token of the next page
 * (`null` on the last).
 *
 * @example
 * ```ts
 * const page: SearchPage<{ id: string; title: string }> = { items: [{ id: 't1', title: 'Login bug', score: 0.016 }], continuationToken: null };
 * ```
 */
export interface SearchPage<T> {
  readonly items: readonly (T & { readonly score: number })[];
  readonly continuationToken: string | null;
}

/**
 * The search's bounds: at most `maxText` characters and `maxTerms` words of text, `maxFirst` items a page (default
 * `defaultFirst`), and no page past `maxDepth` ranked items (each page of a ranked query reads every item before it:
 * past that depth, narrow with `filter`).
 *
 * @example
 * ```ts
 * SEARCH_LIMITS.maxDepth; // 1000
 * ```
 */
export const SEARCH_LIMITS = Object.freeze({
  maxText: 1000,
  maxTerms: 16,
  defaultFirst: 20,
  maxFirst: 100,
  maxDepth: 1000,
});

/**
 * The fields a search body may hold.
 *
 * @example
 * ```ts
 * SEARCH_FIELDS.includes('filter'); // true
 * ```
 */
export const SEARCH_FIELDS = [
  'text',
  'vector',
  'mode',
  'filter',
  'first',
  'after',
  'select',
] as const;

/**
 * The host route (without `api/`) of a CrudApi's search.
 *
 * @example
 * ```ts
 * searchRoute('tickets'); // 'tickets/search'
 * ```
 */
export function searchRoute(route: string): string {
  return `${route}/search`;
}

/**
 * The function name the search route is registered under. It sorts before `<ComponentId>-item` (the host tries
 * routes in function-name order, kit/pure/route-order.ts), so `POST tickets/search` reaches search, not the item
 * route's `tickets/{id}`; only POST is registered, so a GET of an item whose id is `search` still reads it.
 *
 * @example
 * ```ts
 * searchFunctionName('TicketApi'); // 'TicketApi-collection-search'
 * ```
 */
export function searchFunctionName(componentId: string): string {
  return `${componentId}-collection-search`;
}
