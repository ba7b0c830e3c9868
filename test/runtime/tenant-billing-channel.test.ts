/**
 * `GET api/tenant/billing` names how the organization pays (a new user found a page could not tell a Marketplace-billed
 * organization from a free one): `channel` — `'stripe'` with a live subscription, `'marketplace'` with a live Azure
 * Marketplace link, null otherwise —, the trial's end (Stripe's `trial_end`) and the quantity (the seats billed: the
 * subscription item's, or the Marketplace subscription's). The real runtime on the local Cosmos DB server, the Stripe
 * stand-in of @atakora/component/testing.
 */
import type { Container } from '@azure/cosmos';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { actingAs as as, type BillingApp, startBillingApp } from '../model/billing-app.js';
import { invoke } from './support/http.js';
import { type LocalCosmos, startLocalCosmos } from './support/local-cosmos.js';

const at = '2026-01-01T00:00:00.000Z';
let cosmos: LocalCosmos;
let app: BillingApp;
let tenants: Container;

beforeAll(async () => {
  cosmos = await startLocalCosmos();
  app = await startBillingApp(
    cosmos,
    { free: {}, team: {} },
    { price_team: 'team' },
    [{ id: 'price_team', unitAmount: 1500 }],
    { perSeat: ['price_team'], trialDays: { price_team: 14 } },
  );
  ({ tenants } = app);
  for (const [org, users] of [
    ['acme', ['ada', 'bob']],
    ['globex', ['gus']],
    ['initech', ['ian']],
  ] as const) {
    await tenants.items.upsert({
      id: org,
      plan: 'free',
      status: 'active',
      createdOn: at,
      updatedOn: at,
    });
    for (const [i, user] of users.entries())
      await app.members.items.upsert({
        id: `${org}|${user}`,
        tenant: org,
        userId: user,
        roles: [i === 0 ? 'Owner' : 'Member'],
        addedOn: at,
      });
  }
});
afterAll(async () => {
  await app?.close();
  await cosmos?.stop();
});

const billing = async (user: string, org: string) =>
  (
    await invoke(app.handler('atakora-tenant-billing'), 'GET', 'tenant/billing', {
      headers: as(user, org),
    })
  ).body as Record<string, unknown>;

describe('GET api/tenant/billing: the channel, the trial and the quantity', () => {
  it('a free organization: no channel, no trial, no quantity', async () => {
    const b = await billing('gus', 'globex');
    expect([b['plan'], b['channel'], b['trialEnd'], b['quantity']]).toEqual([
      'free',
      null,
      null,
      null,
    ]);
  });

  it('a per-seat trial through Checkout: stripe, the trial end, the seats billed', async () => {
    const opened = await invoke(
      app.handler('atakora-tenant-billing-checkout'),
      'POST',
      'tenant/billing/checkout',
      {
        headers: as('ada', 'acme'),
        body: { plan: 'team' },
      },
    );
    expect(opened.status).toBe(200);
    const session = [...app.standIn.billing.sessions.values()].at(-1) ?? {};
    await app.standIn.completeCheckout(String(session['id']));
    const b = await billing('ada', 'acme');
    expect([b['plan'], b['status'], b['channel'], b['quantity']]).toEqual([
      'team',
      'trialing',
      'stripe',
      2,
    ]);
    expect(typeof b['trialEnd']).toBe('string');
    // Fourteen days of trial from the checkout (the stand-in's clock is the wall clock).
    const days = (Date.parse(String(b['trialEnd'])) - Date.now()) / 86_400_000;
    expect(days).toBeGreaterThan(13);
    expect(days).toBeLessThanOrEqual(14);
  });

  it('a Marketplace-billed organization: marketplace and its seats; once unsubscribed, none', async () => {
    const link = {
      subscriptionId: '9a1c2e3f-0000-4000-8000-000000000001',
      offerId: 'atakora-team',
      planId: 'team-monthly',
    };
    await tenants.items.upsert({
      id: 'initech',
      plan: 'team',
      status: 'active',
      createdOn: at,
      updatedOn: at,
      marketplace: { ...link, status: 'Subscribed', quantity: 7, activatedOn: at },
    });
    const b = await billing('ian', 'initech');
    expect([b['plan'], b['channel'], b['quantity'], b['trialEnd'], b['subscription']]).toEqual([
      'team',
      'marketplace',
      7,
      null,
      null,
    ]);
    await tenants.items.upsert({
      id: 'initech',
      plan: 'free',
      status: 'active',
      createdOn: at,
      updatedOn: at,
      marketplace: { ...link, status: 'Unsubscribed', quantity: 7 },
    });
    const after = await billing('ian', 'initech');
    expect([after['channel'], after['quantity']]).toEqual([null, null]);
  });
});
