/**
 * What `atakora usage` tells of Stripe, against a real local Cosmos DB server and the loopback Stripe stand-in through
 * the official SDK: `--billing --check` proves the key's permissions one call each (a restricted key without one is
 * BILLING_KEY_PERMISSION_MISSING naming it, as Stripe named it; nothing written by the probes); the hour a
 * subscription starts in is stamped at its start, so Stripe's own preview bills it; `--month` shows that preview
 * apart from our calendar estimate; `--check` right after `usage export --close-hour` compares the hours just sent
 * and says which, and an hour Stripe has not aggregated yet is said to be so — never "Equal" over nothing.
 */
import type { Container } from '@azure/cosmos';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { BillingReconciliation } from '../../src/cli/logs/usage-billing.js';
import type { LedgerUsage } from '../../src/cli/logs/usage-ledger-report.js';
import { stripeSender } from '../../src/runtime/billing/atakora-billing.js';
import { cosmosBillingStore } from '../../src/runtime/billing/billing-store.js';
import { exportUsage } from '../../src/runtime/billing/export-usage.js';
import { hourItem, zeroHour } from '../../src/runtime/usage/usage-items.js';
import { startStripeStandIn, type StripeStandIn } from '../../src/testing/stripe-standin.js';
import { tlsStandInFile } from './support/cosmos-cli.js';

const entry = 'test/cli/fixtures/billing-backend.ts';
const KEY = 'sk_test_51HcliStripeFidelity00042';
/** A restricted key holding every permission the fixture's billing needs but Invoices: Read. */
const NO_INVOICES = 'rk_test_51HcliRestrictedNoInvoices7';
/** A restricted key that may read meters but not send meter events. */
const NO_EVENTS = 'rk_test_51HcliRestrictedNoEvents0009';
/** The restricted key docs/billing.md listed before round 13: every row but Subscriptions: Write. */
const ROUND_12_KEY = 'rk_test_51HcliRestrictedRound12Doc01';
const HOUR = 3_600_000;
const hourKey = (ago: number) =>
  new Date(Math.floor(Date.now() / HOUR) * HOUR - ago * HOUR).toISOString().slice(0, 13);
const billing = {
  secret: 'STRIPE_KEY',
  meters: { requests: 'api_requests', requestUnits: 'request_units' },
} as const;
const ALL_BUT_INVOICES = [
  'rak_billing_meter_event_write',
  'rak_billing_meter_read',
  'rak_event_read',
  'rak_plan_read',
  'rak_checkout_session_write',
  'rak_portal_session_write',
  'rak_customer_write',
  'rak_subscription_read',
  'rak_subscription_write',
  'rak_refund_write',
];

const { local, run: cli } = tlsStandInFile('atakora-billing-stripe-', 'usage');
let usage: Container;
let tenants: Container;
let stripe: StripeStandIn;
const run = async (...args: string[]) => {
  const r = await cli(...args);
  for (const k of [KEY, NO_INVOICES, NO_EVENTS, ROUND_12_KEY])
    expect(r.out + r.err).not.toContain(k);
  return r;
};
/** `atakora usage --billing --check` of `tenant` in the test environment (`json`: with `--json`). */
const check = (tenant: string, json = false) =>
  run(
    entry,
    '--billing',
    '--check',
    '--environment',
    'test',
    '--tenant',
    tenant,
    ...(json ? ['--json'] : []),
  );
/** `atakora usage --month` of upgrader in the test environment (`json`: with `--json`). */
const monthOf = (month: string, json = false) =>
  run(
    entry,
    '--month',
    month,
    '--environment',
    'test',
    '--tenant',
    'upgrader',
    ...(json ? ['--json'] : []),
  );
const exportNow = (tenant?: string, closeOpenHour = false, standIn = stripe) =>
  exportUsage({
    backendId: 'billed',
    environment: 'test',
    billing,
    store: {
      ...cosmosBillingStore(tenants, usage),
      customers: async () =>
        (await cosmosBillingStore(tenants, usage).customers()).filter(
          (c) => tenant === undefined || c.tenant === tenant,
        ),
    },
    sender: stripeSender({ key: KEY, apiBase: standIn.base }),
    closeOpenHour,
  });

/** A tenant on a subscription the stand-in holds, started now (mid-hour), as the webhook records it. */
async function subscribed(standIn: StripeStandIn, id: string) {
  const customer = standIn.billing.createCustomer({ name: id })['id'] as string;
  const sub = standIn.billing.createSubscription(customer, ['price_Pro', 'price_Req']);
  const item = (sub['items'] as { data: Record<string, number>[] }).data[0] ?? {};
  const iso = (s: number | undefined) => new Date((s ?? 0) * 1000).toISOString();
  const at = new Date(Date.now() - 2 * 24 * HOUR).toISOString();
  await tenants.items.create({
    id,
    plan: 'pro',
    status: 'active',
    billing: {
      stripeCustomerId: customer,
      subscription: {
        id: sub['id'],
        status: 'active',
        price: 'price_Pro',
        currentPeriodStart: iso(item['current_period_start']),
        currentPeriodEnd: iso(item['current_period_end']),
      },
    },
    createdOn: at,
    updatedOn: at,
  });
  return { customer, sub: sub['id'] as string, start: item['current_period_start'] ?? 0 };
}

const prices = [
  { id: 'price_Pro', product: 'prod_Pro', unitAmountDecimal: '2900' },
  { id: 'price_Req', product: 'prod_Pro', meter: 'api_requests', unitAmountDecimal: '0.5' },
];

beforeAll(async () => {
  usage = await local().container('atakora', 'usage', '/tenant');
  tenants = await local().container('atakora', 'tenants', '/id');
  stripe = await startStripeStandIn({
    key: KEY,
    meters: ['api_requests', 'request_units'],
    prices,
    restrictedKeys: {
      [NO_INVOICES]: ALL_BUT_INVOICES,
      [NO_EVENTS]: ['rak_billing_meter_read'],
      [ROUND_12_KEY]: [
        ...ALL_BUT_INVOICES.filter((p) => p !== 'rak_subscription_write'),
        'rak_invoice_read',
      ],
    },
  });
  process.env['STRIPE_API_BASE'] = stripe.base;
});
afterEach(() => {
  delete process.env['STRIPE_KEY'];
});
afterAll(async () => {
  delete process.env['STRIPE_API_BASE'];
  await stripe.close();
});

describe('the upgrade hour, Stripe’s preview and our estimate', () => {
  it('stamps the hour a subscription starts in at its start: Stripe’s preview bills that hour; --month shows the preview apart from ours', async () => {
    const { start } = await subscribed(stripe, 'upgrader');
    // Before the subscription (two hours ago) and in its first hour (this one, in progress).
    await usage.items.create(
      hourItem('upgrader', hourKey(2), 'i-1', { ...zeroHour(), requests: 7 }),
    );
    await usage.items.create(
      hourItem('upgrader', hourKey(0), 'i-1', { ...zeroHour(), requests: 40 }),
    );
    const report = await exportNow('upgrader', true);
    // Requests only: no request units were used, and a zero hour sends nothing.
    expect(report).toMatchObject({ sent: 2, refused: 0 });
    const sent = stripe.events.filter(
      (e) => e.payload.value !== '0' && e.identifier.includes(':upgrader:'),
    );
    const stamp = (h: string) =>
      sent.find((e) => e.identifier === `billed:test:upgrader:${h}:requests`)?.timestamp;
    // The hour before: its start, outside the period (never billed). The upgrade hour: the period's start.
    expect(stamp(hourKey(2))).toBe(Date.parse(`${hourKey(2)}:00:00.000Z`) / 1000);
    expect(stamp(hourKey(0))).toBe(Math.max(start, Date.parse(`${hourKey(0)}:00:00.000Z`) / 1000));

    process.env['STRIPE_KEY'] = KEY;
    const month = new Date().toISOString().slice(0, 7);
    const r = await monthOf(month, true);
    expect(r.code).toBe(0);
    const t = (JSON.parse(r.out) as LedgerUsage).tenants.find((x) => x.tenant === 'upgrader');
    // Stripe's own figure: the $29 fee in advance and the 40 requests of the upgrade hour at half a cent.
    expect(t?.stripeInvoice).toMatchObject({
      source: 'stripe-preview',
      currency: 'usd',
      total: 29.2,
      amountDue: 29.2,
    });
    const lines = t?.stripeInvoice && 'lines' in t.stripeInvoice ? t.stripeInvoice.lines : [];
    expect(lines.map((l) => [l.price, l.quantity, l.amount])).toEqual([
      ['price_Pro', 1, 29],
      ['price_Req', 40, 0.2],
    ]);
    // Ours, apart: the calendar month's 47 requests (the hour before the subscription priced too).
    expect(t?.invoice?.lines.find((l) => l.item === 'requests')?.quantity).toBe(47);
    const text = await monthOf(month);
    expect(text.out).toMatch(/Stripe’s preview of the next invoice \(sub_test\d+\), period /);
    expect(text.out).toContain('Stripe’s total: 29.20 USD');
    expect(text.out).toContain(
      'our estimate (the calendar month at Stripe’s prices, recomputed by us',
    );
    expect(text.out).toMatch(/STRIPE NEXT/);
  });

  it('--check right after export --close-hour compares the hour just sent, and says which hours it compared', async () => {
    process.env['STRIPE_KEY'] = KEY;
    const r = await check('upgrader', true);
    const report = JSON.parse(r.out) as BillingReconciliation;
    expect(r.code).toBe(0);
    const requests = report.tenants[0]?.meters.find((m) => m.meter === 'requests');
    // The hour in progress was sent by --close-hour: it is in the window and compared with Stripe's summary.
    expect(requests?.compared).toEqual([`${hourKey(2)}:00:00.000Z`, `${hourKey(0)}:00:00.000Z`]);
    expect(requests).toMatchObject({ ledger: 47, sent: 47, stripe: 47, hours: [] });
    expect(report.to).toBe(
      `${new Date(Math.floor(Date.now() / HOUR) * HOUR + HOUR).toISOString().slice(0, 13)}:00:00.000Z`,
    );
    expect(report.stripeCompared).toMatchObject({ hours: 2, notYet: 0 });
    const text = await check('upgrader');
    expect(text.out).toContain('Compared with Stripe’s meter event summaries: 2 sent hour(s)');
    expect(text.out).toContain(`${hourKey(0)}:00Z`);
    expect(text.out).toMatch(/\nEqual: every hour/);
  });

  it('an hour Stripe has not aggregated yet is said to be so: neither a difference nor a silent Equal', async () => {
    const slow = await startStripeStandIn({
      key: KEY,
      meters: ['api_requests', 'request_units'],
      prices,
      summaryLagMs: HOUR,
    });
    try {
      await subscribed(slow, 'lagging');
      await usage.items.create(
        hourItem('lagging', hourKey(0), 'i-1', { ...zeroHour(), requests: 5 }),
      );
      await exportNow('lagging', true, slow);
      process.env['STRIPE_KEY'] = KEY;
      process.env['STRIPE_API_BASE'] = slow.base;
      const r = await check('lagging', true);
      const report = JSON.parse(r.out) as BillingReconciliation;
      expect([r.code, report.equal]).toEqual([0, true]);
      expect(report.tenants[0]?.meters.find((m) => m.meter === 'requests')?.hours).toEqual([
        {
          hour: `${hourKey(0)}:00:00.000Z`,
          ledger: 5,
          sent: 5,
          stripe: 0,
          state: 'stripe-pending',
        },
      ]);
      expect(report.stripeCompared).toMatchObject({ hours: 1, notYet: 1 });
      const text = await check('lagging');
      expect(text.out).toContain('are not in Stripe’s summaries yet');
      expect(text.out).toContain('Equal so far');
    } finally {
      process.env['STRIPE_API_BASE'] = stripe.base;
      await slow.close();
    }
  });
});

describe('the key’s permissions', () => {
  it('a key with every permission: each probed once, all ok, nothing written', async () => {
    process.env['STRIPE_KEY'] = KEY;
    const before = {
      events: stripe.events.length,
      sessions: stripe.billing.sessions.size,
      portals: stripe.billing.portals.size,
    };
    const r = await check('upgrader', true);
    const report = JSON.parse(r.out) as BillingReconciliation;
    expect(r.code).toBe(0);
    expect(report.permissions?.map((p) => [p.permission, p.state])).toEqual([
      ['Billing meter events: Write', 'granted'],
      ['Billing meters: Read', 'granted'],
      ['Events: Read', 'granted'],
      ['Prices: Read', 'granted'],
      ['Invoices: Read', 'granted'],
      ['Checkout Sessions: Write', 'granted'],
      ['Customer portal: Write', 'granted'],
      ['Customers: Write', 'granted'],
      ['Subscriptions: Read', 'granted'],
      ['Subscriptions: Write', 'granted'],
      ['Refunds: Write', 'granted'],
    ]);
    expect({
      events: stripe.events.length,
      sessions: stripe.billing.sessions.size,
      portals: stripe.billing.portals.size,
    }).toEqual(before);
  });

  it('a restricted key without Invoices: Read: BILLING_KEY_PERMISSION_MISSING naming it and what needs it, Stripe’s name with it', async () => {
    process.env['STRIPE_KEY'] = NO_INVOICES;
    const r = await check('upgrader', true);
    expect([r.code, r.err.includes('BILLING_KEY_PERMISSION_MISSING')]).toEqual([1, true]);
    expect(r.err).toContain('Invoices: Read');
    expect(r.err).toContain('rak_invoice_read');
    const report = JSON.parse(r.out) as BillingReconciliation;
    expect(report.permissions?.filter((p) => p.state !== 'granted')).toEqual([
      expect.objectContaining({
        id: 'invoices-read',
        permission: 'Invoices: Read',
        state: 'missing',
        stripe: 'rak_invoice_read',
        neededBy: [
          'atakora usage --month (Stripe’s invoice preview and prices)',
          'GET api/tenant/billing (this period’s invoice preview)',
          'POST api/billing/stripe (the webhook reads the object back, refunds a refused Checkout)',
        ],
      }),
    ]);
    // The reconciliation still ran against Stripe (meters may be read): only the missing permission fails it.
    expect([report.checked, report.equal]).toEqual([true, true]);
    const text = await check('upgrader');
    expect(text.out).toMatch(
      /MISSING\s+Invoices: Read\s+for atakora usage --month .* — Stripe: needs rak_invoice_read/,
    );
    expect(text.out).toMatch(/ok\s+Billing meter events: Write/);
  });

  it('the key docs/billing.md listed before (no Subscriptions: Write): --check names the permission per-seat quantities and an Owner’s delete write with', async () => {
    process.env['STRIPE_KEY'] = ROUND_12_KEY;
    const r = await check('upgrader', true);
    expect([r.code, r.err.includes('BILLING_KEY_PERMISSION_MISSING')]).toEqual([1, true]);
    const report = JSON.parse(r.out) as BillingReconciliation;
    expect(report.permissions?.filter((p) => p.state !== 'granted')).toEqual([
      expect.objectContaining({
        id: 'subscriptions-write',
        permission: 'Subscriptions: Write',
        state: 'missing',
        stripe: 'rak_subscription_write',
        neededBy: [expect.stringContaining('per-seat quantities')],
        // Stripe's Request-Id of the refusal, for its support and request logs.
        request: expect.stringMatching(/^req_/),
      }),
    ]);
    // The probe wrote nothing: no subscription item changed.
    expect(stripe.billing.quantityChanges).toEqual([]);
  });

  it('a key that may not send meter events: the export stops naming the permission, nothing sent', async () => {
    await usage.items.create(
      hourItem('upgrader', hourKey(3), 'i-1', { ...zeroHour(), requests: 2 }),
    );
    const taken = stripe.events.length;
    const report = await exportUsage({
      backendId: 'billed',
      environment: 'test',
      billing,
      store: cosmosBillingStore(tenants, usage),
      sender: stripeSender({ key: NO_EVENTS, apiBase: stripe.base }),
    });
    expect(report.stopped).toMatch(
      /lacks Stripe's permission Billing meter events: Write: 403 .*rak_billing_meter_event_write/,
    );
    expect(report.stopped).not.toContain(NO_EVENTS);
    expect(stripe.events.length).toBe(taken);
  });
});
