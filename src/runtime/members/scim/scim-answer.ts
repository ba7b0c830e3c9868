import type { HttpResponseInit } from '@azure/functions';
import { SCIM_SCHEMAS } from '../../../contract/scim/scim.js';
import type { ScimApi } from './scim-api.js';
import type { FieldIs } from './scim-docs.js';
import type { ScimFilter } from './scim-filter.js';
import type { ResourceShape } from './protocol/scim-path.js';
import { projected } from './protocol/scim-project.js';
import { scimJson } from './scim-response.js';
import type { ScimCall } from './scim-serve.js';

/**
 * Where a resource lives, for its `meta.location` and a 201's `Location`: the request's origin and the SCIM route.
 *
 * @example
 * ```ts
 * locationOf(call, SCIM_ROUTES.user, id); // 'https://app/api/scim/v2/Users/…'
 * ```
 */
export const locationOf = (call: ScimCall, route: string, id: string): string =>
  // A schema's id is a URN: its colons stay as they are (RFC 3986 allows them in a path segment).
  `${new URL(call.request.url).origin}/api/${route.replace('{id}', encodeURIComponent(id).replace(/%3A/gi, ':'))}`;

/**
 * A resource answered as the request's `attributes` or `excludedAttributes` asks (RFC 7644 §3.9): a GET's, and what
 * a POST, PUT or PATCH answers.
 *
 * @example
 * ```ts
 * return resourceAnswer(call, USER_SHAPE, 201, userResource(made.value, location), { Location: location });
 * ```
 */
export function resourceAnswer(
  call: ScimCall,
  shape: ResourceShape,
  status: number,
  resource: Record<string, unknown>,
  headers: Readonly<Record<string, string>> = {},
): HttpResponseInit {
  return scimJson(
    status,
    projected(shape, resource, new URL(call.request.url).searchParams),
    headers,
  );
}

/**
 * A ListResponse (RFC 7644 §3.4.2): the page's resources, each as the request's `attributes` or
 * `excludedAttributes` asks.
 *
 * @example
 * ```ts
 * return listAnswer(call, USER_SHAPE, { total: page.total, start }, page.items.map(asResource));
 * ```
 */
export function listAnswer(
  call: ScimCall,
  shape: ResourceShape,
  at: { readonly total: number; readonly start: number },
  resources: readonly Record<string, unknown>[],
): HttpResponseInit {
  const params = new URL(call.request.url).searchParams;
  return scimJson(200, {
    schemas: [SCIM_SCHEMAS.listResponse],
    totalResults: at.total,
    startIndex: at.start + 1,
    itemsPerPage: resources.length,
    Resources: resources.map((r) => projected(shape, r, params)),
  });
}

/** One SCIM operation of a resource route. */
export type ScimOperation = (api: ScimApi, call: ScimCall) => Promise<HttpResponseInit>;

/**
 * A resource's two routes as one operation: the collection's `GET` (list) and `POST` (create), the item's `GET`,
 * `PUT`, `PATCH` and `DELETE` (the route's methods admitted them already: scim-routes.ts).
 *
 * @example
 * ```ts
 * export const scimUsers = resourceRoutes({ list, create, read, replace, patch, remove });
 * ```
 */
export function resourceRoutes(r: {
  readonly list: ScimOperation;
  readonly create: ScimOperation;
  readonly read: ScimOperation;
  readonly replace: ScimOperation;
  readonly patch: ScimOperation;
  readonly remove: ScimOperation;
}): ScimOperation {
  const item: Readonly<Record<string, ScimOperation>> = {
    GET: r.read,
    PUT: r.replace,
    PATCH: r.patch,
  };
  return (api, call) =>
    call.id === ''
      ? (call.method === 'POST' ? r.create : r.list)(api, call)
      : (item[call.method] ?? r.remove)(api, call);
}

/**
 * The stored field an `externalId eq` or `id eq` filter reads (the SCIM id is stored as `scimId`), else undefined.
 *
 * @example
 * ```ts
 * whereOf({ attribute: 'id', value: 'u-1' }); // { field: 'scimId', value: 'u-1' }
 * ```
 */
export const whereOf = (f: ScimFilter | undefined): FieldIs | undefined =>
  f?.attribute === 'externalId' || f?.attribute === 'id'
    ? { field: f.attribute === 'id' ? 'scimId' : 'externalId', value: f.value }
    : undefined;
