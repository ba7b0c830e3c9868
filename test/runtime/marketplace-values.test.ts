// The metering export's arithmetic, as properties: what a term's events add up to, which hours are due, and that no
// hour before activation is ever an event.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { hourKeyAt, hourTotals } from '../../src/runtime/billing/meter-values.js';
import {
  exportMarketplaceUsage,
  meteringHours,
} from '../../src/runtime/marketplace/metering-export.js';
import type {
  MeteringRecord,
  MeteringStore,
} from '../../src/runtime/marketplace/metering-store.js';
import { aboveIncluded, afterActivation } from '../../src/runtime/marketplace/metering-values.js';
import type {
  MarketplaceClient,
  UsageEvent,
} from '../../src/runtime/marketplace/marketplace-port.js';
import { OFFER_CONFIG } from './support/marketplace-app.js';

const HOUR = 3_600_000;
const T0 = Date.parse('2026-11-25T00:00:00Z');

describe('aboveIncluded', () => {
  it('a term’s events add up to its usage above the included quantity, each hour ≥ 0', () => {
    fc.assert(
      fc.property(
        fc.array(fc.nat({ max: 500 }), { minLength: 1, maxLength: 30 }),
        fc.nat({ max: 2000 }),
        (requests, included) => {
          const items = requests.map((n, i) => ({
            hour: new Date(T0 + i * HOUR).toISOString(),
            requests: n,
          }));
          const to = hourKeyAt(T0 + requests.length * HOUR);
          const values = aboveIncluded(
            hourTotals(items),
            0,
            ['requests'],
            hourKeyAt(T0),
            to,
            () => T0,
            {
              requests: included,
            },
          );
          const sent = [...values.values()].map((m) => m.get('requests') ?? 0);
          const total = requests.reduce((a, b) => a + b, 0);
          expect(sent.every((n) => n >= 0)).toBe(true);
          expect(sent.reduce((a, b) => a + b, 0)).toBe(Math.max(0, total - included));
        },
      ),
    );
  });

  it('counts the included quantity from the term’s start, not from the first hour sent', () => {
    const items = [0, 1, 2].map((i) => ({
      hour: new Date(T0 + i * HOUR).toISOString(),
      requests: 60,
    }));
    const values = aboveIncluded(
      hourTotals(items),
      0,
      ['requests'],
      hourKeyAt(T0 + 2 * HOUR),
      hourKeyAt(T0 + 3 * HOUR),
      () => T0,
      {
        requests: 100,
      },
    );
    expect([...values.values()].map((m) => m.get('requests'))).toEqual([60]);
  });
});

describe('the hour of activation', () => {
  it('a term’s events add up to its usage after the activation above the included quantity: the baseline uses none', () => {
    fc.assert(
      fc.property(
        fc.array(fc.nat({ max: 500 }), { minLength: 1, maxLength: 30 }),
        fc.nat({ max: 500 }),
        fc.nat({ max: 2000 }),
        (requests, before, included) => {
          // The activation hour's count holds `before` requests made before it and requests[0] after.
          const items = requests.map((n, i) => ({
            hour: new Date(T0 + i * HOUR).toISOString(),
            requests: n + (i === 0 ? before : 0),
          }));
          const values = aboveIncluded(
            hourTotals(items),
            0,
            ['requests'],
            hourKeyAt(T0),
            hourKeyAt(T0 + requests.length * HOUR),
            () => T0,
            { requests: included },
            { hour: hourKeyAt(T0), baseline: { requests: before }, share: 0.5 },
          );
          const sent = [...values.values()].map((m) => m.get('requests') ?? 0);
          const after = requests.reduce((a, b) => a + b, 0);
          expect(sent.every((n) => n >= 0)).toBe(true);
          expect(sent.reduce((a, b) => a + b, 0)).toBe(Math.max(0, after - included));
        },
      ),
    );
  });

  it('a counted meter is billed less its baseline, never below 0; stored GB-hours by the share after it, rounded down', () => {
    const a = { hour: hourKeyAt(T0), baseline: { requests: 60, requestUnits: 7 }, share: 0.25 };
    expect(afterActivation(110, 'requests', a)).toBe(50);
    expect(afterActivation(40, 'requests', a)).toBe(0);
    expect(afterActivation(9, 'requestUnits', a)).toBe(2);
    expect(afterActivation(0, 'realtimeMessages', a)).toBe(0);
    expect(afterActivation(9, 'storedGbHours', a)).toBe(6);
  });
});

describe('meteringHours', () => {
  it('every hour due closed 10 minutes ago and started within the past 23 hours', () => {
    fc.assert(
      fc.property(fc.integer({ min: T0, max: T0 + 400 * 24 * HOUR }), (now) => {
        const { from, to } = meteringHours(now);
        const first = Date.parse(`${from}:00:00Z`);
        const end = Date.parse(`${to}:00:00Z`);
        expect(end).toBeLessThanOrEqual(now - 10 * 60_000);
        expect(end).toBeGreaterThan(now - 10 * 60_000 - 2 * HOUR);
        expect(now - first).toBeLessThanOrEqual(23 * HOUR);
      }),
    );
  });
});

describe('exportMarketplaceUsage', () => {
  it('never sends an hour that started before the subscription was activated', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 0, max: 20 * 60 }), async (minutesAfter) => {
        const now = T0 + 24 * HOUR;
        const activatedOn = new Date(T0 + 2 * HOUR + minutesAfter * 60_000).toISOString();
        const hours = Array.from({ length: 23 }, (_, i) => ({
          tenant: 'org',
          kind: 'hour',
          hour: new Date(T0 + (i + 1) * HOUR).toISOString(),
          requests: 500,
        }));
        const sent: UsageEvent[] = [];
        const store: MeteringStore = {
          ledger: async () => ({ hours, stored: [], records: [] as MeteringRecord[] }),
          create: async () => 'created',
          replace: async () => undefined,
        };
        const client = {
          batchUsage: async (events: readonly UsageEvent[]) => {
            sent.push(...events);
            return events.map((e) => ({ ...e, status: 'Accepted' }));
          },
        } as unknown as MarketplaceClient;
        await exportMarketplaceUsage({
          marketplace: { ...OFFER_CONFIG, included: {} },
          claims: {
            claimOf: async () => undefined,
            claim: async () => 'claimed',
            release: async () => true,
            all: async () =>
              new Map([['sub-1', { organization: 'org', claimedBy: 'u', claimedOn: '' }]]),
          },
          read: async () => ({
            id: 'org',
            plan: 'pro',
            status: 'active',
            createdOn: 'x',
            updatedOn: 'x',
            marketplace: {
              subscriptionId: 'sub-1',
              offerId: 'o',
              planId: 'pro-monthly',
              status: 'Subscribed',
              activatedOn,
            },
          }),
          store,
          client,
          now: () => now,
        });
        expect(sent.length).toBeGreaterThan(0);
        for (const e of sent)
          expect(Date.parse(e.effectiveStartTime)).toBeGreaterThanOrEqual(Date.parse(activatedOn));
      }),
      { numRuns: 25 },
    );
  });
});
