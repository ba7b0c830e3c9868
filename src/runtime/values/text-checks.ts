/**
 * Checks on client text that ends up where only some characters may go: Cosmos DB request headers, our
 * response headers (`Location`, `x-ms-continuation`), URL components. Node refuses a header value outside
 * tab and bytes 0x20–0xFF with a TypeError (`ERR_INVALID_CHAR`), and `encodeURIComponent` throws on a lone
 * surrogate (URIError), so each value is checked before it reaches them — a 400 instead of a 500.
 */

// In u-mode a surrogate pair is one code point, so \p{Cs} matches only a lone (unpaired) surrogate.
const LONE_SURROGATE = /\p{Cs}/u;
// Visible ASCII and space: what a continuation token of Cosmos DB is made of (JSON text), and safe in any header.
const TOKEN_TEXT = /^[\x20-\x7e]+$/;
// RFC 9110 §8.8.3 etagc, ASCII only: the tags Cosmos DB issues are quoted ASCII.
const ETAG_TEXT = /^(?:W\/)?"?[\x21\x23-\x7e]*"?$/;

/**
 * Largest continuation token accepted. Cosmos DB's tokens are JSON of a few hundred bytes, a few KiB for a
 * query over many partitions; 16 KiB leaves room and keeps the request header far below the host's limits.
 */
export const MAX_CONTINUATION_LENGTH = 16 * 1024;

/**
 * Whether a string is well-formed UTF-16 (no lone surrogate): only such strings have a UTF-8 form, so only
 * they can be an id, a partition key value or part of a URL.
 *
 * @example
 * ```ts
 * isWellFormed('a\ud83d\ude00'); // true (a pair)
 * isWellFormed('lone-\ud800');   // false
 * ```
 */
export function isWellFormed(text: string): boolean {
  return !LONE_SURROGATE.test(text);
}

/**
 * Why a continuation token cannot be passed to Cosmos DB, or `undefined` when it can.
 *
 * @example
 * ```ts
 * checkContinuationToken('€');        // 'must be printable ASCII'
 * checkContinuationToken('{"a":1}');  // undefined
 * ```
 */
export function checkContinuationToken(token: string): string | undefined {
  if (token.length > MAX_CONTINUATION_LENGTH)
    return `must be at most ${MAX_CONTINUATION_LENGTH} characters`;
  if (!TOKEN_TEXT.test(token)) return 'must be printable ASCII, as returned by the previous page';
  return undefined;
}

/**
 * Whether an entity tag from `If-Match` can be sent on to Cosmos DB (visible ASCII, RFC 9110 `etagc`).
 *
 * @example
 * ```ts
 * isSendableEtag('"00000a00-0000"'); // true
 * isSendableEtag('"€"');             // false
 * ```
 */
export function isSendableEtag(tag: string): boolean {
  return ETAG_TEXT.test(tag);
}

/**
 * Whether an If-Match tag has a form this API issues: quoted (`"x"`, `W/"x"`), or the bare opaque part of a
 * Cosmos DB ETag (hex digits and dashes: `00000a00-0000-…`, the local server's UUIDs) that clients strip the
 * quotes from. Anything else (`garbage`) cannot name any version: a 400, not a 412.
 *
 * @example
 * ```ts
 * isIssuableEtag('"00000a00-0000"'); // true
 * isIssuableEtag('garbage');         // false
 * ```
 */
export function isIssuableEtag(tag: string): boolean {
  return /^(?:W\/)?"[^"]*"$/.test(tag) || /^[0-9A-Fa-f-]+$/.test(tag);
}
