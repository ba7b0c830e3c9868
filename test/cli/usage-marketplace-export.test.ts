/**
 * `atakora usage export` of a backend sold on Azure Marketplace only, on a real local Cosmos DB server (verified TLS)
 * and the Marketplace stand-in (ATAKORA_MARKETPLACE_API): the usage ledger's closed hours of a linked, activated
 * purchase sent to `batchUsageEvent` as the runtime's metering timer sends them — once (a second run sends nothing),
 * nothing before activation, the secret never printed; without the secret MARKETPLACE_SECRET_MISSING. Before, the
 * command answered BILLING_NOT_CONFIGURED (it knew Stripe only) and only the hourly timer ever sent Marketplace usage.
 */
import type { Container } from '@azure/cosmos';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hourItem, zeroHour } from '../../src/runtime/usage/usage-items.js';
import { startMarketplaceStandIn } from '../../src/testing/marketplace-standin.js';
import { tlsStandInFile } from './support/cosmos-cli.js';

const entry = 'test/cli/fixtures/marketplace-backend.ts';
const SECRET = 'cli-export-fulfillment-secret';
const PUBLISHER = '72f988bf-86f1-41af-91ab-2d7cd011db47';
const HOUR = 3_600_000;
const ORG = 'globex-q7w2er';
const standIn = tlsStandInFile('atakora-marketplace-export-', 'usage');
let usage: Container;
let marketplace: Awaited<ReturnType<typeof startMarketplaceStandIn>>;
const saved = { ...process.env };
let subscriptionId = '';
const hourKey = (ago: number) =>
  new Date(Math.floor(Date.now() / HOUR) * HOUR - ago * HOUR).toISOString().slice(0, 13);

beforeAll(async () => {
  const db = standIn.local();
  usage = await db.container('atakora', 'usage', '/tenant');
  const tenants = await db.container('atakora', 'tenants', '/id');
  const members = await db.container('atakora', 'members', '/tenant');
  marketplace = await startMarketplaceStandIn({
    clientSecret: SECRET,
    offerId: 'notes-saas',
    dimensions: ['api_calls'],
  });
  process.env['ATAKORA_MARKETPLACE_API'] = marketplace.base;
  const { subscriptionId: id } = marketplace.purchase({ planId: 'pro-monthly' });
  subscriptionId = id;
  // Activated as the landing page activates it (the publisher's token, `POST …/activate`).
  const token = await fetch(`${marketplace.base}/${PUBLISHER}/oauth2/v2.0/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'client_credentials',
      client_id: '5b1c7a3e-8d2f-4c2d-9e8f-1a2b3c4d5e6f',
      client_secret: SECRET,
      scope: '20e940b3-4c77-4b0b-9a53-9e16a1b010a7/.default',
    }).toString(),
  }).then(async (r) => ((await r.json()) as { access_token: string }).access_token);
  await fetch(`${marketplace.base}/api/saas/subscriptions/${id}/activate?api-version=2018-08-31`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ planId: 'pro-monthly' }),
  });
  // The organization the landing linked (activated 4 hours ago), and the purchase's claim.
  const activatedOn = `${hourKey(4)}:30:00.000Z`;
  await tenants.items.upsert({
    id: ORG,
    plan: 'pro',
    status: 'active',
    createdOn: activatedOn,
    updatedOn: activatedOn,
    marketplace: {
      subscriptionId: id,
      offerId: 'notes-saas',
      planId: 'pro-monthly',
      status: 'Subscribed',
      activatedOn,
    },
  });
  await members.items.upsert({
    id: `marketplace|${id.toLowerCase()}`,
    tenant: '~marketplace',
    kind: 'marketplace-claim',
    subscriptionId: id.toLowerCase(),
    organization: ORG,
    claimedBy: 'buyer',
    claimedOn: activatedOn,
  });
  // Usage of two closed hours after activation, and one before it (never sent).
  for (const [ago, requests] of [
    [5, 900],
    [3, 40],
    [2, 7],
  ] as const)
    await usage.items.upsert(hourItem(ORG, hourKey(ago), 'a', { ...zeroHour(), requests }));
});
afterAll(async () => {
  await marketplace?.close();
  for (const k of ['ATAKORA_MARKETPLACE_API', 'MARKETPLACE_SECRET'])
    if (saved[k] === undefined) Reflect.deleteProperty(process.env, k);
    else process.env[k] = saved[k];
});

const sent = () =>
  marketplace.usage
    .filter((u) => u.resourceId === subscriptionId)
    .map((u) => [u.effectiveStartTime.slice(0, 13), u.dimension, u.quantity])
    .sort();

describe('atakora usage export of a backend sold on Azure Marketplace', () => {
  it('without the secret: MARKETPLACE_SECRET_MISSING, nothing sent', async () => {
    Reflect.deleteProperty(process.env, 'MARKETPLACE_SECRET');
    const r = await standIn.run('export', entry, '--environment', 'test');
    expect(r.code).not.toBe(0);
    expect(r.err).toContain('MARKETPLACE_SECRET_MISSING');
    expect(sent()).toEqual([]);
  });

  it('sends each closed hour since activation once, as the metering timer does; a second run sends nothing', async () => {
    process.env['MARKETPLACE_SECRET'] = SECRET;
    const first = await standIn.run('export', entry, '--environment', 'test', '--json');
    expect(first.err).not.toContain('BILLING_NOT_CONFIGURED');
    expect(first.code).toBe(0);
    expect(first.out + first.err).not.toContain(SECRET);
    const report = JSON.parse(first.out) as {
      marketplace: { sent: number; subscriptions: number };
    };
    expect(report.marketplace).toMatchObject({ sent: 2, subscriptions: 1 });
    expect(sent()).toEqual([
      [hourKey(3), 'api_calls', 40],
      [hourKey(2), 'api_calls', 7],
    ]);
    const again = await standIn.run('export', entry, '--environment', 'test');
    expect(again.code).toBe(0);
    expect(again.out).toContain('0 event(s) sent');
    expect(sent()).toHaveLength(2);
  });
});
