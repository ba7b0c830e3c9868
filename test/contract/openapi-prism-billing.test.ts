/**
 * `prism proxy --errors` in front of `atakora dev` serving examples/billing/subscriptions.ts with the Stripe stand-in
 * (`STRIPE_API_BASE`, docs/billing.md "Try it locally"): the billing routes — `GET api/tenant/billing` before and
 * after a subscription (Stripe's invoice preview in it), checkout (a plan not for sale, a meter with two active
 * prices, the plan the organization is on already, an outsider), the portal (no customer yet, then opened) — and
 * Stripe's webhook (a forged signature, a signed event that is not ours) without a violation; then, on a backend with
 * `onCanceled: 'suspend'` (fixtures/billing-suspend), the answers in an organization billing suspended: its Owner's
 * billing routes served, everything else 403 `tenant-suspended`, a paid checkout resuming it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStripeStandIn, type StripeStandIn } from '../../src/testing/stripe-standin.js';
import { stripeSignature } from '../../src/testing/stripe-standin-webhooks.js';
import {
  createOrganization,
  devUser as as,
  type PrismProxy,
  startPrismProxy,
} from './support/prism-proxy.js';

const KEY = 'sk_test_prismBilling';
const SECRET = 'whsec_prismBilling';
const ENV = ['STRIPE_API_BASE', 'STRIPE_KEY', 'STRIPE_WEBHOOK_SECRET'] as const;
const saved = Object.fromEntries(ENV.map((k) => [k, process.env[k]]));
let stripe: StripeStandIn;
let proxy: PrismProxy | undefined;
let suspended: PrismProxy | undefined;

beforeAll(async () => {
  stripe = await startStripeStandIn({
    key: KEY,
    meters: ['api_requests'],
    prices: [
      { id: 'price_1QpLansPro0001', unitAmount: 2900 },
      { id: 'price_req', meter: 'api_requests', unitAmountDecimal: '0.5' },
      { id: 'price_req_old', meter: 'api_requests', unitAmountDecimal: '1' },
    ],
  });
  Object.assign(process.env, {
    STRIPE_API_BASE: stripe.base,
    STRIPE_KEY: KEY,
    STRIPE_WEBHOOK_SECRET: SECRET,
  });
  proxy = await startPrismProxy('examples/billing/subscriptions.ts');
  // Stripe's own deliveries go to dev itself; the webhook's answers through Prism are the calls below.
  stripe.webhook = { url: `${proxy.upstream}/api/billing/stripe`, secret: SECRET };
});
afterAll(async () => {
  await proxy?.stop();
  await suspended?.stop();
  await stripe?.close();
  for (const k of ENV)
    if (saved[k] === undefined) delete process.env[k];
    else process.env[k] = saved[k];
});

describe('prism proxy --errors: the billing routes and the webhook', () => {
  it('answer as documented', async () => {
    const call = (proxy as PrismProxy).call;
    const { org, owner: olga } = await createOrganization(
      call,
      'Prism Billing',
      'olga@example.com',
    );
    expect((await call('GET', '/api/tenant/billing', undefined, olga)).status).toBe(200);
    expect((await call('POST', '/api/tenant/billing/portal', undefined, olga)).status).toBe(409);
    expect(
      (await call('POST', '/api/tenant/billing/checkout', { plan: 'gold' }, olga)).status,
    ).toBe(400);
    expect((await call('POST', '/api/tenant/billing/checkout', { plan: 'pro' }, olga)).status).toBe(
      409,
    );
    expect(
      (
        await call(
          'POST',
          '/api/tenant/billing/checkout',
          { plan: 'pro' },
          as('eve@example.com', org),
        )
      ).status,
    ).toBe(403);
    stripe.billing.prices.get('price_req_old')!['active'] = false;
    const opened = await call('POST', '/api/tenant/billing/checkout', { plan: 'pro' }, olga);
    expect(opened.status).toBe(200);
    const session =
      /\/c\/pay\/(cs_[A-Za-z0-9]+)$/.exec((opened.body as { url: string }).url)?.[1] ?? '';
    await stripe.completeCheckout(session);
    expect(stripe.deliveries.every((d) => d.status === 200)).toBe(true);
    const seen = await call('GET', '/api/tenant/billing', undefined, olga);
    expect(seen.status).toBe(200);
    expect((seen.body as { plan: string; invoice: unknown }).plan).toBe('pro');
    expect((seen.body as { invoice: unknown }).invoice).not.toBeNull();
    // One subscription per organization: a second checkout is 409 subscription-exists (documented).
    expect((await call('POST', '/api/tenant/billing/checkout', { plan: 'pro' }, olga)).status).toBe(
      409,
    );
    expect((await call('POST', '/api/tenant/billing/portal', undefined, olga)).status).toBe(200);
    // The organization's record now holds the subscription: its other answers still conform.
    expect((await call('GET', '/api/tenant', undefined, olga)).status).toBe(200);
    expect((await call('GET', '/api/me/tenants', undefined, as('olga@example.com'))).status).toBe(
      200,
    );
    const event = JSON.stringify({
      id: 'evt_prism1',
      object: 'event',
      type: 'invoice.paid',
      data: { object: { id: 'in_1' } },
    });
    const now = Math.floor(Date.now() / 1000);
    expect(
      (
        await call('POST', '/api/billing/stripe', JSON.parse(event), {
          'stripe-signature': `t=${String(now)},v1=forged`,
        })
      ).status,
    ).toBe(400);
    expect(
      (
        await call('POST', '/api/billing/stripe', JSON.parse(event), {
          'stripe-signature': stripeSignature(event, SECRET, now),
        })
      ).status,
    ).toBe(200);
    expect(proxy!.violations).toEqual([]);
    expect(proxy!.undeclared).toEqual([]);
  });
});

describe('prism proxy --errors: an organization billing suspended', () => {
  it('serves its Owner the billing routes and refuses the rest, as documented', async () => {
    suspended = await startPrismProxy('test/contract/fixtures/billing-suspend/backend.ts');
    stripe.webhook = { url: `${suspended.upstream}/api/billing/stripe`, secret: SECRET };
    const call = suspended.call;
    const { owner: lena } = await createOrganization(call, 'Lapsed', 'lena@example.com');
    const pay = async () => {
      const opened = await call('POST', '/api/tenant/billing/checkout', { plan: 'pro' }, lena);
      expect(opened.status).toBe(200);
      await stripe.completeCheckout(
        /\/c\/pay\/(cs_[A-Za-z0-9]+)$/.exec((opened.body as { url: string }).url)?.[1] ?? '',
      );
    };
    await pay();
    const sub = String(
      (
        (await call('GET', '/api/tenant/billing', undefined, lena)).body as {
          subscription: { id: string };
        }
      ).subscription.id,
    );
    await stripe.cancelSubscription(sub);
    expect((await call('GET', '/api/tenant', undefined, lena)).status).toBe(403);
    expect((await call('POST', '/api/notes', { title: 'n' }, lena)).status).toBe(403);
    const seen = await call('GET', '/api/tenant/billing', undefined, lena);
    expect(seen.status).toBe(200);
    expect((seen.body as { status: string }).status).toBe('canceled');
    expect((await call('POST', '/api/tenant/billing/portal', undefined, lena)).status).toBe(200);
    await pay();
    expect((await call('GET', '/api/tenant', undefined, lena)).status).toBe(200);
    expect(suspended.violations).toEqual([]);
    expect(suspended.undeclared).toEqual([]);
  });
});
