// Microsoft's calls interleaved in orders the earlier files did not try (DESIGN §2; Learn, "Implementing a webhook
// on the SaaS service": "Microsoft webhook calls do have a retry policy (500 retries over 8 hours)"), against the
// real runtime on the local Cosmos DB server and the Marketplace stand-in with `onCanceled: 'suspend'`: a retry
// arriving while the first call is still applied, two waiting operations delivered in the reverse order, a ChangePlan
// delivered after a Suspend, and a new purchase landed on the organization an unsubscription suspended.
import { describe, expect, it } from 'vitest';
import {
  boughtOn,
  landedIn,
  outcomeOf,
  recordOf,
  undeliveredTo,
} from './support/marketplace-app.js';
import { marketplaceSuite } from './support/marketplace-suite.js';

const app = marketplaceSuite({ marketplace: { onCanceled: 'suspend' } });

/** Microsoft's webhook endpoint unreachable while `act` runs: its calls wait for a retry (`resend`). */
const undelivered = <T>(act: () => Promise<T>): Promise<T> => undeliveredTo(app, act);

/** The organization's webhook audit entries (`organization.billing-changed` by Azure Marketplace). */
async function webhookAudits(org: string): Promise<{ operationId?: string }[]> {
  const { resources } = await app.audit.items
    .query<{ changes: { operationId?: string } }>({
      query:
        "SELECT c.changes FROM c WHERE c.tenant = @t AND c.actor.id = 'azure-marketplace' AND c.action = 'organization.billing-changed'",
      parameters: [{ name: '@t', value: org }],
    })
    .fetchAll();
  return resources.map((r) => r.changes);
}

describe('Microsoft’s calls, interleaved', () => {
  it('a retry arriving while the first call is applied: applied once, audited once, the other a duplicate', async () => {
    const { subscriptionId, org } = await boughtOn(app, 'ivy');
    const change = await undelivered(() => app.standIn.changePlan(subscriptionId, 'team-monthly'));
    const both = await Promise.all([
      app.standIn.resend(change.operation.id),
      app.standIn.resend(change.operation.id),
    ]);
    expect(both.map(outcomeOf).sort()).toEqual(['applied', 'duplicate']);
    expect(await recordOf(app, org)).toMatchObject({
      plan: 'team',
      marketplace: { planId: 'team-monthly' },
    });
    const audits = (await webhookAudits(org)).filter((c) => c.operationId === change.operation.id);
    expect(audits.length).toBe(1);
  });

  it('ChangePlan and ChangeQuantity delivered in the reverse order: both applied, as Microsoft holds them', async () => {
    const { subscriptionId, org } = await boughtOn(app, 'ora');
    const plan = await undelivered(() => app.standIn.changePlan(subscriptionId, 'team-monthly'));
    const seats = await undelivered(() => app.standIn.changeQuantity(subscriptionId, 7));
    expect(outcomeOf(await app.standIn.resend(seats.operation.id))).toBe('applied');
    expect(outcomeOf(await app.standIn.resend(plan.operation.id))).toBe('applied');
    expect(app.standIn.subscriptions.get(subscriptionId)).toMatchObject({
      planId: 'team-monthly',
      quantity: 7,
    });
    expect(await recordOf(app, org)).toMatchObject({
      plan: 'team',
      marketplace: { planId: 'team-monthly', quantity: 7 },
    });
  });

  it('a ChangePlan delivered after a Suspend: acknowledged, the plan applied, the organization still suspended', async () => {
    const { subscriptionId, org } = await boughtOn(app, 'pia');
    const change = await undelivered(() => app.standIn.changePlan(subscriptionId, 'team-monthly'));
    expect(outcomeOf((await app.standIn.suspend(subscriptionId)).delivery)).toBe('applied');
    expect(outcomeOf(await app.standIn.resend(change.operation.id))).toBe('applied');
    expect(app.standIn.operations.get(change.operation.id)?.status).toBe('Succeeded');
    expect(await recordOf(app, org)).toMatchObject({
      plan: 'team',
      status: 'suspended',
      suspendedBy: 'billing',
      marketplace: { status: 'Suspended', planId: 'team-monthly' },
    });
    // Paid again: Reinstate lifts billing's suspension, on the plan Microsoft holds.
    expect(outcomeOf((await app.standIn.reinstate(subscriptionId)).delivery)).toBe('applied');
    expect(await recordOf(app, org)).toMatchObject({ plan: 'team', status: 'active' });
  });

  it('a new purchase landed on the organization an unsubscription suspended: active on the new plan', async () => {
    const { subscriptionId, org } = await boughtOn(app, 'uli');
    const ended = await app.standIn.unsubscribe(subscriptionId);
    expect(outcomeOf(ended.delivery)).toBe('applied');
    expect(await recordOf(app, org)).toMatchObject({ status: 'suspended', suspendedBy: 'billing' });
    const again = app.standIn.purchase({ planId: 'team-monthly' });
    const landed = await app.land(again.token, 'uli', { organization: org });
    expect([landed.status, landedIn(landed)]).toEqual([302, org]);
    expect(await recordOf(app, org)).toMatchObject({
      plan: 'team',
      status: 'active',
      marketplace: { subscriptionId: again.subscriptionId, status: 'Subscribed' },
    });
    expect((await recordOf(app, org))?.suspendedBy).toBeUndefined();
    // The old subscription's retried Unsubscribe reaches nothing: it is no longer the organization's link.
    expect(outcomeOf(await app.standIn.resend(ended.operation.id))).toBe('ignored');
    expect(await recordOf(app, org)).toMatchObject({ plan: 'team', status: 'active' });
  });
});
