import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { defineBackend } from '../../src/backend/define-backend.js';
import { CrudApi, type CrudApiConfig } from '../../src/components/crud/index.js';
import type { ResourcePlan } from '../../src/model/plan.js';
import { propertyRuns } from './support/budget.js';

const entity = fc.constantFrom(
  'User',
  'Product',
  'Order',
  'Audit',
  'Session',
  'Tenant',
  'Data',
  'Invoice',
);
const crudConfig: fc.Arbitrary<CrudApiConfig> = fc.record(
  {
    entityName: entity,
    schema: fc.constant({
      id: 'string',
      name: 'string',
      tenantId: 'string',
      userId: 'string',
    } as const),
    partitionKey: fc.constantFrom('/id', '/tenantId', '/userId'),
    consistency: fc.constantFrom('Session', 'Strong', 'Eventual'),
    throughput: fc.constantFrom(400, 1000, 4000),
    databaseName: fc.constantFrom('shared-db', 'other-db'),
    ttl: fc.integer({ min: 60, max: 86400 }),
    operations: fc.constantFrom(
      ['read', 'list'] as const,
      ['create', 'read', 'update', 'delete', 'list'] as const,
    ),
    priority: fc.integer({ min: 1, max: 30 }),
  },
  { requiredKeys: ['entityName', 'schema'] },
);
/**
 * 1–12 components with unique ids, unique also without case: ids that differ only in case are refused
 * (DUPLICATE_COMPONENT_ID, test/plan/app-settings.test.ts), so a backend holding two is no input for these properties.
 */
const components = fc.uniqueArray(
  fc.tuple(fc.stringMatching(/^[A-Z][a-zA-Z0-9]{0,11}$/), crudConfig),
  { minLength: 1, maxLength: 12, selector: ([id]) => id.toUpperCase() },
);

const toBackend = (list: readonly [string, CrudApiConfig][]) =>
  defineBackend(Object.fromEntries(list.map(([id, cfg]) => [`k${id}`, CrudApi.define(id, cfg)])), {
    environment: 'prod',
  });

function isDeepFrozen(v: unknown): boolean {
  if (!v || typeof v !== 'object') return true;
  return Object.isFrozen(v) && Object.values(v).every(isDeepFrozen);
}

describe('planner properties', () => {
  it('same input → byte-identical plan JSON', () => {
    fc.assert(
      fc.property(components, (list) => {
        expect(JSON.stringify(toBackend(list).plan())).toBe(JSON.stringify(toBackend(list).plan()));
      }),
      { numRuns: propertyRuns(60) },
    );
  });

  it('component order never matters', () => {
    fc.assert(
      fc.property(
        components.chain((l) =>
          fc.tuple(
            fc.constant(l),
            fc.shuffledSubarray(l, { minLength: l.length, maxLength: l.length }),
          ),
        ),
        ([list, shuffled]) => {
          expect(JSON.stringify(toBackend(shuffled).plan())).toBe(
            JSON.stringify(toBackend(list).plan()),
          );
        },
      ),
      { numRuns: propertyRuns(60) },
    );
  });

  it('inputs are never mutated', () => {
    fc.assert(
      fc.property(components, (list) => {
        const before = JSON.stringify(list);
        const defs = Object.fromEntries(
          list.map(([id, cfg]) => [`k${id}`, CrudApi.define(id, cfg)]),
        );
        const config = { environment: 'prod', tags: { a: 'b' } };
        const configBefore = JSON.stringify(config);
        defineBackend(defs, config).plan();
        expect(JSON.stringify(list)).toBe(before);
        expect(JSON.stringify(config)).toBe(configBefore);
        expect(Object.isFrozen(config)).toBe(false);
      }),
      { numRuns: propertyRuns(40) },
    );
  });

  it('the plan is deeply frozen and survives a JSON round trip', () => {
    fc.assert(
      fc.property(components, (list) => {
        const plan = toBackend(list).plan();
        expect(isDeepFrozen(plan)).toBe(true);
        expect(JSON.parse(JSON.stringify(plan)) as ResourcePlan).toEqual(plan);
      }),
      { numRuns: propertyRuns(40) },
    );
  });

  it('adding a component never renames or re-keys a resource the others still use', () => {
    fc.assert(
      fc.property(components, crudConfig, (list, extra) => {
        const before = toBackend(list).plan();
        const after = toBackend([...list, ['ZzAddedLater', extra]]).plan();
        for (const r of before.resources) {
          const same = after.resources.find((x) => x.key === r.key);
          expect(same?.name).toBe(r.name);
          expect(same?.type).toBe(r.type);
          // Every Terraform resource it had keeps its logical name (a rename is a destroy and create).
          const names = new Set(same!.deploys.map((d) => `${d.terraformType}.${d.name}`));
          for (const d of r.deploys) expect(names.has(`${d.terraformType}.${d.name}`)).toBe(true);
        }
        for (const c of before.components) {
          expect(after.components.find((x) => x.key === c.key)?.resources).toEqual(c.resources);
        }
      }),
      { numRuns: propertyRuns(60) },
    );
  });
});
