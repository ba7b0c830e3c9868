import { type Json, json, path, problem, ref, TIME } from '../openapi/openapi-refs.js';
import { API_KEY_ROUTES, MAX_API_KEY_DAYS, MAX_API_KEY_NAME } from './api-keys.js';

const IN_TENANT = {
  '400': problem(400),
  '401': problem(401),
  '403': problem(403),
  '503': problem(503),
};
const TAGS = ['api-keys'];
const NULLABLE_TIME = { type: ['string', 'null'], format: 'date-time' };

/**
 * The schemas of the API key routes: `ApiKey`, `CreatedApiKey`, their list and `ApiKeyInput`.
 *
 * @example
 * ```ts
 * for (const [name, schema] of Object.entries(API_KEY_SCHEMAS)) schemas.set(name, schema);
 * ```
 */
export const API_KEY_SCHEMAS: Readonly<Record<string, Json>> = {
  ApiKey: {
    type: 'object',
    required: ['id', 'name', 'role', 'prefix', 'createdOn', 'createdBy', 'expiresOn', 'lastUsedOn'],
    properties: {
      id: { type: 'string' },
      name: { type: 'string' },
      role: { type: 'string' },
      prefix: {
        type: 'string',
        description: 'The first characters of the key (`atk_` and 6 more).',
      },
      createdOn: TIME,
      createdBy: { type: 'string' },
      expiresOn: NULLABLE_TIME,
      lastUsedOn: NULLABLE_TIME,
    },
  },
  CreatedApiKey: {
    type: 'object',
    required: ['id', 'name', 'role', 'key', 'expiresOn'],
    properties: {
      id: { type: 'string' },
      name: { type: 'string' },
      role: { type: 'string' },
      key: {
        type: 'string',
        description:
          'The key (`atk_` and 43 base64url characters), shown this once: send it as `Authorization: Bearer atk_…`.',
      },
      expiresOn: NULLABLE_TIME,
    },
  },
  ApiKeyList: {
    type: 'object',
    required: ['items'],
    properties: { items: { type: 'array', items: ref('schemas', 'ApiKey') } },
  },
  ApiKeyInput: {
    type: 'object',
    additionalProperties: false,
    required: ['name', 'role'],
    properties: {
      name: { type: 'string', minLength: 1, maxLength: MAX_API_KEY_NAME },
      role: { type: 'string', description: 'One of `tenants.apiKeys.roles` (never `Owner`).' },
      expiresInDays: { type: 'integer', minimum: 1, maximum: MAX_API_KEY_DAYS },
    },
  },
};

/**
 * The API key routes by path (runtime/members/keys/api-key-routes.ts), Owners' and Admins', in the request's
 * organization, behind the plan's `api-keys` feature.
 *
 * @example
 * ```ts
 * for (const [path, item] of Object.entries(API_KEY_PATHS)) paths.set(path, item);
 * ```
 */
export const API_KEY_PATHS: Readonly<Record<string, Json>> = {
  [path(API_KEY_ROUTES.keys)]: {
    get: {
      operationId: 'apiKeys_list',
      summary: "The organization's API keys, never the keys themselves (an Owner or an Admin).",
      tags: TAGS,
      responses: {
        '200': { description: 'The keys.', content: json(ref('schemas', 'ApiKeyList')) },
        ...IN_TENANT,
      },
    },
    post: {
      operationId: 'apiKeys_create',
      summary:
        'Create an API key (an Owner or an Admin): the key is answered this once, its SHA-256 stored.',
      description:
        '409 `api-key-limit` past `tenants.apiKeys.perOrganization`. The key then calls the data routes as a ' +
        'member of its role in this organization (`Authorization: Bearer atk_…`); never the people routes.',
      tags: TAGS,
      requestBody: { required: true, content: json(ref('schemas', 'ApiKeyInput')) },
      responses: {
        '201': {
          description: 'The key.',
          headers: { 'Cache-Control': { schema: { type: 'string', const: 'no-store' } } },
          content: json(ref('schemas', 'CreatedApiKey')),
        },
        ...IN_TENANT,
        '409': problem(409),
      },
    },
  },
  [path(API_KEY_ROUTES.key)]: {
    parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }],
    delete: {
      operationId: 'apiKeys_revoke',
      summary:
        'Revoke an API key (an Owner or an Admin): refused at once here, on every instance within 30 s.',
      tags: TAGS,
      responses: { '204': { description: 'Revoked.' }, ...IN_TENANT, '404': problem(404) },
    },
  },
};
