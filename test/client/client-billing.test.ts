/**
 * `client.billing` (subscriptions drive plans, DESIGN §2) against `atakora dev` serving a backend that sells its
 * `pro` plan through Stripe, with the Stripe stand-in of @atakora/component/testing as Stripe (`STRIPE_API_BASE`):
 * an Owner reads the organization's billing, opens Checkout for a plan, pays on the stand-in, sees the plan follow
 * the subscription and opens the portal; a Member is refused with a typed ProblemError. A component keyed `billing`
 * keeps its key.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DevSession, startDev } from '../../src/cli/dev/session/session.js';
import { createClient } from '../../src/client/create-client.js';
import { ProblemError } from '../../src/client/problem-error.js';
import { startStripeStandIn, type StripeStandIn } from '../../src/testing/stripe-standin.js';
import type { backend } from './fixtures/organizations-backend.js';

const ENV = {
  STRIPE_KEY: 'sk_test_client_billing',
  STRIPE_WEBHOOK_SECRET: 'whsec_client_billing',
} as const;
const saved: Record<string, string | undefined> = {};
let dev: DevSession;
let stripe: StripeStandIn;

beforeAll(async () => {
  stripe = await startStripeStandIn({
    key: ENV.STRIPE_KEY,
    prices: [{ id: 'price_1Pq2Rs3Tu4', unitAmount: 2900 }],
  });
  for (const [k, v] of Object.entries({ ...ENV, STRIPE_API_BASE: stripe.base })) {
    saved[k] = process.env[k];
    process.env[k] = v;
  }
  dev = await startDev('test/contract/fixtures/billing/backend.ts', {
    log: () => undefined,
    quietWorkers: true,
  });
  stripe.webhook = {
    url: `${dev.apps[0]?.url ?? ''}/api/billing/stripe`,
    secret: ENV.STRIPE_WEBHOOK_SECRET,
  };
});
afterAll(async () => {
  await dev?.stop();
  await stripe?.close();
  for (const [k, v] of Object.entries(saved))
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
});

const clientAs = (user: string, tenant?: string) =>
  createClient<typeof backend>({
    baseUrls: { notes: `${dev.apps[0]?.url ?? ''}/api/notes` },
    getToken: () => 'dev-token',
    ...(tenant ? { tenant } : {}),
    fetch: (input, init) =>
      fetch(input, {
        ...init,
        headers: { ...(init?.headers as object), 'x-atakora-dev-user': user },
      }),
  });
const problem = (e: unknown) => (e instanceof ProblemError ? [e.status, e.code] : e);

describe('client.billing against atakora dev and the Stripe stand-in', () => {
  it("plans(): every declared plan's package, to a signed-in person of no organization yet", async () => {
    const { items } = await clientAs('newcomer@example.com').billing.plans();
    expect(items).toEqual([
      {
        name: 'free',
        default: true,
        price: null,
        perSeat: false,
        trialDays: null,
        seats: null,
        items: {},
        features: [
          'api-keys',
          'audit',
          'directory',
          'domains',
          'exports',
          'mcp',
          'realtime',
          'scim',
          'search',
          'webhooks',
        ],
        checkout: false,
      },
      {
        name: 'pro',
        default: false,
        price: null,
        perSeat: false,
        trialDays: null,
        seats: null,
        items: {},
        features: [
          'api-keys',
          'audit',
          'directory',
          'domains',
          'exports',
          'mcp',
          'realtime',
          'scim',
          'search',
          'webhooks',
        ],
        checkout: true,
      },
    ]);
  });

  it('reads, checks out a plan, follows the subscription, opens the portal; a Member is refused', async () => {
    const org = await clientAs('ada@example.com').tenants.create({ name: 'Paid Co' });
    const ada = clientAs('ada@example.com', org.id);
    expect(await ada.billing.get()).toEqual({
      plan: 'free',
      status: null,
      subscription: null,
      invoice: null,
      channel: null,
      trialEnd: null,
      quantity: null,
    });
    expect(await ada.billing.portal().catch(problem)).toEqual([409, 'billing-customer-missing']);
    expect(await ada.billing.checkout('free').catch(problem)).toEqual([400, 'plan-not-for-sale']);
    const { url } = await ada.billing.checkout('pro');
    expect(url.startsWith(stripe.base)).toBe(true);
    await stripe.completeCheckout(url.split('/').pop() ?? '');
    const paid = await ada.billing.get();
    expect(paid).toMatchObject({
      plan: 'pro',
      status: 'active',
      subscription: { price: 'price_1Pq2Rs3Tu4' },
    });
    expect(paid.invoice).not.toBeNull();
    expect((await ada.billing.portal()).url.startsWith(stripe.base)).toBe(true);

    const invite = await ada.invitations.create({ email: 'mel@example.com', roles: ['Member'] });
    await clientAs('mel@example.com').invitations.accept(
      new URL(invite.acceptUrl).searchParams.get('invitation') ?? '',
    );
    const mel = clientAs('mel@example.com', org.id);
    expect(await mel.billing.get().catch(problem)).toEqual([403, 'access-denied']);
    expect(await mel.billing.checkout('pro').catch(problem)).toEqual([403, 'access-denied']);
  });
});

describe('client.billing beside the components', () => {
  it('is the billing routes of the organization, unless a component is keyed billing', async () => {
    const seen: string[] = [];
    const fetch = async (input: string | URL | Request, init?: RequestInit) => {
      seen.push(`${init?.method ?? 'GET'} ${String(input)}`);
      return new Response(
        JSON.stringify({ url: 'https://checkout.stripe.com/c/pay/cs_1', items: [] }),
        {
          status: 200,
          headers: { 'content-type': 'application/json' },
        },
      );
    };
    const api = 'https://func-x.azurewebsites.net/api';
    const routes = createClient<never>({
      baseUrls: { notes: `${api}/notes` },
      getToken: () => 't',
      fetch,
      tenant: 'acme',
    }) as unknown as {
      billing: {
        checkout(p: string): Promise<{ url: string }>;
        portal(): Promise<unknown>;
        get(): Promise<unknown>;
      };
    };
    expect((await routes.billing.checkout('pro')).url).toBe(
      'https://checkout.stripe.com/c/pay/cs_1',
    );
    await routes.billing.portal();
    await routes.billing.get();
    const keyed = createClient<never>({
      baseUrls: { notes: `${api}/notes`, billing: `${api}/billing` },
      getToken: () => 't',
      fetch,
    }) as unknown as { billing: { get(id: string): Promise<unknown> } };
    await keyed.billing.get('inv-1');
    expect(seen).toEqual([
      `POST ${api}/tenant/billing/checkout`,
      `POST ${api}/tenant/billing/portal`,
      `GET ${api}/tenant/billing`,
      `GET ${api}/billing/inv-1`,
    ]);
  });
});
