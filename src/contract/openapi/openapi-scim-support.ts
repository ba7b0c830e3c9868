import { SCIM_SCHEMAS } from '../scim/scim.js';
import { type Json } from './openapi-refs.js';

const str: Json = { type: 'string' };
const urns = (urn: string): Json => ({
  type: 'array',
  items: { type: 'string' },
  contains: { const: urn },
});
const open = (required: string[], properties: Json): Json => ({
  type: 'object',
  required,
  properties,
  additionalProperties: true,
});

/**
 * The JSON Schemas of the SCIM messages beside the resources (RFC 7644 §3.5.2, §3.12; RFC 7643 §5): the PatchOp as
 * Entra sends it, the error every 4xx answers, the service provider's configuration.
 *
 * @example
 * ```ts
 * for (const [name, schema] of Object.entries(SCIM_SUPPORT_SCHEMAS)) schemas.set(name, schema);
 * ```
 */
export const SCIM_SUPPORT_SCHEMAS: Readonly<Record<string, Json>> = {
  ScimPatchOp: {
    type: 'object',
    description:
      'A PatchOp (RFC 7644 §3.5.2) as Entra and Okta send it: `op` in any case; without a `path` the value is an ' +
      'object of attributes (dotted and URN-qualified keys included, `{ "name.givenName": "Ada" }`); paths such as ' +
      '`active`, `emails[type eq "work"].value`, `members`, `members[value eq "…"]`, ' +
      '`urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department`.',
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
    description:
      'A SCIM error (RFC 7644 §3.12), the body of every 4xx and 5xx of a SCIM route: `status` is the HTTP status ' +
      'as a string, `scimType` where §3.12 names one.',
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
};
