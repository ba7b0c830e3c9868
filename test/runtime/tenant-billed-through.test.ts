/**
 * `GET api/tenant`'s `billedThrough` (contract/tenants.ts): the plan element reads it to send an Owner to "Manage
 * account" in Azure instead of Stripe's portal. It is `'marketplace'` exactly while the organization's Marketplace link
 * is live — from the landing until Microsoft's Unsubscribe — and absent once the link ended, against the real runtime
 * on the local Cosmos DB server and the Marketplace stand-in. A suspended organization answers 403 `tenant-suspended`
 * on every route (DESIGN §2), its detail naming who lifts the suspension.
 */
import { describe, expect, it } from 'vitest';
import { principalHeader } from './support/built-app.js';
import { invoke } from './support/http.js';
import { boughtOn } from './support/marketplace-app.js';
import { marketplaceSuite } from './support/marketplace-suite.js';

const app = marketplaceSuite();

const shown = async (user: string, org: string) =>
  (
    await invoke(app.handler('tenant-self'), 'GET', 'tenant', {
      headers: {
        ...principalHeader([
          ['tid', `${user}-directory`],
          ['oid', user],
        ]),
        'x-atakora-tenant': org,
      },
    })
  ).body as {
    status?: string;
    plan?: string;
    billedThrough?: string;
    type?: string;
    detail?: string;
  };

describe("GET api/tenant's billedThrough", () => {
  it("is 'marketplace' while the link is live, and absent once Microsoft's Unsubscribe ended it", async () => {
    const { subscriptionId, org } = await boughtOn(app, 'bea');
    expect(await shown('bea', org)).toMatchObject({ plan: 'pro', billedThrough: 'marketplace' });
    expect((await app.standIn.unsubscribe(subscriptionId)).delivery.status).toBe(200);
    const after = await shown('bea', org);
    expect(after).toMatchObject({ plan: 'free', status: 'active' });
    expect(after).not.toHaveProperty('billedThrough');
  });

  it('a suspension by billing is told as billing, not as the operator', async () => {
    const { subscriptionId, org } = await boughtOn(app, 'dee');
    expect((await app.standIn.suspend(subscriptionId)).delivery.status).toBe(200);
    const refused = await shown('dee', org);
    expect(refused.type).toBe('urn:atakora:problem:tenant-suspended');
    expect(refused.detail).toMatch(/suspended for its billing/);
    expect(refused.detail).toMatch(/Manage account/);
    expect(refused.detail).not.toMatch(/operator/);
  });
});
