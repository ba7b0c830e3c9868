/**
 * `atakora usage export` and `atakora usage --billing [--check]` on a real local Cosmos DB server (verified TLS, the
 * real @azure/cosmos client) and a loopback Stripe stand-in reached through the official `stripe` SDK
 * (STRIPE_API_BASE): the export sends each closed hour once and a second run nothing, an outage exits 1 and leaves
 * the rest for the next run, the key is never printed; the reconciliation is equal after an export, shows a ledger
 * changed after its hour was sent, and `--check` reads Stripe's meter event summaries. `--month` reads a calendar
 * month and shows each tenant's plan fee beside its metered cost.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Container } from '@azure/cosmos';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { loopbackCertificate } from '../../src/cli/dev/loopback/loopback-certificate.js';
import type { BillingReconciliation } from '../../src/cli/logs/usage-billing.js';
import type { LedgerUsage } from '../../src/cli/logs/usage-ledger-report.js';
import { hourItem, zeroHour } from '../../src/runtime/usage/usage-items.js';
import { startTlsCosmos, type TlsCosmos } from '../support/tls-cosmos.js';
import { startStripeStandIn } from '../../src/testing/stripe-standin.js';
import { cliOnStandIn } from './support/cosmos-cli.js';

const entry = 'test/cli/fixtures/billing-backend.ts';
const KEY = 'sk_test_51HcliBillingStandInKey0042';
const HOUR = 3_600_000;
const A = '72f988bf-0000-4000-8000-0000000000aa';
const B = '72f988bf-0000-4000-8000-0000000000bb';
const hourKey = (ago: number) =>
  new Date(Math.floor(Date.now() / HOUR) * HOUR - ago * HOUR).toISOString().slice(0, 13);

const dir = mkdtempSync(join(tmpdir(), 'atakora-billing-'));
const tls = loopbackCertificate(dir);
let local: TlsCosmos;
let usage: Container;
let stripe: Awaited<ReturnType<typeof startStripeStandIn>>;
const saved = { ...process.env };
const cli = cliOnStandIn(() => local.endpoint, tls.certFile, 'usage');
const run = async (...args: string[]) => {
  const r = await cli(...args);
  // The key is never printed, whatever the command did.
  expect(r.out + r.err).not.toContain(KEY);
  return r;
};

/** `atakora usage --billing --check` in the test environment, with `more` arguments. */
const check = (...more: string[]) =>
  run(entry, '--billing', '--check', '--environment', 'test', ...more);

beforeAll(async () => {
  local = await startTlsCosmos(tls);
  usage = await local.container('atakora', 'usage', '/tenant');
  const tenants = await local.container('atakora', 'tenants', '/id');
  // The records are a day old: the export sends a tenant's hours from the hour its record was created in.
  const now = new Date(Date.now() - 24 * HOUR).toISOString();
  for (const [id, plan, status, customer] of [
    [A, 'pro', 'active', 'cus_Alpha1'],
    [B, 'free', 'suspended', 'cus_Beta2'],
  ] as const)
    await tenants.items.create({
      id,
      plan,
      status,
      billing: { stripeCustomerId: customer },
      createdOn: now,
      updatedOn: now,
    });
  const h = (t: string, ago: number, c: object) =>
    usage.items.create(hourItem(t, hourKey(ago), 'i-1', { ...zeroHour(), ...c }));
  await h(A, 3, { requests: 30, ru: 12.4 });
  await h(A, 2, { requests: 3, ru: 1 });
  await h(B, 2, { requests: 8, ru: 4 });
  // The open hour: counted by the ledger, never exported before it closes.
  await h(A, 0, { requests: 500, ru: 50 });
  stripe = await startStripeStandIn({
    key: KEY,
    meters: ['api_requests', 'request_units'],
    // The plan's price ($29 a month) and a price on each meter: half a cent a request, a cent per 10 RU begun.
    // cus_Gone's events are taken, then refused (Stripe's meter error report): the last test's tenant.
    refuseCustomers: ['cus_Gone'],
    prices: [
      { id: 'price_Pro', product: 'prod_Pro', unitAmountDecimal: '2900' },
      { id: 'price_Req', product: 'prod_Pro', meter: 'api_requests', unitAmountDecimal: '0.5' },
      {
        id: 'price_Ru',
        product: 'prod_Pro',
        meter: 'request_units',
        unitAmountDecimal: '1',
        transformQuantity: { divideBy: 10, round: 'up' },
      },
      { id: 'price_Old', meter: 'api_requests', unitAmountDecimal: '9', active: false },
    ],
  });
  process.env['STRIPE_API_BASE'] = stripe.base;
});
afterEach(() => {
  for (const k of [
    'ATAKORA_COSMOS_ENDPOINT',
    'ATAKORA_COSMOS_CA',
    'ATAKORA_ARM_TOKEN',
    'STRIPE_KEY',
  ])
    if (saved[k] === undefined) delete process.env[k];
    else process.env[k] = saved[k];
});
afterAll(async () => {
  delete process.env['STRIPE_API_BASE'];
  await stripe.close();
  await local.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('atakora usage export and --billing', () => {
  it('refuses without the key (BILLING_KEY_MISSING), sending nothing', async () => {
    const r = await run('export', entry, '--environment', 'test');
    expect([r.code, r.err.includes('BILLING_KEY_MISSING')]).toEqual([1, true]);
    expect(stripe.creates).toHaveLength(0);
  });

  it('closes the hour in progress under dev only: --close-hour without --local is a usage error, nothing sent', async () => {
    process.env['STRIPE_KEY'] = KEY;
    const r = await run('export', entry, '--environment', 'test', '--close-hour');
    expect([r.code, r.err.includes('--close-hour works on the running atakora dev only')]).toEqual([
      2,
      true,
    ]);
    expect(stripe.creates).toHaveLength(0);
  });

  it('an outage exits 1 with the events pending; the next run sends them once; a third sends nothing', async () => {
    process.env['STRIPE_KEY'] = KEY;
    stripe.faults.status = 503;
    stripe.faults.count = 1000;
    const down = await run('export', entry, '--environment', 'test', '--json');
    expect([down.code, down.err.includes('BILLING_STRIPE_UNAVAILABLE')]).toEqual([1, true]);
    expect(stripe.events).toHaveLength(0);
    stripe.faults.count = 0;
    const up = await run('export', entry, '--environment', 'test', '--json');
    expect(up.code).toBe(0);
    expect(JSON.parse(up.out)).toMatchObject({ sent: 6, pending: 0 });
    const ids = stripe.events.map((e) => `${e.identifier}=${e.payload.value}`).sort();
    expect(ids).toEqual(
      [
        `billed:test:${A}:${hourKey(3)}:requests=30`,
        `billed:test:${A}:${hourKey(3)}:requestUnits=12`,
        `billed:test:${A}:${hourKey(2)}:requests=3`,
        `billed:test:${A}:${hourKey(2)}:requestUnits=1`,
        `billed:test:${B}:${hourKey(2)}:requests=8`,
        `billed:test:${B}:${hourKey(2)}:requestUnits=4`,
      ].sort(),
    );
    const again = await run('export', entry, '--environment', 'test');
    expect([again.code, stripe.events.length]).toEqual([0, 6]);
    expect(again.out).toContain('0 event(s) sent');
  });

  it('--billing reconciles equal; --check agrees with Stripe; a later ledger change shows, and fails --check', async () => {
    process.env['STRIPE_KEY'] = KEY;
    const equal = await run(entry, '--billing', '--environment', 'test', '--json');
    const r = JSON.parse(equal.out) as BillingReconciliation;
    expect([equal.code, r.equal]).toEqual([0, true]);
    expect(r.tenants.find((t) => t.tenant === A)?.meters[0]).toMatchObject({
      meter: 'requests',
      ledger: 33,
      sent: 33,
      pending: 0,
    });
    const checked = await check();
    expect(checked.code).toBe(0);
    expect(checked.out).toMatch(/STRIPE/);
    expect(checked.out).toContain('Equal');
    // Another instance's late flush of a sent hour: the ledger now says more than was sent.
    await usage.items.create(hourItem(A, hourKey(3), 'i-9', { ...zeroHour(), requests: 2 }));
    const changed = JSON.parse(
      (await run(entry, '--billing', '--environment', 'test', '--json')).out,
    ) as BillingReconciliation;
    expect(changed.equal).toBe(false);
    expect(changed.tenants.find((t) => t.tenant === A)?.meters[0]?.hours).toEqual([
      { hour: `${hourKey(3)}:00:00.000Z`, ledger: 32, sent: 30, state: 'changed' },
    ]);
    const failing = await check();
    expect([failing.code, failing.err.includes('BILLING_CHECK_MISMATCH')]).toEqual([1, true]);
    expect(failing.out).toMatch(/changed — ledger 32, sent 30, Stripe 30/);
  });

  it('an error quoting the key unmasked: --billing --check and export print it masked', async () => {
    process.env['STRIPE_KEY'] = KEY;
    stripe.faults.echoKey = true;
    try {
      // run() asserts the key is in neither stdout nor stderr.
      const checked = await check();
      expect(checked.code).toBe(1);
      expect(checked.err).toContain('Invalid API Key provided: [key]');
      await run('export', entry, '--environment', 'test');
    } finally {
      stripe.faults.echoKey = false;
    }
  });

  it('--month shows what Stripe will invoice (the plan’s price + each meter × its price) and, apart, the cost to serve and the margin', async () => {
    process.env['STRIPE_KEY'] = KEY;
    const month = new Date(Date.now() - 3 * HOUR).toISOString().slice(0, 7);
    const r = await run(entry, '--month', month, '--environment', 'test', '--json');
    const u = JSON.parse(r.out) as LedgerUsage;
    expect(u.from).toBe(`${month}-01T00:00:00.000Z`);
    expect(u.invoices?.priced).toBe(true);
    const a = u.tenants.find((t) => t.tenant === A);
    expect(a?.planFeeUsd).toBe(49);
    // Never the plan's fee plus our Azure cost.
    expect(a).not.toHaveProperty('totalUsd');
    const requests = a?.requests ?? -1;
    const ru = Math.floor(a?.requestUnits ?? -1);
    const requestsUsd = Math.round(requests * 0.5) / 100;
    const ruUsd = Math.ceil(ru / 10) / 100;
    expect(a?.invoice).toEqual({
      customer: 'cus_Alpha1',
      priced: true,
      currency: 'usd',
      lines: [
        {
          item: 'plan',
          name: 'pro',
          quantity: 1,
          price: 'price_Pro',
          unitPrice: 'usd 29 / unit',
          amount: 29,
        },
        {
          item: 'requests',
          name: 'api_requests',
          quantity: requests,
          price: 'price_Req',
          unitPrice: 'usd 0.005 / unit',
          amount: requestsUsd,
        },
        {
          item: 'requestUnits',
          name: 'request_units',
          quantity: ru,
          price: 'price_Ru',
          unitPrice: 'usd 0.01 / 10 units',
          amount: ruUsd,
        },
      ],
      total: Math.round((29 + requestsUsd + ruUsd) * 100) / 100,
      notes: [],
    });
    expect(a?.marginUsd).toBeCloseTo((a?.invoice?.total ?? 0) - (a?.estimatedUsd.total ?? 0), 2);
    // B's plan names no Stripe price and no fee: its line is 0, and the report says why.
    const b = u.tenants.find((t) => t.tenant === B);
    expect(b).not.toHaveProperty('planFeeUsd');
    expect(b?.invoice?.lines[0]).toEqual({ item: 'plan', name: 'free', quantity: 1 });
    expect(b?.invoice?.notes.join(' ')).toMatch(/plans\.free\.stripe\.price/);
    const text = await run(entry, '--month', month, '--environment', 'test');
    expect(text.out).toMatch(/COST TO SERVE\s+PLAN FEE\s+INVOICE\s+MARGIN/);
    expect(text.out).not.toContain('INVOICE USD');
    expect(text.out).toContain(`calendar month ${month}`);
    expect(text.out).toContain('plan pro: 1 × usd 29 / unit [price_Pro]  29.00 USD');
    expect(text.out).toContain(`invoice total: ${(a?.invoice?.total ?? 0).toFixed(2)} USD`);
    expect(text.out).toMatch(
      /cost to serve \(our Azure estimate, not invoiced\): [\d.]+ USD; margin/,
    );
    const bad = await run(entry, '--month', '2026-13', '--environment', 'test');
    expect(bad.code).toBe(2);
  });

  it('--month without the key shows the quantities only, and says so', async () => {
    const month = new Date(Date.now() - 3 * HOUR).toISOString().slice(0, 7);
    const r = await run(entry, '--month', month, '--environment', 'test', '--json');
    const u = JSON.parse(r.out) as LedgerUsage;
    expect(u.invoices).toEqual({
      priced: false,
      note: expect.stringMatching(/^Quantities only: STRIPE_KEY/),
    });
    const a = u.tenants.find((t) => t.tenant === A);
    expect(a?.invoice?.lines.map((l) => [l.item, l.quantity, l.amount])).toEqual([
      ['plan', 1, undefined],
      ['requests', a?.requests, undefined],
      ['requestUnits', Math.floor(a?.requestUnits ?? 0), undefined],
    ]);
    expect(a).not.toHaveProperty('marginUsd');
    const text = await run(entry, '--month', month, '--environment', 'test');
    expect(text.out).toContain('quantities only');
  });

  it('--check reports the events Stripe accepted and then refused (its meter error reports), and exits 1', async () => {
    process.env['STRIPE_KEY'] = KEY;
    const C = '72f988bf-0000-4000-8000-0000000000cc';
    const now = new Date(Date.now() - 24 * HOUR).toISOString();
    await (await local.container('atakora', 'tenants', '/id')).items.create({
      id: C,
      plan: 'free',
      status: 'active',
      billing: { stripeCustomerId: 'cus_Gone' },
      createdOn: now,
      updatedOn: now,
    });
    await usage.items.create(hourItem(C, hourKey(2), 'i-1', { ...zeroHour(), requests: 5 }));
    const exported = await run('export', entry, '--environment', 'test', '--json');
    // Stripe took them: the export cannot know better.
    expect(JSON.parse(exported.out)).toMatchObject({ sent: 1, refused: 0 });
    const r = await check('--tenant', C, '--json');
    expect([r.code, r.err.includes('BILLING_CHECK_MISMATCH')]).toEqual([1, true]);
    const report = JSON.parse(r.out) as BillingReconciliation;
    expect(report.equal).toBe(false);
    const requests = report.tenants[0]?.meters.find((m) => m.meter === 'requests');
    expect(requests?.hours).toEqual([
      {
        hour: `${hourKey(2)}:00:00.000Z`,
        ledger: 5,
        sent: 5,
        stripe: 0,
        state: 'stripe-refused',
        error: 'meter_event_customer_not_found: No customer with id cus_Gone.',
      },
    ]);
    expect(report.stripeErrors).toEqual([
      expect.objectContaining({
        eventName: 'api_requests',
        code: 'meter_event_customer_not_found',
        count: 1,
        ours: 1,
      }),
    ]);
    const text = await check('--tenant', C);
    expect(text.out).toContain(
      `requests ${hourKey(2)}:00:00.000Z: stripe-refused — ledger 5, sent 5, Stripe 0 ` +
        '(meter_event_customer_not_found: No customer with id cus_Gone.)',
    );
    expect(text.out).toMatch(
      /Refused by Stripe after accepting \(meter error reports\):\n {2}api_requests: 1 × meter_event_customer_not_found \(1 of ours\)/,
    );
  });
});
