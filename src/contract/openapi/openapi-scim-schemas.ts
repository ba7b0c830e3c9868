import { MAX_SCIM_PAGE, SCIM_SCHEMAS } from '../scim/scim.js';

type Json = { [k: string]: unknown };

const ref = (name: string): Json => ({ $ref: `#/components/schemas/${name}` });
const str: Json = { type: 'string' };
const TIME = { type: 'string', format: 'date-time' };
/** A `schemas` array naming `urn` (RFC 7643 §3: every resource and message names its schemas). */
const urns = (urn: string): Json => ({
  type: 'array',
  items: { type: 'string' },
  contains: { const: urn },
});
const meta = (resourceType: string): Json => ({
  type: 'object',
  required: ['resourceType'],
  properties: {
    resourceType: { const: resourceType },
    created: TIME,
    lastModified: TIME,
    location: { type: 'string', format: 'uri' },
  },
});
/** An object Entra may send more of than this service keeps (the enterprise extension, `roles`, `meta`, …). */
const open = (required: string[], properties: Json): Json => ({
  type: 'object',
  required,
  properties,
  additionalProperties: true,
});
const listOf = (resource: string): Json => ({
  type: 'object',
  required: ['schemas', 'totalResults', 'startIndex', 'itemsPerPage', 'Resources'],
  properties: {
    schemas: urns(SCIM_SCHEMAS.listResponse),
    totalResults: { type: 'integer', minimum: 0 },
    startIndex: { type: 'integer', minimum: 1, description: '1-based (RFC 7644 §3.4.2.4).' },
    itemsPerPage: { type: 'integer', minimum: 0, maximum: MAX_SCIM_PAGE },
    Resources: { type: 'array', items: ref(resource) },
  },
});
const NAME: Json = {
  type: 'object',
  properties: { givenName: str, familyName: str, formatted: str },
};
const EMAILS: Json = {
  type: 'array',
  maxItems: 10,
  items: {
    type: 'object',
    required: ['value'],
    properties: { value: str, type: str, primary: { type: 'boolean' } },
  },
};
/** A request's e-mails: `primary` as Entra has sent it, a boolean or `"True"`/`"False"`. */
const EMAILS_IN: Json = {
  type: 'array',
  items: open([], { value: str, type: str, primary: { type: ['boolean', 'string'] } }),
};
const MEMBERS: Json = {
  type: 'array',
  items: open(['value'], { value: str, display: str }),
};
/** The discovery answers' resources: shapes RFC 7643 §5–§7 define, kept open beyond what this service names. */
const DISCOVERY_RESOURCE: Json = open(['schemas', 'id'], {
  schemas: { type: 'array', items: str },
  id: str,
  name: str,
});

/**
 * The JSON Schemas of the SCIM routes (RFC 7643 resources, RFC 7644 messages) as the runtime answers them
 * (runtime/members/scim: scim-users.ts, scim-groups.ts, scim-response.ts, scim-discovery.ts) and as Microsoft
 * Entra's provisioning service sends them (Learn, "Develop a SCIM endpoint for user provisioning"; "Known issues
 * and resolutions with SCIM 2.0 protocol compliance": capitalized ops, booleans as strings, PATCH without a path).
 *
 * @example
 * ```ts
 * for (const [name, schema] of Object.entries(SCIM_RESOURCE_SCHEMAS)) schemas.set(name, schema);
 * ```
 */
export const SCIM_RESOURCE_SCHEMAS: Readonly<Record<string, Json>> = {
  ScimUser: {
    type: 'object',
    description: 'A provisioned user (RFC 7643 §4.1): never the member it is linked to.',
    required: ['schemas', 'id', 'userName', 'active', 'emails', 'meta'],
    properties: {
      schemas: urns(SCIM_SCHEMAS.user),
      id: str,
      userName: str,
      externalId: str,
      active: { type: 'boolean' },
      displayName: str,
      name: NAME,
      emails: EMAILS,
      meta: meta('User'),
    },
  },
  ScimUserInput: open(['userName'], {
    schemas: { type: 'array', items: str },
    userName: { type: 'string', minLength: 1, maxLength: 256 },
    externalId: str,
    active: {
      type: ['boolean', 'string'],
      description: 'A boolean, or `"True"`/`"False"` as Entra has sent it.',
    },
    displayName: str,
    name: open([], { givenName: str, familyName: str, formatted: str }),
    emails: EMAILS_IN,
  }),
  ScimUserList: listOf('ScimUser'),
  ScimGroup: {
    type: 'object',
    description:
      'A group (RFC 7643 §4.2): one whose displayName is a declared role grants it to its linked members.',
    required: ['schemas', 'id', 'displayName', 'meta'],
    properties: {
      schemas: urns(SCIM_SCHEMAS.group),
      id: str,
      displayName: str,
      externalId: str,
      members: {
        type: 'array',
        description: 'Left out with `excludedAttributes=members`.',
        items: { type: 'object', required: ['value'], properties: { value: str } },
      },
      meta: meta('Group'),
    },
  },
  ScimGroupInput: open(['displayName'], {
    schemas: { type: 'array', items: str },
    displayName: { type: 'string', minLength: 1, maxLength: 256 },
    externalId: str,
    members: MEMBERS,
  }),
  ScimGroupList: listOf('ScimGroup'),
  ScimPatchOp: {
    type: 'object',
    description:
      'A PatchOp (RFC 7644 §3.5.2) as Entra sends it: `op` in any case; without a `path` the value is an object ' +
      'of attributes (dotted keys included, `{ "name.givenName": "Ada" }`); paths such as `active`, ' +
      '`emails[type eq "work"].value`, `members`, `members[value eq "…"]`.',
    required: ['Operations'],
    properties: {
      schemas: urns(SCIM_SCHEMAS.patchOp),
      Operations: {
        type: 'array',
        minItems: 1,
        maxItems: 100,
        items: {
          type: 'object',
          required: ['op'],
          properties: {
            op: {
              type: 'string',
              description: '`add`, `replace` or `remove`, in any case (`Replace`).',
              pattern: '^([Aa][Dd][Dd]|[Rr][Ee][Pp][Ll][Aa][Cc][Ee]|[Rr][Ee][Mm][Oo][Vv][Ee])$',
            },
            path: str,
            value: {},
          },
        },
      },
    },
  },
  ScimError: {
    type: 'object',
    description: 'A SCIM error (RFC 7644 §3.12): `status` is the HTTP status as a string.',
    required: ['schemas', 'status', 'detail'],
    properties: {
      schemas: urns(SCIM_SCHEMAS.error),
      status: { type: 'string', pattern: '^[1-5][0-9]{2}$' },
      scimType: {
        type: 'string',
        enum: [
          'invalidFilter',
          'tooMany',
          'uniqueness',
          'mutability',
          'invalidSyntax',
          'invalidPath',
          'noTarget',
          'invalidValue',
          'invalidVers',
          'sensitive',
        ],
      },
      detail: str,
    },
  },
  ScimServiceProviderConfig: open(
    [
      'schemas',
      'patch',
      'bulk',
      'filter',
      'changePassword',
      'sort',
      'etag',
      'authenticationSchemes',
    ],
    {
      schemas: urns(SCIM_SCHEMAS.serviceProviderConfig),
      documentationUri: { type: 'string', format: 'uri' },
      patch: open(['supported'], { supported: { type: 'boolean' } }),
      bulk: open(['supported'], { supported: { type: 'boolean' } }),
      filter: open(['supported'], {
        supported: { type: 'boolean' },
        maxResults: { type: 'integer' },
      }),
      changePassword: open(['supported'], { supported: { type: 'boolean' } }),
      sort: open(['supported'], { supported: { type: 'boolean' } }),
      etag: open(['supported'], { supported: { type: 'boolean' } }),
      authenticationSchemes: {
        type: 'array',
        items: open(['type', 'name'], { type: str, name: str, description: str }),
      },
    },
  ),
  ScimDiscoveryResource: DISCOVERY_RESOURCE,
  ScimDiscoveryList: listOf('ScimDiscoveryResource'),
};
