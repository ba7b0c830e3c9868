// SCIM 2.0 provisioning per organization (DESIGN §2, "Organizations that enterprises can buy"; RFC 7643/7644 as
// Microsoft Entra's provisioning service calls them): the token routes an Owner uses, the SCIM routes the identity
// provider calls, the SCIM URNs and bounds the runtime, the OpenAPI document and the typed client share. Imports
// nothing, so the client's bundle shares it.

/**
 * An organization's SCIM token as `GET api/tenant/scim-tokens` lists it: never the secret, which only the create
 * answers ({@link CreatedScimToken}).
 *
 * @example
 * ```ts
 * const t: ScimToken = { id: 'k3x9qa7b', name: 'Entra', createdOn: '2026-11-27T06:00:00.000Z' };
 * ```
 */
export interface ScimToken {
  readonly id: string;
  readonly name?: string;
  readonly createdOn: string;
}

/**
 * `POST api/tenant/scim-tokens`'s answer: the bearer token, shown this once (stored as its SHA-256 hash).
 *
 * @example
 * ```ts
 * const created: CreatedScimToken = { id: 'k3x9qa7b', token: 'atakora-scim.…', createdOn: '2026-11-27T06:00:00.000Z' };
 * ```
 */
export interface CreatedScimToken extends ScimToken {
  readonly token: string;
}

/**
 * The token routes (below `api/`), Owners only, acting in the request's organization.
 *
 * @example
 * ```ts
 * `/api/${SCIM_TOKEN_ROUTES.tokens}`; // '/api/tenant/scim-tokens'
 * ```
 */
export const SCIM_TOKEN_ROUTES = Object.freeze({
  tokens: 'tenant/scim-tokens',
  token: 'tenant/scim-tokens/{id}',
});

/**
 * The SCIM base path (below `api/`): what an IT admin enters as Entra's Tenant URL, `https://<app>/api/scim/v2`.
 *
 * @example
 * ```ts
 * `https://contoso-api.azurewebsites.net/api/${SCIM_BASE}`;
 * ```
 */
export const SCIM_BASE = 'scim/v2';

/**
 * The SCIM routes (below `api/`): the resources and the discovery endpoints (RFC 7644 §3.2, §4), authenticated by
 * an organization's SCIM token alone. `Schemas/{id}` takes a schema's URN, `ResourceTypes/{id}` `User` or `Group`.
 *
 * @example
 * ```ts
 * SCIM_ROUTES.user; // 'scim/v2/Users/{id}'
 * ```
 */
export const SCIM_ROUTES = Object.freeze({
  users: `${SCIM_BASE}/Users`,
  user: `${SCIM_BASE}/Users/{id}`,
  groups: `${SCIM_BASE}/Groups`,
  group: `${SCIM_BASE}/Groups/{id}`,
  serviceProviderConfig: `${SCIM_BASE}/ServiceProviderConfig`,
  schemas: `${SCIM_BASE}/Schemas`,
  schema: `${SCIM_BASE}/Schemas/{id}`,
  resourceTypes: `${SCIM_BASE}/ResourceTypes`,
  resourceType: `${SCIM_BASE}/ResourceTypes/{id}`,
  /** `POST` searches (RFC 7644 §3.4.3): the root's over every resource type, and each type's own. */
  search: `${SCIM_BASE}/.search`,
  usersSearch: `${SCIM_BASE}/Users/.search`,
  groupsSearch: `${SCIM_BASE}/Groups/.search`,
  /**
   * Every other path below the base (`Bulk`, `Me`, `Users/{id}/…`, a misspelt resource): a SCIM 404 (RFC 7644
   * §3.12), never the host's bare one. Its function sorts after every other SCIM function ({@link SCIM_FUNCTIONS}),
   * so the host tries it last and it shadows none of them.
   */
  unknown: `${SCIM_BASE}/{*path}`,
});

/**
 * The function names of the token and SCIM routes.
 *
 * @example
 * ```ts
 * SCIM_FUNCTIONS.users; // 'scim-users'
 * ```
 */
export const SCIM_FUNCTIONS = Object.freeze({
  tokens: 'membership-scim-tokens',
  token: 'membership-scim-token',
  users: 'scim-users',
  user: 'scim-user',
  groups: 'scim-groups',
  group: 'scim-group',
  serviceProviderConfig: 'scim-service-provider-config',
  schemas: 'scim-schemas',
  schema: 'scim-schema',
  resourceTypes: 'scim-resource-types',
  resourceType: 'scim-resource-type',
  search: 'scim-search',
  usersSearch: 'scim-users-search',
  groupsSearch: 'scim-groups-search',
  // The host tries routes in function-name order, first match wins (kit/pure/route-order.ts): `scimv2-…` sorts after
  // every `scim-…` name ('V' > '-'), so the catch-all answers only what no SCIM route takes.
  unknown: 'scimv2-unknown-path',
});

/**
 * The SCIM URNs (RFC 7643 §8.7, RFC 7644 §3.4.2, §3.5.2, §3.12).
 *
 * @example
 * ```ts
 * body.schemas.includes(SCIM_SCHEMAS.patchOp);
 * ```
 */
export const SCIM_SCHEMAS = Object.freeze({
  user: 'urn:ietf:params:scim:schemas:core:2.0:User',
  group: 'urn:ietf:params:scim:schemas:core:2.0:Group',
  enterpriseUser: 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User',
  listResponse: 'urn:ietf:params:scim:api:messages:2.0:ListResponse',
  patchOp: 'urn:ietf:params:scim:api:messages:2.0:PatchOp',
  searchRequest: 'urn:ietf:params:scim:api:messages:2.0:SearchRequest',
  error: 'urn:ietf:params:scim:api:messages:2.0:Error',
  serviceProviderConfig: 'urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig',
  schema: 'urn:ietf:params:scim:schemas:core:2.0:Schema',
  resourceType: 'urn:ietf:params:scim:schemas:core:2.0:ResourceType',
});

/** The media type of every SCIM answer (RFC 7644 §3.1). */
export const SCIM_MEDIA_TYPE = 'application/scim+json';

/**
 * How many SCIM tokens one organization may hold at once (a rotation needs two; more is a leak waiting to happen).
 *
 * @example
 * ```ts
 * if (held >= MAX_SCIM_TOKENS_PER_ORGANIZATION) refuse(); // 409 scim-token-limit
 * ```
 */
export const MAX_SCIM_TOKENS_PER_ORGANIZATION = 5;

/** The largest SCIM page (`count`): Entra asks for one user at a time, a reconciler for more. */
export const MAX_SCIM_PAGE = 100;

/**
 * How many members one group may hold (DESIGN §2: on every write — POST, PUT, PATCH `add`): each change of a group
 * re-reads its members' roles, and a group item stays far below Cosmos DB's 2 MB.
 *
 * @example
 * ```ts
 * if (members.length > MAX_GROUP_MEMBERS) refuse(); // 400 invalidValue
 * ```
 */
export const MAX_GROUP_MEMBERS = 1000;

/**
 * The prefix of every SCIM token, so a secret scanner (and a human) knows one when it sees one.
 *
 * @example
 * ```ts
 * token.startsWith(SCIM_TOKEN_PREFIX);
 * ```
 */
export const SCIM_TOKEN_PREFIX = 'atakora-scim.';
