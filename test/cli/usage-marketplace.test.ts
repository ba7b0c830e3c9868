/**
 * `atakora usage --billing [--check]` of a backend sold on Azure Marketplace, on a real local Cosmos DB server
 * (verified TLS) and the Marketplace stand-in (ATAKORA_MARKETPLACE_API): the ledger's metering records reconciled by
 * day with Marketplace's `usageEvents` — equal when what was recorded sent is what Marketplace holds, a mismatch exit 1
 * (BILLING_CHECK_MISMATCH) when it holds less, and no secret means MARKETPLACE_SECRET_MISSING, never a guess.
 */
import type { Container } from '@azure/cosmos';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMarketplaceStandIn } from '../../src/testing/marketplace-standin.js';
import { tlsStandInFile } from './support/cosmos-cli.js';

const entry = 'test/cli/fixtures/marketplace-backend.ts';
const SECRET = 'cli-fulfillment-secret';
const HOUR = 3_600_000;
const standIn = tlsStandInFile('atakora-marketplace-', 'usage');
let usage: Container;
let marketplace: Awaited<ReturnType<typeof startMarketplaceStandIn>>;
const saved = { ...process.env };
let subscriptionId = '';

/** A metering record as the export writes it (the hour `ago` hours back). */
const record = (ago: number, quantity: number, state: 'sent' | 'sending') => {
  const hour = new Date(Math.floor(Date.now() / HOUR) * HOUR - ago * HOUR).toISOString();
  return {
    id: `marketplace:${hour.slice(0, 13)}:requests`,
    tenant: 'acme-k3x9qa',
    kind: 'marketplace',
    hour,
    meter: 'requests',
    dimension: 'api_calls',
    subscriptionId,
    planId: 'pro-monthly',
    quantity,
    state,
    attempts: 1,
    createdOn: hour,
  };
};

beforeAll(async () => {
  usage = await standIn.local().container('atakora', 'usage', '/tenant');
  marketplace = await startMarketplaceStandIn({ clientSecret: SECRET, offerId: 'notes-saas' });
  process.env['ATAKORA_MARKETPLACE_API'] = marketplace.base;
  // A purchase, activated; two hours delivered to Marketplace (through its own API, as the export would).
  const { subscriptionId: id } = marketplace.purchase({ planId: 'pro-monthly' });
  subscriptionId = id;
  const token = await fetch(
    `${marketplace.base}/72f988bf-86f1-41af-91ab-2d7cd011db47/oauth2/v2.0/token`,
    {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'client_credentials',
        client_id: '5b1c7a3e-8d2f-4c2d-9e8f-1a2b3c4d5e6f',
        client_secret: SECRET,
        scope: '20e940b3-4c77-4b0b-9a53-9e16a1b010a7/.default',
      }).toString(),
    },
  ).then(async (r) => ((await r.json()) as { access_token: string }).access_token);
  const call = (path: string, body: unknown) =>
    fetch(`${marketplace.base}/api/${path}?api-version=2018-08-31`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
  await call(`saas/subscriptions/${id}/activate`, { planId: 'pro-monthly' });
  const events = [3, 2].map((ago) => ({
    resourceId: id,
    quantity: ago === 3 ? 40 : 7,
    dimension: 'api_calls',
    effectiveStartTime: `${new Date(Math.floor(Date.now() / HOUR) * HOUR - ago * HOUR).toISOString().slice(0, 13)}:00:00Z`,
    planId: 'pro-monthly',
  }));
  await call('batchUsageEvent', { request: events });
  await usage.items.create(record(3, 40, 'sent'));
  await usage.items.create(record(2, 7, 'sent'));
});
afterAll(async () => {
  await marketplace?.close();
  for (const k of ['ATAKORA_MARKETPLACE_API', 'MARKETPLACE_SECRET'])
    if (saved[k] === undefined) Reflect.deleteProperty(process.env, k);
    else process.env[k] = saved[k];
});

describe('atakora usage --billing of a backend sold on Azure Marketplace', () => {
  it('without --check: the records by day, no Marketplace read', async () => {
    Reflect.deleteProperty(process.env, 'MARKETPLACE_SECRET');
    const r = await standIn.run(entry, '--billing', '--environment', 'test', '--json');
    expect(r.code).toBe(0);
    const report = JSON.parse(r.out) as {
      marketplace: { days: { sent: number; marketplace: unknown }[] };
    };
    expect(report.marketplace.days.reduce((a, d) => a + d.sent, 0)).toBe(47);
    expect(report.marketplace.days.every((d) => d.marketplace === null)).toBe(true);
  });

  it('--check without the secret: MARKETPLACE_SECRET_MISSING, naming the variable', async () => {
    Reflect.deleteProperty(process.env, 'MARKETPLACE_SECRET');
    const r = await standIn.run(entry, '--billing', '--check', '--environment', 'test');
    expect(r.code).not.toBe(0);
    expect(r.err).toContain('MARKETPLACE_SECRET_MISSING');
    expect(r.err).toContain('MARKETPLACE_SECRET');
  });

  it('--check: equal when the ledger’s sent quantities are what usageEvents holds; a mismatch exits 1', async () => {
    process.env['MARKETPLACE_SECRET'] = SECRET;
    const equal = await standIn.run(entry, '--billing', '--check', '--environment', 'test');
    expect(equal.code).toBe(0);
    expect(equal.out).not.toContain('differs');
    expect(equal.out + equal.err).not.toContain(SECRET);
    // An hour the ledger says it sent that Marketplace never got.
    await usage.items.create(record(1, 5, 'sent'));
    const differs = await standIn.run(entry, '--billing', '--check', '--environment', 'test');
    expect(differs.code).toBe(1);
    expect(differs.out).toContain('differs');
    expect(differs.err).toContain('BILLING_CHECK_MISMATCH');
  });
});
