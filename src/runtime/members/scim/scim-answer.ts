import type { HttpResponseInit } from '@azure/functions';
import { SCIM_SCHEMAS } from '../../../contract/scim/scim.js';
import type { ScimApi } from './scim-api.js';
import type { FieldIs, ScimPage } from './scim-docs.js';
import { type ScimFilter, type ScimQuery, scimQuery } from './scim-filter.js';
import type { ResourceShape } from './protocol/scim-path.js';
import { projected } from './protocol/scim-project.js';
import { scimError, scimJson } from './scim-response.js';
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
 * A kind of SCIM resource as its answers read it: its item route, its shape (what `attributes` may name), how a
 * stored item is shown at its location, how one is read by the call's id, and the 404 of one not there.
 */
export interface ScimKind<T extends { readonly id: string }> {
  readonly route: string;
  readonly shape: ResourceShape;
  readonly shown: (item: T, location: string) => Record<string, unknown>;
  readonly find: (api: ScimApi, call: ScimCall) => Promise<{ readonly value: T } | undefined>;
  readonly missing: (id: string) => HttpResponseInit;
}

/**
 * A stored item shown at its own location (a list's entries, and {@link itemAnswer}'s).
 *
 * @example
 * ```ts
 * page.items.map(shownAt(call, USER_KIND));
 * ```
 */
export const shownAt =
  <T extends { readonly id: string }>(call: ScimCall, kind: ScimKind<T>) =>
  (item: T): Record<string, unknown> =>
    kind.shown(item, locationOf(call, kind.route, item.id));

/**
 * One item answered as the request asks: a GET's, PUT's or PATCH's 200, or a POST's 201 with its `Location`.
 *
 * @example
 * ```ts
 * return itemAnswer(call, USER_KIND, 201, made.value);
 * ```
 */
export function itemAnswer<T extends { readonly id: string }>(
  call: ScimCall,
  kind: ScimKind<T>,
  status: 200 | 201,
  item: T,
): HttpResponseInit {
  const location = locationOf(call, kind.route, item.id);
  const headers: Record<string, string> = status === 201 ? { Location: location } : {};
  return resourceAnswer(call, kind.shape, status, kind.shown(item, location), headers);
}

/**
 * `GET <kind>/{id}`: 200 with the item, or the kind's SCIM 404.
 *
 * @example
 * ```ts
 * resourceRoutes({ list, create, read: readItem(USER_KIND), replace, patch, remove });
 * ```
 */
export const readItem =
  <T extends { readonly id: string }>(kind: ScimKind<T>): ScimOperation =>
  async (api, call) => {
    const found = await kind.find(api, call);
    return found ? itemAnswer(call, kind, 200, found.value) : kind.missing(call.id);
  };

/** How a list route finds its page: the filter and window read, and the stored field an `id`/`externalId` filter reads. */
export type PageOf<T> = (
  api: ScimApi,
  tenant: string,
  q: ScimQuery,
  where: FieldIs | undefined,
) => Promise<ScimPage<T>>;

/**
 * `GET <kind>[?filter=…][&startIndex&count]` → a ListResponse (RFC 7644 §3.4.2): the filter read for the
 * `attributes` it may name (else a SCIM 400 `invalidFilter`), the page `page` finds, each item shown at its location
 * as the request's `attributes` or `excludedAttributes` asks.
 *
 * @example
 * ```ts
 * const listGroups = listItems(GROUP_KIND, ['displayName', 'externalId', 'id'], pageOfGroups);
 * ```
 */
export const listItems =
  <T extends { readonly id: string }>(
    kind: ScimKind<T>,
    attributes: readonly string[],
    page: PageOf<T>,
  ): ScimOperation =>
  async (api, call) => {
    const params = call.query ?? new URL(call.request.url).searchParams;
    const q = scimQuery(params, attributes);
    if (!q.ok) return scimError(400, q.detail, 'invalidFilter');
    const found = await page(api, call.tenant, q.query, whereOf(q.query.filter));
    return scimJson(200, {
      schemas: [SCIM_SCHEMAS.listResponse],
      totalResults: found.total,
      startIndex: q.query.start + 1,
      itemsPerPage: found.items.length,
      Resources: found.items.map((i) => projected(kind.shape, shownAt(call, kind)(i), params)),
    });
  };

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
