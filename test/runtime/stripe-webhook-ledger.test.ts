/**
 * Stripe's webhook (`POST api/billing/stripe`) in the usage ledger: an anonymous door, admitted by its signature
 * alone, whose organization is known only once the event is verified and read back — so each delivery is counted
 * exactly once under tenant `anonymous` (a forged one as refused), never under an organization, and no plan's limit
 * applies to it (a rate-limited organization never loses a subscription change: Stripe would retry it for days).
 */
import type { HttpFunctionOptions, HttpHandler } from '@azure/functions';
import { HttpRequest } from '@azure/functions';
import Stripe from 'stripe';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ANONYMOUS_TENANT } from '../../src/runtime/usage/request-usage.js';
import { boundUsageMeter } from '../../src/runtime/usage/usage-binding.js';
import { cosmosUsageStore } from '../../src/runtime/usage/usage-store.js';
import { hourItems } from '../model/plans-app.js';
import { noteEntity } from './support/entities.js';
import { makeContext } from './support/http.js';
import { type LocalCosmos, startLocalCosmos } from './support/local-cosmos.js';
import { membershipAuth } from './support/registry-auth.js';
import { registerNotesApp } from './support/notes-app.js';

const SECRET = 'whsec_ledger';
const at = '2026-01-01T00:00:00.000Z';
let cosmos: LocalCosmos;
beforeAll(async () => {
  cosmos = await startLocalCosmos();
});
afterAll(async () => cosmos?.stop());

describe("Stripe's webhook in the usage ledger", () => {
  it('counts each delivery once under anonymous (a forged one refused), never an organization, unlimited', async () => {
    const base = membershipAuth('home-dir', {
      plans: { free: { requestsPerMinute: 1 } },
      defaultPlan: 'free',
    });
    const policy = {
      ...base,
      registry: {
        ...base.registry!,
        billing: {
          secret: 'STRIPE_KEY',
          meters: {},
          subscriptions: {
            webhookSecret: 'STRIPE_WEBHOOK_SECRET',
            prices: { price_pro: 'free' },
            onCanceled: 'default-plan' as const,
          },
        },
      },
    };
    const tenants = await cosmos.container('tenants', '/id');
    await cosmos.container('members', '/tenant');
    const usage = await cosmos.container('usage', '/tenant');
    const notes = await cosmos.container(noteEntity.componentId, '/tenantId');
    await tenants.items.upsert({
      id: 'acme',
      plan: 'free',
      status: 'active',
      createdOn: at,
      updatedOn: at,
    });
    const fns = new Map<string, HttpFunctionOptions>();
    registerNotesApp(fns, policy, notes, {
      billing: { env: { STRIPE_KEY: 'sk_test_ledger', STRIPE_WEBHOOK_SECRET: SECRET } },
      usageLedger: {
        store: cosmosUsageStore(usage),
        instance: 'webhook-ledger',
        flushIntervalMs: 0,
        onError: (e) => {
          throw e;
        },
      },
    });
    const webhook = fns.get('atakora-billing-stripe')!.handler as HttpHandler;
    const deliver = async (secret: string) => {
      // An event the webhook verifies and ignores (not a checkout nor a subscription): no call to Stripe.
      const payload = JSON.stringify({
        id: `evt_${Math.random().toString(36).slice(2)}`,
        object: 'event',
        type: 'invoice.paid',
        data: { object: { id: 'in_1', object: 'invoice', customer: 'cus_1' } },
      });
      const signature = new Stripe('sk_test_ledger').webhooks.generateTestHeaderString({
        payload,
        secret,
      });
      const request = new HttpRequest({
        method: 'POST',
        url: 'https://app.test/api/billing/stripe',
        headers: { 'stripe-signature': signature, 'content-type': 'application/json' },
        body: { string: payload },
      });
      return (await webhook(request, makeContext())) as { status?: number };
    };
    // More deliveries than the plan's rate: none limited.
    const statuses = [];
    for (const secret of [SECRET, SECRET, SECRET, 'whsec_forged'])
      statuses.push((await deliver(secret)).status);
    expect(statuses).toEqual([200, 200, 200, 400]);
    const meter = boundUsageMeter(policy.registry)!;
    await meter.flush();
    const sum = async (tenant: string) => {
      const items = await hourItems(usage, tenant);
      return [items.reduce((s, i) => s + i.requests, 0), items.reduce((s, i) => s + i.refused, 0)];
    };
    expect(await sum(ANONYMOUS_TENANT)).toEqual([4, 1]);
    expect(await sum('acme')).toEqual([0, 0]);
  });
});
