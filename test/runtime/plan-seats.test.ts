/**
 * Seats (`plans.<n>.members`) and per-seat prices with trials (`plans.<n>.stripe.perSeat`, `trialDays`; docs/packaging.md)
 * against the real runtime on the local Cosmos DB server and the Stripe stand-in through the official `stripe` SDK:
 * six invitations accepted at once into an organization with one seat left admit exactly one (the others 402
 * `seat-limit` naming the plans with room, their invitations kept); an Owner's invitation past the seats is 402 with
 * the checkout route; Checkout on a per-seat plan opens with the members as its quantity and the plan's trial
 * (`trialing` is on the plan); every join and removal then sets the subscription item's quantity (Stripe's default
 * proration); the count is the usage container's `room|members`.
 */
import type { Container } from '@azure/cosmos';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MEMBERSHIP_FUNCTIONS } from '../../src/contract/members.js';
import {
  actingAs,
  type BillingApp,
  startBillingApp,
  seedOrganization,
} from '../model/billing-app.js';
import { principalHeader } from './support/built-app.js';
import { invoke } from './support/http.js';
import { type LocalCosmos, startLocalCosmos } from './support/local-cosmos.js';

const at = '2026-01-01T00:00:00.000Z';
let cosmos: LocalCosmos;
let app: BillingApp;
let usage: Container;

const person = (user: string) =>
  principalHeader([
    ['tid', `${user}-directory`],
    ['oid', user],
    ['verified_primary_email', `${user}@example.com`],
  ]);
const fn = (name: keyof typeof MEMBERSHIP_FUNCTIONS) => app.handler(MEMBERSHIP_FUNCTIONS[name]);
const invite = (user: string) =>
  invoke(fn('invitations'), 'POST', 'tenant/invitations', {
    headers: actingAs('ada', 'acme'),
    body: { email: `${user}@example.com`, roles: ['Member'] },
  });
const tokenOf = (url: unknown) => new URL(String(url)).searchParams.get('invitation') ?? '';
const accept = (user: string, token: string) =>
  invoke(fn('accept'), 'POST', 'invitations/accept', { headers: person(user), body: { token } });
const seats = async () =>
  (await usage.item('room|members', 'acme').read<{ count: number }>()).resource?.count;
const quantities = () => app.standIn.billing.quantityChanges.map((c) => c.quantity);

beforeAll(async () => {
  cosmos = await startLocalCosmos();
  app = await startBillingApp(
    cosmos,
    { free: { members: 2 }, team: { members: 5 }, enterprise: {} },
    { price_team: 'team' },
    [{ id: 'price_team', unitAmount: 900 }],
    { perSeat: ['price_team'], trialDays: { price_team: 14 } },
  );
  usage = await cosmos.container('usage', '/tenant');
  await seedOrganization(app, 'acme', 'ada', at);
});
afterAll(async () => {
  await app?.close();
  await cosmos?.stop();
});

describe('seats', () => {
  const tokens = new Map<string, string>();

  it('six acceptances at once into one free seat: exactly one joins, five 402 seat-limit', async () => {
    const people = ['u1', 'u2', 'u3', 'u4', 'u5', 'u6'];
    for (const p of people) {
      const made = await invite(p);
      expect(made.status).toBe(201);
      tokens.set(p, tokenOf(made.body.acceptUrl));
    }
    const answers = await Promise.all(people.map((p) => accept(p, tokens.get(p) ?? '')));
    const statuses = answers.map((a) => a.status);
    expect(statuses.filter((s) => s === 201)).toHaveLength(1);
    expect(statuses.filter((s) => s === 402)).toHaveLength(5);
    const refused = answers.find((a) => a.status === 402);
    expect(refused?.body).toMatchObject({
      type: 'urn:atakora:problem:seat-limit',
      limit: 2,
      plans: ['team', 'enterprise'],
    });
    // Not an Owner: no checkout route named.
    expect(refused?.body.checkout).toBeUndefined();
    expect(await seats()).toBe(2);
    const joined = people[statuses.indexOf(201)] ?? '';
    tokens.delete(joined);
  });

  it("an Owner's invitation past the seats: 402 naming the checkout route", async () => {
    const full = await invite('u7');
    expect(full.status).toBe(402);
    expect(full.body).toMatchObject({
      type: 'urn:atakora:problem:seat-limit',
      plans: ['team', 'enterprise'],
      checkout: 'POST api/tenant/billing/checkout',
    });
  });

  it('Checkout on a per-seat plan: the members as quantity, the trial, trialing on the plan', async () => {
    const opened = await invoke(
      app.handler('atakora-tenant-billing-checkout'),
      'POST',
      'tenant/billing/checkout',
      {
        headers: actingAs('ada', 'acme'),
        body: { plan: 'team' },
      },
    );
    expect(opened.status).toBe(200);
    const session = [...app.standIn.billing.sessions.values()].at(-1) ?? {};
    expect([session['quantity'], session['trial_period_days']]).toEqual([2, '14']);
    await app.standIn.completeCheckout(String(session['id']));
    const record = (await app.tenants.item('acme', 'acme').read()).resource as {
      plan: string;
      billing: { subscription: { status: string } };
    };
    expect([record.plan, record.billing.subscription.status]).toEqual(['team', 'trialing']);
  });

  it("every join and removal sets the subscription item's quantity (default proration)", async () => {
    app.clock.now += 60_000; // past the registry cache: the team plan's seats apply
    const [next] = [...tokens.keys()];
    expect((await accept(next ?? '', tokens.get(next ?? '') ?? '')).status).toBe(201);
    expect(await seats()).toBe(3);
    expect(quantities().at(-1)).toBe(3);
    expect(app.standIn.billing.quantityChanges.at(-1)?.proration).toBe('create_prorations');
    const gone = await invoke(fn('member'), 'DELETE', `tenant/members/${next ?? ''}`, {
      headers: actingAs('ada', 'acme'),
      params: { userId: next ?? '' },
    });
    expect(gone.status).toBe(204);
    expect(await seats()).toBe(2);
    expect(quantities().at(-1)).toBe(2);
  });
});
