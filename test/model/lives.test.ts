/**
 * The lives of src/model/lives as tables (DESIGN §2, "One life per organization, person and subscription"): random
 * sequences of what Owners, Stripe and the erase do, driven through the pure functions the runtime's doors call, hold
 * the promises every door relies on — an erased organization never moves again; an organization the operator never
 * touched is active on a paid plan only while a subscription pays for it; one subscription at a time.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  afterSubscription,
  subscriptionOnDelete,
  undeleteOutcome,
} from '../../src/model/lives/organization-billing.js';
import {
  BILLING_DOORS,
  billingDoorOpen,
  ORGANIZATION_LIFE,
  type OrganizationLife,
  organizationLifeOf,
  organizationNext,
} from '../../src/model/lives/organization-life.js';
import {
  type SubscriptionLife,
  subscriptionLives,
  subscriptionNext,
} from '../../src/model/lives/subscription-life.js';

const DAY = 86_400_000;
type Step =
  | 'checkout'
  | 'pay'
  | 'fail'
  | 'recover'
  | 'end'
  | 'period-ends'
  | 'portal-resume'
  | 'delete'
  | 'undelete'
  | 'day'
  | 'erase';
const STEPS: readonly Step[] = [
  'checkout',
  'pay',
  'fail',
  'recover',
  'end',
  'period-ends',
  'portal-resume',
  'delete',
  'undelete',
  'day',
  'erase',
];

interface World {
  life: OrganizationLife;
  plan: string;
  sub: SubscriptionLife;
  deleteOn?: number;
  now: number;
}

/** One step, each door deciding through the lives only. */
function step(w: World, s: Step, onCanceled: 'default-plan' | 'suspend'): World {
  const moved = (event: Parameters<typeof subscriptionNext>[1]): World => {
    if (w.life === 'erased') return w;
    const next = subscriptionNext(w.sub, event);
    if (!next.ok) return w;
    const org = afterSubscription(w, next.life, 'pro', onCanceled, 'free');
    return { ...w, ...org, sub: next.life };
  };
  switch (s) {
    case 'checkout':
      // A checkout's door: active or billing suspended, and no live subscription.
      return billingDoorOpen(w.life, 'checkout', ['Owner']) &&
        subscriptionNext(w.sub, 'checkout-opened').ok
        ? { ...w, sub: 'checkout-open' }
        : w;
    case 'pay':
      return w.sub === 'checkout-open' ? moved('checkout-paid') : w;
    case 'fail':
      return moved('payment-failed');
    case 'recover':
      return moved('paid');
    case 'end':
      return moved('ended');
    case 'period-ends':
      return moved('period-ended');
    case 'portal-resume':
      // The portal while deleted: an Owner lifts the scheduled cancel.
      return billingDoorOpen(w.life, 'portal', ['Owner']) ? moved('resumed') : w;
    case 'delete': {
      const next = organizationNext(w, 'owner-deletes', w.now);
      if (!next.ok) return w;
      const sub = subscriptionOnDelete(w.sub)
        ? 'scheduled'
        : w.sub === 'checkout-open'
          ? 'none'
          : w.sub;
      return { ...w, life: next.life, sub, deleteOn: w.now + 2 * DAY };
    }
    case 'undelete': {
      const next = organizationNext(w, 'owner-undeletes', w.now);
      if (!next.ok) return w;
      const o = undeleteOutcome(w.sub, onCanceled);
      const { deleteOn: _gone, ...rest } = w;
      return {
        ...rest,
        life: o.life,
        plan: o.plan === 'default' ? 'free' : w.plan,
        sub: o.subscription === 'resumed' ? 'active' : w.sub,
      };
    }
    case 'day':
      return { ...w, now: w.now + DAY };
    case 'erase': {
      const next = organizationNext(w, 'erase-due', w.now);
      return next.ok ? { ...w, life: next.life, sub: 'canceled' } : w;
    }
  }
}

describe('the lives', () => {
  it.each(['default-plan', 'suspend'] as const)(
    'onCanceled %s: never active on a paid plan without a paying subscription; an erased organization never moves',
    (onCanceled) => {
      fc.assert(
        fc.property(fc.array(fc.constantFrom(...STEPS), { maxLength: 40 }), (steps) => {
          let w: World = { life: 'active', plan: 'free', sub: 'none', now: 0 };
          for (const s of steps) {
            const before = w;
            w = step(w, s, onCanceled);
            if (before.life === 'erased') expect(w.life).toBe('erased');
            if (w.life === 'active' && w.plan !== 'free')
              expect(subscriptionLives(w.sub)).toBe(true);
          }
        }),
        { seed: 59, numRuns: 2000 },
      );
    },
  );

  it('gives nothing of an erased organization: no event moves it, no door opens', () => {
    expect(ORGANIZATION_LIFE.erased).toEqual({});
    for (const event of [
      'operator-suspends',
      'operator-resumes',
      'operator-erases',
      'billing-ends',
      'billing-pays',
      'owner-deletes',
      'owner-undeletes',
      'erase-due',
    ] as const)
      expect(organizationNext({ life: 'erased' }, event, 0)).toEqual({
        ok: false,
        refusal: 'organization-erased',
      });
    expect(BILLING_DOORS.erased).toEqual({});
    expect(
      afterSubscription({ life: 'erased', plan: 'pro' }, 'active', 'team', 'suspend', 'free'),
    ).toEqual({ life: 'erased', plan: 'pro' });
  });

  it('refuses a second subscription while one lives, and reads a stored record’s place', () => {
    for (const live of ['active', 'trialing', 'past-due', 'scheduled'] as const)
      expect(subscriptionNext(live, 'checkout-opened')).toEqual({
        ok: false,
        refusal: 'subscription-exists',
      });
    expect(subscriptionNext('canceled', 'checkout-opened').ok).toBe(true);
    expect(organizationLifeOf({ status: 'erased' })).toBe('erased');
    expect(organizationLifeOf({ status: 'suspended', deleteOn: '2026-01-01T00:00:00Z' })).toBe(
      'deleted',
    );
    expect(organizationLifeOf({ status: 'suspended', suspendedBy: 'billing' })).toBe(
      'suspended-by-billing',
    );
    // A status nobody wrote (an item edited by hand) opens nothing.
    expect(organizationLifeOf({ status: 'paused' })).toBe('suspended-by-operator');
    expect(billingDoorOpen('deleted', 'billing', ['Admin'])).toBe(false);
    expect(billingDoorOpen('deleted', 'checkout', ['Owner'])).toBe(false);
  });
});
