// One call per permission of stripe-permissions.ts, through the official SDK, that proves the key holds it and writes
// nothing: a list or a read, or a write naming an object that does not exist (a customer, a price, a meter's event
// name) so that Stripe refuses it after its permission check. A restricted key without the permission is refused
// first, with 403 (`StripePermissionError` in stripe-node: src/Error.ts maps statusCode 403 to it), whose message
// names the permission Stripe wants; an answer about the missing object (400/404 `resource_missing`, or the
// parameter that names it) means the request was allowed. Type-only use of the SDK: the client is the caller's.
import type Stripe from 'stripe';
import {
  namedPermission,
  type StripePermission,
  type StripePermissionId,
} from './stripe-permissions.js';

/** The ids the probes name, which no Stripe account holds (a real one is `cus_` and 14 letters and digits). */
export const PROBE_IDS = {
  customer: 'cus_AtakoraPermissionCheck',
  price: 'price_AtakoraPermissionCheck',
  subscription: 'sub_AtakoraPermissionCheck',
  subscriptionItem: 'si_AtakoraPermissionCheck',
  paymentIntent: 'pi_AtakoraPermissionCheck',
  meter: 'mtr_AtakoraPermissionCheck',
  /** An event name for the meter events probe: no meter of yours should have it. */
  eventName: 'atakora_permission_check',
} as const;

/** What one probe found. */
export type PermissionOutcome =
  | { readonly state: 'granted' }
  /** 403: the key lacks it; `stripe` is the permission Stripe's message names (`rak_…`), when it names one. */
  | {
      readonly state: 'missing';
      readonly stripe?: string;
      readonly message: string;
      /** Stripe's `Request-Id` of the refusal (stripe-node's `requestId`). */
      readonly request?: string;
    }
  /** Stripe answered something else (5xx, no answer, an unexpected 400): the permission is not proven either way. */
  | {
      readonly state: 'unverified';
      readonly status?: number;
      readonly message: string;
      readonly request?: string;
    };

/** A probe's call, and the parameter a refusal of its made-up object names (a refusal of it proves the permission). */
interface Probe {
  readonly call: (stripe: Stripe) => Promise<unknown>;
  readonly param?: string;
}

const PROBES: Readonly<Record<StripePermissionId, Probe>> = {
  'meter-events-write': {
    call: (s) =>
      s.billing.meterEvents.create({
        event_name: PROBE_IDS.eventName,
        identifier: `atakora-permission-check-${String(Date.now())}`,
        payload: { stripe_customer_id: PROBE_IDS.customer, value: '0' },
      }),
    param: 'event_name',
  },
  'meters-read': { call: (s) => s.billing.meters.list({ limit: 1 }) },
  'events-read': {
    call: (s) =>
      s.v2.core.events.list({
        object_id: PROBE_IDS.meter,
        types: ['v1.billing.meter.error_report_triggered'],
      }),
  },
  'prices-read': { call: (s) => s.prices.list({ limit: 1 }) },
  'invoices-read': {
    call: (s) => s.invoices.createPreview({ customer: PROBE_IDS.customer }),
    param: 'customer',
  },
  'checkout-write': {
    call: (s) =>
      s.checkout.sessions.create({
        mode: 'subscription',
        line_items: [{ price: PROBE_IDS.price, quantity: 1 }],
        success_url: 'https://example.com/atakora-permission-check',
      }),
    param: 'line_items[0][price]',
  },
  'portal-write': {
    call: (s) => s.billingPortal.sessions.create({ customer: PROBE_IDS.customer }),
    param: 'customer',
  },
  // A refund of a PaymentIntent no account holds: refused 400 `resource_missing` on it, nothing refunded.
  'refunds-write': {
    call: (s) => s.refunds.create({ payment_intent: PROBE_IDS.paymentIntent }),
    param: 'payment_intent',
  },
  // An update of a customer no account holds: refused 404 `resource_missing` after the permission check.
  'customers-write': {
    call: (s) =>
      s.customers.update(PROBE_IDS.customer, { metadata: { atakora: 'permission-check' } }),
  },
  'subscriptions-read': { call: (s) => s.subscriptions.retrieve(PROBE_IDS.subscription) },
  // A write to an item no account holds: refused 404 `resource_missing` after the permission check, nothing written.
  'subscriptions-write': {
    call: (s) => s.subscriptionItems.update(PROBE_IDS.subscriptionItem, { quantity: 1 }),
  },
};

/** A 401: the key itself is refused (every probe would be), which the caller reports as the key's failure. */
export class StripeKeyRefused extends Error {
  constructor(
    message: string,
    readonly status: number | undefined,
  ) {
    super(message);
    this.name = 'StripeKeyRefused';
  }
}

/**
 * Try `permission` with `stripe`. A 401 throws {@link StripeKeyRefused} (the key is wrong, not short of a
 * permission); `mask` cleans every message of the key before it is kept.
 *
 * @example
 * ```ts
 * const outcome = await probePermission(stripe, permission, (m) => scrubKey(m, key));
 * const named = outcome.state === 'missing' ? outcome.stripe : undefined; // 'rak_invoice_read'
 * ```
 */
export async function probePermission(
  stripe: Stripe,
  permission: Pick<StripePermission, 'id'>,
  mask: (message: string) => string,
): Promise<PermissionOutcome> {
  const probe = PROBES[permission.id];
  try {
    await probe.call(stripe);
    return { state: 'granted' };
  } catch (e) {
    const err = e as {
      type?: string;
      statusCode?: number;
      code?: string;
      param?: string;
      message?: string;
      requestId?: string;
    };
    const message = mask(err.message ?? String(e));
    const request = typeof err.requestId === 'string' ? { request: err.requestId } : {};
    const status = err.statusCode;
    if (status === 401 || err.type === 'StripeAuthenticationError')
      throw new StripeKeyRefused(message, status);
    if (status === 403 || err.type === 'StripePermissionError') {
      const named = namedPermission(message);
      return {
        state: 'missing',
        message,
        ...(named !== undefined ? { stripe: named } : {}),
        ...request,
      };
    }
    // Refused over the made-up object: the permission check came first and passed.
    if (
      (status === 400 || status === 404) &&
      (err.code === 'resource_missing' || (probe.param !== undefined && err.param === probe.param))
    )
      return { state: 'granted' };
    return {
      state: 'unverified',
      message,
      ...(status !== undefined ? { status } : {}),
      ...request,
    };
  }
}
