/**
 * The undelete of an organization whose subscription Stripe no longer has (src/runtime/billing/organization-subscription.ts
 * `billingOnUndelete`): the stored subscription is kept ended — written by its one writer
 * (model/lives/subscription-record.ts `subscriptionInLife`), its cancel at the period's end dropped — and the
 * organization gets `onCanceled` as the webhook would have given it, never active on a paid plan without a paying
 * subscription.
 */
import { describe, expect, it } from 'vitest';
import type { TenantRecord } from '../../src/contract/tenants.js';
import {
  billingOnUndelete,
  type OrganizationSubscriptions,
} from '../../src/runtime/billing/organization-subscription.js';
import type { SubscriptionsStripe } from '../../src/runtime/billing/subscriptions-port.js';

/** Stripe with no subscription at all: every read of one answers none, and nothing else is asked. */
const goneStripe = {
  subscription: () => Promise.resolve(undefined),
  cancelAtPeriodEnd: () => Promise.reject(new Error('nothing to resume: the subscription is gone')),
} as unknown as SubscriptionsStripe;

const portOf = (onCanceled: 'default-plan' | 'suspend'): OrganizationSubscriptions => ({
  subscriptions: { webhookSecret: 'S', prices: { price_pro: 'pro' }, onCanceled },
  stripe: () => Promise.resolve(goneStripe),
});

const deleted: TenantRecord = {
  id: 'acme',
  plan: 'pro',
  status: 'suspended',
  billing: {
    stripeCustomerId: 'cus_1',
    subscription: {
      id: 'sub_1',
      status: 'active',
      price: 'price_pro',
      currentPeriodEnd: '2026-12-01T00:00:00.000Z',
      cancelAtPeriodEnd: true,
    },
  },
  createdOn: '2026-01-01T00:00:00.000Z',
  updatedOn: '2026-11-28T00:00:00.000Z',
};

describe('an undelete whose subscription is gone from Stripe', () => {
  it('keeps the subscription canceled (its cancel at the period’s end dropped) and applies onCanceled', async () => {
    const ended = {
      id: 'sub_1',
      status: 'canceled',
      price: 'price_pro',
      currentPeriodEnd: '2026-12-01T00:00:00.000Z',
    };
    const suspended = await billingOnUndelete(portOf('suspend'), deleted, 'free');
    expect(suspended).toMatchObject({ plan: 'pro', status: 'suspended', suspendedBy: 'billing' });
    expect(suspended !== 'unavailable' && suspended.billing?.subscription).toEqual(ended);
    const freed = await billingOnUndelete(portOf('default-plan'), deleted, 'free');
    expect(freed).toMatchObject({ plan: 'free', status: 'active' });
    expect(freed !== 'unavailable' && freed.billing?.subscription).toEqual(ended);
  });
});
