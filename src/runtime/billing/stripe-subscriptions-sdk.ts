/**
 * {@link SubscriptionsStripe} on the official `stripe` SDK (bundled into the package's billing file with the
 * export's client: only an app whose manifest has billing loads it). Stripe API reference: "Create a Checkout
 * Session", "Create a portal session", "Retrieve a subscription", "Create a preview invoice", and "Check the webhook
 * signatures" (docs.stripe.com/webhooks#verify-events) for `constructEvent`.
 */
import Stripe from 'stripe';
import { meterPrices, stripeIdOf } from './stripe-reads.js';
import { refundLatestInvoice } from './stripe-refunds.js';
import {
  CustomerMissingAtStripe,
  type StripeSubscription,
  type SubscriptionsStripe,
} from './subscriptions-port.js';

/** Where Stripe is: the SDK's `host`/`port`/`protocol` from `STRIPE_API_BASE` (a stand-in), else Stripe's own. */
function baseOf(apiBase: string | undefined): {
  host?: string;
  port?: number;
  protocol?: 'http' | 'https';
} {
  if (!apiBase) return {};
  try {
    const url = new URL(apiBase);
    const protocol = url.protocol === 'http:' ? 'http' : 'https';
    return {
      host: url.hostname,
      port: url.port ? Number(url.port) : protocol === 'http' ? 80 : 443,
      protocol,
    };
  } catch {
    return {};
  }
}

const missing = (e: unknown) => (e as { statusCode?: number }).statusCode === 404;

/**
 * A subscription as the runtime reads it (stripe-node 23's `Stripe.Subscription`): the plan's item — the flat
 * (licensed) one, never a metered item a checkout added beside it — gives the price and the period (on each item
 * since API version 2025-03-31.basil).
 */
function subscriptionRead(s: Stripe.Subscription): StripeSubscription {
  const item =
    s.items.data.find(
      (i) => !i.price.recurring?.meter && i.price.recurring?.usage_type !== 'metered',
    ) ?? s.items.data[0];
  return {
    id: s.id,
    customer: stripeIdOf(s.customer) ?? '',
    status: s.status,
    price: item?.price.id,
    periodStart: item?.current_period_start,
    periodEnd: item?.current_period_end,
    cancelAtPeriodEnd: s.cancel_at_period_end,
    quantity: item?.quantity,
    // API reference, "The Subscription object", trial_start: "If the subscription has a trial, the beginning of that
    // trial."
    trialStart: s.trial_start ?? undefined,
    trialEnd: s.trial_end ?? undefined,
  };
}

/**
 * The SDK's client for the subscription routes and the webhook.
 *
 * @example
 * ```ts
 * const stripe = stripeSubscriptions({ key: process.env.STRIPE_KEY ?? '', apiBase: process.env.STRIPE_API_BASE });
 * const { url } = await stripe.checkout({ price: 'price_pro', tenant: 'contoso', customer: undefined, successUrl, cancelUrl });
 * ```
 */
export function stripeSubscriptions(options: {
  readonly key: string;
  readonly apiBase?: string | undefined;
}): SubscriptionsStripe {
  const stripe = new Stripe(options.key, {
    maxNetworkRetries: 2,
    timeout: 20_000,
    telemetry: false,
    appInfo: { name: 'atakora-billing' },
    ...baseOf(options.apiBase),
  });
  return {
    ...sessionCalls(stripe),
    ...subscriptionChanges(stripe),
    refundLatestInvoice: (id, key) => refundLatestInvoice(stripe, id, key),
    async portal(customer, returnUrl) {
      const session = await stripe.billingPortal.sessions.create({
        customer,
        return_url: returnUrl,
      });
      return { url: session.url };
    },
    async meteredPrices(eventNames) {
      const all = await meterPrices(stripe);
      return new Map(eventNames.map((n) => [n, (all.get(n) ?? []).map((p) => p.id)]));
    },
    async subscription(id) {
      try {
        return subscriptionRead(await stripe.subscriptions.retrieve(id));
      } catch (e) {
        if (missing(e)) return undefined;
        throw e;
      }
    },
    async session(id) {
      try {
        const s = await stripe.checkout.sessions.retrieve(id);
        return {
          id: s.id,
          status: s.status,
          customer: stripeIdOf(s.customer),
          subscription: stripeIdOf(s.subscription),
          clientReferenceId: s.client_reference_id ?? undefined,
        };
      } catch (e) {
        if (missing(e)) return undefined;
        throw e;
      }
    },
    async preview(customer, subscription) {
      try {
        const invoice = await stripe.invoices.createPreview({ customer, subscription });
        return JSON.parse(JSON.stringify(invoice)) as Record<string, unknown>;
      } catch (e) {
        // "No upcoming invoices" (a canceled subscription): nothing to preview.
        if ((e as { statusCode?: number }).statusCode === 400 || missing(e)) return null;
        throw e;
      }
    },
    verify(payload, signature, secret) {
      const event = stripe.webhooks.constructEvent(payload, signature, secret);
      return { id: event.id, type: event.type, objectId: stripeIdOf(event.data.object) ?? '' };
    },
  };
}

/**
 * A Checkout Session on the plan's price (API reference, "Create a Checkout Session") and, for a stored customer
 * Stripe does not know, a new customer ("Create a customer").
 */
function sessionCalls(stripe: Stripe): Pick<SubscriptionsStripe, 'checkout' | 'createCustomer'> {
  return {
    async checkout({
      price,
      quantity,
      trialDays,
      metered,
      tenant,
      customer,
      successUrl,
      cancelUrl,
    }) {
      const session = await stripe.checkout.sessions
        .create({
          mode: 'subscription',
          // A metered price takes no quantity (API reference, "Create a Checkout Session", line_items.quantity:
          // "Quantity should not be defined when recurring.usage_type=metered"): its meter's events are the quantity.
          // A per-seat plan's quantity is the organization's members when the session opens (docs/packaging.md).
          line_items: [{ price, quantity: quantity ?? 1 }, ...metered.map((p) => ({ price: p }))],
          client_reference_id: tenant,
          ...(customer ? { customer } : {}),
          success_url: successUrl,
          cancel_url: cancelUrl,
          // For people reading the dashboard only: the webhook never trusts metadata (subscriptions-port.ts).
          metadata: { atakora_tenant: tenant },
          // API reference, "Create a Checkout Session", subscription_data.trial_period_days: "Integer representing the
          // number of trial period days before the customer is charged for the first time. Has to be at least 1."
          subscription_data: {
            metadata: { atakora_tenant: tenant },
            ...(trialDays !== undefined ? { trial_period_days: trialDays } : {}),
          },
        })
        .catch((e: unknown) => {
          // 400 `resource_missing` on `customer` (docs.stripe.com/error-codes#resource-missing): no such customer.
          const err = e as { code?: unknown; param?: unknown };
          if (customer && err.code === 'resource_missing' && err.param === 'customer')
            throw new CustomerMissingAtStripe(customer);
          throw e;
        });
      return { url: session.url ?? '', id: session.id };
    },
    async createCustomer(tenant, idempotencyKey) {
      // API reference, "Create a customer"; "Idempotent requests": a retry with the same key gets the same customer.
      const created = await stripe.customers.create(
        { metadata: { atakora_tenant: tenant } },
        { idempotencyKey },
      );
      return created.id;
    },
  };
}

/**
 * The changes the runtime makes to a subscription and its Checkouts (an Owner's delete and undelete, a new Checkout,
 * the erase), on the SDK: API reference, "Expire a Checkout Session", "Update a subscription"
 * (`cancel_at_period_end`), "Cancel a subscription".
 */
function subscriptionChanges(
  stripe: Stripe,
): Pick<SubscriptionsStripe, 'expire' | 'cancelAtPeriodEnd' | 'cancel' | 'setQuantity'> {
  return {
    async setQuantity(id, price, quantity) {
      try {
        const sub = await stripe.subscriptions.retrieve(id);
        const item = sub.items.data.find((i) => i.price.id === price);
        if (!item || ['canceled', 'incomplete_expired'].includes(sub.status)) return undefined;
        if (item.quantity !== quantity)
          // API reference, "Update a subscription item": "Updates the plan or quantity of an item on a current
          // subscription"; proration_behavior left to its default, create_prorations ("Update a subscription": "We
          // also prorate when you make quantity changes").
          await stripe.subscriptionItems.update(item.id, { quantity });
        return subscriptionRead(await stripe.subscriptions.retrieve(id));
      } catch (e) {
        if (missing(e)) return undefined;
        throw e;
      }
    },
    async expire(sessionId) {
      try {
        // API reference, "Expire a Checkout Session": only an open one can be; another answers an error.
        await stripe.checkout.sessions.expire(sessionId);
      } catch (e) {
        if (!missing(e) && (e as { statusCode?: number }).statusCode !== 400) throw e;
      }
    },
    async cancelAtPeriodEnd(id, cancel) {
      try {
        // API reference, "Update a subscription", cancel_at_period_end; docs.stripe.com/billing/subscriptions/cancel:
        // a subscription set so "can be reactivated at any point up to the end of the period" by setting it false.
        return subscriptionRead(
          await stripe.subscriptions.update(id, { cancel_at_period_end: cancel }),
        );
      } catch (e) {
        if (missing(e)) return undefined;
        throw e;
      }
    },
    async cancel(id) {
      try {
        await stripe.subscriptions.cancel(id);
      } catch (e) {
        // Gone, or ended already ("A canceled subscription can't be canceled"): nothing left to cancel.
        if (!missing(e) && (e as { statusCode?: number }).statusCode !== 400) throw e;
      }
    },
  };
}
