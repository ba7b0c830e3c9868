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

beforeAll(async () => {
  local = await startTlsCosmos(tls);
  usage = await local.container('atakora', 'usage', '/tenant');
  const tenants = await local.container('atakora', 'tenants', '/id');
  const now = new Date().toISOString();
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
  stripe = await startStripeStandIn({ key: KEY, meters: ['api_requests', 'request_units'] });
  process.env['STRIPE_API_BASE'] = stripe.base;
}, 60_000);
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
        `billed:${A}:${hourKey(3)}:requests=30`,
        `billed:${A}:${hourKey(3)}:requestUnits=12`,
        `billed:${A}:${hourKey(2)}:requests=3`,
        `billed:${A}:${hourKey(2)}:requestUnits=1`,
        `billed:${B}:${hourKey(2)}:requests=8`,
        `billed:${B}:${hourKey(2)}:requestUnits=4`,
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
    const checked = await run(entry, '--billing', '--check', '--environment', 'test');
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
    const failing = await run(entry, '--billing', '--check', '--environment', 'test');
    expect([failing.code, failing.err.includes('BILLING_CHECK_MISMATCH')]).toEqual([1, true]);
    expect(failing.out).toMatch(/changed — ledger 32, sent 30, Stripe 30/);
  });

  it('an error quoting the key unmasked: --billing --check and export print it masked', async () => {
    process.env['STRIPE_KEY'] = KEY;
    stripe.faults.echoKey = true;
    try {
      // run() asserts the key is in neither stdout nor stderr.
      const checked = await run(entry, '--billing', '--check', '--environment', 'test');
      expect(checked.code).toBe(1);
      expect(checked.err).toContain('Invalid API Key provided: [key]');
      await run('export', entry, '--environment', 'test');
    } finally {
      stripe.faults.echoKey = false;
    }
  });

  it('--month reads a calendar month, with each tenant’s plan fee beside its metered cost', async () => {
    const month = new Date(Date.now() - 3 * HOUR).toISOString().slice(0, 7);
    const r = await run(entry, '--month', month, '--environment', 'test', '--json');
    const u = JSON.parse(r.out) as LedgerUsage;
    expect(u.from).toBe(`${month}-01T00:00:00.000Z`);
    const a = u.tenants.find((t) => t.tenant === A);
    expect(a?.planFeeUsd).toBe(49);
    expect(a?.totalUsd).toBeCloseTo(49 + (a?.estimatedUsd.total ?? 0), 4);
    expect(u.tenants.find((t) => t.tenant === B)).not.toHaveProperty('planFeeUsd');
    const text = await run(entry, '--month', month, '--environment', 'test');
    expect(text.out).toMatch(/PLAN FEE\s+INVOICE USD/);
    expect(text.out).toContain(`calendar month ${month}`);
    const bad = await run(entry, '--month', '2026-13', '--environment', 'test');
    expect(bad.code).toBe(2);
  });
});
