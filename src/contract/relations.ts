/**
 * The children route of a `hasMany` relation, as the host registers it (under `api/`): the parent's item route
 * and the relation's name, `customers/{id}/orders`. One home for the runtime, the OpenAPI document and the client.
 *
 * @example
 * ```ts
 * childrenRoute('customers', 'orders'); // 'customers/{id}/orders'
 * ```
 */
export function childrenRoute(route: string, relation: string): string {
  return `${route}/{id}/${relation}`;
}

/**
 * The query parameters relations add to lists (and `$expand` to GET one): `$expand=customer,photo` embeds related
 * items, `$count=true` adds `count` (every match, not the page) to `{ items, continuationToken, count }`.
 *
 * @example
 * ```ts
 * new URLSearchParams({ [RELATION_PARAMETERS.expand]: 'customer', [RELATION_PARAMETERS.count]: 'true' });
 * ```
 */
export const RELATION_PARAMETERS = Object.freeze({ expand: '$expand', count: '$count' } as const);
