import type { HttpResponseInit } from '@azure/functions';
import { SCIM_ROUTES, SCIM_SCHEMAS } from '../../../contract/scim/scim.js';
import { SCIM_RESOURCE_SCHEMAS } from '../../../contract/scim/scim-schemas.js';
import {
  SCIM_RESOURCE_TYPES,
  SCIM_SERVICE_PROVIDER_CONFIG,
} from '../../../contract/scim/scim-service.js';
import { locationOf } from './scim-answer.js';
import { scimError, scimJson } from './scim-response.js';
import type { ScimCall } from './scim-serve.js';

type Document = { readonly id: string; readonly meta: object };

/** A discovery document with its `meta.location` on the request's host (RFC 7643 §3.1). */
const located = (call: ScimCall, route: string, doc: Document) => ({
  ...doc,
  meta: { ...doc.meta, location: locationOf(call, route, doc.id) },
});

const list = (resources: readonly unknown[]) => ({
  schemas: [SCIM_SCHEMAS.listResponse],
  totalResults: resources.length,
  startIndex: 1,
  itemsPerPage: resources.length,
  Resources: resources,
});

/** The one document of `docs` whose id is `id` (URNs and names compared without regard to case), or a SCIM 404. */
function one(
  call: ScimCall,
  route: string,
  docs: readonly Document[],
  what: string,
): HttpResponseInit {
  const doc = docs.find((d) => d.id.toLowerCase() === call.id.toLowerCase());
  return doc
    ? scimJson(200, located(call, route, doc))
    : scimError(404, `This service has no ${what} ${call.id}.`);
}

/**
 * The discovery endpoints (RFC 7644 §4) from the documents written once in contract/scim (scim-schemas.ts,
 * scim-service.ts): `ServiceProviderConfig`, `Schemas` and `Schemas/{id}` (User, EnterpriseUser, Group),
 * `ResourceTypes` and `ResourceTypes/{id}` (User, Group) — an unknown id a SCIM 404.
 *
 * @example
 * ```ts
 * const answer = discovery.schema(call); // GET Schemas/urn:ietf:params:scim:schemas:core:2.0:User
 * ```
 */
export const discovery = {
  serviceProviderConfig: (call: ScimCall): HttpResponseInit =>
    scimJson(200, {
      ...SCIM_SERVICE_PROVIDER_CONFIG,
      meta: {
        ...SCIM_SERVICE_PROVIDER_CONFIG.meta,
        location: locationOf(call, SCIM_ROUTES.serviceProviderConfig, ''),
      },
    }),
  schemas: (call: ScimCall): HttpResponseInit =>
    scimJson(200, list(SCIM_RESOURCE_SCHEMAS.map((s) => located(call, SCIM_ROUTES.schema, s)))),
  schema: (call: ScimCall): HttpResponseInit =>
    one(call, SCIM_ROUTES.schema, SCIM_RESOURCE_SCHEMAS, 'schema'),
  resourceTypes: (call: ScimCall): HttpResponseInit =>
    scimJson(200, list(SCIM_RESOURCE_TYPES.map((t) => located(call, SCIM_ROUTES.resourceType, t)))),
  resourceType: (call: ScimCall): HttpResponseInit =>
    one(call, SCIM_ROUTES.resourceType, SCIM_RESOURCE_TYPES, 'resource type'),
};
