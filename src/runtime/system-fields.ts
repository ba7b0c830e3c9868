/** Properties Cosmos DB adds to every item; never part of the API's contract. */
export const SYSTEM_FIELDS: readonly string[] = ['_rid', '_self', '_etag', '_attachments', '_ts', '_lsn'];

/**
 * A copy of a stored item without Cosmos system properties (`id` is kept).
 *
 * @example
 * ```ts
 * stripSystemFields({ id: '1', _etag: '"x"', _ts: 1 }); // { id: '1' }
 * ```
 */
export function stripSystemFields(item: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(item)) {
    if (!SYSTEM_FIELDS.includes(key)) out[key] = value;
  }
  return out;
}
