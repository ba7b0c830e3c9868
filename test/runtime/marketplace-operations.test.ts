// Microsoft's operations as Microsoft runs them (DESIGN §2; Learn, "SaaS fulfillment operations APIs v2",
// "Implementing a webhook on the SaaS service"), against the real runtime on the local Cosmos DB server and the
// Marketplace stand-in: a Reinstate waits `InProgress` for the publisher's PATCH; calls arrive late, retried, out of
// order — the organization follows the subscription Get Subscription answers, never the order of arrival.
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { boughtOn, outcomeOf, recordOf, undeliveredTo } from './support/marketplace-app.js';
import { marketplaceSuite } from './support/marketplace-suite.js';

const app = marketplaceSuite();

const bought = (user: string, planId?: string) => boughtOn(app, user, planId);
const outcome = outcomeOf;

/** Microsoft's webhook endpoint unreachable while `act` runs: its calls wait for a retry (`resend`). */
const undelivered = <T>(act: () => Promise<T>): Promise<T> => undeliveredTo(app, act);

describe('Microsoft’s operations, applied as Microsoft runs them', () => {
  // First in the file: the runtime has not read the publisher tenant's keys yet, so the outage is met.
  it('answers a key-set outage 503 (Microsoft retries), never a 4xx that would reject the change', async () => {
    const { subscriptionId, org } = await bought('kai');
    app.standIn.outages.keys = 1;
    const change = await app.standIn.changePlan(subscriptionId, 'team-monthly');
    expect(change.delivery.status).toBe(503);
    // Not a rejection: the operation still waits, and Microsoft's retry applies it.
    expect(app.standIn.operations.get(change.operation.id)?.status).toBe('InProgress');
    expect(outcome(await app.standIn.resend(change.operation.id))).toBe('applied');
    expect(await recordOf(app, org)).toMatchObject({
      plan: 'team',
      marketplace: { planId: 'team-monthly' },
    });
    expect(app.standIn.subscriptions.get(subscriptionId)?.planId).toBe('team-monthly');
  });

  it('acknowledges a Reinstate in progress (PATCH Success) and reinstates the paying customer', async () => {
    const { subscriptionId, org } = await bought('ray');
    await app.standIn.suspend(subscriptionId);
    expect((await recordOf(app, org))?.status).toBe('suspended');
    const r = await app.standIn.reinstate(subscriptionId);
    expect(outcome(r.delivery)).toBe('applied');
    expect(app.standIn.operations.get(r.operation.id)?.status).toBe('Succeeded');
    expect(app.standIn.subscriptions.get(subscriptionId)?.status).toBe('Subscribed');
    expect(await recordOf(app, org)).toMatchObject({
      status: 'active',
      marketplace: { status: 'Subscribed' },
    });
  });

  it('acknowledges the Subscribe notice (200), changing nothing', async () => {
    const { subscriptionId, org } = await bought('sol');
    const before = await recordOf(app, org);
    const s = await app.standIn.subscribe(subscriptionId);
    expect(s.delivery.status).toBe(200);
    expect(await recordOf(app, org)).toMatchObject({ plan: before?.plan, status: 'active' });
  });

  it('a ChangePlan arriving after the Unsubscribe changes nothing: the organization stays on the default plan', async () => {
    const { subscriptionId, org } = await bought('uma');
    const change = await undelivered(() => app.standIn.changePlan(subscriptionId, 'team-monthly'));
    expect(outcome((await app.standIn.unsubscribe(subscriptionId)).delivery)).toBe('applied');
    const late = await app.standIn.resend(change.operation.id);
    expect(late.status).toBe(200);
    expect(await recordOf(app, org)).toMatchObject({
      plan: 'free',
      status: 'active',
      marketplace: { status: 'Unsubscribed' },
    });
  });

  it('an older ChangePlan arriving late does not override a newer one', async () => {
    const { subscriptionId, org } = await bought('ola');
    const older = await undelivered(() => app.standIn.changePlan(subscriptionId, 'team-monthly'));
    app.standIn.settle(older.operation.id, 'Succeeded'); // Microsoft's 10 s passed: auto-accepted
    // Back to pro: the organization never saw team, so the newer one finds it where Microsoft holds it.
    expect((await app.standIn.changePlan(subscriptionId, 'pro-monthly')).delivery.status).toBe(200);
    expect(outcome(await app.standIn.resend(older.operation.id))).toBe('unchanged');
    expect(await recordOf(app, org)).toMatchObject({
      plan: 'pro',
      marketplace: { planId: 'pro-monthly' },
    });
  });

  it('a Suspend arriving after the Reinstate does not suspend a paying customer', async () => {
    const { subscriptionId, org } = await bought('sam');
    const suspend = await undelivered(() => app.standIn.suspend(subscriptionId));
    expect(outcome((await app.standIn.reinstate(subscriptionId)).delivery)).toBe('unchanged');
    expect(outcome(await app.standIn.resend(suspend.operation.id))).toBe('unchanged');
    expect(await recordOf(app, org)).toMatchObject({
      status: 'active',
      marketplace: { status: 'Subscribed' },
    });
  });

  it('applies a ChangePlan Microsoft auto-accepted before the PATCH (409)', async () => {
    const { subscriptionId, org } = await bought('abe');
    app.standIn.outages.settledBeforePatch = 1;
    const change = await app.standIn.changePlan(subscriptionId, 'team-monthly');
    expect(app.standIn.outages.settledBeforePatch).toBe(0);
    expect(outcome(change.delivery)).toBe('applied');
    expect(await recordOf(app, org)).toMatchObject({
      plan: 'team',
      marketplace: { planId: 'team-monthly' },
    });
  });

  it('a late Reinstate does not revive an unsubscribed link', async () => {
    const { subscriptionId, org } = await bought('lea');
    await app.standIn.suspend(subscriptionId);
    const reinstate = await undelivered(() => app.standIn.reinstate(subscriptionId));
    // Acknowledged by an earlier attempt whose answer was lost; then the customer unsubscribes.
    app.standIn.settle(reinstate.operation.id, 'Succeeded');
    expect(outcome((await app.standIn.unsubscribe(subscriptionId)).delivery)).toBe('applied');
    expect(outcome(await app.standIn.resend(reinstate.operation.id))).toBe('unchanged');
    expect(await recordOf(app, org)).toMatchObject({
      plan: 'free',
      marketplace: { status: 'Unsubscribed' },
    });
  });

  it('Suspend then Unsubscribe (onCanceled default-plan) leaves the organization active on the default plan', async () => {
    const { subscriptionId, org } = await bought('dee');
    await app.standIn.suspend(subscriptionId);
    await app.standIn.unsubscribe(subscriptionId);
    expect(await recordOf(app, org)).toMatchObject({
      status: 'active',
      plan: 'free',
      marketplace: { status: 'Unsubscribed' },
    });
    expect((await recordOf(app, org))?.suspendedBy).toBeUndefined();
  });
  it('takes Learn’s Reinstate notice, which names no operation: the outstanding Reinstate acknowledged and applied', async () => {
    // "Webhook payload example of reinstate event: { "subscriptionId": "<guid>", "operationType": "Reinstate" }"
    // (Learn, "Implementing a webhook on the SaaS service") — no `id`: the operation is found by List outstanding
    // operations ("The publisher should acknowledge returned operations", "SaaS fulfillment operations APIs v2").
    const { subscriptionId, org } = await bought('rue');
    await app.standIn.suspend(subscriptionId);
    const reinstate = await undelivered(() => app.standIn.reinstate(subscriptionId));
    const url = app.standIn.webhook?.url ?? '';
    const post = (body: unknown, token = app.standIn.webhookToken()) =>
      fetch(url, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
    const notice = { subscriptionId, operationType: 'Reinstate' };
    const answered = await post(notice);
    expect([answered.status, ((await answered.json()) as { outcome?: string }).outcome]).toEqual([
      200,
      'applied',
    ]);
    expect(app.standIn.operations.get(reinstate.operation.id)?.status).toBe('Succeeded');
    expect(app.standIn.subscriptions.get(subscriptionId)?.status).toBe('Subscribed');
    expect(await recordOf(app, org)).toMatchObject({
      status: 'active',
      marketplace: { status: 'Subscribed' },
    });
    // Sent again (Microsoft's retry): nothing outstanding, nothing changes; still signed or refused.
    expect((await post(notice)).status).toBe(200);
    expect((await post(notice, app.standIn.webhookToken({}, { foreignKey: true }))).status).toBe(
      401,
    );
    // A subscription of no organization here, or none at all: 200, nothing done.
    expect((await post({ subscriptionId: randomUUID(), operationType: 'Reinstate' })).status).toBe(
      200,
    );
  });
});
