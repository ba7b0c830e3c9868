// Microsoft's webhook of an offer sold on Azure Marketplace (DESIGN §2), against the real runtime on the local Cosmos DB
// server and the Marketplace stand-in's signed calls: only Microsoft's tokens admitted, only Get Operation's answer
// acted on, ChangePlan/ChangeQuantity acknowledged, Suspend/Reinstate/Unsubscribe/Renew applied once each, audited.
import { describe, expect, it } from 'vitest';
import { MARKETPLACE_API_APP_ID } from '../../src/model/marketplace.js';
import { CLIENT, boughtOn, PUBLISHER, outcomeOf, recordOf } from './support/marketplace-app.js';
import { marketplaceSuite } from './support/marketplace-suite.js';

const app = marketplaceSuite();

const bought = (user: string, planId?: string) => boughtOn(app, user, planId);
const outcome = outcomeOf;

describe('POST api/marketplace/webhook', () => {
  it('admits only a token the publisher tenant signed for the fulfillment app from the Marketplace API', async () => {
    const { subscriptionId, org } = await bought('ada');
    // A Suspend whose call is replayed with each broken token: refused 401, the organization untouched.
    const { operation } = await app.standIn.suspend(subscriptionId);
    await app.standIn.reinstate(subscriptionId);
    const now = Math.floor(Date.now() / 1000);
    const forged = [
      app.standIn.webhookToken({}, { foreignKey: true }),
      app.standIn.webhookToken({ aud: '00000000-0000-0000-0000-000000000001' }),
      app.standIn.webhookToken({ tid: '00000000-0000-0000-0000-000000000002' }),
      app.standIn.webhookToken({ appid: '00000000-0000-0000-0000-000000000003' }),
      app.standIn.webhookToken({ appid: undefined, azp: undefined }),
      app.standIn.webhookToken({ exp: now - 1 }),
      app.standIn.webhookToken({ nbf: now + 600 }),
      'not-a-jwt',
    ];
    const suspendedOps = (await recordOf(app, org))?.marketplace?.operations ?? [];
    for (const token of forged) {
      const d = await app.standIn.resend(operation.id, { token });
      expect(d.status, token.slice(0, 40)).toBe(401);
    }
    expect((await recordOf(app, org))?.marketplace?.operations).toEqual(suspendedOps);
    // A v2 token names the caller in azp: admitted.
    const v2 = app.standIn.webhookToken({
      appid: undefined,
      azp: MARKETPLACE_API_APP_ID,
      ver: '2.0',
    });
    expect(outcome(await app.standIn.resend(operation.id, { token: v2 }))).toBe('duplicate');
    expect(app.standIn.publisher).toEqual({ tenant: PUBLISHER, clientId: CLIENT });
  });

  it('suspends by billing, reinstates, and applies each operation once (a replay answers 200 and changes nothing)', async () => {
    const { subscriptionId, org } = await bought('bea');
    const s = await app.standIn.suspend(subscriptionId);
    expect(outcome(s.delivery)).toBe('applied');
    expect(await recordOf(app, org)).toMatchObject({
      status: 'suspended',
      suspendedBy: 'billing',
      marketplace: { status: 'Suspended' },
    });
    const r = await app.standIn.reinstate(subscriptionId);
    expect(outcome(r.delivery)).toBe('applied');
    expect(await recordOf(app, org)).toMatchObject({
      status: 'active',
      marketplace: { status: 'Subscribed' },
    });
    // Microsoft's retry (or an attacker's replay) of the Suspend: applied once, so the organization stays active.
    expect(outcome(await app.standIn.resend(s.operation.id))).toBe('duplicate');
    expect((await recordOf(app, org))?.status).toBe('active');
  });

  it('acts on Get Operation’s answer, never on the payload', async () => {
    const { subscriptionId, org } = await bought('cid');
    const { operation } = await app.standIn.suspend(subscriptionId);
    await app.standIn.reinstate(subscriptionId);
    // A signed call whose payload says Reinstate for an operation Marketplace knows as a Suspend already applied, and
    // one naming an operation Marketplace does not know: neither changes anything.
    const post = (body: object) =>
      fetch(app.standIn.webhook!.url, {
        method: 'POST',
        headers: {
          authorization: `Bearer ${app.standIn.webhookToken()}`,
          'content-type': 'application/json',
        },
        body: JSON.stringify(body),
      }).then(async (res) => ({ status: res.status, body: await res.text() }));
    const lie = await post({
      id: operation.id,
      subscriptionId,
      action: 'Unsubscribe',
      status: 'Succeeded',
    });
    expect(outcome(lie)).toBe('duplicate');
    const unknown = await post({ id: crypto.randomUUID(), subscriptionId, action: 'Unsubscribe' });
    expect(outcome(unknown)).toBe('ignored');
    expect(await recordOf(app, org)).toMatchObject({ status: 'active', plan: 'pro' });
    expect((await post({ action: 'Suspend' })).status).toBe(400);
  });

  it('acknowledges ChangePlan (Success for a mapped plan, Failure otherwise) and ChangeQuantity, then applies them', async () => {
    const { subscriptionId, org } = await bought('dan');
    const up = await app.standIn.changePlan(subscriptionId, 'team-monthly');
    expect(outcome(up.delivery)).toBe('applied');
    expect(app.standIn.operations.get(up.operation.id)?.status).toBe('Succeeded');
    expect(await recordOf(app, org)).toMatchObject({
      plan: 'team',
      marketplace: { planId: 'team-monthly' },
    });
    const gold = await app.standIn.changePlan(subscriptionId, 'gold');
    expect(outcome(gold.delivery)).toBe('refused');
    expect(app.standIn.operations.get(gold.operation.id)?.status).toBe('Failed');
    expect(app.standIn.subscriptions.get(subscriptionId)?.planId).toBe('team-monthly');
    expect((await recordOf(app, org))?.plan).toBe('team');
    const seats = await app.standIn.changeQuantity(subscriptionId, 12);
    expect(app.standIn.operations.get(seats.operation.id)?.status).toBe('Succeeded');
    expect((await recordOf(app, org))?.marketplace?.quantity).toBe(12);
  });

  it('records a renewal, and an unsubscription moves the organization to the default plan, its data kept', async () => {
    const { subscriptionId, org } = await bought('eve');
    await app.standIn.renew(subscriptionId);
    expect((await recordOf(app, org))?.marketplace?.renewedOn).toBeDefined();
    const u = await app.standIn.unsubscribe(subscriptionId);
    expect(outcome(u.delivery)).toBe('applied');
    expect(await recordOf(app, org)).toMatchObject({
      plan: 'free',
      status: 'active',
      marketplace: { status: 'Unsubscribed' },
    });
    // The Owner is still there: nothing of the organization was deleted.
    expect((await app.members.item(`${org}|eve`, org).read()).resource).toBeDefined();
  });

  it('audits every change the webhook makes, via webhook', async () => {
    const { subscriptionId, org } = await bought('fay');
    await app.standIn.suspend(subscriptionId);
    const { resources } = await app.audit.items
      .query<{ action: string; actor: { via: string }; changes?: Record<string, unknown> }>({
        query: 'SELECT * FROM c WHERE c.tenant = @t',
        parameters: [{ name: '@t', value: org }],
      })
      .fetchAll();
    const viaWebhook = resources.filter((e) => e.actor.via === 'webhook');
    expect(viaWebhook).toHaveLength(1);
    expect(viaWebhook[0]).toMatchObject({
      action: 'organization.billing-changed',
      changes: { channel: 'marketplace', operation: 'Suspend', status: 'Suspended' },
    });
  });
});
