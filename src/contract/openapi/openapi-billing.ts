import { TENANT_BILLING_ROUTES } from '../tenant-billing.js';
import { type Json, json, path, problem, ref } from './openapi-refs.js';

// The organization's billing answers go out with `Cache-Control: no-store` (runtime/routes/billing-routes.ts).
const NO_STORE: Json = {
  description: 'Always `no-store`: a Stripe URL or state for this moment and caller only.',
  schema: { type: 'string' },
};
const SIGNED_IN = { '401': problem(401), '403': problem(403), '503': problem(503) };
const BODY = { '400': problem(400), '413': problem(413), '415': problem(415) };
const TAGS = ['billing'];
const URL_ANSWER: Json = {
  description: "The Stripe page's URL: send the browser there.",
  headers: { 'Cache-Control': NO_STORE },
  content: json(ref('schemas', 'BillingUrl')),
};

/**
 * The billing routes' schemas: `BillingUrl` (`{ url }` of Checkout or the portal), `BillingCheckout` (`{ plan }`),
 * `SubscriptionState`, `TenantBilling` (`GET api/tenant/billing`) and `StripeWebhookReceipt`.
 *
 * @example
 * ```ts
 * for (const [name, schema] of Object.entries(BILLING_SCHEMAS)) schemas.set(name, schema);
 * ```
 */
export const BILLING_SCHEMAS: Readonly<Record<string, Json>> = {
  BillingUrl: {
    type: 'object',
    required: ['url'],
    properties: { url: { type: 'string', format: 'uri' } },
  },
  BillingCheckout: {
    type: 'object',
    required: ['plan'],
    properties: {
      plan: {
        type: 'string',
        description:
          'A plan with a Stripe price (`plans.<name>.stripe.price`): the server chooses the price from it.',
      },
    },
  },
  SubscriptionState: {
    type: 'object',
    required: ['id', 'status'],
    properties: {
      id: { type: 'string' },
      status: {
        type: 'string',
        description: "Stripe's subscription status (`active`, `past_due`, …).",
      },
      price: { type: 'string' },
      currentPeriodStart: { type: 'string', format: 'date-time' },
      currentPeriodEnd: { type: 'string', format: 'date-time' },
      cancelAtPeriodEnd: {
        type: 'boolean',
        description:
          'Set to cancel when the period ends (an Owner deleted the organization, or canceled in the portal).',
      },
      trialEnd: {
        type: 'string',
        format: 'date-time',
        description: "The trial's end (Stripe's `trial_end`), when the subscription has a trial.",
      },
      quantity: {
        type: 'integer',
        description: "The quantity of the plan's item: with a per-seat price, the seats billed.",
      },
    },
  },
  TenantBilling: {
    type: 'object',
    required: ['plan', 'channel', 'status', 'subscription', 'trialEnd', 'quantity', 'invoice'],
    properties: {
      plan: { type: 'string' },
      channel: {
        type: ['string', 'null'],
        enum: ['stripe', 'marketplace', null],
        description:
          'How the organization pays: `stripe` (a live subscription), `marketplace` (a live Azure Marketplace ' +
          'subscription), or null for neither (a free organization).',
      },
      trialEnd: {
        type: ['string', 'null'],
        format: 'date-time',
        description: "The Stripe subscription's trial end, or null without a trial.",
      },
      quantity: {
        type: ['integer', 'null'],
        description:
          'The quantity billed (a per-seat plan: the seats), from the Stripe subscription or the Marketplace ' +
          'subscription; null without one.',
      },
      status: {
        type: ['string', 'null'],
        description: "The subscription's status, or null without one.",
      },
      subscription: { oneOf: [ref('schemas', 'SubscriptionState'), { type: 'null' }] },
      invoice: {
        type: ['object', 'null'],
        additionalProperties: true,
        description:
          "This period's invoice as Stripe previews it (Stripe's invoice object), or null.",
      },
    },
  },
  StripeWebhookReceipt: {
    type: 'object',
    required: ['received', 'outcome'],
    properties: {
      received: { type: 'boolean', enum: [true] },
      outcome: { type: 'string', enum: ['applied', 'duplicate', 'ignored', 'refused'] },
    },
  },
};

/**
 * The billing routes by path (runtime/routes/billing-routes.ts, stripe-webhook.ts): the organization's
 * `tenant/billing` (Owners and Admins), `/checkout` and `/portal` (Owners), and Stripe's signed webhook
 * (anonymous: `security: []`, its `Stripe-Signature` is its admission).
 *
 * @example
 * ```ts
 * for (const [path, item] of Object.entries(BILLING_PATHS)) paths.set(path, item);
 * ```
 */
export const BILLING_PATHS: Readonly<Record<string, Json>> = {
  [path(TENANT_BILLING_ROUTES.billing)]: {
    get: {
      operationId: 'tenant_billing',
      summary:
        "The organization's plan, subscription and this period's invoice preview (Owners and Admins).",
      tags: TAGS,
      responses: {
        '200': {
          description: 'Plan, subscription status and period, invoice preview.',
          headers: { 'Cache-Control': NO_STORE },
          content: json(ref('schemas', 'TenantBilling')),
        },
        ...SIGNED_IN,
      },
    },
  },
  [path(TENANT_BILLING_ROUTES.checkout)]: {
    post: {
      operationId: 'tenant_billing_checkout',
      summary: 'Open a Stripe Checkout Session for a plan (Owners); the server chooses its price.',
      description:
        '400 `plan-not-for-sale` for a plan with no Stripe price; 409 `subscription-exists` while the organization ' +
        'has a live subscription (one per organization: the Customer Portal changes plans). The ' +
        "session subscribes to the plan's price and to the one active metered price of each meter the usage export " +
        'sends (the server chooses them all); 409 `billing-meter-price-ambiguous` when a meter has several. A new ' +
        'session expires the ones opened before it; Checkout returns to `tenants.billing.returnUrl` (else the site ' +
        "invitation links open), never to the request's `Origin`.",
      tags: TAGS,
      requestBody: { required: true, content: json(ref('schemas', 'BillingCheckout')) },
      responses: { '200': URL_ANSWER, ...BODY, '409': problem(409), ...SIGNED_IN },
    },
  },
  [path(TENANT_BILLING_ROUTES.portal)]: {
    post: {
      operationId: 'tenant_billing_portal',
      summary: 'Open a Stripe Customer Portal session (Owners).',
      description: '409 `billing-customer-missing` while the organization has no Stripe customer.',
      tags: TAGS,
      responses: { '200': URL_ANSWER, '409': problem(409), ...SIGNED_IN },
    },
  },
  [path(TENANT_BILLING_ROUTES.webhook)]: {
    post: {
      operationId: 'billing_stripe_webhook',
      summary: "Stripe's webhook: subscription events, signed by Stripe.",
      description:
        "Verified by Stripe's SDK with the endpoint's signing secret (300 s tolerance); 400 " +
        '`webhook-signature-invalid` otherwise. Every verified event answers 200, applied once.',
      tags: TAGS,
      security: [],
      parameters: [
        {
          name: 'Stripe-Signature',
          in: 'header',
          required: true,
          description: "Stripe's signature of the raw body (`t=…,v1=…`).",
          schema: { type: 'string' },
        },
      ],
      requestBody: {
        required: true,
        content: json({ type: 'object', additionalProperties: true }),
      },
      responses: {
        '200': {
          description: 'Received: applied, a repeat, or not an event of this backend.',
          content: json(ref('schemas', 'StripeWebhookReceipt')),
        },
        '400': problem(400),
        '503': problem(503),
      },
    },
  },
};
