// ETags of the items this client returned (by object): what `replace` and `update` send as If-Match.
const etags = new WeakMap<object, string>();

/**
 * The ETag the API sent with an item this client returned (`get`, `create`, `replace`, `update`), or undefined
 * (list items carry none). Pass it, or the item itself, as `ifMatch` to update only the version you read.
 *
 * @example
 * ```ts
 * const note = await client.notes.get('42');
 * etagOf(note); // '"00000000-0000-0000-1234-000000000000"'
 * ```
 */
export function etagOf(item: object): string | undefined {
  return etags.get(item);
}

/** Remember `etag` for `item` (when the response had one) and give the item back. */
export function withEtag<T extends object>(item: T, etag: string | null): T {
  if (etag) etags.set(item, etag);
  return item;
}
