import { SCIM_TOKEN_ROUTES } from '../scim/scim.js';
import { type Json, json, path, problem, ref, TIME } from './openapi-refs.js';

const IN_TENANT = {
  '400': problem(400),
  '401': problem(401),
  '403': problem(403),
  '503': problem(503),
};
const TAGS = ['scim'];

/**
 * The schemas of the SCIM token routes: `ScimToken`, `CreatedScimToken`, their list and `ScimTokenInput`.
 *
 * @example
 * ```ts
 * for (const [name, schema] of Object.entries(SCIM_TOKEN_SCHEMAS)) schemas.set(name, schema);
 * ```
 */
export const SCIM_TOKEN_SCHEMAS: Readonly<Record<string, Json>> = {
  ScimToken: {
    type: 'object',
    required: ['id', 'createdOn'],
    properties: { id: { type: 'string' }, name: { type: 'string' }, createdOn: TIME },
  },
  CreatedScimToken: {
    type: 'object',
    required: ['id', 'token', 'createdOn'],
    properties: {
      id: { type: 'string' },
      name: { type: 'string' },
      token: {
        type: 'string',
        description: "The bearer token (`atakora-scim.…`), shown this once: Entra's Secret Token.",
      },
      createdOn: TIME,
    },
  },
  ScimTokenList: {
    type: 'object',
    required: ['items'],
    properties: { items: { type: 'array', items: ref('schemas', 'ScimToken') } },
  },
  ScimTokenInput: {
    type: 'object',
    additionalProperties: false,
    properties: { name: { type: 'string', maxLength: 100 } },
  },
};

/**
 * The SCIM token routes by path (runtime/members/scim/scim-routes.ts), an Owner's, in the request's organization.
 * The SCIM routes themselves (`api/scim/v2/…`, `application/scim+json`, a SCIM token as the bearer) follow RFC 7644
 * and are described in docs/enterprise.md.
 *
 * @example
 * ```ts
 * for (const [path, item] of Object.entries(SCIM_TOKEN_PATHS)) paths.set(path, item);
 * ```
 */
export const SCIM_TOKEN_PATHS: Readonly<Record<string, Json>> = {
  [path(SCIM_TOKEN_ROUTES.tokens)]: {
    get: {
      operationId: 'scimTokens_list',
      summary: "The organization's SCIM tokens, without their secrets (an Owner).",
      tags: TAGS,
      responses: {
        '200': { description: 'The tokens.', content: json(ref('schemas', 'ScimTokenList')) },
        ...IN_TENANT,
      },
    },
    post: {
      operationId: 'scimTokens_create',
      summary:
        'Issue a SCIM token (an Owner): the token is answered this once, its SHA-256 stored.',
      description: '409 `scim-token-limit` when the organization holds 5 already.',
      tags: TAGS,
      requestBody: { required: false, content: json(ref('schemas', 'ScimTokenInput')) },
      responses: {
        '201': { description: 'The token.', content: json(ref('schemas', 'CreatedScimToken')) },
        ...IN_TENANT,
        '409': problem(409),
      },
    },
  },
  [path(SCIM_TOKEN_ROUTES.token)]: {
    parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }],
    delete: {
      operationId: 'scimTokens_revoke',
      summary: 'Revoke a SCIM token (an Owner): it admits nothing from then on.',
      tags: TAGS,
      responses: { '204': { description: 'Revoked.' }, ...IN_TENANT, '404': problem(404) },
    },
  },
};
