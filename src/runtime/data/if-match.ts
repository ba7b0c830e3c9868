/**
 * A parsed `If-Match` header (RFC 9110 §13.1.1): absent, `*` (any current representation), or a list of
 * entity tags. Weak tags are kept as sent: If-Match uses the strong comparison, so they never match.
 *
 * @example
 * ```ts
 * const condition: IfMatch = { kind: 'tags', tags: ['"a"', '"b"'] };
 * ```
 */
export type IfMatch =
  | { readonly kind: 'none' }
  | { readonly kind: 'any' }
  | { readonly kind: 'tags'; readonly tags: readonly string[] };

/**
 * Parse `If-Match`: `*`, or a comma-separated list of entity tags (`"x"`, `W/"x"`). Commas inside a quoted
 * tag do not split it. An unquoted token is kept as sent, for clients that strip the quotes from Cosmos' ETags;
 * the CRUD handlers refuse (400) one that is no ETag's opaque part (runtime/values/text-checks.ts isIssuableEtag).
 *
 * @example
 * ```ts
 * parseIfMatch('"a", "b"'); // { kind: 'tags', tags: ['"a"', '"b"'] }
 * parseIfMatch('*');        // { kind: 'any' }
 * parseIfMatch(null);       // { kind: 'none' }
 * ```
 */
export function parseIfMatch(header: string | null | undefined): IfMatch {
  const value = header?.trim();
  if (!value) return { kind: 'none' };
  if (value === '*') return { kind: 'any' };
  const tags: string[] = [];
  let current = '';
  let quoted = false;
  for (const ch of value) {
    if (ch === '"') quoted = !quoted;
    if (ch === ',' && !quoted) {
      if (current.trim()) tags.push(current.trim());
      current = '';
    } else current += ch;
  }
  if (current.trim()) tags.push(current.trim());
  return tags.length === 0 ? { kind: 'none' } : { kind: 'tags', tags };
}

/**
 * The entity-tag form of a stored ETag: quoted, as RFC 9110 §8.8.3 writes an entity-tag (`"x"`). Cosmos DB
 * issues its `_etag` quoted already; the local protocol server `atakora dev` uses issues bare ones, so the API
 * quotes whatever is not quoted and clients see one form everywhere.
 *
 * @example
 * ```ts
 * entityTag('"00000a00-0000"'); // '"00000a00-0000"'
 * entityTag('5f1c');            // '"5f1c"'
 * ```
 */
export function entityTag(etag: string): string {
  return etag.length >= 2 && etag.startsWith('"') && etag.endsWith('"') ? etag : `"${etag}"`;
}

/** The opaque part of an entity-tag (`"x"` → `x`; a bare legacy `x` stays `x`). */
function opaque(tag: string): string {
  return tag.length >= 2 && tag.startsWith('"') && tag.endsWith('"') ? tag.slice(1, -1) : tag;
}

/**
 * Whether a tag from `If-Match` is weak (`W/"x"`). If-Match uses the strong comparison (RFC 9110 §13.1.1), so
 * a weak tag never matches: the write answers 412 (or 404 when the item is absent).
 *
 * @example
 * ```ts
 * isWeakTag('W/"a"'); // true
 * ```
 */
export function isWeakTag(tag: string): boolean {
  return tag.startsWith('W/');
}

/**
 * Whether the stored ETag satisfies the condition, by the strong comparison: `"x"` (the RFC form the API sends)
 * and a bare `x` (clients that strip the quotes; kept for compatibility) match a stored `x` or `"x"`; a weak
 * `W/"x"` never matches; `*` matches any stored item.
 *
 * @example
 * ```ts
 * ifMatchSatisfied(parseIfMatch('"a", "b"'), '"b"'); // true
 * ifMatchSatisfied(parseIfMatch('"b"'), 'b');        // true (local server's bare tag)
 * ifMatchSatisfied(parseIfMatch('W/"b"'), '"b"');    // false
 * ```
 */
export function ifMatchSatisfied(condition: IfMatch, etag: string | undefined): boolean {
  if (condition.kind !== 'tags') return true;
  return (
    etag !== undefined && condition.tags.some((t) => !isWeakTag(t) && opaque(t) === opaque(etag))
  );
}
