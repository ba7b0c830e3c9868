import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { StandInBilling, type SubscriptionStatus } from './stripe-standin-billing.js';
import { StandInErrorReports } from './stripe-standin-errors.js';
import { idempotencyLayer } from './stripe-standin-idempotency.js';
import { keyRefusal } from './stripe-standin-permissions.js';
import { paramRefusal } from './spec/stripe-params.js';
import type { StandInPrice } from './stripe-standin-prices.js';
import { type Delivery, deliverEvent, type StandInEvent } from './stripe-standin-webhooks.js';
import {
  meterObjects,
  meterRoutes,
  refuseItemUpdate,
  type StripeFaults,
  type TakenEvent,
} from './stripe-standin-meters.js';

export type { SubscriptionStatus } from './stripe-standin-billing.js';
export type { StandInPrice } from './stripe-standin-prices.js';
export { stripeSignature, type Delivery, type StandInEvent } from './stripe-standin-webhooks.js';

export type { StripeFaults, TakenEvent } from './stripe-standin-meters.js';

/** Where the stand-in delivers events: the endpoint's URL and its signing secret (`whsec_…`). */
export interface StandInWebhook {
  url: string;
  secret: string;
}

/** Options of {@link startStripeStandIn}. */
export interface StripeStandInOptions {
  /** The secret key it takes (`sk_test_…`): every call; any key but this and `restrictedKeys`' is 401 as Stripe answers. */
  readonly key: string;
  /**
   * Restricted keys (`rk_test_…`) it also takes, each with the permissions it holds (`rak_…` names, `_write`
   * implying `_read`): a call outside them is 403 with Stripe's message naming the permission that would allow it
   * (stripe-standin-permissions.ts lists the names of its routes).
   */
  readonly restrictedKeys?: Readonly<Record<string, readonly string[]>>;
  /**
   * How long a taken meter event stays out of the meter's summaries and the invoice previews (ms, default 0): Stripe
   * "processes meter events asynchronously, so aggregated usage in meter event summaries and on upcoming invoices
   * might not immediately reflect recently received meter events" ("Record usage for billing with the API").
   */
  readonly summaryLagMs?: number;
  /** Event names of the active billing meters (default none). */
  readonly meters?: readonly string[];
  /** Prices as created in the dashboard (monthly: licensed, a plan's fee, or metered on one of `meters`). */
  readonly prices?: readonly StandInPrice[];
  /**
   * Customers Stripe does not know when it validates a meter event: their events are taken (200), then refused
   * (out of the meter's aggregates, into a `v1.billing.meter.error_report_triggered` event in `GET v2/core/events`).
   */
  readonly refuseCustomers?: readonly string[];
  /** Deliver every event to this endpoint, signed as Stripe signs (settable later through `webhook`). */
  readonly webhook?: StandInWebhook;
  readonly now?: () => number;
  /**
   * Asked first on every request the key authorized: answer it (`{ status, body }`) or leave it to the stand-in
   * (`undefined`) — a test's own Stripe routes beside these. `state` is the stand-in's meters and the meter
   * events it took (which the extension may read, or take back as Stripe does with an event it refuses later).
   */
  readonly extend?: StandInExtension;
}

/** What an {@link StripeStandInOptions.extend} sees of the stand-in. */
export interface StandInState {
  readonly meters: readonly { readonly id: string; readonly event_name: string }[];
  readonly events: TakenEvent[];
}

/** An extension's answer, or undefined to leave the request to the stand-in. */
export type StandInExtension = (
  method: string,
  url: URL,
  state: StandInState,
) => { readonly status: number; readonly body: unknown } | undefined;

/** A running stand-in: its base URL for `STRIPE_API_BASE`, what it took, and the changes a customer makes. */
export interface StripeStandIn {
  /** `http://127.0.0.1:<port>`: `STRIPE_API_BASE`, or the SDK's `host`/`port`/`protocol`. */
  base: string;
  events: TakenEvent[];
  /** Every create the stand-in answered (status and identifier), faults and refusals included. */
  creates: { status: number; identifier: string }[];
  /** Authorization headers seen (to prove the key goes only to Stripe). */
  authorizations: Set<string>;
  faults: StripeFaults;
  /** Customers, prices, sessions and subscriptions as the API answers them. */
  billing: StandInBilling;
  /** The webhook endpoint (null: events are kept, never sent). */
  webhook: StandInWebhook | null;
  /** Every event, in the order it happened. */
  stripeEvents: StandInEvent[];
  /** Every delivery and the endpoint's answer. */
  deliveries: Delivery[];
  /** Complete a Checkout Session as a customer paying; resolves once its events are delivered. */
  completeCheckout(sessionId: string): Promise<void>;
  /** Change a subscription (a plan change, a failed payment: `past_due`, `unpaid`); resolves once delivered. */
  updateSubscription(
    id: string,
    change: {
      price?: string;
      /** With `price`: the quantity the change gives the item (the portal's quantity step); default 1. */
      quantity?: number;
      status?: SubscriptionStatus;
      cancelAtPeriodEnd?: boolean;
    },
  ): Promise<void>;
  /**
   * The subscription's period ends: canceled when it was set to cancel then, else renewed (a month on); resolves once
   * delivered.
   */
  endPeriod(id: string): Promise<void>;
  /**
   * `customer.subscription.trial_will_end` for a trialing subscription (Stripe sends it three days before the trial
   * ends; `endPeriod` then ends the trial: `active`); resolves once delivered.
   */
  trialWillEnd(id: string): Promise<void>;
  /** Cancel a subscription at once; resolves once delivered. */
  cancelSubscription(id: string): Promise<void>;
  /**
   * Send an event again, as Stripe's retries do (same id), or as an attacker replays one: signed with the
   * endpoint's secret (or `secret`) at now (or `timestamp`, seconds).
   */
  resend(eventId: string, opts?: { timestamp?: number; secret?: string }): Promise<Delivery>;
  /** Resolves when every event so far has been delivered. */
  settled(): Promise<void>;
  close(): Promise<void>;
}

/**
 * A loopback stand-in for the Stripe API, driven by the official `stripe` SDK (`STRIPE_API_BASE=<base>` under
 * `atakora dev`; in a test, `new Stripe(key, { host: '127.0.0.1', port, protocol: 'http' })`), as Stripe's API
 * reference documents the calls Atakora makes:
 *
 * - Meter events (`POST /v1/billing/meter_events`, `GET /v1/billing/meters`, `GET /v1/billing/meters/{id}/event_summaries`):
 *   the 100-character identifier unique for 24 hours (a second one 400 with `Stripe-Should-Retry: false`), the
 *   timestamp within the past 35 days or 5 minutes ahead, whole values, each hour's `aggregated_value`.
 * - Meter events of `refuseCustomers` taken, then refused: reported by `GET /v2/core/events`
 *   (`v1.billing.meter.error_report_triggered`, `meter_event_customer_not_found`), as `--billing --check` reads them.
 * - Customers (`POST /v1/customers`, `GET /v1/customers/{id}`), prices (`POST /v1/prices`, `GET /v1/prices` with
 *   `active`, `GET /v1/prices/{id}`; licensed, or metered per unit or tiered with `transform_quantity`), Checkout
 *   Sessions (`POST /v1/checkout/sessions`, mode `subscription`, one line item or several; `GET
 *   /v1/checkout/sessions/{id}`; `POST …/{id}/expire`; `expires_at` 24 hours on, or as given within 30 minutes and 24
 *   hours: past it `expired`, `checkout.session.expired` sent, no longer payable) whose `url` is a page with a Pay
 *   button (or `completeCheckout`), Customer Portal
 *   sessions (`POST /v1/billing_portal/sessions`, a page that cancels), subscriptions (`POST /v1/subscriptions`,
 *   `GET|POST|DELETE /v1/subscriptions/{id}`; statuses `active`, `trialing`, `past_due`, `unpaid`, `canceled` …, the
 *   period on each item; `cancel_at_period_end` set or lifted, `endPeriod` ending or renewing it), subscription items' quantities (`POST
 *   /v1/subscription_items/{id}`, kept in `billing.quantityChanges`; a Checkout's `line_items[0][quantity]` and
 *   `subscription_data[trial_period_days]`: the subscription's quantity, `trialing` until `trial_end`), invoice previews (`POST /v1/invoices/create_preview`: `invoices.createPreview`; a licensed
 *   item's unit amount, and each metered item's quantity — the customer's meter events this period — × its price).
 * - Webhooks: every change queues the events Stripe sends (`checkout.session.completed`,
 *   `customer.subscription.created|updated|deleted`, `customer.created`) and posts them to `webhook.url` signed
 *   exactly as Stripe signs (`Stripe-Signature: t=…,v1=<HMAC-SHA256>`), which the SDK's
 *   `stripe.webhooks.constructEvent` verifies; `resend` replays one (or signs it too old, or with another secret).
 * - 401 for any other key than `key` and `restrictedKeys` (Stripe masks the key it quotes: `sk_test_****` and its last
 *   four); a restricted key's call outside its permissions 403 naming the permission (`rak_…`), as Stripe answers.
 *   Subscription items are the Subscriptions permission's, expiring a session Checkout Sessions: Write's.
 * - Every answer's `Request-Id` and `Stripe-Version` headers (and an `Idempotency-Key` sent, echoed); a POST retried
 *   with the same `Idempotency-Key` gets the first answer again (`Idempotent-Replayed: true`), with other parameters
 *   400 `idempotency_error` (stripe-standin-idempotency.ts).
 * - Trials: the first period ends with the trial; `trialWillEnd` sends `customer.subscription.trial_will_end`,
 *   `endPeriod` ends the trial (`active`).
 * - `faults.holdItemUpdates`: the next subscription item updates held until a later one is applied (reordering);
 *   `faults.failItemUpdates`: the next N refused 500 `api_error` or 429 `rate_limit`, nothing changed.
 * - Prorations: a live subscription item's quantity changed mid-period (`proration_behavior` left to its default,
 *   `create_prorations`) leaves two pending lines — the unused time on the old quantity credited, the remaining time
 *   on the new one charged — in the next invoice's preview (`proration: true`) until the renewal invoices them.
 * - Payments and refunds: a Checkout paid leaves its first invoice paid (`latest_invoice`; 0 and paid by nothing
 *   during a trial), its PaymentIntent and invoice payment (`GET /v1/invoice_payments`, `GET /v1/invoices/{id}`);
 *   `POST /v1/refunds { payment_intent }` refunds it, refusing as Stripe does a second refund (`charge_already_refunded`),
 *   a disputed payment (`billing.payments.disputed`: `charge_disputed`) and an unknown PaymentIntent
 *   (stripe-standin-payments.ts); `billing.payments.refundAll` is a refund from the Dashboard.
 * - Required parameters left out (a portal session's `customer`, a subscription's `customer` and `items`, a
 *   subscription-mode Checkout's `line_items`): 400 `parameter_missing` naming the parameter.
 * - Parameters as Stripe's OpenAPI gives them, on every operation Atakora calls (src/testing/spec/stripe-params.ts):
 *   one the operation does not take 400 `parameter_unknown`, a required one missing `parameter_missing`, a value
 *   outside an enum 400; meter event summaries grouped as `value_grouping_window` says (none: one summary of the
 *   range); a price's `tiers` only when expanded (docs/testing.md).
 * - `summaryLagMs`: a meter event taken reaches the summaries and the previews only that long after.
 * - `faults`: 429 (`rate_limit`) or 503 (`api_error`) for the next N meter event creates; a delay on each;
 *   `echoKey`: every request 401 with the key quoted unmasked.
 *
 * It binds 127.0.0.1 only; `close()` stops it.
 *
 * @example
 * ```ts
 * import Stripe from 'stripe';
 * import { startStripeStandIn } from '@atakora/component/testing';
 *
 * const standIn = await startStripeStandIn({
 *   key: 'sk_test_standin',
 *   prices: [{ id: 'price_pro', unitAmount: 2900 }],
 *   webhook: { url: 'http://127.0.0.1:7071/api/billing/stripe', secret: 'whsec_test' },
 * });
 * const { port } = new URL(standIn.base);
 * const stripe = new Stripe('sk_test_standin', { host: '127.0.0.1', port, protocol: 'http' });
 * const session = await stripe.checkout.sessions.create({
 *   mode: 'subscription', line_items: [{ price: 'price_pro', quantity: 1 }], success_url: 'http://localhost/ok',
 * });
 * await standIn.completeCheckout(session.id); // checkout.session.completed, customer.subscription.created delivered
 * await standIn.close();
 * ```
 */
export async function startStripeStandIn(options: StripeStandInOptions): Promise<StripeStandIn> {
  const now = options.now ?? Date.now;
  const meters = meterObjects(options.meters ?? []);
  const events: TakenEvent[] = [];
  const creates: { status: number; identifier: string }[] = [];
  const authorizations = new Set<string>();
  const faults: StripeFaults = { count: 0, delayMs: 0 };
  let base = '';
  const stripeEvents: StandInEvent[] = [];
  const deliveries: Delivery[] = [];
  let delivering: Promise<void> = Promise.resolve();
  const out: { webhook: StandInWebhook | null } = { webhook: options.webhook ?? null };
  const send1 = async (event: StandInEvent, opts: { timestamp?: number; secret?: string } = {}) => {
    const hook = out.webhook;
    if (!hook) return undefined;
    const d = await deliverEvent(
      hook.url,
      opts.secret ?? hook.secret,
      event,
      opts.timestamp ?? Math.floor(now() / 1000),
    );
    deliveries.push(d);
    return d;
  };
  let seq = 0;
  let requests = 0;
  const [held, idempotent] = [holdQueue(), idempotencyLayer()];
  const emit = (type: string, object: Record<string, unknown>): StandInEvent => {
    seq++;
    const event: StandInEvent = {
      id: `evt_test${String(seq).padStart(6, '0')}`,
      object: 'event',
      api_version: '2026-10-28.endive',
      created: Math.floor(now() / 1000),
      type,
      data: { object },
      livemode: false,
      pending_webhooks: out.webhook ? 1 : 0,
      request: { id: null, idempotency_key: null },
    };
    stripeEvents.push(event);
    delivering = delivering.then(() => send1(event).then(() => undefined));
    return event;
  };
  const lag = options.summaryLagMs ?? 0;
  const billing = new StandInBilling(() => base, now, emit, meters, events, lag);
  const errorReports = new StandInErrorReports(options.refuseCustomers ?? [], now);
  for (const p of options.prices ?? []) billing.addPrice(p);
  const state: StandInState = { meters, events };
  const server: Server = createServer((req, res) => {
    void read(req).then(async (text) => {
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      // The hosted pages (Checkout, the portal) are a browser's: no API key.
      if (await hostedPage(req.method ?? 'GET', url, billing, res, () => delivering)) return;
      const send = (status: number, body: unknown, headers: Record<string, string> = {}) => {
        if (res.destroyed) return;
        res.writeHead(status, {
          'content-type': 'application/json',
          ...stripeHeaders(req, ++requests),
          ...headers,
        });
        res.end(JSON.stringify(body));
      };
      const error = (status: number, e: Record<string, unknown>, headers = {}) => {
        send(status, { error: e }, headers);
      };
      const auth = req.headers.authorization ?? '';
      authorizations.add(auth);
      const refused = keyRefusal(
        auth,
        { key: options.key, restrictedKeys: options.restrictedKeys, echoKey: faults.echoKey },
        req.method ?? 'GET',
        url.pathname,
      );
      if (refused) {
        send(refused.status, refused.body);
        return;
      }
      // Stripe validates meter events after taking them: by the next request, the refused ones are reported.
      errorReports.sweep(events, meters);
      const method = req.method ?? 'GET';
      const first = firstAnswer(method, url, text, errorReports, options.extend, state);
      if (first) {
        send(first.status, first.body);
        return;
      }
      const meterState = { faults, creates, events, meters, now, lag };
      if (await meterRoutes({ req, url, text, send, error, ...meterState })) return;
      const itemUpdate =
        method === 'POST' && /^\/v1\/subscription_items\/[^/]+$/.test(url.pathname);
      if (itemUpdate && refuseItemUpdate(faults, send)) return;
      if (itemUpdate && (faults.holdItemUpdates ?? 0) > 0) {
        faults.holdItemUpdates = (faults.holdItemUpdates ?? 0) - 1;
        await held.wait();
      }
      const last = replayOr(idempotent, req, url, text, () =>
        billingAnswer(method, url, text, billing),
      );
      if (itemUpdate) held.release();
      send(last.status, last.body, last.headers);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  base = `http://127.0.0.1:${String(port)}`;
  const settled = () => drain(() => delivering);
  return {
    base,
    events,
    creates,
    authorizations,
    faults,
    billing,
    get webhook() {
      return out.webhook;
    },
    set webhook(hook: StandInWebhook | null) {
      out.webhook = hook;
    },
    stripeEvents,
    deliveries,
    settled,
    ...customerMoves(billing, settled),
    async resend(eventId, opts = {}) {
      const event = stripeEvents.find((e) => e.id === eventId);
      if (!event) throw new Error(`No such event: ${eventId}`);
      const d = await send1(event, opts);
      if (!d) throw new Error('The stand-in has no webhook endpoint.');
      return d;
    },
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => {
          resolve();
        });
      }),
  };
}

/** What a customer (and time) does in Stripe, each resolving once its events are delivered. */
function customerMoves(
  billing: StandInBilling,
  settled: () => Promise<void>,
): Pick<
  StripeStandIn,
  'completeCheckout' | 'updateSubscription' | 'endPeriod' | 'trialWillEnd' | 'cancelSubscription'
> {
  return {
    async completeCheckout(id) {
      billing.completeCheckout(id);
      await settled();
    },
    async updateSubscription(id, change) {
      billing.updateSubscription(id, change);
      await settled();
    },
    async endPeriod(id) {
      billing.endPeriod(id);
      await settled();
    },
    async trialWillEnd(id) {
      billing.trialWillEnd(id);
      await settled();
    },
    async cancelSubscription(id) {
      billing.cancelSubscription(id);
      await settled();
    },
  };
}

/**
 * The answers asked before the meter routes: the meter error reports (`GET v2/core/events`), a test's own, then the
 * 400 for parameters the spec refuses (unknown, required and missing, outside an enum), before the request runs.
 */
function firstAnswer(
  method: string,
  url: URL,
  text: string,
  errorReports: StandInErrorReports,
  extend: StandInExtension | undefined,
  state: StandInState,
): { readonly status: number; readonly body: unknown } | undefined {
  if (method === 'GET' && url.pathname === '/v2/core/events') return errorReports.list(url);
  return extend?.(method, url, state) ?? paramRefusal(method, url.pathname, paramsOf(url, text));
}

/** A POST's saved answer for its `Idempotency-Key` (stripe-standin-idempotency.ts), else `run`'s. */
function replayOr(
  layer: ReturnType<typeof idempotencyLayer>,
  req: IncomingMessage,
  url: URL,
  text: string,
  run: () => { readonly status: number; readonly body: unknown },
) {
  const key = req.headers['idempotency-key'];
  const params = [...new URLSearchParams(text).entries()].sort().join('&');
  return layer.answer(
    req.method ?? 'GET',
    url.pathname,
    params,
    typeof key === 'string' ? key : undefined,
    run,
  );
}

/** A request's parameters: its query string's and its form body's (stripe-node sends a DELETE's in the query). */
function paramsOf(url: URL, text: string): URLSearchParams {
  const out = new URLSearchParams(url.searchParams);
  if (text !== '' && !text.trimStart().startsWith('{'))
    for (const [k, v] of new URLSearchParams(text)) out.append(k, v);
  return out;
}

/** The billing objects' answer (stripe-standin-billing.ts), or Stripe's 404 for a URL it does not serve. */
function billingAnswer(
  method: string,
  url: URL,
  text: string,
  billing: StandInBilling,
): { readonly status: number; readonly body: unknown } {
  const params = method === 'GET' ? url.searchParams : new URLSearchParams(text);
  return (
    billing.handle(method, url.pathname, params) ?? {
      status: 404,
      body: {
        error: {
          type: 'invalid_request_error',
          message: `Unrecognized request URL (${method} ${url.pathname}).`,
        },
      },
    }
  );
}

/**
 * The headers Stripe puts on every API answer: `Request-Id` ("Each API request has an associated request identifier
 * … in the response headers, under Request-Id", API reference, "Request IDs"; stripe-node reads it into an error's
 * `requestId`), `Stripe-Version` (the version the request ran at: the `Stripe-Version` it sent, else the account's
 * default — API reference, "Versioning") and, for a request sent with an `Idempotency-Key`, that key back.
 */
function stripeHeaders(req: IncomingMessage, n: number): Record<string, string> {
  const version = req.headers['stripe-version'];
  const key = req.headers['idempotency-key'];
  return {
    'request-id': `req_standin${String(n).padStart(8, '0')}`,
    'stripe-version': typeof version === 'string' && version ? version : '2026-10-28.endive',
    ...(typeof key === 'string' && key ? { 'idempotency-key': key } : {}),
  };
}

/** Updates held back until a later one is applied (`faults.holdItemUpdates`), 10 s at most. */
function holdQueue(): { wait(): Promise<void>; release(): void } {
  const waiting: (() => void)[] = [];
  return {
    wait: () =>
      new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, 10_000);
        waiting.push(() => {
          clearTimeout(timer);
          resolve();
        });
      }),
    release: () => {
      for (const go of waiting.splice(0)) setImmediate(go);
    },
  };
}

/** Resolves once the queue `current()` gives stops changing: deliveries queued while waiting included. */
async function drain(current: () => Promise<void>): Promise<void> {
  let last: Promise<void> | undefined;
  while (last !== current()) {
    last = current();
    await last;
  }
}

function read(req: IncomingMessage): Promise<string> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      resolve(Buffer.concat(chunks).toString('utf8'));
    });
  });
}

const page = (res: ServerResponse, title: string, body: string) => {
  res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
  res.end(`<!doctype html><title>${title}</title><h1>${title}</h1>${body}`);
};
const redirect = (res: ServerResponse, to: unknown) => {
  res.writeHead(303, { location: typeof to === 'string' && to ? to : '/' });
  res.end();
};

// Checkout's page (`/c/pay/{id}`: a Pay button completes the session, then the success URL) and the portal's
// (`/p/session/{id}`: a Cancel button cancels the customer's subscriptions, then the return URL).
async function hostedPage(
  method: string,
  url: URL,
  billing: StandInBilling,
  res: ServerResponse,
  delivering: () => Promise<void>,
): Promise<boolean> {
  const pay = /^\/c\/pay\/(cs_[A-Za-z0-9]+)$/.exec(url.pathname)?.[1];
  const session = pay !== undefined ? billing.sessionAt(pay) : undefined;
  // An expired session's page takes no payment (stripe-standin-expiry.ts).
  const over = () => {
    page(res, 'Stripe Checkout (stand-in)', '<p>This Checkout Session is no longer active.</p>');
  };
  if (session && method === 'GET') {
    if (session['status'] === 'expired') over();
    else
      page(
        res,
        'Stripe Checkout (stand-in)',
        `<form method="post"><button type="submit">Pay</button></form>`,
      );
    return true;
  }
  if (pay !== undefined && session && method === 'POST') {
    if (billing.completeCheckout(pay)['status'] !== 'complete') {
      over();
      return true;
    }
    await delivering();
    redirect(res, session['success_url']);
    return true;
  }
  const portal = /^\/p\/session\/(bps_[A-Za-z0-9]+)(\/cancel)?$/.exec(url.pathname);
  const p = portal?.[1] !== undefined ? billing.portals.get(portal[1]) : undefined;
  if (p && method === 'GET' && !portal?.[2]) {
    page(
      res,
      'Customer portal (stand-in)',
      `<form method="post" action="${url.pathname}/cancel"><button type="submit">Cancel plan</button></form>`,
    );
    return true;
  }
  if (p && method === 'POST' && portal?.[2]) {
    for (const s of billing.subscriptions.values())
      if (s['customer'] === p['customer'] && s['status'] !== 'canceled')
        billing.cancelSubscription(s['id'] as string);
    await delivering();
    redirect(res, p['return_url']);
    return true;
  }
  return false;
}
