import type { HttpResponseInit } from '@azure/functions';

const deleted = new WeakMap<HttpResponseInit, Readonly<Record<string, unknown>>>();

/**
 * Attach the stored item a DELETE removed to its (bodiless) answer, for the realtime event only — never sent:
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
  if (stored) deleted.set(response, stored);
  return response;
}

/**
 * The stored item {@link withDeletedItem} attached to a DELETE's answer, if the delete read it.
 *
 * @example
 * ```ts
 * const owner = deletedItemOf(response)?.['ownerId'];
 * ```
 */
export function deletedItemOf(
  response: HttpResponseInit,
): Readonly<Record<string, unknown>> | undefined {
  return deleted.get(response);
}
