/**
 * The one writers of a membership's and a subscription's place (src/model/lives/membership-record.ts,
 * subscription-record.ts): whatever a door holds, what they write reads back (lifeOf, subscriptionLifeOf) as the place
 * the life table leads to — a door that writes through them can never store a place the table does not name.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  enter,
  leave,
  lifeOf,
  MEMBERSHIP_DOORS,
  MEMBERSHIP_EXITS,
} from '../../src/model/lives/membership-life.js';
import { barOnExit, membershipThrough } from '../../src/model/lives/membership-record.js';
import {
  type SubscriptionLife,
  subscriptionLifeOf,
} from '../../src/model/lives/subscription-life.js';
import {
  type StoredSubscriptionLife,
  subscriptionInLife,
} from '../../src/model/lives/subscription-record.js';
import { MODEL_RUNS } from './budget.js';

const STRIPE_STATUSES = [
  'active',
  'trialing',
  'past_due',
  'canceled',
  'unpaid',
  'incomplete',
  'incomplete_expired',
  'paused',
] as const;
const STORED: readonly StoredSubscriptionLife[] = [
  'checkout-open',
  'active',
  'trialing',
  'past-due',
  'scheduled',
  'canceled',
];

/** A stored subscription as a record may keep it: any of Stripe's statuses, scheduled to cancel or not. */
const subscriptions = fc.record(
  {
    id: fc.constant('sub_1'),
    status: fc.constantFrom(...STRIPE_STATUSES),
    price: fc.constant('price_pro'),
    cancelAtPeriodEnd: fc.constant(true as const),
  },
  { requiredKeys: ['id', 'status'] },
);

describe('a membership is written only as its life table says', () => {
  it('the membership a door writes reads back as the member the table admits through it', () => {
    for (const door of MEMBERSHIP_DOORS) {
      const written = membershipThrough({ tenant: 'acme', userId: 'u-9', roles: ['Member'] }, door);
      const admitted = enter({ state: 'outside' }, { door });
      expect(admitted.ok && lifeOf(written, undefined)).toEqual(admitted.ok && admitted.life);
      expect(written).toMatchObject({ tenant: 'acme', userId: 'u-9', roles: ['Member'] });
    }
  });

  it('the bar a way out writes is the one the table leaves: none for a member who leaves', () => {
    for (const door of MEMBERSHIP_DOORS)
      for (const exit of MEMBERSHIP_EXITS) {
        const after = leave({ state: 'member', via: door }, exit);
        const by = barOnExit({ via: door }, exit);
        expect(by === undefined ? { state: 'outside' } : lifeOf(undefined, { by })).toEqual(after);
      }
  });
});

describe('a subscription is written only as its life table says', () => {
  it('the subscription written reads back as the place asked; nothing else of it changes', () => {
    fc.assert(
      fc.property(subscriptions, fc.constantFrom(...STORED), (sub, life) => {
        const written = subscriptionInLife(sub, life);
        const read: SubscriptionLife = subscriptionLifeOf(
          written.status,
          written.cancelAtPeriodEnd === true,
        );
        expect(read).toBe(life);
        expect({ id: written.id, price: written.price }).toEqual({ id: sub.id, price: sub.price });
      }),
      { numRuns: MODEL_RUNS * 25, seed: 59 },
    );
  });

  it('a subscription gone from Stripe is kept ended, its cancel at the period’s end dropped', () => {
    expect(
      subscriptionInLife({ id: 'sub_1', status: 'active', cancelAtPeriodEnd: true }, 'canceled'),
    ).toEqual({ id: 'sub_1', status: 'canceled' });
  });
});
