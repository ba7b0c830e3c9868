import { queryParameter as query } from './openapi-parameter.js';
import {
  MAX_SCIM_PAGE,
  SCIM_MEDIA_TYPE,
  SCIM_ROUTES,
  SCIM_SCHEMAS,
  SCIM_TOKEN_PREFIX,
} from '../scim/scim.js';
import { RATE_LIMIT_PAIR } from './openapi-limits.js';
import { type Json, path, ref } from './openapi-refs.js';

const TAGS = ['scim'];

/** The security requirement of every SCIM operation: the organization's SCIM token, no user sign-in. */
const SECURITY = [{ scim: [] }];

/**
 * `components.securitySchemes.scim`: an organization's SCIM token as the bearer (RFC 7644 §2; Entra's "Secret
 * Token"), issued by `POST api/tenant/scim-tokens`. A user's sign-in is no SCIM credential, nor is this token one.
 *
 * @example
 * ```ts
 * securitySchemes.scim = SCIM_SECURITY_SCHEME;
 * ```
 */
export const SCIM_SECURITY_SCHEME: Json = {
  type: 'http',
  scheme: 'bearer',
  bearerFormat: `${SCIM_TOKEN_PREFIX}<43 base64url characters>`,
  description:
    "An organization's SCIM token (`POST /api/tenant/scim-tokens`, an Owner's; Entra's Secret Token) as " +
    "`Authorization: Bearer atakora-scim.…`: it provisions that organization only. A user's sign-in is refused " +
    'here (401), and the token is refused everywhere else.',
};

/** A SCIM answer's body: `application/scim+json` (RFC 7644 §3.1). */
const scim = (schema: Json): Json => ({ [SCIM_MEDIA_TYPE]: { schema } });
/** A request's body: `application/scim+json`, or `application/json` as Entra also sends. */
const body = (schema: string): Json => ({
  required: true,
  content: {
    [SCIM_MEDIA_TYPE]: { schema: ref('schemas', schema) },
    'application/json': { schema: ref('schemas', schema) },
  },
});
/** Every SCIM answer of a limited caller carries the RateLimit pair (runtime/usage/limit-headers.ts). */
const answer = (description: string, schema?: Json, headers: Json = {}): Json => ({
  description,
  headers: { ...headers, ...RATE_LIMIT_PAIR },
  ...(schema ? { content: scim(schema) } : {}),
});
const error = (description: string, headers: Json = {}): Json =>
  answer(description, ref('schemas', 'ScimError'), headers);
const RETRY = { 'Retry-After': ref('headers', 'RetryAfter') };

/** The refusals every SCIM operation may meet, as SCIM errors (runtime/members/scim/scim-serve.ts). */
const REFUSALS: Json = {
  '401': {
    description:
      'No SCIM token, an unknown or revoked one, a user sign-in instead, or the organization is gone.',
    headers: { 'WWW-Authenticate': ref('headers', 'WWWAuthenticate') },
    content: scim(ref('schemas', 'ScimError')),
  },
  '402': error(
    "The organization's plan does not include `scim` (`detail` names the plans that do; docs/packaging.md).",
  ),
  '403': error("The token's organization is suspended."),
  '429': error("Over the organization's plan's request rate (`Retry-After`).", RETRY),
  '503': error('A store did not answer: retry after `Retry-After`.', RETRY),
};
const BODY_ERRORS: Json = {
  '400': error('Not a valid body (`scimType` `invalidValue`, `invalidSyntax`, `mutability`, …).'),
  '413': error('The body is too large.'),
  '415': error('The body is not JSON (`application/scim+json` or `application/json`).'),
};
const notFound = (what: string) => error(`No ${what} of this id in the token's organization.`);

const listParameters = (attributes: readonly string[]): Json[] => [
  query(
    'filter',
    `Only \`<attribute> eq "<value>"\` (RFC 7644 §3.4.2.2) on ${attributes.map((a) => `\`${a}\``).join(', ')}, as Entra and Okta ask before creating one.`,
    { type: 'string', examples: [`${attributes[0] ?? 'userName'} eq "ada@contoso.com"`] },
  ),
  query('startIndex', 'The 1-based index of the first result (below 1: 1).', {
    type: 'integer',
    default: 1,
  }),
  query('count', `Results per page (at most ${String(MAX_SCIM_PAGE)}).`, {
    type: 'integer',
    minimum: 0,
    default: MAX_SCIM_PAGE,
  }),
];
/** `attributes` and `excludedAttributes` (RFC 7644 §3.9): on every operation that answers a resource. */
const PROJECTION: Json[] = [
  query(
    'attributes',
    'Comma-separated attributes to answer (sub-attributes and URN-qualified names too); `schemas` and `id` always.',
    { type: 'string', examples: ['userName,name.givenName'] },
  ),
  query(
    'excludedAttributes',
    'Comma-separated attributes to leave out (never `id`); Entra reads groups with `members` left out.',
    { type: 'string', examples: ['members'] },
  ),
];
const ID = { name: 'id', in: 'path', required: true, schema: { type: 'string' } };

/** One SCIM operation: its id, summary and responses, tagged and secured by the SCIM token. */
const op = (operationId: string, summary: string, responses: Json, more: Json = {}): Json => ({
  operationId,
  summary,
  tags: TAGS,
  security: SECURITY,
  ...more,
  responses: { ...responses, ...REFUSALS },
});

/** `Users` or `Groups`: the collection and the resource paths. */
function resource(
  kind: 'User' | 'Group',
  filterBy: readonly string[],
  patched: Json,
): [Json, Json] {
  const lower = kind.toLowerCase();
  const one = (description: string, headers: Json = {}) =>
    answer(description, ref('schemas', `Scim${kind}`), headers);
  const taken = error(
    `A ${lower} with this ${filterBy[0] ?? 'name'} is provisioned already, in any case (\`uniqueness\`).`,
  );
  const collection = {
    get: op(
      `scim_${lower}s_list`,
      `The organization's provisioned ${lower}s (a ListResponse; an unmatched filter: none).`,
      {
        '200': answer('A ListResponse.', ref('schemas', `Scim${kind}List`)),
        '400': error('A filter this service does not answer (`scimType` `invalidFilter`).'),
      },
      { parameters: [...listParameters(filterBy), ...PROJECTION] },
    ),
    post: op(
      `scim_${lower}s_create`,
      `Provision a ${lower}.`,
      {
        '201': one(`The ${lower}.`, { Location: ref('headers', 'Location') }),
        ...BODY_ERRORS,
        '409': taken,
      },
      { parameters: PROJECTION, requestBody: body(`Scim${kind}Input`) },
    ),
  };
  const item = {
    parameters: [ID],
    get: op(
      `scim_${lower}s_read`,
      `One provisioned ${lower}.`,
      { '200': one(`The ${lower}.`), '404': notFound(lower) },
      { parameters: PROJECTION },
    ),
    put: op(
      `scim_${lower}s_replace`,
      `Replace a ${lower} (RFC 7644 §3.5.1): what the body leaves out is gone.`,
      {
        '200': one(`The ${lower} as replaced.`),
        ...BODY_ERRORS,
        '404': notFound(lower),
        '409': taken,
      },
      { parameters: PROJECTION, requestBody: body(`Scim${kind}Input`) },
    ),
    patch: op(
      `scim_${lower}s_patch`,
      `Change a ${lower} with a PatchOp (RFC 7644 §3.5.2).`,
      {
        ...patched,
        ...BODY_ERRORS,
        '404': notFound(lower),
        '409': error(
          'A concurrent change, a taken name, or the last Owner (retry or change first).',
        ),
      },
      { parameters: PROJECTION, requestBody: body('ScimPatchOp') },
    ),
    delete: op(`scim_${lower}s_delete`, `Deprovision a ${lower}.`, {
      '204': answer('Deleted.'),
      '404': notFound(lower),
      '409': error('The last Owner of the organization is never removed.'),
    }),
  };
  return [collection, item];
}

const [USERS, USER] = resource(
  'User',
  ['userName', 'externalId', 'id', 'emails[type eq "work"].value'],
  {
    '200': answer(
      'The user as patched (`active: false` removed the membership at once).',
      ref('schemas', 'ScimUser'),
    ),
  },
);
const [GROUPS, GROUP] = resource('Group', ['displayName', 'externalId', 'id'], {
  '200': answer(
    'The group as patched, when `attributes` or `excludedAttributes` asks for it.',
    ref('schemas', 'ScimGroup'),
  ),
  '204': answer("Changed (Entra's expected answer to a group PATCH)."),
});

/** A SearchRequest (RFC 7644 §3.4.3): a list's parameters in the body; `sortBy`/`sortOrder` ignored. */
const SEARCH_SCHEMA: Json = {
  type: 'object',
  properties: {
    schemas: { type: 'array', items: { type: 'string', enum: [SCIM_SCHEMAS.searchRequest] } },
    filter: { type: 'string', examples: ['externalId eq "0a21f0f2"'] },
    startIndex: { type: 'integer', default: 1 },
    count: { type: 'integer', minimum: 0, maximum: MAX_SCIM_PAGE },
    attributes: { type: 'array', items: { type: 'string' } },
    excludedAttributes: { type: 'array', items: { type: 'string' } },
  },
};
/** `POST …/.search`: the list the same GET answers, its parameters from the body. */
const search = (operationId: string, summary: string, list: Json): Json => ({
  post: op(
    operationId,
    summary,
    {
      '200': answer('A ListResponse.', list),
      ...BODY_ERRORS,
      '400': error(
        'Not a SearchRequest (`invalidSyntax`), or a filter no resource type here answers (`invalidFilter`).',
      ),
    },
    {
      requestBody: {
        required: true,
        content: {
          [SCIM_MEDIA_TYPE]: { schema: SEARCH_SCHEMA },
          'application/json': { schema: SEARCH_SCHEMA },
        },
      },
    },
  ),
});

const discovery = (operationId: string, summary: string, schema: string): Json => ({
  get: op(operationId, summary, { '200': answer(summary, ref('schemas', schema)) }),
});
const discovered = (operationId: string, summary: string, what: string): Json => ({
  parameters: [ID],
  get: op(operationId, summary, {
    '200': answer(summary, ref('schemas', 'ScimDiscoveryResource')),
    '404': error(`This service has no ${what} of that id.`),
  }),
});

/**
 * The SCIM routes by path (runtime/members/scim/scim-routes.ts: Users, Groups and discovery below `api/scim/v2`),
 * each secured by the `scim` scheme alone ({@link SCIM_SECURITY_SCHEME}), answering `application/scim+json` and
 * refusing with SCIM errors (RFC 7644 §3.12) — never problem documents, so neither the organization header nor the
 * problem-document limit answers apply (the token names the organization). PUT replaces a User or a Group (Okta
 * replaces users so); `attributes`/`excludedAttributes` shape every answer that holds a resource.
 *
 * @example
 * ```ts
 * for (const [path, item] of Object.entries(SCIM_PATHS)) paths.set(path, item);
 * ```
 */
export const SCIM_PATHS: Readonly<Record<string, Json>> = {
  [path(SCIM_ROUTES.users)]: USERS,
  [path(SCIM_ROUTES.user)]: USER,
  [path(SCIM_ROUTES.groups)]: GROUPS,
  [path(SCIM_ROUTES.group)]: GROUP,
  [path(SCIM_ROUTES.serviceProviderConfig)]: discovery(
    'scim_serviceProviderConfig',
    'What this SCIM service supports (RFC 7643 §5).',
    'ScimServiceProviderConfig',
  ),
  [path(SCIM_ROUTES.resourceTypes)]: discovery(
    'scim_resourceTypes',
    'The resource types served: User and Group (RFC 7643 §6).',
    'ScimDiscoveryList',
  ),
  [path(SCIM_ROUTES.resourceType)]: discovered(
    'scim_resourceType',
    'One resource type, `User` or `Group` (RFC 7644 §4).',
    'resource type',
  ),
  [path(SCIM_ROUTES.schemas)]: discovery(
    'scim_schemas',
    'The User (and its enterprise extension) and Group schemas as this service keeps them (RFC 7643 §7).',
    'ScimDiscoveryList',
  ),
  [path(SCIM_ROUTES.schema)]: discovered(
    'scim_schema',
    'One schema, by its URN (RFC 7644 §4: `Schemas/{id}`).',
    'schema',
  ),
  [path(SCIM_ROUTES.usersSearch)]: search(
    'scim_users_search',
    'Search users with a SearchRequest (RFC 7644 §3.4.3): as `GET Users` with the same parameters.',
    ref('schemas', 'ScimUserList'),
  ),
  [path(SCIM_ROUTES.groupsSearch)]: search(
    'scim_groups_search',
    'Search groups with a SearchRequest (RFC 7644 §3.4.3): as `GET Groups` with the same parameters.',
    ref('schemas', 'ScimGroupList'),
  ),
  [path(SCIM_ROUTES.search)]: search(
    'scim_search',
    'Search every resource type (RFC 7644 §3.4.3, the root): users, then groups, paged as one list.',
    {
      type: 'object',
      required: ['schemas', 'totalResults', 'Resources'],
      properties: {
        schemas: { type: 'array', items: { type: 'string', enum: [SCIM_SCHEMAS.listResponse] } },
        totalResults: { type: 'integer' },
        startIndex: { type: 'integer' },
        itemsPerPage: { type: 'integer' },
        Resources: {
          type: 'array',
          items: { anyOf: [ref('schemas', 'ScimUser'), ref('schemas', 'ScimGroup')] },
        },
      },
    },
  ),
};
