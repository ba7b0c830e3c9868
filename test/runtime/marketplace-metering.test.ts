// Marketplace metering from the usage ledger (DESIGN §2), through the real timer, the local Cosmos DB server and the
// stand-in's metering API: one event per subscription, dimension and closed hour, only above the plan's included
// quantity, never before activation, only while Subscribed, ≤ 25 a call, exactly once through 5xx and a run cut off
// after Marketplace took its events.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type LocalCosmos, startLocalCosmos } from './support/local-cosmos.js';
import {
  landedIn,
  type MarketplaceApp,
  recordOf,
  startMarketplaceApp,
} from './support/marketplace-app.js';

const HOUR = 3_600_000;
/**
 * Three closed hours of usage inside Marketplace's 24 hours, within one day (so within one billing term: the stand-in's
 * term starts at the day of activation), and an activation two hours before the first.
 */
function window(now: number): { hours: number[]; activatedAt: number } {
  let start = Math.floor(now / HOUR) * HOUR - 4 * HOUR;
  const day = (t: number) => new Date(t).toISOString().slice(0, 10);
  if (day(start) !== day(start + 2 * HOUR)) start = Date.parse(`${day(now)}T00:00:00Z`) - 3 * HOUR;
  return { hours: [start, start + HOUR, start + 2 * HOUR], activatedAt: start - 2 * HOUR };
}

const { hours, activatedAt } = window(Date.now());
let cosmos: LocalCosmos;
let app: MarketplaceApp;
/** When a landing activates its purchase (the runtime's clock); `activatedAt` but in the activation-hour test. */
let clock = activatedAt;
beforeAll(async () => {
  cosmos = await startLocalCosmos();
  app = await startMarketplaceApp(cosmos, { now: () => new Date(clock) });
});
afterAll(async () => {
  await app?.close();
  await cosmos?.stop();
});
afterEach(() => {
  app.standIn.faults.count = 0;
});

/** A landed purchase and its usage: `requests[i]` in `hours[i]` (two instances' lines for each hour). */
async function metered(user: string, requests: readonly number[], planId = 'pro-monthly') {
  const { subscriptionId, token } = app.standIn.purchase({ planId });
  const org = landedIn(await app.land(token, user));
  for (const [i, n] of requests.entries()) {
    const hour = new Date(hours[i]!).toISOString();
    for (const instance of ['a', 'b'])
      await app.usage.items.upsert({
        id: `hour:${hour.slice(0, 13)}:${instance}`,
        tenant: org,
        kind: 'hour',
        hour,
        requests: instance === 'a' ? Math.ceil(n / 2) : Math.floor(n / 2),
        ru: 0,
      });
  }
  return { subscriptionId, org };
}

const sentFor = (subscriptionId: string) =>
  app.standIn.usage
    .filter((u) => u.resourceId === subscriptionId)
    .map((u) => [u.effectiveStartTime.slice(0, 13), u.dimension, u.quantity, u.planId]);

const records = async (org: string) =>
  (
    await app.usage.items
      .query<{ hour: string; quantity: number; state: string; status?: string }>({
        query: "SELECT * FROM c WHERE c.tenant = @t AND c.kind = 'marketplace'",
        parameters: [{ name: '@t', value: org }],
      })
      .fetchAll()
  ).resources.sort((a, b) => (a.hour < b.hour ? -1 : 1));

const key = (t: number) => new Date(t).toISOString().slice(0, 13);

describe('Marketplace metering', () => {
  it('sends each closed hour above the plan’s included 100 requests, once, on the subscription’s plan', async () => {
    const { subscriptionId, org } = await metered('ada', [60, 70, 30]);
    await app.meter();
    expect(sentFor(subscriptionId)).toEqual([
      [key(hours[1]!), 'api_calls', 30, 'pro-monthly'],
      [key(hours[2]!), 'api_calls', 30, 'pro-monthly'],
    ]);
    expect((await records(org)).map((r) => [r.quantity, r.state, r.status])).toEqual([
      [30, 'sent', 'Accepted'],
      [30, 'sent', 'Accepted'],
    ]);
    // A second run sends nothing again.
    await app.meter();
    expect(sentFor(subscriptionId)).toHaveLength(2);
  });

  it('counts the included quantity from activation: usage before it uses none of it', async () => {
    const { subscriptionId, org } = await metered('eli', [60, 70, 30]);
    // 90 requests in the hour before activation (inside the term the stand-in starts at the day of activation).
    const before = new Date(activatedAt - HOUR).toISOString();
    await app.usage.items.upsert({
      id: `hour:${before.slice(0, 13)}:a`,
      tenant: org,
      kind: 'hour',
      hour: before,
      requests: 90,
      ru: 0,
    });
    await app.meter();
    expect(sentFor(subscriptionId)).toEqual([
      [key(hours[1]!), 'api_calls', 30, 'pro-monthly'],
      [key(hours[2]!), 'api_calls', 30, 'pro-monthly'],
    ]);
  });

  it('bills the hour of activation from it: its event stamped at the activation (as Stripe’s start hour is)', async () => {
    // Activated 20 minutes into hours[0]: that hour's requests after it are the subscription's (under atakora dev,
    // `usage export --local --close-hour` right after a landing sends them), stamped when it began.
    clock = hours[0]! + 20 * 60_000 + 5_000;
    const activation = clock;
    const landed = await metered('dan', [5, 7], 'team-monthly').finally(() => {
      clock = activatedAt;
    });
    await app.meter();
    expect(sentFor(landed.subscriptionId).map(([h, , q]) => [h, q])).toEqual([
      [key(hours[0]!), 5],
      [key(hours[1]!), 7],
    ]);
    expect(
      app.standIn.usage
        .filter((u) => u.resourceId === landed.subscriptionId)
        .map((u) => u.effectiveStartTime),
    ).toEqual([`${new Date(activation).toISOString().slice(0, 19)}Z`, `${key(hours[1]!)}:00:00Z`]);
  });

  it('a plan without included quantity sends every hour; no hour before activation or while suspended is sent', async () => {
    const { subscriptionId } = await metered('bea', [5, 0, 7], 'team-monthly');
    const { subscriptionId: paused } = await metered('cid', [9, 9, 9], 'team-monthly');
    await app.standIn.suspend(paused);
    await app.meter();
    expect(sentFor(subscriptionId).map(([h, , q]) => [h, q])).toEqual([
      [key(hours[0]!), 5],
      [key(hours[2]!), 7],
    ]);
    expect(sentFor(paused)).toEqual([]);
  });

  it('through 5xx: nothing is lost or sent twice; a run cut off after Marketplace took its events resends them as Duplicate', async () => {
    const { subscriptionId, org } = await metered('dan', [101, 102, 103], 'team-monthly');
    app.standIn.faults.count = 3;
    app.standIn.faults.status = 503;
    app.standIn.faults.afterTaking = false;
    await app.meter();
    expect(sentFor(subscriptionId)).toEqual([]);
    expect((await records(org)).map((r) => r.state)).toEqual(['sending', 'sending', 'sending']);
    // Marketplace takes the batch, then the answer is lost (a 500, a kill): the next run's resend is Duplicate.
    app.standIn.faults.count = 1;
    app.standIn.faults.status = 500;
    app.standIn.faults.afterTaking = true;
    await app.meter();
    expect(sentFor(subscriptionId).map(([, , q]) => q)).toEqual([101, 102, 103]);
    expect((await records(org)).map((r) => r.state)).toEqual(['sending', 'sending', 'sending']);
    await app.meter();
    expect((await records(org)).map((r) => [r.state, r.status])).toEqual([
      ['sent', 'Duplicate'],
      ['sent', 'Duplicate'],
      ['sent', 'Duplicate'],
    ]);
    expect(sentFor(subscriptionId)).toHaveLength(3);
  });

  it('sends at most 25 events a call', async () => {
    for (let i = 0; i < 10; i++) await metered(`many-${String(i)}`, [1, 2, 3], 'team-monthly');
    const before = app.standIn.batches.length;
    await app.meter();
    const calls = app.standIn.batches.slice(before);
    expect(calls.reduce((a, b) => a + b, 0)).toBe(30);
    expect(Math.max(...calls)).toBeLessThanOrEqual(25);
  });

  it('keeps the organization’s link Subscribed throughout (the export reads, never writes, the record)', async () => {
    const { org } = await metered('eve', [1]);
    await app.meter();
    expect((await recordOf(app, org))?.marketplace?.status).toBe('Subscribed');
  });
});
