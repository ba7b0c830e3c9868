// The landing page of an offer sold on Azure Marketplace (DESIGN §2), against the real runtime on the local Cosmos DB
// server and the Marketplace stand-in: sign-in, resolve, the organization created or linked (the buyer its Owner) on
// the mapped plan, activated once, reopened onto the same organization, claimed once, one billing channel.
import { describe, expect, it } from 'vitest';
import { seedOrganization } from '../model/billing-app.js';
import { startLocalCosmos } from './support/local-cosmos.js';
import { landedIn, recordOf, startMarketplaceApp } from './support/marketplace-app.js';
import { marketplaceSuite } from './support/marketplace-suite.js';

const app = marketplaceSuite();

const typeOf = (r: { body: { type?: string } | undefined }) =>
  String(r.body?.type ?? '').replace('urn:atakora:problem:', '');

describe('GET api/marketplace/landing', () => {
  it('sends a buyer who is not signed in to the landing sign-in, and back to the same URL', async () => {
    const { token } = app.standIn.purchase({ planId: 'pro-monthly' });
    const r = await app.land(token);
    expect(r.status).toBe(302);
    const to = new URL(r.headers.get('location') ?? '', 'https://app.test');
    expect(to.pathname).toBe('/.auth/login/marketplace');
    expect(to.searchParams.get('post_login_redirect_uri')).toBe(
      `/api/marketplace/landing?token=${encodeURIComponent(token)}`,
    );
    expect(app.standIn.activations).toEqual([]);
  });

  it('refuses a missing or unknown token with the guidance Learn gives, changing nothing', async () => {
    expect(typeOf(await app.land(undefined, 'nobody'))).toBe('marketplace-token-invalid');
    const r = await app.land('not+a/token=', 'nobody');
    expect(r.status).toBe(400);
    expect(typeOf(r)).toBe('marketplace-token-invalid');
    expect(String(r.body.detail)).toMatch(/Manage account/);
  });

  it('creates the buyer’s organization on the mapped plan, the buyer its Owner, activated once; reopened, lands there again', async () => {
    const { subscriptionId, token } = app.standIn.purchase({
      planId: 'pro-monthly',
      name: 'Contoso Notes',
    });
    const first = await app.land(token, 'ada');
    expect(first.status).toBe(302);
    const org = landedIn(first);
    expect(org).toMatch(/^contoso-notes-[a-z0-9]{6}$/);
    const rec = await recordOf(app, org);
    expect(rec).toMatchObject({ plan: 'pro', status: 'active', name: 'Contoso Notes' });
    expect(rec?.marketplace).toMatchObject({
      subscriptionId,
      status: 'Subscribed',
      planId: 'pro-monthly',
    });
    expect(rec?.marketplace?.activatedOn).toBeDefined();
    const owner = (
      await app.members.item(`${org}|ada`, org).read<{ roles: string[]; via?: string }>()
    ).resource;
    expect(owner?.roles).toEqual(['Owner']);
    // The purchase created the organization, the buyer its first Owner: the door `POST api/tenants` writes, not
    // lifeOf's default (`invitation`) of a membership stored without one.
    expect(owner?.via).toBe('created');
    expect(app.standIn.subscriptions.get(subscriptionId)?.status).toBe('Subscribed');
    // "Manage account": a new token for the same purchase lands on the same organization, nothing activated again.
    const again = await app.land(app.standIn.landingToken(subscriptionId), 'ada');
    expect(landedIn(again)).toBe(org);
    expect(app.standIn.activations.filter((s) => s === subscriptionId)).toHaveLength(1);
    // Audited as the creator's membership is: once, through its door (the reopened landing adds none).
    const { resources: added } = await app.audit.items
      .query<{ actor: { id: string }; changes?: { roles?: unknown; via?: string } }>({
        query: 'SELECT * FROM c WHERE c.tenant = @t AND c.action = @a AND c.target = @u',
        parameters: [
          { name: '@t', value: org },
          { name: '@a', value: 'member.added' },
          { name: '@u', value: 'ada' },
        ],
      })
      .fetchAll();
    expect(added.map((a) => [a.actor.id, a.changes])).toEqual([
      ['ada', { roles: { to: ['Owner'] }, via: 'created' }],
    ]);
  });

  it('claims a purchase once: another user with its token is refused, and nothing of theirs is made', async () => {
    const { subscriptionId, token } = app.standIn.purchase({ planId: 'team-monthly' });
    const org = landedIn(await app.land(token, 'bea'));
    const mal = await app.land(app.standIn.landingToken(subscriptionId), 'mal');
    expect(mal.status).toBe(409);
    expect(typeOf(mal)).toBe('marketplace-purchase-claimed');
    const { resources } = await app.members.items
      .query({
        query: 'SELECT * FROM c WHERE c.userId = @u',
        parameters: [{ name: '@u', value: 'mal' }],
      })
      .fetchAll();
    expect(resources).toEqual([]);
    expect((await recordOf(app, org))?.plan).toBe('team');
  });

  it('refuses a plan the offer does not map and a purchase of another offer, activating nothing', async () => {
    const before = app.standIn.activations.length;
    const unmapped = await app.land(app.standIn.purchase({ planId: 'gold' }).token, 'cid');
    expect(unmapped.status).toBe(400);
    expect(typeOf(unmapped)).toBe('plan-not-for-sale');
    const other = await app.land(
      app.standIn.purchase({ planId: 'pro-monthly', offerId: 'other' }).token,
      'cid',
    );
    expect(typeOf(other)).toBe('marketplace-token-invalid');
    expect(app.standIn.activations.length).toBe(before);
  });

  it('links the buyer’s existing organization they own, and refuses one they do not own or that Stripe bills', async () => {
    const at = '2026-01-01T00:00:00.000Z';
    const own = (id: string, user: string, extra: Record<string, unknown> = {}) =>
      seedOrganization(app, id, user, at, extra);
    await own('dan-org', 'dan');
    await own('stripe-org', 'dan', {
      billing: { stripeCustomerId: 'cus_dan', subscription: { id: 'sub_1', status: 'active' } },
    });
    const notOwner = await app.land(app.standIn.purchase({ planId: 'pro-monthly' }).token, 'eve', {
      organization: 'dan-org',
    });
    expect(notOwner.status).toBe(403);
    const billed = await app.land(app.standIn.purchase({ planId: 'pro-monthly' }).token, 'dan', {
      organization: 'stripe-org',
    });
    expect(billed.status).toBe(409);
    expect(typeOf(billed)).toBe('billing-channel-taken');
    expect((await recordOf(app, 'stripe-org'))?.marketplace).toBeUndefined();
    const { subscriptionId, token } = app.standIn.purchase({ planId: 'pro-monthly' });
    const linked = await app.land(token, 'dan', { organization: 'dan-org' });
    expect(landedIn(linked)).toBe('dan-org');
    expect(await recordOf(app, 'dan-org')).toMatchObject({
      plan: 'pro',
      marketplace: { subscriptionId, status: 'Subscribed' },
    });
    // One channel: a second purchase cannot bill dan-org too.
    const second = await app.land(app.standIn.purchase({ planId: 'team-monthly' }).token, 'dan', {
      organization: 'dan-org',
    });
    expect(typeOf(second)).toBe('billing-channel-taken');
  });

  it('answers 503 and changes nothing while the fulfillment app’s secret is unset', async () => {
    const other = await startLocalCosmos();
    const bare = await startMarketplaceApp(other, { env: { MARKETPLACE_SECRET: '' } });
    try {
      const r = await bare.land(bare.standIn.purchase({ planId: 'pro-monthly' }).token, 'ada');
      expect(r.status).toBe(503);
      expect(typeOf(r)).toBe('marketplace-unavailable');
      expect(bare.standIn.activations).toEqual([]);
    } finally {
      await bare.close();
      await other.stop();
    }
  });
});
