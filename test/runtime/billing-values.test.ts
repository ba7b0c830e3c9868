/**
 * What an hour is worth on each meter (runtime/billing/meter-values.ts): whole values as Stripe takes them, the
 * fractions of request units and stored GB-hours carried within the UTC month (the month's events add up to its
 * total less under one unit), stored bytes at each hour's end from the stored items and the later hours' bytes.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { dueHours } from '../../src/runtime/billing/export-usage.js';
import { eventTimestamp, hourKeyAt, meterValues } from '../../src/runtime/billing/meter-values.js';
import { type HourCounts, zeroHour } from '../../src/runtime/usage/usage-items.js';

const HOUR = 3_600_000;
const at = (iso: string) => Date.parse(iso);
const hours = (entries: [string, Partial<HourCounts>][]) =>
  new Map(entries.map(([k, c]) => [k, { ...zeroHour(), ...c }]));

describe('meter values', () => {
  it('carries request units within the month and starts again on the 1st', () => {
    const h = hours([
      ['2026-10-31T22', { ru: 0.6 }],
      ['2026-10-31T23', { ru: 0.6 }],
      ['2026-11-01T00', { ru: 0.6 }],
      ['2026-11-01T01', { ru: 0.6 }],
    ]);
    const v = meterValues(h, 0, ['requestUnits'], '2026-10-31T22', '2026-11-01T02');
    expect([...v.values()].map((m) => m.get('requestUnits'))).toEqual([0, 1, 0, 1]);
  });

  it('bills stored GiB-hours from the bytes at each hour end, carried', () => {
    const GIB = 1024 ** 3;
    // Stored now 2 GiB; the open hour added 1 GiB, the hour before 0.5 GiB: ends at 1 GiB, then 0.5 GiB before.
    const h = hours([
      ['2026-11-25T08', { itemBytes: GIB / 2 }],
      ['2026-11-25T09', { fileBytes: GIB / 2 }],
      ['2026-11-25T10', { itemBytes: GIB }],
    ]);
    const v = meterValues(h, 2 * GIB, ['storedGbHours'], '2026-11-25T08', '2026-11-25T10');
    // Nothing stored before hour 08 (its 0.5 GiB came then); 08 ends at 0.5 GiB, 09 at 1 GiB: 1.5 GiB-hours.
    const month = meterValues(h, 2 * GIB, ['storedGbHours'], '2026-11-01T00', '2026-11-25T10');
    const total = [...month.values()].reduce((s, m) => s + (m.get('storedGbHours') ?? 0), 0);
    expect(total).toBe(1);
    expect(v.get('2026-11-25T08')?.get('storedGbHours')).toBe(0);
    expect(v.get('2026-11-25T09')?.get('storedGbHours')).toBe(1);
  });

  it("a month's whole values add up to its total, less under one unit (property)", () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ ru: fc.integer({ min: 0, max: 100_000 }), requests: fc.nat(1000) }), {
          minLength: 1,
          maxLength: 60,
        }),
        (list) => {
          const start = at('2026-11-03T00:00:00Z');
          const h = new Map(
            list.map((c, i) => [
              hourKeyAt(start + i * HOUR),
              { ...zeroHour(), ru: c.ru / 100, requests: c.requests },
            ]),
          );
          const v = meterValues(
            h,
            0,
            ['requests', 'requestUnits'],
            hourKeyAt(start),
            hourKeyAt(start + list.length * HOUR),
          );
          const sum = (m: 'requests' | 'requestUnits') =>
            [...v.values()].reduce((s, x) => s + (x.get(m) ?? 0), 0);
          const ru = list.reduce((s, c) => s + c.ru, 0) / 100;
          expect(sum('requests')).toBe(list.reduce((s, c) => s + c.requests, 0));
          expect(ru - sum('requestUnits')).toBeGreaterThanOrEqual(0);
          expect(ru - sum('requestUnits')).toBeLessThan(1);
          for (const x of v.values()) expect(Number.isInteger(x.get('requestUnits'))).toBe(true);
        },
      ),
    );
  });

  it('exports closed hours 10 minutes after their end, inside Stripe’s 35 days', () => {
    expect(dueHours(at('2026-11-25T11:09:59Z')).to).toBe('2026-11-25T10');
    expect(dueHours(at('2026-11-25T11:10:00Z')).to).toBe('2026-11-25T11');
    const { from } = dueHours(at('2026-11-25T11:10:00Z'));
    expect(at(`${from}:00:00Z`)).toBeGreaterThan(at('2026-11-25T11:10:00Z') - 35 * 24 * HOUR);
  });

  it('closes the open hour when asked (dev only): the hour in progress is due, nothing later', () => {
    expect(dueHours(at('2026-11-25T11:09:59Z'), { closeOpenHour: true }).to).toBe('2026-11-25T12');
    expect(dueHours(at('2026-11-25T11:59:59Z'), { closeOpenHour: true }).to).toBe('2026-11-25T12');
    expect(dueHours(at('2026-11-25T12:00:00Z'), { closeOpenHour: true }).to).toBe('2026-11-25T13');
  });

  it('stamps an hour at its start, or at a subscription period start inside it: never before the period, never outside the hour (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 24 * 400 }),
        fc.integer({ min: -3 * HOUR, max: 3 * HOUR }),
        (h, offset) => {
          const start = Date.UTC(2026, 0, 1) + h * HOUR;
          const hour = hourKeyAt(start);
          const period = start + offset;
          const t = eventTimestamp(hour, new Date(period).toISOString()) * 1000;
          // Inside the hour, whatever the period.
          expect(t >= start && t < start + HOUR).toBe(true);
          // A period that starts inside the hour bills the hour: its event is at or after that start.
          if (period > start && period < start + HOUR)
            expect(t).toBe(Math.min(Math.ceil(period / 1000) * 1000, start + HOUR - 1000));
          else expect(t).toBe(start);
        },
      ),
    );
    expect(eventTimestamp('2026-11-25T10')).toBe(at('2026-11-25T10:00:00Z') / 1000);
    expect(eventTimestamp('2026-11-25T10', 'not a date')).toBe(at('2026-11-25T10:00:00Z') / 1000);
    expect(eventTimestamp('2026-11-25T10', '2026-11-25T10:59:59.999Z')).toBe(
      at('2026-11-25T10:59:59Z') / 1000,
    );
  });
});
