import type { StandInEvent } from './stripe-standin-webhooks.js';

// The stand-in's customers, prices, Checkout and portal sessions, subscriptions and invoice previews: the objects
// and fields of Stripe's API reference the runtime's subscription routes read, nothing more. Every change a
// customer makes in Stripe (a checkout completed, a plan changed in the portal, a failed payment, a cancel) is a
// method here that also queues the events Stripe would send.

type Obj = Record<string, unknown>;

/** A price the stand-in knows: a recurring monthly licensed price (`unit_amount` in the currency's minor unit). */
export interface StandInPrice {
  readonly id: string;
  readonly unitAmount: number;
  readonly currency?: string;
  readonly product?: string;
}

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
  private seq = 0;

  constructor(
    private readonly base: () => string,
    private readonly now: () => number,
    private readonly emit: (type: string, object: Obj) => StandInEvent,
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
    const price = {
      id: p.id,
      object: 'price',
      active: true,
      currency: p.currency ?? 'usd',
      unit_amount: p.unitAmount,
      product: p.product ?? `prod_${p.id.slice('price_'.length)}`,
      recurring: { interval: 'month', interval_count: 1, usage_type: 'licensed' },
      type: 'recurring',
      livemode: false,
    };
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

  /** Create a subscription of `customer` on `price` (`POST /v1/subscriptions`), active unless `status` says. */
  createSubscription(
    customer: string,
    price: string,
    status: SubscriptionStatus = 'active',
    metadata: Obj = {},
  ): Obj {
    const start = this.seconds();
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
      items: { object: 'list', has_more: false, data: [] },
    };
    sub['items'] = {
      object: 'list',
      has_more: false,
      data: [this.item(sub['id'] as string, price, start)],
    };
    this.subscriptions.set(sub['id'] as string, sub);
    this.emit('customer.subscription.created', structuredClone(sub));
    return sub;
  }

  // Since API version 2025-03-31.basil the period is on each item (`current_period_start`/`_end`).
  private item(subscription: string, price: string, start: number): Obj {
    return {
      id: this.id('si'),
      object: 'subscription_item',
      subscription,
      price: structuredClone(this.prices.get(price)),
      quantity: 1,
      current_period_start: start,
      current_period_end: start + MONTH,
    };
  }

  /**
   * Change a subscription as the portal, a failed payment or a retry would: its price (a plan change), its status
   * (`past_due`, `unpaid`, `active` …). Queues `customer.subscription.updated` (or `deleted` for `canceled`).
   */
  updateSubscription(id: string, change: { price?: string; status?: SubscriptionStatus }): Obj {
    const sub = this.subscriptions.get(id);
    if (!sub) throw new Error(`No such subscription: ${id}`);
    if (change.price !== undefined) {
      if (!this.prices.has(change.price)) throw new Error(`No such price: ${change.price}`);
      sub['items'] = {
        object: 'list',
        has_more: false,
        data: [this.item(id, change.price, this.seconds())],
      };
    }
    if (change.status === 'canceled') return this.cancelSubscription(id);
    if (change.status !== undefined) sub['status'] = change.status;
    this.emit('customer.subscription.updated', structuredClone(sub));
    return sub;
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
    const session = this.sessions.get(id);
    if (!session) throw new Error(`No such checkout session: ${id}`);
    if (session['status'] !== 'open') return session;
    const customer =
      (session['customer'] as string | null) ??
      (this.createCustomer({
        ...(session['customer_email'] ? { email: session['customer_email'] as string } : {}),
      })['id'] as string);
    const sub = this.createSubscription(
      customer,
      session['price'] as string,
      'active',
      (session['subscription_data_metadata'] as Obj | undefined) ?? {},
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

  private shown(session: Obj): Obj {
    const { price: _p, subscription_data_metadata: _m, ...rest } = session;
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
    const priceId = at(/^\/v1\/prices\/([^/]+)$/);
    if (method === 'GET' && priceId !== undefined) {
      const p = this.prices.get(priceId);
      return p ? ok(p) : notFound('price', priceId);
    }
    if (method === 'POST' && path === '/v1/checkout/sessions') return this.createSession(form);
    const sessionId = at(/^\/v1\/checkout\/sessions\/([^/]+)$/);
    if (method === 'GET' && sessionId !== undefined) {
      const s = this.sessions.get(sessionId);
      return s ? ok(this.shown(s)) : notFound('checkout.session', sessionId);
    }
    if (method === 'POST' && path === '/v1/billing_portal/sessions') {
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
      const price = form.get('items[0][price]') ?? '';
      if (!this.customers.has(customer)) return missing('customer', 'customer', customer);
      if (!this.prices.has(price)) return missing('price', 'items[0][price]', price);
      return ok(this.createSubscription(customer, price, 'active', metadataOf(form, 'metadata')));
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
        return ok(this.updateSubscription(subId, price !== undefined ? { price } : {}));
      }
    }
    if (method === 'POST' && path === '/v1/invoices/create_preview') return this.preview(form);
    return undefined;
  }

  private createSession(form: URLSearchParams): Answer {
    const mode = form.get('mode');
    const price = form.get('line_items[0][price]') ?? '';
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
    if (!this.prices.has(price)) return missing('price', 'line_items[0][price]', price);
    if (customer !== null && !this.customers.has(customer))
      return missing('customer', 'customer', customer);
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
      expires_at: this.seconds() + 86_400,
      livemode: false,
      price,
      subscription_data_metadata: metadataOf(form, 'subscription_data[metadata]'),
    };
    this.sessions.set(id, session);
    return { status: 200, body: this.shown(session) };
  }

  // The invoice the subscription's next period would bill (API reference, "Create a preview invoice"): one line per
  // item, the price's unit amount × quantity.
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
    const items = (sub['items'] as { data: Obj[] }).data;
    const lines = items.map((i) => {
      const price = i['price'] as Obj;
      const amount = Number(price['unit_amount']) * Number(i['quantity']);
      return {
        id: this.id('il'),
        object: 'line_item',
        amount,
        currency: price['currency'],
        description: `1 × ${String(price['product'])}`,
        quantity: i['quantity'],
        period: { start: i['current_period_end'], end: Number(i['current_period_end']) + MONTH },
        pricing: {
          type: 'price_details',
          price_details: { price: price['id'], product: price['product'] },
        },
      };
    });
    const total = lines.reduce((n, l) => n + l.amount, 0);
    const first = items[0] ?? {};
    return {
      status: 200,
      body: {
        id: null,
        object: 'invoice',
        status: 'draft',
        customer: sub['customer'],
        currency: (lines[0]?.currency as string | undefined) ?? 'usd',
        lines: { object: 'list', has_more: false, data: lines },
        subtotal: total,
        total,
        amount_due: total,
        period_start: first['current_period_start'],
        period_end: first['current_period_end'],
        livemode: false,
      },
    };
  }
}

/** `metadata[k]=v` form fields under `prefix` as an object. */
function metadataOf(form: URLSearchParams, prefix: string): Obj {
  const out: Obj = {};
  const re = new RegExp(`^${prefix.replace(/[[\]]/g, '\\$&')}\\[([^\\]]+)\\]$`);
  for (const [k, v] of form) {
    const m = re.exec(k);
    if (m?.[1] !== undefined) out[m[1]] = v;
  }
  return out;
}
