/**
 * The realtime messages of a plan without the `realtime` feature: its negotiate answers 402 and the
 * runtime publishes nothing for its tenants, so its realtime cost is zero whatever `realtimeConnections` says, and a
 * plan may say `realtimeConnections: 0` (no live connection: negotiate answers 429 at once) and be priced at zero.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { defineBackend } from '../../src/backend/define-backend.js';
import { CrudApi } from '../../src/components/crud/index.js';
import type { BackendConfig, TenantPlan } from '../../src/model/config.js';
import { SAAS_TENANTS } from './support/saas-tenants.js';

const notes = CrudApi.define('NoteApi', {
  entityName: 'Note',
  schema: { id: 'string' },
  realtime: true,
});

const planOf = (plans: Record<string, TenantPlan>) =>
  defineBackend({ notes }, {
    backendId: 'saas',
    ...SAAS_TENANTS,
    tenants: { plans, defaultPlan: Object.keys(plans)[0] },
    realtime: { sku: 'Standard_S1', units: 1 },
  } as BackendConfig).plan().tenantPlans!;

const bound = fc.integer({ min: 1, max: 1_000_000 });
const otherFeature = fc.constantFrom('audit', 'search', 'exports', 'reports');

describe('the realtime cost of a plan without realtime', () => {
  it('is zero and bounded, whatever its other bounds, while a plan with realtime keeps its line', () => {
    fc.assert(
      fc.property(
        fc.record(
          {
            requestsPerMinute: bound,
            requestUnitsPerDay: bound,
            storageMb: bound,
            realtimeConnections: bound,
          },
          { requiredKeys: ['requestsPerMinute', 'requestUnitsPerDay', 'storageMb'] },
        ),
        fc.uniqueArray(otherFeature, { maxLength: 3 }),
        (limits, features) => {
          const t = planOf({
            basic: { ...limits, features },
            live: { ...limits, features: [...features, 'realtime'] },
          });
          const basic = t.plans.find((p) => p.plan === 'basic')!;
          const messages = basic.lines.find((l) => l.dimension === 'realtimeMessages')!;
          expect(messages.monthlyQuantity).toBe(0);
          expect(messages.monthlyUsd).toBe(0);
          expect(messages.basis).toContain('no `realtime` feature');
          expect(basic.unbounded).toEqual([]);
          expect(basic.worstCaseMonthlyUsd).not.toBeNull();
          expect(basic.unbilled).not.toContain('realtimeMessages');
          expect(basic.needs.realtimeConnections).toBe(0);
          const live = t.plans.find((p) => p.plan === 'live')!;
          const liveMessages = live.lines.find((l) => l.dimension === 'realtimeMessages')!;
          expect(liveMessages.monthlyUsd === null).toBe(limits.realtimeConnections === undefined);
        },
      ),
      { numRuns: 25 },
    );
  });

  it('realtimeConnections 0 is accepted and prices the messages at zero', () => {
    const t = planOf({
      free: {
        requestsPerMinute: 60,
        requestUnitsPerDay: 1000,
        storageMb: 10,
        realtimeConnections: 0,
      },
    });
    const free = t.plans[0]!;
    expect(free.unbounded).toEqual([]);
    expect(free.lines.find((l) => l.dimension === 'realtimeMessages')).toMatchObject({
      monthlyQuantity: 0,
      monthlyUsd: 0,
    });
    expect(free.needs).toMatchObject({ realtimeConnections: 0, tenantsAtPlannedUnits: null });
    expect(t.notes[0]).toContain('free: no realtime connections');
  });
});
