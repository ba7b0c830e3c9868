/**
 * An offer sold on Azure Marketplace under `atakora dev` (through `startBackend` of @atakora/component/testing) with
 * `startMarketplaceStandIn()` named by `ATAKORA_MARKETPLACE_API` for both services it stands in for: the landing page
 * resolves and activates a purchase (the buyer the Owner of a new organization), Microsoft's signed webhook suspends
 * it through dev's host (exempt from dev's sign-in as from App Service's), and the stand-in's Entra endpoints are the
 * only ones called. examples/billing/marketplace.ts is the backend; both helpers come from the built package, as a
 * user's test imports them.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type MarketplaceStandIn,
  startBackend,
  startMarketplaceStandIn,
  type TestBackend,
} from '@atakora/component/testing';
import backend from '../../examples/billing/marketplace.js';

const SECRET = 'dev-fulfillment-secret';
let standIn: MarketplaceStandIn;
let t: TestBackend;
const saved = {
  api: process.env['ATAKORA_MARKETPLACE_API'],
  secret: process.env['MARKETPLACE_SECRET'],
};
beforeAll(async () => {
  standIn = await startMarketplaceStandIn({ clientSecret: SECRET, offerId: 'sold-projects' });
  process.env['ATAKORA_MARKETPLACE_API'] = standIn.base;
  process.env['MARKETPLACE_SECRET'] = SECRET;
  t = await startBackend(backend);
});
afterAll(async () => {
  await t?.stop();
  await standIn?.close();
  for (const [k, v] of [
    ['ATAKORA_MARKETPLACE_API', saved.api],
    ['MARKETPLACE_SECRET', saved.secret],
  ] as const)
    if (v === undefined) Reflect.deleteProperty(process.env, k);
    else process.env[k] = v;
});

describe('Azure Marketplace under atakora dev, with the stand-in', () => {
  it('lands a purchase: resolved, the buyer Owner of a new organization on the mapped plan, activated', async () => {
    const { subscriptionId, token } = standIn.purchase({
      planId: 'pro-monthly',
      name: 'Dev Buyer Co',
    });
    const buyer = t.as({ user: 'buyer@example.com' });
    const landed = await buyer.fetch(`api/marketplace/landing?token=${encodeURIComponent(token)}`, {
      redirect: 'manual',
    });
    expect(landed.status).toBe(302);
    const org =
      new URL(landed.headers.get('location') ?? '').searchParams.get('organization') ?? '';
    expect(org).toMatch(/^dev-buyer-co-/);
    expect(standIn.activations).toEqual([subscriptionId]);
    // The token was asked for of the publisher tenant the config names, for the fulfillment app it names.
    expect(standIn.publisher).toEqual({
      tenant: '72f988bf-86f1-41af-91ab-2d7cd011db47',
      clientId: '5b1c7a3e-8d2f-4c2d-9e8f-1a2b3c4d5e6f',
    });
    const mine = (await (await buyer.fetch('api/me/tenants')).json()) as {
      items: { id: string; plan: string; roles: string[] }[];
    };
    expect(mine.items).toEqual([
      expect.objectContaining({ id: org, plan: 'pro', roles: ['Owner'] }),
    ]);
    // Its membership came in by the organization's creation (`created`, as `POST api/tenants`'s creator's).
    const members = (await (
      await t.as({ user: 'buyer@example.com', tenant: org }).fetch('api/tenant/members')
    ).json()) as { items: { roles: string[]; via?: string }[] };
    expect(members.items).toEqual([expect.objectContaining({ roles: ['Owner'], via: 'created' })]);

    // Microsoft's webhook, signed by the stand-in's key set, through dev's host (no sign-in there, as in Azure).
    standIn.webhook = {
      url: new URL('api/marketplace/webhook', new URL(t.endpoints['projects']!).origin + '/').href,
    };
    const { delivery } = await standIn.suspend(subscriptionId);
    expect(delivery.status).toBe(200);
    const suspended = await t.as({ user: 'buyer@example.com', tenant: org }).fetch('api/projects');
    expect(suspended.status).toBe(403);
    expect(((await suspended.json()) as { type: string }).type).toMatch(/tenant-suspended$/);
    // A forged call never reaches the organization.
    const forged = await standIn.resend(delivery.operationId, {
      token: standIn.webhookToken({}, { foreignKey: true }),
    });
    expect(forged.status).toBe(401);
  });
});
