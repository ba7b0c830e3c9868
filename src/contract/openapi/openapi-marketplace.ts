import { MARKETPLACE_LANDING_ROUTE, MARKETPLACE_WEBHOOK_ROUTE } from '../../model/marketplace.js';
import { type Json, path, problem, ref } from './openapi-refs.js';

const TAGS = ['billing'];

/**
 * The Marketplace routes' schema: `MarketplaceWebhookReceipt` (the webhook's 200).
 *
 * @example
 * ```ts
 * for (const [name, schema] of Object.entries(MARKETPLACE_SCHEMAS)) schemas.set(name, schema);
 * ```
 */
export const MARKETPLACE_SCHEMAS: Readonly<Record<string, Json>> = {
  MarketplaceWebhookReceipt: {
    type: 'object',
    required: ['received', 'outcome'],
    properties: {
      received: { type: 'boolean', enum: [true] },
      outcome: { type: 'string', enum: ['applied', 'duplicate', 'ignored', 'refused'] },
    },
  },
};

/**
 * The Marketplace routes by path (runtime/marketplace): the landing page (`GET api/marketplace/landing?token=…`, a
 * browser's: anonymous, `security: []`, signing the buyer in itself) and Microsoft's webhook (`POST
 * api/marketplace/webhook`: its bearer token is the publisher tenant's, not the API's, so `security: []` too).
 *
 * @example
 * ```ts
 * for (const [path, item] of Object.entries(MARKETPLACE_PATHS)) paths.set(path, item);
 * ```
 */
export const MARKETPLACE_PATHS: Readonly<Record<string, Json>> = {
  [path(MARKETPLACE_LANDING_ROUTE)]: {
    get: {
      operationId: 'marketplace_landing',
      summary:
        "Azure Marketplace's landing page: resolve, link or create the organization, activate, go to the site.",
      description:
        'Not signed in: 302 to the landing sign-in. Signed in: 302 to the site, or 400 `marketplace-token-invalid` / ' +
        '`plan-not-for-sale`, 403 `access-denied` (`organization` not yours), 409 `marketplace-purchase-claimed` / ' +
        '`billing-channel-taken`, 503 `marketplace-unavailable`.',
      tags: TAGS,
      security: [],
      parameters: [
        {
          name: 'token',
          in: 'query',
          required: true,
          description:
            'The purchase identification token Marketplace adds to the landing page URL.',
          schema: { type: 'string' },
        },
        {
          name: 'organization',
          in: 'query',
          required: false,
          description: 'An organization the buyer owns, to link the purchase to (else a new one).',
          schema: { type: 'string' },
        },
      ],
      responses: {
        '302': {
          description: 'To the landing sign-in, or to the site in the organization.',
          headers: {
            Location: { description: 'Where the browser goes next.', schema: { type: 'string' } },
            'Cache-Control': { description: 'Always `no-store`.', schema: { type: 'string' } },
          },
        },
        '400': problem(400),
        '403': problem(403),
        '409': problem(409),
        '429': problem(429),
        '503': problem(503),
      },
    },
  },
  [path(MARKETPLACE_WEBHOOK_ROUTE)]: {
    post: {
      operationId: 'marketplace_webhook',
      summary:
        "Azure Marketplace's webhook: an operation on a subscription, Microsoft's bearer token.",
      description:
        'A bearer JWT of the publisher tenant for the fulfillment app from the Marketplace API; 401 ' +
        '`webhook-token-invalid` otherwise. Acted on as Get Operation answers it, each operation once.',
      tags: TAGS,
      security: [],
      requestBody: {
        required: true,
        content: { 'application/json': { schema: { type: 'object', additionalProperties: true } } },
      },
      responses: {
        '200': {
          description:
            'Received: applied, refused (an unmapped plan), a repeat, or not an operation of this backend.',
          content: { 'application/json': { schema: ref('schemas', 'MarketplaceWebhookReceipt') } },
        },
        '400': problem(400),
        '401': problem(401),
        '503': problem(503),
      },
    },
  },
};
