/**
 * Microsoft's calls that arrive while the buyer's first landing is still in flight. The landing activates the
 * purchase, then waits two ledger flush intervals to read the hour's usage (activation-baseline.ts) before it writes
 * the link; Microsoft may send its first operations as soon as the subscription is active, and docs/billing.md's "Try
 * Marketplace locally" script does exactly that (it waits for the activation, then suspends and changes the plan).
 * The webhook's write lands first; the landing's write then meets 412 and tried again with the Get Subscription it
 * had read before the wait: the suspension undone, the plan put back — the organization active on a plan Microsoft
 * no longer bills. Real runtime on the local Cosmos DB server and the Marketplace stand-in.
 */
import { describe, expect, it } from 'vitest';
import { landedIn, outcomeOf, recordOf } from './support/marketplace-app.js';
import { marketplaceSuite } from './support/marketplace-suite.js';

// Two flush intervals of 3 s: the landing's write comes 6 s after the activation, the webhook's well before it (each
// test checks that the landing was still in flight when the webhook answered).
const app = marketplaceSuite({ flushIntervalMs: 3_000 });

/** A purchase whose landing is sent, and the moment Microsoft counts it active. */
async function landingInFlight(user: string, planId = 'pro-monthly') {
  const { subscriptionId, token } = app.standIn.purchase({ planId });
  let landed = false;
  const landing = app.land(token, user).finally(() => {
    landed = true;
  });
  while (!app.standIn.activations.includes(subscriptionId))
    await new Promise((r) => setTimeout(r, 20));
  return { subscriptionId, landing, inFlight: () => !landed };
}

describe('Microsoft’s operations while the first landing is in flight', () => {
  it('a Suspend applied before the landing’s write stays applied', async () => {
    const { subscriptionId, landing, inFlight } = await landingInFlight('suspended-buyer');
    const { delivery } = await app.standIn.suspend(subscriptionId);
    expect([outcomeOf(delivery), inFlight()]).toEqual(['applied', true]);
    const org = landedIn(await landing);
    const record = await recordOf(app, org);
    expect([record?.status, record?.suspendedBy, record?.marketplace?.status]).toEqual([
      'suspended',
      'billing',
      'Suspended',
    ]);
    expect(record?.marketplace?.activatedOn).toBeDefined();
  });
  it('a ChangePlan applied before the landing’s write stays applied', async () => {
    const { subscriptionId, landing, inFlight } = await landingInFlight('upgrading-buyer');
    const { delivery } = await app.standIn.changePlan(subscriptionId, 'team-monthly');
    expect([outcomeOf(delivery), inFlight()]).toEqual(['applied', true]);
    const org = landedIn(await landing);
    const record = await recordOf(app, org);
    expect([record?.plan, record?.status, record?.marketplace?.planId]).toEqual([
      'team',
      'active',
      'team-monthly',
    ]);
  });
});
