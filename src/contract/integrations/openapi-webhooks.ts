import { type Json, json, path, problem, ref, TIME } from '../openapi/openapi-refs.js';
import { WEBHOOK_LIMITS, WEBHOOK_ROUTES } from './webhooks.js';

const IN_TENANT = {
  '400': problem(400),
  '401': problem(401),
  '403': problem(403),
  '503': problem(503),
};
const TAGS = ['webhooks'];
const NULLABLE_TIME = { type: ['string', 'null'], format: 'date-time' };
const EVENTS = {
  type: 'array',
  minItems: 1,
  maxItems: WEBHOOK_LIMITS.eventsPerEndpoint,
  items: { type: 'string' },
  description:
    "`*`, a tenant event (`member.added`, …), or `<entity>.created|updated|deleted|*` of a CrudApi of the organization's data.",
};
const URL = { type: 'string', format: 'uri', maxLength: WEBHOOK_LIMITS.urlLength };
const ID = [{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }];

/**
 * The schemas of the webhook routes: `Webhook`, `CreatedWebhook`, `WebhookInput`, `WebhookPatch`, `WebhookDelivery`
 * and their lists.
 *
 * @example
 * ```ts
 * for (const [name, schema] of Object.entries(WEBHOOK_SCHEMAS)) schemas.set(name, schema);
 * ```
 */
export const WEBHOOK_SCHEMAS: Readonly<Record<string, Json>> = {
  Webhook: {
    type: 'object',
    required: [
      'id',
      'url',
      'events',
      'enabled',
      'disabledOn',
      'failingSince',
      'createdOn',
      'createdBy',
    ],
    properties: {
      id: { type: 'string' },
      url: URL,
      events: EVENTS,
      enabled: { type: 'boolean' },
      disabledOn: NULLABLE_TIME,
      failingSince: NULLABLE_TIME,
      createdOn: TIME,
      createdBy: { type: 'string' },
    },
  },
  RotatedWebhook: {
    type: 'object',
    required: ['id', 'secret', 'previousSecretExpiresOn'],
    properties: {
      id: { type: 'string' },
      secret: {
        type: 'string',
        description: 'The new signing secret (`whsec_` and base64), shown this once.',
      },
      previousSecretExpiresOn: {
        type: 'string',
        format: 'date-time',
        description:
          'Until then every delivery carries a second signature by the previous secret (`webhook-signature: v1,… v1,…`).',
      },
    },
  },
  CreatedWebhook: {
    type: 'object',
    required: ['id', 'secret', 'url', 'events'],
    properties: {
      id: { type: 'string' },
      secret: {
        type: 'string',
        description:
          'The signing secret (`whsec_` and base64), shown this once: verify deliveries with a Standard Webhooks library.',
      },
      url: URL,
      events: EVENTS,
    },
  },
  WebhookList: {
    type: 'object',
    required: ['items'],
    properties: { items: { type: 'array', items: ref('schemas', 'Webhook') } },
  },
  WebhookInput: {
    type: 'object',
    additionalProperties: false,
    required: ['url', 'events'],
    properties: { url: URL, events: EVENTS },
  },
  WebhookPatch: {
    type: 'object',
    additionalProperties: false,
    minProperties: 1,
    properties: { url: URL, events: EVENTS, enabled: { type: 'boolean' } },
  },
  WebhookDelivery: {
    type: 'object',
    required: [
      'id',
      'type',
      'status',
      'attempts',
      'answer',
      'error',
      'createdOn',
      'lastAttemptOn',
      'nextAttemptOn',
    ],
    properties: {
      id: { type: 'string', description: 'The `webhook-id` header: the same on every attempt.' },
      type: { type: 'string' },
      status: { type: 'string', enum: ['pending', 'delivered', 'failed'] },
      attempts: { type: 'integer', minimum: 0 },
      answer: {
        type: ['integer', 'null'],
        description: 'The last HTTP status the endpoint answered.',
      },
      error: { type: ['string', 'null'] },
      createdOn: TIME,
      lastAttemptOn: NULLABLE_TIME,
      nextAttemptOn: NULLABLE_TIME,
    },
  },
  WebhookDeliveryList: {
    type: 'object',
    required: ['items'],
    properties: { items: { type: 'array', items: ref('schemas', 'WebhookDelivery') } },
  },
};

const one = (schema: string, description: string) => ({
  description,
  content: json(ref('schemas', schema)),
});

/**
 * The webhook routes by path (runtime/webhooks/webhook-routes.ts), Owners' and Admins', in the request's
 * organization, behind the plan's `webhooks` feature.
 *
 * @example
 * ```ts
 * for (const [path, item] of Object.entries(WEBHOOK_PATHS)) paths.set(path, item);
 * ```
 */
export const WEBHOOK_PATHS: Readonly<Record<string, Json>> = {
  [path(WEBHOOK_ROUTES.webhooks)]: {
    get: {
      operationId: 'webhooks_list',
      summary: "The organization's webhook endpoints, never their secrets (an Owner or an Admin).",
      tags: TAGS,
      responses: { '200': one('WebhookList', 'The endpoints.'), ...IN_TENANT },
    },
    post: {
      operationId: 'webhooks_create',
      summary:
        'Create a webhook endpoint (an Owner or an Admin): its signing secret is answered this once.',
      description:
        '400 `webhook-url-refused` for a URL that is not https or resolves to a loopback, private, link-local or ' +
        'metadata address; 409 `webhook-limit` past 10 endpoints.',
      tags: TAGS,
      requestBody: { required: true, content: json(ref('schemas', 'WebhookInput')) },
      responses: {
        '201': {
          ...one('CreatedWebhook', 'The endpoint and its secret.'),
          headers: { 'Cache-Control': { schema: { type: 'string', const: 'no-store' } } },
        },
        ...IN_TENANT,
        '409': problem(409),
      },
    },
  },
  [path(WEBHOOK_ROUTES.webhook)]: {
    parameters: ID,
    get: {
      operationId: 'webhooks_get',
      summary: 'One webhook endpoint (an Owner or an Admin).',
      tags: TAGS,
      responses: { '200': one('Webhook', 'The endpoint.'), ...IN_TENANT, '404': problem(404) },
    },
    patch: {
      operationId: 'webhooks_update',
      summary: 'Change its URL or events, or disable or enable it (enabling forgets its failures).',
      tags: TAGS,
      requestBody: { required: true, content: json(ref('schemas', 'WebhookPatch')) },
      responses: { '200': one('Webhook', 'The endpoint.'), ...IN_TENANT, '404': problem(404) },
    },
    delete: {
      operationId: 'webhooks_delete',
      summary: 'Delete a webhook endpoint and its delivery log (an Owner or an Admin).',
      tags: TAGS,
      responses: { '204': { description: 'Deleted.' }, ...IN_TENANT, '404': problem(404) },
    },
  },
  [path(WEBHOOK_ROUTES.deliveries)]: {
    parameters: ID,
    get: {
      operationId: 'webhooks_deliveries',
      summary:
        "The endpoint's delivery log, newest first: status, attempts, the last answer's code.",
      tags: TAGS,
      parameters: [
        {
          name: '$first',
          in: 'query',
          required: false,
          schema: { type: 'integer', minimum: 1, maximum: 100 },
        },
      ],
      responses: {
        '200': one('WebhookDeliveryList', 'The deliveries.'),
        ...IN_TENANT,
        '404': problem(404),
      },
    },
  },
  [path(WEBHOOK_ROUTES.retry)]: {
    parameters: [
      ...ID,
      { name: 'delivery', in: 'path', required: true, schema: { type: 'string' } },
    ],
    post: {
      operationId: 'webhooks_retry',
      summary: 'Send a delivery again now, with a new 24 hours of retries (an Owner or an Admin).',
      description: '409 `webhook-disabled` while the endpoint is disabled.',
      tags: TAGS,
      responses: {
        '202': one('WebhookDelivery', 'The delivery, pending again.'),
        ...IN_TENANT,
        '404': problem(404),
        '409': problem(409),
      },
    },
  },
  [path(WEBHOOK_ROUTES.rotate)]: {
    parameters: ID,
    post: {
      operationId: 'webhooks_rotate',
      summary:
        "Rotate an endpoint's signing secret (an Owner or an Admin): the new one answered this once, the previous one " +
        `still signing beside it for ${String(WEBHOOK_LIMITS.rotationOverlapHours)} hours.`,
      tags: TAGS,
      responses: {
        '200': {
          ...one('RotatedWebhook', 'The new secret.'),
          headers: { 'Cache-Control': { schema: { type: 'string', const: 'no-store' } } },
        },
        ...IN_TENANT,
        '404': problem(404),
      },
    },
  },
};
