import { createHash } from 'node:crypto';
import type { SearchRequest } from './search-body.js';

/**
 * A search page's continuation token: `s1.<offset>.<digest>`, the rank the next page starts at and a digest of the
 * search it continues (mode, words, vector, filter, page size). A ranked query has no token of Cosmos DB's (the SDK
 * refuses them on search queries), so the page is its offset; the digest makes a token sent with another search a
 * 400 rather than a page of something else.
 *
 * @example
 * ```ts
 * const token = searchToken(request, 20); // 's1.20.3f2a…'
 * readSearchToken(token, request); // 20
 * ```
 */
export function searchToken(request: SearchRequest, offset: number): string {
  return `s1.${String(offset)}.${digest(request)}`;
}

/**
 * The offset a token names, or undefined when it is not one {@link searchToken} made for this search.
 *
 * @example
 * ```ts
 * readSearchToken('s1.20.3f2a…', request); // 20
 * ```
 */
export function readSearchToken(token: string, request: SearchRequest): number | undefined {
  const m = /^s1\.(\d{1,6})\.([0-9a-f]{16})$/.exec(token);
  if (!m || m[2] !== digest(request)) return undefined;
  return Number(m[1]);
}

function digest(request: SearchRequest): string {
  const { mode, terms, text, vector, filter, first } = request;
  return createHash('sha256')
    .update(
      JSON.stringify([
        mode,
        terms ?? null,
        vector ? null : (text ?? null),
        vector ?? null,
        filter ?? null,
        first,
      ]),
    )
    .digest('hex')
    .slice(0, 16);
}
