/**
 * A Checkout for an organization whose stored Stripe customer Stripe does not know (deleted in the dashboard, or
 * written by the operator from another account): Stripe answers `POST /v1/checkout/sessions` with 400
 * `resource_missing` on param `customer` (docs.stripe.com/error-codes#resource-missing), which the route answered 503
 * `billing-unavailable` for ever. Now the route gives the organization a new customer (recorded, audited with the
 * Owner as actor) and opens the Checkout on it once more; paid, it links as any Checkout. Against the real routes on
 * the local Cosmos DB server and the Stripe stand-in.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  actingAs,
  type BillingApp,
  startBillingApp,
  seedOrganization,
} from '../model/billing-app.js';
import { invoke } from './support/http.js';
import { type LocalCosmos, startLocalCosmos } from './support/local-cosmos.js';

const at = '2026-01-01T00:00:00.000Z';
let cosmos: LocalCosmos;
let app: BillingApp;

beforeAll(async () => {
  cosmos = await startLocalCosmos();
  app = await startBillingApp(cosmos, { free: {}, pro: {} }, { price_pro: 'pro' }, [
    { id: 'price_pro', unitAmount: 2900 },
  ]);
});
afterAll(async () => {
  await app?.close();
  await cosmos?.stop();
});

const organization = (id: string, owner: string, billing: Record<string, unknown>) =>
  seedOrganization(app, id, owner, at, { billing });

const recordOf = async (id: string) =>
  (await app.tenants.item(id, id).read()).resource as {
    plan: string;
    billing?: { stripeCustomerId: string; trialUsed?: true; subscription?: { status: string } };
  };

describe('a Checkout whose stored customer Stripe does not know', () => {
  it('opens on a new customer, recorded and audited; paid, it links', async () => {
    await organization('gone-cus', 'ada', {
      stripeCustomerId: 'cus_DeletedInDashboard',
      subscription: { id: 'sub_Old', status: 'canceled', cancelAtPeriodEnd: false },
      trialUsed: true,
    });
    const opened = await invoke(
      app.handler('atakora-tenant-billing-checkout'),
      'POST',
      'tenant/billing/checkout',
      { headers: actingAs('ada', 'gone-cus'), body: { plan: 'pro' } },
    );
    expect(opened.status).toBe(200);
    expect((opened.body as { url: string }).url).toMatch(/\/c\/pay\/cs_/);
    const record = await recordOf('gone-cus');
    const customer = record.billing?.stripeCustomerId ?? '';
    expect(customer).not.toBe('cus_DeletedInDashboard');
    expect(app.standIn.billing.customers.has(customer)).toBe(true);
    // One trial per organization still: the new customer does not open a second.
    expect(record.billing?.trialUsed).toBe(true);
    const session = [...app.standIn.billing.sessions.values()].find(
      (s) => s['client_reference_id'] === 'gone-cus',
    );
    expect(session?.['customer']).toBe(customer);
    const { resources } = await app.audit.items
      .query<{ action: string; actor: { id: string; via: string }; changes: unknown }>({
        query: 'SELECT * FROM c WHERE c.tenant = @t',
        parameters: [{ name: '@t', value: 'gone-cus' }],
      })
      .fetchAll();
    expect(resources).toContainEqual(
      expect.objectContaining({
        action: 'organization.billing-changed',
        actor: expect.objectContaining({ id: 'ada', via: 'api' }),
        changes: expect.objectContaining({
          stripeCustomerId: { from: 'cus_DeletedInDashboard', to: customer },
          reason: 'customer-missing-at-stripe',
        }),
      }),
    );
    await app.standIn.completeCheckout(String(session?.['id']));
    await app.standIn.settled();
    const paid = await recordOf('gone-cus');
    expect(paid.plan).toBe('pro');
    expect(paid.billing?.stripeCustomerId).toBe(customer);
    expect(paid.billing?.subscription?.status).toBe('active');
  });

  it('two Checkouts at once give the organization one new customer', async () => {
    await organization('gone-twice', 'bea', { stripeCustomerId: 'cus_AlsoDeleted' });
    const answers = await Promise.all(
      [1, 2].map(() =>
        invoke(app.handler('atakora-tenant-billing-checkout'), 'POST', 'tenant/billing/checkout', {
          headers: actingAs('bea', 'gone-twice'),
          body: { plan: 'pro' },
        }),
      ),
    );
    expect(answers.map((a) => a.status)).not.toContain(503);
    expect(answers.some((a) => a.status === 200)).toBe(true);
    const customer = (await recordOf('gone-twice')).billing?.stripeCustomerId ?? '';
    expect(app.standIn.billing.customers.has(customer)).toBe(true);
    const made = [...app.standIn.billing.customers.values()].filter(
      (c) => (c['metadata'] as Record<string, string>)['atakora_tenant'] === 'gone-twice',
    );
    expect(made.map((c) => c['id'])).toEqual([customer]);
  });
});
