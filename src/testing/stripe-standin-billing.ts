import { expiresAtOf, lapsed } from './stripe-standin-expiry.js';
import { prorationLines } from './stripe-standin-proration.js';
import type { TakenEvent } from './stripe-standin-meters.js';
import { metadataOf, pricesOf } from './stripe-standin-form.js';
import { StandInPayments } from './stripe-standin-payments.js';
import { previewInvoice } from './stripe-standin-preview.js';
import {
  expandsOf,
  listPrices,
  priceObject,
  shownPrice,
  type StandInPrice,
} from './stripe-standin-prices.js';
import type { StandInEvent } from './stripe-standin-webhooks.js';

// The stand-in's customers, prices, Checkout and portal sessions, subscriptions and invoice previews: the objects
// and fields of Stripe's API reference the runtime's subscription routes read, nothing more. Every change a
// customer makes in Stripe (a checkout completed, a plan changed in the portal, a failed payment, a cancel) is a
// method here that also queues the events Stripe would send.

type Obj = Record<string, unknown>;

export type { StandInPrice } from './stripe-standin-prices.js';

/** A subscription's statuses (API reference, "The Subscription object", `status`). */
export type SubscriptionStatus =
  | 'incomplete'
  | 'incomplete_expired'
  | 'trialing'
  | 'active'
  | 'past_due'
  | 'canceled'
  | 'unpaid'
  | 'paused';

/** An answer: status and JSON body (an `{ error }` for 4xx). */
export interface Answer {
  readonly status: number;
  readonly body: unknown;
}

const MONTH = 30 * 86_400;
const missing = (what: string, param: string, id: string): Answer => ({
  status: 400,
  body: {
    error: {
      type: 'invalid_request_error',
      code: 'resource_missing',
      param,
      message: `No such ${what}: '${id}'`,
    },
  },
});
/**
 * A required parameter left out, as Stripe answers it (docs.stripe.com/error-codes/parameter-missing: "One or more
 * required values are missing. Check our API documentation to see which values are required to create or modify the
 * specified resource."): 400, `invalid_request_error`, `code: 'parameter_missing'`, the parameter named.
 */
const parameterMissing = (param: string): Answer => ({
  status: 400,
  body: {
    error: {
      type: 'invalid_request_error',
      code: 'parameter_missing',
      param,
      message: `Missing required param: ${param}.`,
      doc_url: 'https://stripe.com/docs/error-codes/parameter-missing',
    },
  },
});
/** The subscription a proration line is of. */
const prorated = (line: Obj): unknown =>
  (line['parent'] as { subscription_item_details?: { subscription?: unknown } })
    .subscription_item_details?.subscription;
const notFound = (what: string, id: string): Answer => ({
  status: 404,
  body: {
    error: {
      type: 'invalid_request_error',
      code: 'resource_missing',
      message: `No such ${what}: '${id}'`,
    },
  },
});

/**
 * The billing side of the stand-in: its objects, the API routes on them, and the changes a customer makes (each
 * queuing its events on `emit`).
 */
export class StandInBilling {
  readonly customers = new Map<string, Obj>();
  readonly prices = new Map<string, Obj>();
  readonly sessions = new Map<string, Obj>();
  readonly portals = new Map<string, Obj>();
  readonly subscriptions = new Map<string, Obj>();
  /** Each subscription item quantity change, in order: its item, subscription, quantity and proration. */
  readonly quantityChanges: {
    readonly item: string;
    readonly subscription: string;
    readonly quantity: number;
    readonly proration: string;
  }[] = [];
  /** Proration lines pending for the next invoice (quantity changes), until the period they prorate ends. */
  readonly prorations: Obj[] = [];
  /** Invoices, PaymentIntents, invoice payments and refunds (stripe-standin-payments.ts). */
  readonly payments = new StandInPayments(
    (p) => this.id(p),
    () => this.seconds(),
  );
  private seq = 0;

  constructor(
    private readonly base: () => string,
    private readonly now: () => number,
    private readonly emit: (type: string, object: Obj) => StandInEvent,
    private readonly meters: readonly { readonly id: string; readonly event_name: string }[] = [],
    private readonly events: readonly TakenEvent[] = [],
    /** How long a taken meter event stays out of the previews (ms): Stripe aggregates them asynchronously. */
    private readonly lagMs = 0,
  ) {}

  private id(prefix: string): string {
    this.seq++;
    return `${prefix}_test${String(this.seq).padStart(6, '0')}`;
  }

  private seconds(): number {
    return Math.floor(this.now() / 1000);
  }

  /** Add a price (as created in the dashboard). */
  addPrice(p: StandInPrice): Obj {
    const price = priceObject(p, this.meters);
    this.prices.set(p.id, price);
    return price;
  }

  /** Create a customer (`POST /v1/customers`). */
  createCustomer(fields: { email?: string; name?: string; metadata?: Obj } = {}): Obj {
    const customer = {
      id: this.id('cus'),
      object: 'customer',
      created: this.seconds(),
      email: fields.email ?? null,
      name: fields.name ?? null,
      metadata: fields.metadata ?? {},
      livemode: false,
    };
    this.customers.set(customer.id, customer);
    this.emit('customer.created', customer);
    return customer;
  }

  /**
   * Create a subscription of `customer` on `price` — one price, or several (the plan's and metered ones), one item
   * each (`POST /v1/subscriptions`) — active unless `status` says.
   */
  createSubscription(
    customer: string,
    price: string | readonly string[],
    status: SubscriptionStatus = 'active',
    metadata: Obj = {},
    terms: { quantity?: number; trialDays?: number } = {},
  ): Obj {
    const start = this.seconds();
    const trialEnd = terms.trialDays ? start + terms.trialDays * 86_400 : null;
    const sub: Obj = {
      id: this.id('sub'),
      object: 'subscription',
      customer,
      status,
      created: start,
      start_date: start,
      cancel_at_period_end: false,
      canceled_at: null,
      ended_at: null,
      metadata,
      livemode: false,
      trial_start: trialEnd === null ? null : start,
      trial_end: trialEnd,
      latest_invoice: null,
      items: { object: 'list', has_more: false, data: [] },
    };
    sub['items'] = {
      object: 'list',
      has_more: false,
      data: (typeof price === 'string' ? [price] : price).map((one, i) => {
        const item = this.item(
          sub['id'] as string,
          one,
          start,
          i === 0 ? terms.quantity : undefined,
        );
        // A trial is the subscription's first period ("The Subscription object", trial_end; the period's end is the
        // trial's): it renews — and bills — when the trial ends.
        if (trialEnd !== null) item['current_period_end'] = trialEnd;
        return item;
      }),
    };
    this.subscriptions.set(sub['id'] as string, sub);
    this.emit('customer.subscription.created', structuredClone(sub));
    return sub;
  }

  // Since API version 2025-03-31.basil the period is on each item (`current_period_start`/`_end`).
  private item(subscription: string, price: string, start: number, quantity = 1): Obj {
    const object = structuredClone(this.prices.get(price));
    const metered = (object?.['recurring'] as { usage_type?: string } | undefined)?.usage_type;
    return {
      id: this.id('si'),
      object: 'subscription_item',
      subscription,
      price: object,
      // A metered item has no quantity: its meter's events are.
      ...(metered === 'metered' ? {} : { quantity }),
      current_period_start: start,
      current_period_end: start + MONTH,
    };
  }

  /**
   * Change a subscription as the portal, a failed payment or a retry would: its price (a plan change), its status
   * (`past_due`, `unpaid`, `active` …). Queues `customer.subscription.updated` (or `deleted` for `canceled`).
   */
  updateSubscription(
    id: string,
    change: {
      price?: string;
      quantity?: number;
      status?: SubscriptionStatus;
      cancelAtPeriodEnd?: boolean;
    },
  ): Obj {
    const sub = this.subscriptions.get(id);
    if (!sub) throw new Error(`No such subscription: ${id}`);
    if (change.cancelAtPeriodEnd !== undefined) {
      // Set to cancel when the period ends (`cancel_at` its end), or lifted before then (docs.stripe.com/billing/
      // subscriptions/cancel: "reactivated at any point up to the end of the period by updating
      // cancel_at_period_end to false").
      sub['cancel_at_period_end'] = change.cancelAtPeriodEnd;
      sub['cancel_at'] = change.cancelAtPeriodEnd ? this.periodEnd(sub) : null;
    }
    if (change.price !== undefined) {
      if (!this.prices.has(change.price)) throw new Error(`No such price: ${change.price}`);
      // A plan change swaps the licensed item; the metered ones stay. Its quantity is the one the change gives, else 1
      // (Stripe's OpenAPI description of `items[].price` on "Update a subscription": "When changing a subscription
      // item's price, quantity is set to 1 unless a quantity parameter is provided") — a portal whose plan step also
      // offers the quantity (`features.subscription_update.default_allowed_updates: ['price', 'quantity']`) keeps it.
      const kept = (sub['items'] as { data: Obj[] }).data.slice(1);
      sub['items'] = {
        object: 'list',
        has_more: false,
        data: [this.item(id, change.price, this.seconds(), change.quantity ?? 1), ...kept],
      };
    }
    if (change.status === 'canceled') return this.cancelSubscription(id);
    if (change.status !== undefined) sub['status'] = change.status;
    this.emit('customer.subscription.updated', structuredClone(sub));
    return sub;
  }

  private periodEnd(sub: Obj): number {
    const item = (sub['items'] as { data: Obj[] }).data[0];
    return Number(item?.['current_period_end'] ?? this.seconds());
  }

  /**
   * The subscription's period ends: one set to cancel then is canceled (`customer.subscription.deleted`), any other
   * live one renews — its items' period moves a month on (`customer.subscription.updated`), as the renewal's invoice
   * paid would have it. An ended subscription is left as it is.
   */
  endPeriod(id: string): Obj {
    const sub = this.subscriptions.get(id);
    if (!sub) throw new Error(`No such subscription: ${id}`);
    if (['canceled', 'incomplete_expired'].includes(String(sub['status']))) return sub;
    if (sub['cancel_at_period_end'] === true) return this.cancelSubscription(id);
    // A trial's end: `active` from then on (its first invoice paid), as Stripe moves a trialing subscription whose
    // customer has a payment method (docs.stripe.com/billing/subscriptions/trials).
    if (sub['status'] === 'trialing') sub['status'] = 'active';
    // The renewal's invoice takes the pending prorations (they are no longer upcoming).
    this.takeProrations(id);
    for (const item of (sub['items'] as { data: Obj[] }).data) {
      const end = Number(item['current_period_end']);
      item['current_period_start'] = end;
      item['current_period_end'] = end + MONTH;
    }
    this.emit('customer.subscription.updated', structuredClone(sub));
    return sub;
  }

  /** Remove and return the prorations pending on subscription `id`. */
  takeProrations(id: string): Obj[] {
    const mine = this.prorations.filter((l) => prorated(l) === id);
    for (const l of mine) this.prorations.splice(this.prorations.indexOf(l), 1);
    return mine;
  }

  /**
   * `customer.subscription.trial_will_end`, as Stripe sends it "three days before a subscription's trial period is
   * scheduled to end" (API reference, "Types of events"): the subscription as it is, still `trialing`. Refused for a
   * subscription without a trial running.
   */
  trialWillEnd(id: string): Obj {
    const sub = this.subscriptions.get(id);
    if (!sub || sub['status'] !== 'trialing') throw new Error(`No trial running on ${id}`);
    this.emit('customer.subscription.trial_will_end', structuredClone(sub));
    return sub;
  }

  /**
   * Expire an open Checkout Session (`POST /v1/checkout/sessions/{id}/expire`): it can no longer be paid. Stripe
   * expires only an open one.
   */
  expireSession(id: string): Answer {
    const session = this.sessionAt(id);
    if (!session) return notFound('checkout.session', id);
    if (session['status'] !== 'open')
      return {
        status: 400,
        body: {
          error: {
            type: 'invalid_request_error',
            message: 'Only Checkout Sessions with a status in ["open"] can be expired.',
          },
        },
      };
    session['status'] = 'expired';
    this.emit('checkout.session.expired', this.shown(session));
    return { status: 200, body: this.shown(session) };
  }

  /** Cancel a subscription at once (`DELETE /v1/subscriptions/{id}`): queues `customer.subscription.deleted`. */
  cancelSubscription(id: string): Obj {
    const sub = this.subscriptions.get(id);
    if (!sub) throw new Error(`No such subscription: ${id}`);
    sub['status'] = 'canceled';
    sub['canceled_at'] = this.seconds();
    sub['ended_at'] = this.seconds();
    this.emit('customer.subscription.deleted', structuredClone(sub));
    return sub;
  }

  /**
   * Complete a Checkout Session as a customer paying would: the customer (the session's, or a new one), an active
   * subscription on the session's price, the session `complete`; queues `customer.subscription.created` and
   * `checkout.session.completed` (Stripe does not promise their order).
   */
  completeCheckout(id: string): Obj {
    const session = this.sessionAt(id);
    if (!session) throw new Error(`No such checkout session: ${id}`);
    if (session['status'] !== 'open') return session;
    const customer =
      (session['customer'] as string | null) ??
      (this.createCustomer({
        ...(session['customer_email'] ? { email: session['customer_email'] as string } : {}),
      })['id'] as string);
    // A trial (subscription_data.trial_period_days) starts the subscription `trialing` until its end.
    const trialDays = Number(session['trial_period_days'] ?? 0);
    const sub = this.createSubscription(
      customer,
      session['prices'] as string[],
      trialDays > 0 ? 'trialing' : 'active',
      (session['subscription_data_metadata'] as Obj | undefined) ?? {},
      { quantity: Number(session['quantity'] ?? 1), trialDays },
    );
    // Paid at once: the first invoice of the plan's price × quantity (0 during a trial), `latest_invoice`.
    const price = this.prices.get((session['prices'] as string[])[0] ?? '');
    const amount =
      trialDays > 0 ? 0 : Number(price?.['unit_amount'] ?? 0) * Number(session['quantity'] ?? 1);
    sub['latest_invoice'] = this.payments.pay(
      sub,
      amount,
      typeof price?.['currency'] === 'string' ? price['currency'] : 'usd',
    );
    Object.assign(session, {
      status: 'complete',
      payment_status: 'paid',
      customer,
      subscription: sub['id'],
    });
    this.emit('checkout.session.completed', this.shown(session));
    return session;
  }

  /**
   * The session `id` as it is now: one open past its `expires_at` expires first (`checkout.session.expired` queued,
   * stripe-standin-expiry.ts), as Stripe expires it on its own.
   */
  sessionAt(id: string): Obj | undefined {
    const session = this.sessions.get(id);
    if (session && lapsed(session, this.seconds())) {
      session['status'] = 'expired';
      this.emit('checkout.session.expired', this.shown(session));
    }
    return session;
  }

  private shown(session: Obj): Obj {
    const {
      price: _price,
      prices: _p,
      subscription_data_metadata: _m,
      quantity: _q,
      trial_period_days: _t,
      ...rest
    } = session;
    return structuredClone(rest);
  }

  /** The API routes on these objects; undefined for a route that is not theirs. */
  handle(method: string, path: string, form: URLSearchParams): Answer | undefined {
    const ok = (body: unknown): Answer => ({ status: 200, body });
    const at = (re: RegExp) => re.exec(path)?.[1];
    if (method === 'POST' && path === '/v1/customers')
      return ok(
        this.createCustomer({
          ...(form.get('email') ? { email: form.get('email') ?? '' } : {}),
          ...(form.get('name') ? { name: form.get('name') ?? '' } : {}),
          metadata: metadataOf(form, 'metadata'),
        }),
      );
    const customerId = at(/^\/v1\/customers\/([^/]+)$/);
    if (method === 'GET' && customerId !== undefined) {
      const c = this.customers.get(customerId);
      return c ? ok(c) : notFound('customer', customerId);
    }
    // "Update a customer": an unknown one is 404 resource_missing; its name, e-mail and metadata set.
    if (method === 'POST' && customerId !== undefined) {
      const c = this.customers.get(customerId);
      if (!c) return notFound('customer', customerId);
      for (const field of ['name', 'email'] as const)
        if (form.get(field) !== null) c[field] = form.get(field);
      c['metadata'] = { ...(c['metadata'] as Obj), ...metadataOf(form, 'metadata') };
      return ok(c);
    }
    if (method === 'POST' && path === '/v1/prices') {
      const id = this.id('price');
      return ok(
        this.addPrice({
          id,
          unitAmount: Number(form.get('unit_amount') ?? 0),
          currency: form.get('currency') ?? 'usd',
        }),
      );
    }
    if (method === 'GET' && path === '/v1/prices')
      return ok(listPrices(this.prices.values(), form.get('active'), expandsOf(form)));
    const priceId = at(/^\/v1\/prices\/([^/]+)$/);
    if (method === 'GET' && priceId !== undefined) {
      const p = this.prices.get(priceId);
      return p ? ok(shownPrice(p, expandsOf(form).includes('tiers'))) : notFound('price', priceId);
    }
    if (method === 'POST' && path === '/v1/checkout/sessions') return this.createSession(form);
    const expiring = at(/^\/v1\/checkout\/sessions\/([^/]+)\/expire$/);
    if (method === 'POST' && expiring !== undefined) return this.expireSession(expiring);
    const sessionId = at(/^\/v1\/checkout\/sessions\/([^/]+)$/);
    if (method === 'GET' && sessionId !== undefined) {
      const s = this.sessionAt(sessionId);
      return s ? ok(this.shown(s)) : notFound('checkout.session', sessionId);
    }
    if (method === 'POST' && path === '/v1/billing_portal/sessions') {
      // "Create a portal session": customer Required.
      if (!form.get('customer')) return parameterMissing('customer');
      const customer = form.get('customer') ?? '';
      if (!this.customers.has(customer)) return missing('customer', 'customer', customer);
      const id = this.id('bps');
      const portal = {
        id,
        object: 'billing_portal.session',
        customer,
        return_url: form.get('return_url'),
        url: `${this.base()}/p/session/${id}`,
        created: this.seconds(),
        livemode: false,
      };
      this.portals.set(id, portal);
      return ok(portal);
    }
    if (method === 'POST' && path === '/v1/subscriptions') {
      const customer = form.get('customer') ?? '';
      const prices = pricesOf(form, 'items');
      // "Create a subscription": customer and items Required.
      if (!customer) return parameterMissing('customer');
      if (prices.length === 0) return parameterMissing('items');
      if (!this.customers.has(customer)) return missing('customer', 'customer', customer);
      const bad = this.unknownPrice(prices, 'items');
      if (bad) return bad;
      return ok(this.createSubscription(customer, prices, 'active', metadataOf(form, 'metadata')));
    }
    const subId = at(/^\/v1\/subscriptions\/([^/]+)$/);
    if (subId !== undefined) {
      const sub = this.subscriptions.get(subId);
      if (!sub) return notFound('subscription', subId);
      if (method === 'GET') return ok(sub);
      if (method === 'DELETE') return ok(this.cancelSubscription(subId));
      if (method === 'POST') {
        const price = form.get('items[0][price]') ?? undefined;
        if (price !== undefined && !this.prices.has(price))
          return missing('price', 'items[0][price]', price);
        const cancel = form.get('cancel_at_period_end');
        // Stripe refuses to change an ended subscription ("The Subscription object", status: canceled is terminal).
        if (['canceled', 'incomplete_expired'].includes(String(sub['status'])))
          return {
            status: 400,
            body: {
              error: {
                type: 'invalid_request_error',
                message: `A canceled subscription can only update its cancellation_details and metadata.`,
              },
            },
          };
        return ok(
          this.updateSubscription(subId, {
            ...(price !== undefined ? { price } : {}),
            ...(cancel !== null ? { cancelAtPeriodEnd: cancel === 'true' } : {}),
          }),
        );
      }
    }
    const itemId = at(/^\/v1\/subscription_items\/([^/]+)$/);
    if (method === 'POST' && itemId !== undefined) return this.updateItem(itemId, form);
    if (method === 'POST' && path === '/v1/invoices/create_preview') return this.preview(form);
    return this.payments.handle(method, path, form);
  }

  /**
   * `POST /v1/subscription_items/{id}` (API reference, "Update a subscription item": "Updates the plan or quantity
   * of an item on a current subscription"): its quantity set, `customer.subscription.updated` queued; each call
   * kept in `quantityChanges` (Stripe's default proration, `create_prorations`, unless the form says another).
   */
  updateItem(id: string, form: URLSearchParams): Answer {
    const sub = [...this.subscriptions.values()].find((x) =>
      (x['items'] as { data: Obj[] }).data.some((i) => i['id'] === id),
    );
    const item = sub && (sub['items'] as { data: Obj[] }).data.find((i) => i['id'] === id);
    if (!sub || !item) return notFound('subscription_item', id);
    // Every parameter is optional: without `quantity` the quantity stays as it is (only the metadata given is set).
    if (form.get('quantity') === null) {
      item['metadata'] = { ...(item['metadata'] ?? {}), ...metadataOf(form, 'metadata') };
      return { status: 200, body: item };
    }
    const quantity = Number(form.get('quantity'));
    if (!Number.isInteger(quantity) || quantity < 0)
      return {
        status: 400,
        body: {
          error: { type: 'invalid_request_error', param: 'quantity', message: 'Invalid integer' },
        },
      };
    const before = Number(item['quantity']);
    item['quantity'] = quantity;
    const proration = form.get('proration_behavior') ?? 'create_prorations';
    // A live subscription's change, prorated by default (stripe-standin-proration.ts); a trial bills nothing yet.
    if (proration === 'create_prorations' && ['active', 'past_due'].includes(String(sub['status'])))
      this.prorations.push(...prorationLines(sub, item, before, this.seconds(), (p) => this.id(p)));
    this.quantityChanges.push({
      item: id,
      subscription: String(sub['id']),
      quantity,
      proration,
    });
    this.emit('customer.subscription.updated', structuredClone(sub));
    return { status: 200, body: item };
  }

  // No line item, or one on a price the stand-in does not know: 400 resource_missing naming the parameter.
  private unknownPrice(prices: readonly string[], list: string): Answer | undefined {
    const i = Math.max(
      prices.findIndex((p) => !this.prices.has(p)),
      prices.length === 0 ? 0 : -1,
    );
    return i < 0 ? undefined : missing('price', `${list}[${String(i)}][price]`, prices[i] ?? '');
  }

  // A metered line item with a quantity is refused, as Stripe refuses it (API reference, "Create a Checkout Session",
  // line_items.quantity: "Quantity should not be defined when recurring.usage_type=metered").
  private meteredQuantity(prices: readonly string[], form: URLSearchParams): Answer | undefined {
    const i = prices.findIndex(
      (p, n) =>
        (this.prices.get(p)?.['recurring'] as { usage_type?: string } | undefined)?.usage_type ===
          'metered' && form.has(`line_items[${String(n)}][quantity]`),
    );
    if (i < 0) return undefined;
    const param = `line_items[${String(i)}][quantity]`;
    return {
      status: 400,
      body: {
        error: {
          type: 'invalid_request_error',
          param,
          message: `Quantity should not be defined when recurring.usage_type=metered: remove ${param}.`,
        },
      },
    };
  }

  private createSession(form: URLSearchParams): Answer {
    const mode = form.get('mode');
    const prices = pricesOf(form, 'line_items');
    const customer = form.get('customer');
    if (mode !== 'subscription')
      return {
        status: 400,
        body: {
          error: {
            type: 'invalid_request_error',
            param: 'mode',
            message: 'The stand-in takes mode subscription only.',
          },
        },
      };
    // "Create a Checkout Session", line_items: required in payment and subscription mode.
    if (prices.length === 0) return parameterMissing('line_items');
    const bad = this.unknownPrice(prices, 'line_items') ?? this.meteredQuantity(prices, form);
    if (bad) return bad;
    if (customer !== null && !this.customers.has(customer))
      return missing('customer', 'customer', customer);
    const expiresAt = expiresAtOf(form, this.seconds());
    if (typeof expiresAt !== 'number') return expiresAt;
    const id = this.id('cs');
    const session: Obj = {
      id,
      object: 'checkout.session',
      mode,
      status: 'open',
      payment_status: 'unpaid',
      url: `${this.base()}/c/pay/${id}`,
      customer,
      customer_email: form.get('customer_email'),
      client_reference_id: form.get('client_reference_id'),
      success_url: form.get('success_url'),
      cancel_url: form.get('cancel_url'),
      subscription: null,
      metadata: metadataOf(form, 'metadata'),
      created: this.seconds(),
      expires_at: expiresAt,
      livemode: false,
      // The first (the plan's) as `price`, every line item's as `prices`, its quantity and the trial: kept, never
      // shown.
      price: prices[0],
      prices,
      quantity: Number(form.get('line_items[0][quantity]') ?? 1),
      trial_period_days: form.get('subscription_data[trial_period_days]'),
      subscription_data_metadata: metadataOf(form, 'subscription_data[metadata]'),
    };
    this.sessions.set(id, session);
    return { status: 200, body: this.shown(session) };
  }

  // The invoice the subscription's next bill would be (API reference, "Create a preview invoice"): previewInvoice.
  private preview(form: URLSearchParams): Answer {
    const customer = form.get('customer');
    const subId = form.get('subscription');
    const sub =
      subId !== null
        ? this.subscriptions.get(subId)
        : [...this.subscriptions.values()].find(
            (s) => s['customer'] === customer && s['status'] !== 'canceled',
          );
    if (customer !== null && !this.customers.has(customer))
      return missing('customer', 'customer', customer);
    if (!sub)
      return {
        status: 400,
        body: {
          error: {
            type: 'invalid_request_error',
            code: 'invoice_upcoming_none',
            message: 'No upcoming invoices for customer.',
          },
        },
      };
    return {
      status: 200,
      body: previewInvoice(sub, {
        meters: this.meters,
        events: this.events.filter((e) => e.created <= this.now() - this.lagMs),
        prorations: this.prorations.filter((l) => prorated(l) === sub['id']),
        id: (p) => this.id(p),
      }),
    };
  }
}
