import { AtakoraError } from './client-error.js';

/**
 * One value as a segment of a request's path (an item's id, a parent's, an organization's, a route parameter):
 * encoded — or, for text no URL can carry (a lone UTF-16 surrogate, on which `encodeURIComponent` throws a raw
 * URIError), `CLIENT_INPUT_INVALID` naming where it was passed, before anything is sent.
 *
 * @example
 * ```ts
 * urlSegment('n 1', ['get', 'id']); // 'n%201'
 * urlSegment('\ud800', ['get', 'id']); // throws AtakoraError CLIENT_INPUT_INVALID (at get.id)
 * ```
 */
export function urlSegment(value: string, path: readonly string[]): string {
  return encodeURIComponent(wholeText(value, path));
}

/** A lone surrogate: in a `u` regular expression a well-formed pair is one code point, never `Cs`. */
const LONE_SURROGATE = /\p{Cs}/u;

/**
 * A value as text any request can carry (an item's id, a parent's: in a URL for the HTTP client, as data for
 * `dataOf`): the value, or — for a lone UTF-16 surrogate — `CLIENT_INPUT_INVALID` naming where it was passed.
 *
 * @example
 * ```ts
 * wholeText('n 1', ['get', 'id']); // 'n 1'
 * wholeText('\ud800', ['get', 'id']); // throws AtakoraError CLIENT_INPUT_INVALID (at get.id)
 * ```
 */
export function wholeText(value: string, path: readonly string[]): string {
  if (LONE_SURROGATE.test(value))
    throw new AtakoraError(
      `${path.join('.')} holds a lone UTF-16 surrogate (half of a character): no URL can carry it.`,
      path,
      'CLIENT_INPUT_INVALID',
    );
  return value;
}

/** What no HTTP header value holds (Fetch "header value"): NUL, a line break, a character past U+00FF. */
const NOT_IN_A_HEADER = /[\0\r\n]|[^\0-\xff]/;

/**
 * A header's value as a request may carry it, or `CLIENT_INPUT_INVALID` naming the header (an `ifMatch` that is no
 * ETag the API gave, an organization id, a token with a line break), before anything is sent: `fetch` would throw a
 * raw TypeError, and a line break is how a header is injected.
 *
 * @example
 * ```ts
 * headerValue('If-Match', '"0a00"'); // '"0a00"'
 * ```
 */
export function headerValue(name: string, value: string): string {
  if (NOT_IN_A_HEADER.test(value))
    throw new AtakoraError(
      `The ${name} header would hold a line break, a NUL or a character past U+00FF: no request can carry it.`,
      ['headers', name],
      'CLIENT_INPUT_INVALID',
    );
  return value;
}
