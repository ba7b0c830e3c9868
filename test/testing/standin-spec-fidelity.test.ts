// The stand-ins of @atakora/component/testing held to the services' machine-readable specifications, for every call
// the runtime and the CLI make: Stripe's OpenAPI (github.com/stripe/openapi, v2596 — the version stripe-node 23.1.0
// pins) and Microsoft's SaaS Fulfillment v2 and Metering OpenAPI documents (github.com/microsoft/
// commercial-marketplace-openapi). The slices of both are vendored in fixtures/ with their source and commit; each
// check below is a claim the spec makes and the stand-in must keep — a parameter the operation does not take refused,
// a required one missing refused, the answers' fields of the spec's types — and the divergences found (docs/testing.md)
// each have a case that failed on the old stand-in.
import { readFileSync } from 'node:fs';
import Stripe from 'stripe';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MARKETPLACE_API_APP_ID } from '../../src/model/marketplace.js';
import { stripeSender } from '../../src/runtime/billing/atakora-billing.js';
import { meterPrices } from '../../src/runtime/billing/stripe-reads.js';
import { marketplaceHttp } from '../../src/runtime/marketplace/marketplace-http.js';
import {
  type MarketplaceStandIn,
  startMarketplaceStandIn,
} from '../../src/testing/marketplace-standin.js';
import { STRIPE_OPERATION_PARAMS } from '../../src/testing/spec/stripe-params.js';
import { type StripeStandIn, startStripeStandIn } from '../../src/testing/stripe-standin.js';
import { openApiMismatches, type StripeObjectSpec, stripeMismatches } from './spec-shape.js';

type Json = Record<string, unknown>;
const load = (name: string) =>
  JSON.parse(readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8')) as Json;

interface StripeSlice {
  readonly error: StripeObjectSpec;
  readonly operations: Record<
    string,
    { params: Record<string, { required: boolean; enum?: string[] }>; response: string }
  >;
  readonly objects: Record<string, StripeObjectSpec>;
}
const stripeSpec = load('stripe-openapi-slice.json') as unknown as StripeSlice;

describe('the Stripe stand-in against Stripe OpenAPI v2596', () => {
  const KEY = 'sk_test_spec';
  let standIn: StripeStandIn;
  let stripe: Stripe;
  beforeAll(async () => {
    standIn = await startStripeStandIn({
      key: KEY,
      meters: ['api_requests'],
      prices: [
        { id: 'price_pro', unitAmount: 2900 },
        {
          id: 'price_req',
          meter: 'api_requests',
          tiersMode: 'graduated',
          tiers: [
            { upTo: 1000, unitAmountDecimal: '0' },
            { upTo: null, unitAmountDecimal: '0.5' },
          ],
        },
      ],
    });
    const { port } = new URL(standIn.base);
    stripe = new Stripe(KEY, { host: '127.0.0.1', port: Number(port), protocol: 'http' });
  });
  afterAll(() => standIn?.close());

  /** A raw call, as the SDK sends it: form-encoded, the key as a bearer token (a DELETE's parameters in the query). */
  const raw = async (operation: string, params: string) => {
    const [method = '', template = ''] = operation.split(' ');
    const path = template.replace(/\{[^}]+\}/g, 'x_spec');
    const inQuery = method === 'GET' || method === 'DELETE';
    const res = await fetch(`${standIn.base}${path}${inQuery ? `?${params}` : ''}`, {
      method,
      headers: {
        authorization: `Bearer ${KEY}`,
        'content-type': 'application/x-www-form-urlencoded',
      },
      ...(inQuery ? {} : { body: params }),
    });
    return { res, body: (await res.json()) as { error?: Json } };
  };

  /** A value the operation's required parameter takes (the names the spec requires of the calls we make). */
  const sample: Record<string, string> = {
    event_name: 'event_name=api_requests',
    payload: 'payload[stripe_customer_id]=cus_spec&payload[value]=1',
    customer: 'customer=cus_spec',
    start_time: 'start_time=0',
    end_time: 'end_time=3600',
  };

  it("keeps the spec's parameter list for every operation we call", () => {
    const table = Object.fromEntries(
      Object.keys(stripeSpec.operations).map((op) => {
        const [method, path = ''] = op.split(' ');
        const concrete = path.replace(/\{[^}]+\}/g, 'x_spec');
        const mine = STRIPE_OPERATION_PARAMS.find(
          (o) => o.method === method && o.path.test(concrete),
        );
        return [op, mine ? { params: mine.params, required: mine.required } : undefined];
      }),
    );
    const spec = Object.fromEntries(
      Object.entries(stripeSpec.operations).map(([op, o]) => [
        op,
        {
          params: Object.keys(o.params).sort(),
          required: Object.keys(o.params).filter((p) => o.params[p]?.required),
        },
      ]),
    );
    expect(table).toEqual(spec);
  });

  it('refuses a parameter the operation does not take: 400 parameter_unknown, in the error shape', async () => {
    for (const op of Object.keys(stripeSpec.operations)) {
      const required = Object.entries(stripeSpec.operations[op]?.params ?? {})
        .filter(([, p]) => p.required)
        .map(([name]) => sample[name] ?? '');
      const { res, body } = await raw(op, [...required, 'atakora_unknown=1'].join('&'));
      expect([op, res.status, body.error?.['code'], body.error?.['param']]).toEqual([
        op,
        400,
        'parameter_unknown',
        'atakora_unknown',
      ]);
      expect(stripeMismatches(body.error, stripeSpec.error)).toEqual([]);
      expect(res.headers.get('request-id')).toMatch(/^req_/);
    }
  });

  it('refuses each required parameter left out: 400 parameter_missing naming it', async () => {
    for (const [op, o] of Object.entries(stripeSpec.operations)) {
      const required = Object.keys(o.params).filter((p) => o.params[p]?.required);
      for (const left of required) {
        const rest = required.filter((p) => p !== left).map((p) => sample[p] ?? '');
        const { res, body } = await raw(op, rest.join('&'));
        expect([op, left, res.status, body.error?.['code'], body.error?.['param']]).toEqual([
          op,
          left,
          400,
          'parameter_missing',
          left,
        ]);
      }
    }
  });

  it("refuses a value outside an enum of a parameter we send (invoice payments' status)", async () => {
    const { res, body } = await raw('GET /v1/invoice_payments', 'invoice=in_x&status=settled');
    expect([res.status, body.error?.['param']]).toEqual([400, 'status']);
  });

  it("answers each call the runtime makes with the spec's fields and types", async () => {
    const check = (object: string, value: unknown) => {
      const spec = stripeSpec.objects[object];
      if (!spec) throw new Error(`no ${object} in the slice`);
      // As it came over the wire: stripe-node 23 reads decimal strings into its Decimal.
      const json: unknown = JSON.parse(JSON.stringify(value));
      expect([object, stripeMismatches(json, spec)]).toEqual([object, []]);
    };
    const customer = await stripe.customers.create({ metadata: { atakora_tenant: 'acme' } });
    check('customer', customer);
    // The runtime's checkout (stripe-subscriptions-sdk.ts sessionCalls), parameter for parameter.
    const session = await stripe.checkout.sessions.create({
      mode: 'subscription',
      line_items: [{ price: 'price_pro', quantity: 2 }, { price: 'price_req' }],
      client_reference_id: 'acme',
      customer: customer.id,
      success_url: 'http://localhost/ok',
      cancel_url: 'http://localhost/no',
      metadata: { atakora_tenant: 'acme' },
      subscription_data: { metadata: { atakora_tenant: 'acme' }, trial_period_days: 7 },
    });
    check('checkout.session', session);
    await standIn.completeCheckout(session.id);
    const paid = await stripe.checkout.sessions.retrieve(session.id);
    check('checkout.session', paid);
    const sub = await stripe.subscriptions.retrieve(String(paid.subscription));
    check('subscription', sub);
    for (const item of sub.items.data) {
      check('subscription_item', item);
      check('price', item.price);
    }
    const item = sub.items.data[0];
    if (!item) throw new Error('no item');
    check('subscription_item', await stripe.subscriptionItems.update(item.id, { quantity: 3 }));
    check(
      'subscription',
      await stripe.subscriptions.update(sub.id, { cancel_at_period_end: true }),
    );
    check(
      'billing_portal.session',
      await stripe.billingPortal.sessions.create({
        customer: customer.id,
        return_url: 'http://x/',
      }),
    );
    for (const p of (await stripe.prices.list({ active: true, limit: 100, expand: ['data.tiers'] }))
      .data)
      check('price', p);
    check('price', await stripe.prices.retrieve('price_req', { expand: ['tiers'] }));
    for (const m of (await stripe.billing.meters.list({ limit: 100 })).data)
      check('billing.meter', m);
    const at = Math.floor(Date.now() / 3_600_000) * 3600;
    check(
      'billing.meter_event',
      await stripe.billing.meterEvents.create({
        event_name: 'api_requests',
        identifier: 'spec-1',
        timestamp: at + 60,
        payload: { stripe_customer_id: customer.id, value: '5' },
      }),
    );
    const meterId = (await stripe.billing.meters.list({ limit: 100 })).data[0]?.id ?? '';
    const summaries = await stripe.billing.meters.listEventSummaries(meterId, {
      customer: customer.id,
      start_time: at,
      end_time: at + 3600,
      value_grouping_window: 'hour',
      limit: 100,
    });
    expect(summaries.data.length).toBe(1);
    for (const s of summaries.data) check('billing.meter_event_summary', s);
    const invoice = String(sub.latest_invoice);
    for (const p of (await stripe.invoicePayments.list({ invoice, status: 'paid' })).data)
      check('invoice_payment', p);
    const open = await stripe.checkout.sessions.create({
      mode: 'subscription',
      line_items: [{ price: 'price_pro', quantity: 1 }],
      success_url: 'http://localhost/ok',
    });
    check('checkout.session', await stripe.checkout.sessions.expire(open.id));
    check('subscription', await stripe.subscriptions.cancel(sub.id));
  });

  it('groups meter event summaries as value_grouping_window says: none is one summary of the whole range', async () => {
    const customer = await stripe.customers.create({});
    const hour = Math.floor(Date.now() / 3_600_000) * 3600 - 7200;
    for (const [i, offset] of [60, 3660].entries())
      await stripe.billing.meterEvents.create({
        event_name: 'api_requests',
        identifier: `window-${customer.id}-${String(i)}`,
        timestamp: hour + offset,
        payload: { stripe_customer_id: customer.id, value: '2' },
      });
    const meterId = (await stripe.billing.meters.list({ limit: 100 })).data[0]?.id ?? '';
    const range = { customer: customer.id, start_time: hour, end_time: hour + 7200 };
    const whole = await stripe.billing.meters.listEventSummaries(meterId, range);
    // Failed on the old stand-in: two hourly summaries whatever the window.
    expect(whole.data.map((s) => [s.start_time, s.end_time, s.aggregated_value])).toEqual([
      [hour, hour + 7200, 4],
    ]);
    const hourly = await stripe.billing.meters.listEventSummaries(meterId, {
      ...range,
      value_grouping_window: 'hour',
    });
    expect(hourly.data.map((s) => s.aggregated_value)).toEqual([2, 2]);
    // Hourly summaries ask for hour boundaries (the old stand-in took any minute).
    await expect(
      stripe.billing.meters.listEventSummaries(meterId, {
        ...range,
        start_time: hour + 60,
        value_grouping_window: 'hour',
      }),
    ).rejects.toMatchObject({ statusCode: 400, param: 'start_time' });
    // The runtime's reader (`--check`, the export) asks hour by hour and reads each hour's value.
    const sender = stripeSender({ key: KEY, apiBase: standIn.base });
    const values = await sender.hourValues('api_requests', customer.id, hour, hour + 7200);
    expect([...values.entries()]).toEqual([
      [hour, 2],
      [hour + 3600, 2],
    ]);
  });

  it("shows a price's tiers only when expanded, and the runtime expands them", async () => {
    // Failed on the old stand-in: tiers shown unasked, so a reader that forgot the expand priced right here only.
    expect('tiers' in (await stripe.prices.retrieve('price_req'))).toBe(false);
    expect((await stripe.prices.retrieve('price_req', { expand: ['tiers'] })).tiers).toHaveLength(
      2,
    );
    const listed = await stripe.prices.list({ active: true });
    expect(listed.data.some((p) => 'tiers' in p)).toBe(false);
    const prices = await meterPrices(stripe);
    expect(prices.get('api_requests')?.[0]?.tiers).toHaveLength(2);
  });
});

interface MarketplaceSlice {
  readonly operations: Record<
    string,
    {
      params: Record<string, { in: string; required: boolean; enum?: string[] }>;
      responses: Record<string, string | null>;
    }
  >;
  readonly schemas: Record<string, Json>;
}
const marketplaceSpec = load('marketplace-openapi-slice.json') as unknown as MarketplaceSlice;

describe('the Marketplace stand-in against the SaaS Fulfillment v2 and Metering OpenAPI', () => {
  const TENANT = '72f988bf-86f1-41af-91ab-2d7cd011db47';
  const CLIENT = '5b1c7a3e-0000-4c2d-9e8f-1a2b3c4d5e6f';
  let standIn: MarketplaceStandIn;
  let token = '';
  beforeAll(async () => {
    standIn = await startMarketplaceStandIn({ publisherTenantId: TENANT, clientId: CLIENT });
    const res = await fetch(`${standIn.base}/${TENANT}/oauth2/v2.0/token`, {
      method: 'POST',
      body: new URLSearchParams({
        grant_type: 'client_credentials',
        client_id: CLIENT,
        client_secret: 's',
        scope: `${MARKETPLACE_API_APP_ID}/.default`,
      }),
    });
    token = ((await res.json()) as { access_token: string }).access_token;
  });
  afterAll(() => standIn?.close());

  /** A call as the runtime makes it (marketplace-http.ts), `api-version` as given (default the spec's one value). */
  const call = async (
    method: string,
    path: string,
    opts: { body?: unknown; headers?: Record<string, string>; query?: string } = {},
  ) => {
    const res = await fetch(
      `${standIn.base}/api${path}?${opts.query ?? 'api-version=2018-08-31'}`,
      {
        method,
        headers: {
          authorization: `Bearer ${token}`,
          'content-type': 'application/json',
          ...opts.headers,
        },
        ...(opts.body !== undefined ? { body: JSON.stringify(opts.body) } : {}),
      },
    );
    const text = await res.text();
    return { res, body: text === '' ? undefined : (JSON.parse(text) as unknown) };
  };

  /** The answer's status is one the spec lists for the operation, and its body conforms to that status's schema. */
  const conforms = (operation: string, status: number, body: unknown) => {
    const op = marketplaceSpec.operations[operation];
    if (!op) throw new Error(`no ${operation} in the slice`);
    expect([operation, Object.keys(op.responses)]).toEqual([
      operation,
      expect.arrayContaining([String(status)]),
    ]);
    const schema = op.responses[String(status)];
    if (schema)
      expect([
        operation,
        openApiMismatches(
          body,
          { $ref: `#/components/schemas/${schema}` },
          marketplaceSpec.schemas,
        ),
      ]).toEqual([operation, []]);
  };

  it("answers every call the runtime makes with a status the spec lists and the spec's types", async () => {
    const { subscriptionId, token: purchase } = standIn.purchase({ planId: 'seats', quantity: 5 });
    const resolved = await call('POST', '/saas/subscriptions/resolve', {
      headers: { 'x-ms-marketplace-token': purchase },
    });
    // Failed on the old stand-in: `quantity` "5", a string where the spec has an integer.
    conforms('POST /api/saas/subscriptions/resolve', resolved.res.status, resolved.body);
    const activated = await call('POST', `/saas/subscriptions/${subscriptionId}/activate`, {
      body: { planId: 'seats', quantity: 5 },
    });
    conforms(
      'POST /api/saas/subscriptions/{subscriptionId}/activate',
      activated.res.status,
      undefined,
    );
    expect(activated.res.status).toBe(200);
    const got = await call('GET', `/saas/subscriptions/${subscriptionId}`);
    conforms('GET /api/saas/subscriptions/{subscriptionId}', got.res.status, got.body);
    standIn.webhook = null;
    const { operation } = await standIn.changePlan(subscriptionId, 'seats-gold');
    const listed = await call('GET', `/saas/subscriptions/${subscriptionId}/operations`);
    conforms(
      'GET /api/saas/subscriptions/{subscriptionId}/operations',
      listed.res.status,
      listed.body,
    );
    const opPath = `/saas/subscriptions/${subscriptionId}/operations/${operation.id}`;
    const one = await call('GET', opPath);
    conforms(
      'GET /api/saas/subscriptions/{subscriptionId}/operations/{operationId}',
      one.res.status,
      one.body,
    );
    const patched = await call('PATCH', opPath, { body: { status: 'Success' } });
    expect(patched.res.status).toBe(200);
    const again = await call('PATCH', opPath, { body: { status: 'Success' } });
    conforms(
      'PATCH /api/saas/subscriptions/{subscriptionId}/operations/{operationId}',
      again.res.status,
      undefined,
    );
    expect(again.res.status).toBe(409);
    const unknown = await call(
      'GET',
      `/saas/subscriptions/${subscriptionId}/operations/${crypto.randomUUID()}`,
    );
    conforms(
      'GET /api/saas/subscriptions/{subscriptionId}/operations/{operationId}',
      unknown.res.status,
      undefined,
    );
    expect(unknown.res.status).toBe(404);
    const usage = await call('POST', '/batchUsageEvent', {
      body: {
        request: [
          {
            resourceId: subscriptionId,
            quantity: 3,
            dimension: 'api',
            effectiveStartTime: new Date(Date.now() - 3_600_000).toISOString(),
            planId: 'seats-gold',
          },
        ],
      },
    });
    conforms('POST /api/batchUsageEvent', usage.res.status, usage.body);
    const rows = await call('GET', '/usageEvents', {
      query: `api-version=2018-08-31&usageStartDate=${new Date(Date.now() - 86_400_000).toISOString()}`,
    });
    conforms('GET /api/usageEvents', rows.res.status, rows.body);
    // usageStartDate is required: failed on the old stand-in, which answered 200 [].
    const undated = await call('GET', '/usageEvents');
    conforms('GET /api/usageEvents', undated.res.status, undefined);
    expect(undated.res.status).toBe(400);
  });

  it('answers an operation without a quantity with none, never the empty string', async () => {
    const { subscriptionId } = standIn.purchase({ planId: 'flat' });
    await call('POST', `/saas/subscriptions/${subscriptionId}/activate`, {
      body: { planId: 'flat' },
    });
    standIn.webhook = null;
    const { operation } = await standIn.suspend(subscriptionId);
    const one = await call(
      'GET',
      `/saas/subscriptions/${subscriptionId}/operations/${operation.id}`,
    );
    // Failed on the old stand-in: "quantity": "".
    expect(
      openApiMismatches(
        one.body,
        { $ref: '#/components/schemas/SaaSOperation' },
        marketplaceSpec.schemas,
      ),
    ).toEqual([]);
  });

  it('refuses a missing or other api-version, the only one the spec allows being 2018-08-31', async () => {
    expect(
      marketplaceSpec.operations['GET /api/saas/subscriptions/{subscriptionId}']?.params[
        'api-version'
      ],
    ).toEqual({ in: 'query', required: true, enum: ['2018-08-31'] });
    const { subscriptionId } = standIn.purchase({ planId: 'flat' });
    for (const query of ['', 'api-version=2022-01-01'])
      expect(
        (await call('GET', `/saas/subscriptions/${subscriptionId}`, { query })).res.status,
      ).toBe(400);
  });

  it('sends back the x-ms-requestid and x-ms-correlationid it was sent, and makes new ones when none were', async () => {
    const { subscriptionId } = standIn.purchase({ planId: 'flat' });
    const sent = {
      'x-ms-requestid': crypto.randomUUID(),
      'x-ms-correlationid': crypto.randomUUID(),
    };
    const echoed = await call('GET', `/saas/subscriptions/${subscriptionId}`, { headers: sent });
    expect([
      echoed.res.headers.get('x-ms-requestid'),
      echoed.res.headers.get('x-ms-correlationid'),
    ]).toEqual([sent['x-ms-requestid'], sent['x-ms-correlationid']]);
    const made = await call('GET', `/saas/subscriptions/${subscriptionId}`);
    expect(made.res.headers.get('x-ms-requestid')).toMatch(/^[0-9a-f-]{36}$/);
  });

  it("takes Activate's quantity as the spec's integer only, and the runtime sends it so", async () => {
    const { subscriptionId } = standIn.purchase({ planId: 'seats', quantity: 4 });
    // The spec's SubscriberPlan.quantity is int64: "4" is refused (the old stand-in took it, as the runtime sent it).
    const asText = await call('POST', `/saas/subscriptions/${subscriptionId}/activate`, {
      body: { planId: 'seats', quantity: '4' },
    });
    expect(asText.res.status).toBe(400);
    const client = marketplaceHttp({
      api: standIn.base,
      login: standIn.base,
      tenantId: TENANT,
      clientId: CLIENT,
      secret: 's',
    });
    // Failed with the old runtime against this stand-in: 'refused' (it sent quantity "4").
    expect(await client.activate(subscriptionId, { planId: 'seats', quantity: 4 })).toBe(
      'activated',
    );
  });
});
