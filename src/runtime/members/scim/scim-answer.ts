import type { HttpResponseInit } from '@azure/functions';
import { SCIM_SCHEMAS } from '../../../contract/scim/scim.js';
import type { ResourceShape } from './scim-path.js';
import { projected } from './scim-project.js';
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
