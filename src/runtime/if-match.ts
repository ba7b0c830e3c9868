/**
 * A parsed `If-Match` header (RFC 9110 §13.1.1): absent, `*` (any current representation), or a list of
 * entity tags. Weak tags are kept as sent: If-Match uses the strong comparison, so they never match.
 *
 * @example
 * ```ts
 * const condition: IfMatch = { kind: 'tags', tags: ['"a"', '"b"'] };
 * ```
 */
export type IfMatch = { readonly kind: 'none' } | { readonly kind: 'any' } | { readonly kind: 'tags'; readonly tags: readonly string[] };

/**
 * Parse `If-Match`: `*`, or a comma-separated list of entity tags (`"x"`, `W/"x"`). Commas inside a quoted
 * tag do not split it. An unquoted token is kept as sent rather than refused, for clients that strip the
 * quotes from Cosmos' ETags (it then matches nothing that Cosmos issued, so it is a 412, never a match).
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
 * Whether the stored ETag satisfies the condition (strong comparison: a weak tag never matches).
 *
 * @example
 * ```ts
 * ifMatchSatisfied(parseIfMatch('"a", "b"'), '"b"'); // true
 * ```
 */
export function ifMatchSatisfied(condition: IfMatch, etag: string | undefined): boolean {
  if (condition.kind !== 'tags') return true;
  return etag !== undefined && condition.tags.some((t) => !t.startsWith('W/') && t === etag);
}
