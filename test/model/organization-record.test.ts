/**
 * The one writer of an organization's record (src/model/lives/organization-record.ts): whatever record a door holds
 * and whatever event moves it, the record written reads back (organizationLifeOf) as the place the life table
 * (organizationNext) leads to — a door that moves through it can never write a place the table does not name — and a
 * refused event leaves the record as it was. Both kinds of `deleteOn` (the runtime's ISO time, the model's ms).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  type OrganizationEvent,
  organizationLifeOf,
  organizationNext,
} from '../../src/model/lives/organization-life.js';
import { organizationMoved } from '../../src/model/lives/organization-record.js';
import { changedTenantRecord, type TenantRecord } from '../../src/contract/tenants.js';
import { MODEL_RUNS } from './budget.js';

const DAY = 86_400_000;
const NOW = Date.parse('2026-11-28T00:00:00.000Z');
const EVENTS: readonly OrganizationEvent[] = [
  'operator-suspends',
  'operator-resumes',
  'operator-erases',
  'billing-ends',
  'billing-pays',
  'owner-deletes',
  'owner-undeletes',
  'erase-due',
];

/** A record as a door may hold it: any status, with or without billing's reason and a `deleteOn` either side of now. */
const records = fc.record(
  {
    status: fc.constantFrom('active' as const, 'suspended' as const),
    suspendedBy: fc.constant('billing' as const),
    deleteOn: fc.integer({ min: -3, max: 3 }).map((d) => new Date(NOW + d * DAY).toISOString()),
    plan: fc.constantFrom('free', 'pro'),
  },
  { requiredKeys: ['status', 'plan'] },
);

describe('an organization record moves only as its life table says', () => {
  it('the record written reads back as the table’s place; a refusal writes nothing', () => {
    fc.assert(
      fc.property(records, fc.constantFrom(...EVENTS), fc.boolean(), (record, event, newDay) => {
        const day = newDay ? new Date(NOW + 30 * DAY).toISOString() : undefined;
        const moved = organizationMoved(record, event, NOW, day);
        const at = record.deleteOn === undefined ? undefined : Date.parse(record.deleteOn);
        const table = organizationNext(
          { life: organizationLifeOf(record), deleteOn: at },
          event,
          NOW,
        );
        if (!moved.ok) {
          // Refused by the table, or led to `erased` (a tombstone replaces the record, not this writer).
          expect(table.ok ? table.life : 'refused').toMatch(/^(erased|refused)$/);
          return;
        }
        expect(table.ok && table.life).toBe(moved.life);
        expect(organizationLifeOf(moved.record)).toBe(moved.life);
        expect(moved.record.plan).toBe(record.plan);
      }),
      { numRuns: MODEL_RUNS * 25, seed: 59 },
    );
  });

  it('the reference model’s records (deleteOn in ms) move the same way', () => {
    const deleted = organizationMoved(
      { status: 'active' as const },
      'owner-deletes',
      NOW,
      NOW + DAY,
    );
    expect(deleted).toEqual({
      ok: true,
      life: 'deleted',
      record: { status: 'suspended', deleteOn: NOW + DAY },
    });
    const back = deleted.ok && organizationMoved(deleted.record, 'owner-undeletes', NOW);
    expect(back).toEqual({ ok: true, life: 'active', record: { status: 'active' } });
    const late = deleted.ok && organizationMoved(deleted.record, 'owner-undeletes', NOW + 2 * DAY);
    expect(late).toEqual({ ok: false, refusal: 'organization-deletion-final' });
  });

  it('the operator’s status (`atakora tenant suspend|resume`, `PATCH api/tenants/{id}`) moves the same way', () => {
    fc.assert(
      fc.property(
        records,
        fc.constantFrom('active' as const, 'suspended' as const),
        (r, status) => {
          const record: TenantRecord = {
            id: 'contoso',
            ...r,
            createdOn: '2026-01-01T00:00:00.000Z',
            updatedOn: '2026-01-01T00:00:00.000Z',
          };
          const at = r.deleteOn === undefined ? undefined : Date.parse(r.deleteOn);
          const event = status === 'active' ? 'operator-resumes' : 'operator-suspends';
          const table = organizationNext(
            { life: organizationLifeOf(record), deleteOn: at },
            event,
            NOW,
          );
          const next =
            changedTenantRecord(record, { status }, new Date(NOW).toISOString()) ?? record;
          expect(table.ok && organizationLifeOf(next)).toBe(table.ok && table.life);
          // What the table keeps of a deletion, the record keeps; a deletion it ends, the record drops.
          const was = organizationLifeOf(record);
          if (table.ok && table.life === 'deleted') expect(next.deleteOn).toBe(r.deleteOn);
          else if (was === 'deleted') expect(next.deleteOn).toBeUndefined();
          // Billing's reason never outlives the operator's word.
          if (!(table.ok && table.life === 'suspended-by-billing'))
            expect(next.suspendedBy).toBeUndefined();
          expect(next.plan).toBe(r.plan);
        },
      ),
      { numRuns: MODEL_RUNS * 25, seed: 59 },
    );
  });
});
