// Marketplace metering from the usage ledger (DESIGN §2), through the real timer, the local Cosmos DB server and the
// stand-in's metering API: one event per subscription, dimension and closed hour, only above the plan's included
// quantity, never before activation, only while Subscribed, ≤ 25 a call, exactly once through 5xx and a run cut off
// after Marketplace took its events.
import { afterEach, describe, expect, it } from 'vitest';
import { seedOrganization } from '../model/billing-app.js';
import { landedIn, recordOf } from './support/marketplace-app.js';
import { marketplaceSuite } from './support/marketplace-suite.js';

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
/** When a landing activates its purchase (the runtime's clock); `activatedAt` but in the activation-hour test. */
let clock = activatedAt;
const app = marketplaceSuite({ now: () => new Date(clock) });
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

/** `id`, an organization on the free plan that `user` owns (used on our side before any purchase). */
const owned = (id: string, user: string): Promise<void> =>
  seedOrganization(app, id, user, new Date(activatedAt).toISOString());

/** Two instances' totals of `org`'s requests in the hour starting at `hour`, `n` together (as their flushes write). */
async function counted(org: string, hour: number, n: number): Promise<void> {
  const at = new Date(hour).toISOString();
  for (const instance of ['a', 'b'])
    await app.usage.items.upsert({
      id: `hour:${at.slice(0, 13)}:${instance}`,
      tenant: org,
      kind: 'hour',
      hour: at,
      requests: instance === 'a' ? Math.ceil(n / 2) : Math.floor(n / 2),
      ru: 0,
    });
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

  it('bills the hour of activation only after it: its requests before it are neither billed nor counted against the included quantity', async () => {
    // Two organizations used on our side (a trial) before their purchase: 60 requests in hours[0] before it lands.
    for (const [org, user] of [
      ['fay-org', 'fay'],
      ['gil-org', 'gil'],
    ] as const) {
      await owned(org, user);
      await counted(org, hours[0]!, 60);
    }
    const pro = app.standIn.purchase({ planId: 'pro-monthly' });
    const team = app.standIn.purchase({ planId: 'team-monthly' });
    clock = hours[0]! + 20 * 60_000 + 5_000;
    try {
      expect(landedIn(await app.land(pro.token, 'fay', { organization: 'fay-org' }))).toBe(
        'fay-org',
      );
      expect(landedIn(await app.land(team.token, 'gil', { organization: 'gil-org' }))).toBe(
        'gil-org',
      );
    } finally {
      clock = activatedAt;
    }
    // The hour's 60 so far, written with the activation.
    const link = (await app.tenants.item('fay-org', 'fay-org').read()).resource as {
      marketplace?: { activationHourBaseline?: object };
    };
    expect(link.marketplace?.activationHourBaseline).toEqual({
      requests: 60,
      requestUnits: 0,
      realtimeMessages: 0,
    });
    // After the activation: 50 more requests in the same hour (the instances' totals now 110), 70 in the next.
    for (const org of ['fay-org', 'gil-org']) {
      await counted(org, hours[0]!, 110);
      await counted(org, hours[1]!, 70);
    }
    await app.meter();
    // pro includes 100 a term: 50 + 70 = 120 since the activation, 20 above it — none of the 60 before used any of it.
    expect(sentFor(pro.subscriptionId)).toEqual([[key(hours[1]!), 'api_calls', 20, 'pro-monthly']]);
    // team includes none: the 50 after the activation (stamped at it), then the next hour's 70.
    expect(sentFor(team.subscriptionId).map(([h, , q]) => [h, q])).toEqual([
      [key(hours[0]!), 50],
      [key(hours[1]!), 70],
    ]);
  });

  it('a resend of the hour of activation sends the same event, whatever the ledger holds by then', async () => {
    await owned('hal-org', 'hal');
    await counted('hal-org', hours[0]!, 8);
    const { subscriptionId, token } = app.standIn.purchase({ planId: 'team-monthly' });
    clock = hours[0]! + 40 * 60_000;
    const activation = clock;
    try {
      expect(landedIn(await app.land(token, 'hal', { organization: 'hal-org' }))).toBe('hal-org');
    } finally {
      clock = activatedAt;
    }
    await counted('hal-org', hours[0]!, 20);
    // Marketplace takes the event, its answer is lost: the record stays `sending` with the 12 after the activation.
    app.standIn.faults.count = 1;
    app.standIn.faults.status = 500;
    app.standIn.faults.afterTaking = true;
    await app.meter();
    // A late count of that hour arrives; the resend is the record's event, never one recomputed from it.
    await counted('hal-org', hours[0]!, 26);
    await app.meter();
    const stamp = `${new Date(activation).toISOString().slice(0, 19)}Z`;
    expect(
      app.standIn.usage
        .filter((u) => u.resourceId === subscriptionId)
        .map((u) => [u.effectiveStartTime, u.quantity]),
    ).toEqual([[stamp, 12]]);
    expect((await records('hal-org')).map((r) => [r.quantity, r.state, r.status])).toEqual([
      [12, 'sent', 'Duplicate'],
    ]);
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
    // In any order: a resend's batch holds the records as the ledger's query returns them (no order is promised).
    expect(
      sentFor(subscriptionId)
        .map(([, , q]) => Number(q))
        .sort((a, b) => a - b),
    ).toEqual([101, 102, 103]);
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
