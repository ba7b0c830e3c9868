// What a restricted Stripe key must be allowed for each billing feature, as data: the table docs/billing.md prints,
// what `atakora usage --billing --check` proves call by call (stripe-permission-probes.ts) and what the Stripe
// stand-in refuses without. A restricted key "can do only what you grant it permission to do"; a request outside its
// permissions is refused with HTTP 403 ("Forbidden: The API key doesn't have permissions to perform the request",
// Stripe API reference, "Errors"), an `invalid_request_error` whose message names the missing permission ("Having the
// 'rak_…' permission would allow this request to continue"), which stripe-node raises as `StripePermissionError`
// (src/Error.ts: statusCode 403). Which permission a call needs is Stripe's "API permissions reference"
// (docs.stripe.com/keys/permissions-reference); in the dashboard each is a resource's row set to Read or Write, and
// Write implies Read ("Restricted API keys").
import type { RuntimeBilling } from '../../model/runtime-manifest.js';

/** A part of the billing feature that calls Stripe, as docs/billing.md names it. */
export type BillingFeature =
  | 'export'
  | 'check'
  | 'month'
  | 'checkout'
  | 'portal'
  | 'webhook'
  | 'billing-view'
  | 'subscription-changes';

/** The feature's words, for the report and the docs. */
export const BILLING_FEATURES: Readonly<Record<BillingFeature, string>> = {
  export: 'the usage export (the timer, atakora usage export)',
  check: 'atakora usage --billing --check',
  month: 'atakora usage --month (Stripe’s invoice preview and prices)',
  checkout: 'POST api/tenant/billing/checkout',
  portal: 'POST api/tenant/billing/portal',
  webhook:
    'POST api/billing/stripe (the webhook reads the object back, refunds a refused Checkout)',
  'billing-view': 'GET api/tenant/billing (this period’s invoice preview)',
  'subscription-changes':
    'per-seat quantities (every join and removal, the first link, a portal change), an Owner’s DELETE api/tenant and undelete, the erase',
};

/** The ids of the permissions the feature needs (see {@link STRIPE_PERMISSIONS}). */
export type StripePermissionId =
  | 'meter-events-write'
  | 'meters-read'
  | 'events-read'
  | 'prices-read'
  | 'invoices-read'
  | 'checkout-write'
  | 'portal-write'
  | 'customers-write'
  | 'subscriptions-read'
  | 'subscriptions-write'
  | 'refunds-write';

/** One restricted-key permission: its dashboard row and level, the calls that need it, the features that make them. */
export interface StripePermission {
  readonly id: StripePermissionId;
  /** The resource's row in the dashboard's restricted-key form. */
  readonly resource: string;
  readonly access: 'Read' | 'Write';
  /** The calls of ours it allows (method and path of Stripe's API). */
  readonly calls: readonly string[];
  readonly features: readonly BillingFeature[];
  /**
   * The permission Stripe names in its 403 for these calls (`rak_…`, "Having the 'rak_subscription_read' permission
   * would allow this request to continue"): what the stand-in's restricted keys hold.
   */
  readonly stripe: string;
}

/**
 * Every permission the billing feature can need, in the order `--check` tries them.
 *
 * @example
 * ```ts
 * STRIPE_PERMISSIONS.find((p) => p.id === 'meter-events-write')?.resource; // 'Billing meter events'
 * ```
 */
export const STRIPE_PERMISSIONS: readonly StripePermission[] = [
  {
    id: 'meter-events-write',
    stripe: 'rak_billing_meter_event_write',
    resource: 'Billing meter events',
    access: 'Write',
    calls: ['POST v1/billing/meter_events'],
    features: ['export'],
  },
  {
    id: 'meters-read',
    stripe: 'rak_billing_meter_read',
    resource: 'Billing meters',
    access: 'Read',
    calls: ['GET v1/billing/meters', 'GET v1/billing/meters/{id}/event_summaries'],
    features: ['export', 'check', 'month', 'checkout'],
  },
  {
    id: 'events-read',
    stripe: 'rak_event_read',
    resource: 'Events',
    access: 'Read',
    calls: ['GET v2/core/events'],
    features: ['check'],
  },
  {
    id: 'prices-read',
    stripe: 'rak_plan_read',
    resource: 'Prices',
    access: 'Read',
    calls: ['GET v1/prices', 'GET v1/prices/{id}'],
    features: ['month', 'checkout'],
  },
  {
    id: 'invoices-read',
    stripe: 'rak_invoice_read',
    resource: 'Invoices',
    access: 'Read',
    // The webhook reads a refused Checkout's paid invoice's payments to refund them (checkout-refusal.ts).
    calls: ['POST v1/invoices/create_preview', 'GET v1/invoice_payments'],
    features: ['month', 'billing-view', 'webhook'],
  },
  {
    id: 'checkout-write',
    stripe: 'rak_checkout_session_write',
    resource: 'Checkout Sessions',
    access: 'Write',
    calls: [
      'POST v1/checkout/sessions',
      'GET v1/checkout/sessions/{id}',
      'POST v1/checkout/sessions/{id}/expire',
    ],
    features: ['checkout', 'webhook'],
  },
  {
    id: 'portal-write',
    stripe: 'rak_portal_session_write',
    resource: 'Customer portal',
    access: 'Write',
    calls: ['POST v1/billing_portal/sessions'],
    features: ['portal'],
  },
  {
    // A Checkout whose stored customer Stripe does not know (deleted in the dashboard) opens on a new one: "Create a
    // customer" (checkout-customer.ts). Only then: a key without it answers that Checkout 503.
    id: 'customers-write',
    stripe: 'rak_customer_write',
    resource: 'Customers',
    access: 'Write',
    calls: ['POST v1/customers'],
    features: ['checkout'],
  },
  {
    id: 'subscriptions-read',
    stripe: 'rak_subscription_read',
    resource: 'Subscriptions',
    access: 'Read',
    calls: ['GET v1/subscriptions/{id}'],
    // Checkout reads back the subscription of an earlier Checkout paid before its event arrived (checkout-paid.ts).
    features: ['webhook', 'checkout'],
  },
  {
    // The runtime writes subscriptions since per-seat prices and an Owner's delete: the item's quantity ("Update a
    // subscription item", POST /v1/subscription_items/{id}) and `cancel_at_period_end` ("Update a subscription"),
    // the erase's cancel ("Cancel a subscription"). A subscription item is the Subscriptions row's, read and write.
    id: 'subscriptions-write',
    stripe: 'rak_subscription_write',
    resource: 'Subscriptions',
    access: 'Write',
    calls: [
      'POST v1/subscription_items/{id}',
      'POST v1/subscriptions/{id}',
      'DELETE v1/subscriptions/{id}',
    ],
    features: ['subscription-changes'],
  },
  {
    // A Checkout opened before a Marketplace landing and paid after it is canceled and its payment refunded ("Create a
    // refund", checkout-refusal.ts); without it the refund is refused 403 and audited, the customer refunded by hand.
    id: 'refunds-write',
    stripe: 'rak_refund_write',
    resource: 'Refunds',
    access: 'Write',
    calls: ['POST v1/refunds'],
    features: ['webhook'],
  },
];

/**
 * The features a backend's billing config turns on: the export with meters, `--check` and `--month` always (the
 * operator's commands), and with `webhookSecret` the subscription routes and the webhook.
 *
 * @example
 * ```ts
 * billingFeatures({ secret: 'STRIPE_KEY', meters: { requests: 'api_requests' } }); // ['export', 'check', 'month']
 * ```
 */
export function billingFeatures(billing: {
  readonly meters: RuntimeBilling['meters'];
  /** The config's form (`tenants.billing.stripe.webhookSecret`) … */
  readonly webhookSecret?: string;
  /** … or the manifest's (`RuntimeBilling.subscriptions`). */
  readonly subscriptions?: unknown;
}): BillingFeature[] {
  const meters = Object.values(billing.meters).some((name) => name !== undefined);
  const subscriptions = billing.webhookSecret !== undefined || billing.subscriptions !== undefined;
  return [
    ...(meters ? (['export'] as const) : []),
    'check',
    'month',
    ...(subscriptions
      ? (['checkout', 'portal', 'webhook', 'billing-view', 'subscription-changes'] as const)
      : []),
  ];
}

/**
 * The permissions `features` need, in {@link STRIPE_PERMISSIONS}' order, each with the features (of those) that need
 * it.
 *
 * @example
 * ```ts
 * requiredPermissions(['export']).map((p) => p.id); // ['meter-events-write', 'meters-read']
 * ```
 */
export function requiredPermissions(features: readonly BillingFeature[]): StripePermission[] {
  const on = new Set(features);
  return STRIPE_PERMISSIONS.flatMap((p) => {
    const mine = p.features.filter((f) => on.has(f));
    return mine.length ? [{ ...p, features: mine }] : [];
  });
}

/** `Billing meter events: Write`: a permission as the dashboard's form shows it. */
export const permissionText = (p: Pick<StripePermission, 'resource' | 'access'>): string =>
  `${p.resource}: ${p.access}`;

/**
 * The permission Stripe names in a restricted key's refusal ("Having the 'rak_invoice_read' permission would allow
 * this request to continue"), or undefined when the message names none.
 *
 * @example
 * ```ts
 * namedPermission("… Having the 'rak_plan_read' permission would allow this request to continue."); // 'rak_plan_read'
 * ```
 */
export function namedPermission(message: string): string | undefined {
  return /Having the '(rak_[a-z0-9_]+)' permission/.exec(message)?.[1];
}
