import { API_PREFIX, REALTIME_NEGOTIATE_ROUTE } from '../routes.js';
import { problem } from './openapi-refs.js';

type Json = { readonly [k: string]: unknown };

const NO_STORE: Json = {
  description: 'Always `no-store`: the answer is for this moment (and caller) only.',
  schema: { type: 'string' },
};

/**
 * A response every operation can meet before the runtime sees the request: the platform's (or `atakora dev`'s)
 * refusal of a malformed request — no Host, a Host that is not this app's, malformed percent-encoding.
 */
const PLATFORM_4XX: Json = {
  description:
    'Refused before the runtime ran: a malformed request (missing or foreign Host, malformed percent-encoding).',
};

/**
 * `GET api/health` (anonymous): the checks of the containers the app owns, 503 with `Retry-After` when one does
 * not answer (runtime/health.ts).
 *
 * @example
 * ```ts
 * paths['/api/health'] = HEALTH_PATH;
 * ```
 */
export const HEALTH_PATH: Json = {
  get: {
    operationId: 'health',
    summary: 'Health of the containers the app owns (anonymous).',
    security: [],
    tags: ['runtime'],
    responses: {
      '200': {
        description: 'Healthy.',
        headers: { 'Cache-Control': NO_STORE },
        content: { 'application/json': { schema: { $ref: '#/components/schemas/Health' } } },
      },
      '4XX': PLATFORM_4XX,
      '503': {
        description:
          'A container is unreachable (`Retry-After` set), or the app is misconfigured (`code` names why).',
        headers: {
          'Cache-Control': NO_STORE,
          'Retry-After': { $ref: '#/components/headers/RetryAfter' },
        },
        content: { 'application/json': { schema: { $ref: '#/components/schemas/Health' } } },
      },
    },
  },
};

/**
 * The body of `GET api/health`: `ok` or `unavailable`, with each container's check (labelled `container-<n>`:
 * the anonymous route names no host, database or container).
 */
export const HEALTH_SCHEMA: Json = {
  type: 'object',
  required: ['status'],
  properties: {
    status: { type: 'string', enum: ['ok', 'unavailable', 'misconfigured'] },
    checks: {
      type: 'array',
      items: {
        type: 'object',
        required: ['name', 'status'],
        properties: {
          name: { type: 'string' },
          status: { type: 'string', enum: ['ok', 'unavailable'] },
          reason: { type: 'string' },
          durationMs: { type: 'number', minimum: 0 },
        },
      },
    },
    code: { type: 'string', description: 'The configuration error of a misconfigured app.' },
    resolution: { type: 'string', description: 'How to fix the configuration error.' },
  },
};

/**
 * `GET api/openapi.json`: this document, behind the CRUD routes' admission.
 *
 * @example
 * ```ts
 * paths['/api/openapi.json'] = OPENAPI_PATH;
 * ```
 */
export const OPENAPI_PATH: Json = {
  get: {
    operationId: 'openapi',
    summary: 'This document.',
    tags: ['runtime'],
    responses: {
      '200': {
        description: 'The OpenAPI 3.1 document.',
        content: {
          'application/json': { schema: { type: 'object', additionalProperties: true } },
        },
      },
      '401': problem(401),
      '403': problem(403),
    },
  },
};

/**
 * `POST api/realtime/negotiate` (runtime/realtime/negotiate.ts): a Web PubSub client URL for the groups the
 * caller may read, on an app with realtime entities.
 *
 * @example
 * ```ts
 * paths['/api/realtime/negotiate'] = NEGOTIATE_PATH;
 * ```
 */
export const NEGOTIATE_PATH: Json = {
  post: {
    operationId: 'realtime_negotiate',
    summary:
      "Open a realtime connection: a Web PubSub client URL (its token holds the groups of the items you may read; at most 60 minutes), the entities' routes it carries changes of.",
    tags: ['realtime'],
    responses: {
      '200': {
        description: 'Connect a WebSocket to `url` before `expiresOn`.',
        headers: { 'Cache-Control': NO_STORE },
        content: {
          'application/json': {
            schema: {
              type: 'object',
              required: ['url', 'expiresOn', 'entities'],
              properties: {
                url: { type: 'string', format: 'uri' },
                expiresOn: { type: 'string', format: 'date-time' },
                entities: {
                  type: 'object',
                  description: 'Route → CrudApi id of each realtime entity you may read.',
                  additionalProperties: { type: 'string' },
                },
              },
            },
          },
        },
      },
      '401': problem(401),
      '403': problem(403),
      '503': problem(503),
    },
  },
};

/** The path of the negotiate route in the document. */
export const NEGOTIATE_PATH_NAME = `/${API_PREFIX}/${REALTIME_NEGOTIATE_ROUTE}`;
