import type { HttpResponseInit } from '@azure/functions';

// Where a DELETE's answer carries the item it removed: a hidden symbol key on the answer itself — never sent (the
// host reads the response's named fields only), never a JSON field nor compared, gone with the answer.
const REMOVED = Symbol('atakora.removedItem');

/**
 * The (bodiless) answer of a DELETE with the stored item it removed, for the realtime event only — never sent:
 * who may read the item (its owner) decides who hears of its deletion.
 *
 * @example
 * ```ts
 * return withDeletedItem(emptyResponse(204), stored?.resource);
 * ```
 */
export function withDeletedItem(
  response: HttpResponseInit,
  stored: Readonly<Record<string, unknown>> | undefined,
): HttpResponseInit {
  return stored ? Object.defineProperty({ ...response }, REMOVED, { value: stored }) : response;
}

/**
 * The stored item {@link withDeletedItem} put on a DELETE's answer, if the delete read it.
 *
 * @example
 * ```ts
 * const owner = deletedItemOf(response)?.['ownerId'];
 * ```
 */
export function deletedItemOf(
  response: HttpResponseInit,
): Readonly<Record<string, unknown>> | undefined {
  const stored = (response as { [REMOVED]?: unknown })[REMOVED];
  return stored && typeof stored === 'object'
    ? (stored as Readonly<Record<string, unknown>>)
    : undefined;
}
