// The invocations of an entity's CRUD functions that the built-app tests send to the worker stand-in (built-app.ts):
// `<componentId>-collection` and `<componentId>-item` at the entity's route, a body sent as JSON.
import type { RuntimeEntity } from '../../../src/model/runtime-manifest.js';
import type { Invocation } from './built-app.js';

const BASE = 'https://app.test/api';

/** The headers with `content-type: application/json`. */
export const json = (h: Record<string, string>) => ({ ...h, 'content-type': 'application/json' });

/**
 * A request to the entity's collection route (`query`: `?…` after it).
 *
 * @example
 * ```ts
 * const create = collectionCall(noteEntity, 'POST', json(headers), { title: 'a' });
 * ```
 */
export const collectionCall = (
  e: RuntimeEntity,
  method: string,
  headers: Record<string, string>,
  body?: unknown,
  query = '',
): Invocation => ({
  function: `${e.componentId}-collection`,
  method,
  url: `${BASE}/${e.route}${query}`,
  headers,
  ...(body === undefined ? {} : { body: JSON.stringify(body) }),
});

/**
 * A request to the entity's item route for `id` (`query`: `?…` after it).
 *
 * @example
 * ```ts
 * const read = itemCall(noteEntity, 'GET', 'n1', headers);
 * ```
 */
export const itemCall = (
  e: RuntimeEntity,
  method: string,
  id: string,
  headers: Record<string, string>,
  body?: unknown,
  query = '',
): Invocation => ({
  function: `${e.componentId}-item`,
  method,
  url: `${BASE}/${e.route}/${id}${query}`,
  params: { id },
  headers,
  ...(body === undefined ? {} : { body: JSON.stringify(body) }),
});
