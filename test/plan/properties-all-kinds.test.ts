import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { defineBackend } from '../../src/backend/define-backend.js';
import { CrudApi } from '../../src/components/crud/index.js';
import { defineComponent } from '../../src/components/custom/define.js';
import { FunctionsApp } from '../../src/components/functions/index.js';
import { StaticSite, StaticSiteWithCdn } from '../../src/components/web/index.js';
import type { AnyDefinition } from '../../src/model/component.js';
import { NAME_RULES } from '../../src/resources/facts.js';
import { check } from '../../src/kit/pure/names/naming.js';

// One component of any kind, with random but valid config, from a stable id.
const component = (id: string): fc.Arbitrary<AnyDefinition> =>
  fc.oneof(
    fc
      .record({
        entity: fc.constantFrom('User', 'Order', 'Data', 'Audit'),
        pk: fc.constantFrom('/id', '/tenantId'),
        consistency: fc.constantFrom('Session', 'Strong'),
        db: fc.option(fc.constantFrom('shared-db', 'x-db'), { nil: undefined }),
        ops: fc.constantFrom(
          ['read', 'list'] as const,
          ['create', 'read', 'update', 'delete', 'list'] as const,
        ),
        ttl: fc.option(fc.integer({ min: 60, max: 9999 }), { nil: undefined }),
      })
      .map((c) =>
        CrudApi.define(id, {
          entityName: c.entity,
          schema: { id: 'string', tenantId: 'string' },
          partitionKey: c.pk,
          consistency: c.consistency,
          operations: c.ops,
          ...(c.db ? { databaseName: c.db } : {}),
          ...(c.ttl ? { ttl: c.ttl } : {}),
        }),
      ),
    fc
      .record({
        runtime: fc.constantFrom('node', 'python') as fc.Arbitrary<'node' | 'python'>,
        version: fc.constantFrom(undefined, '20', '22'),
        queue: fc.constantFrom('orders', 'events'),
      })
      .map((c) =>
        FunctionsApp.define(id, {
          runtime: c.runtime,
          ...(c.version && c.runtime === 'node' ? { version: c.version } : {}),
          functions: {
            work: { trigger: 'queue', queueName: c.queue },
            tick: { trigger: 'timer', schedule: '0 */5 * * * *' },
          },
        }),
      ),
    fc.boolean().map((spa) => StaticSite.define(id, { enableSpaMode: spa })),
    fc.constantFrom(3600, 60).map((age) => StaticSiteWithCdn.define(id, { cacheMaxAge: age })),
    fc.constantFrom('uploads', 'images').map((container) =>
      defineComponent({
        type: 'Blob',
        id,
        config: { container },
        requirements: (c) => [
          {
            resourceType: 'storage',
            requirementKey: 'blob',
            config: { containers: [c.container] },
          },
        ],
      }),
    ),
  );

/** 1–60 components of all kinds with unique ids. */
const backends = fc
  .uniqueArray(fc.stringMatching(/^[A-Z][a-z0-9]{1,10}$/), { minLength: 1, maxLength: 60 })
  .chain((ids) => fc.tuple(...ids.map((id) => component(id).map((d) => [id, d] as const))));

const build = (list: readonly (readonly [string, AnyDefinition])[]) =>
  defineBackend(Object.fromEntries(list.map(([id, d]) => [`k${id}`, d])), {
    environment: 'prod',
    location: 'westeurope',
  });

describe('planner properties over every kind (1–60 components)', () => {
  it('deterministic and order-independent; JSON round trip equal; names valid for their type', () => {
    fc.assert(
      fc.property(backends, fc.nat(), (list, seed) => {
        const plan = build(list).plan();
        const rotated = [
          ...list.slice(seed % list.length),
          ...list.slice(0, seed % list.length),
        ].reverse();
        expect(JSON.stringify(build(rotated).plan())).toBe(JSON.stringify(plan));
        expect(JSON.parse(JSON.stringify(plan))).toEqual(plan);
        for (const r of plan.resources) {
          const rule = NAME_RULES[r.type];
          if (rule) expect(check(r.name, rule), `${r.key} ${r.name}`).toBeUndefined();
        }
      }),
      { numRuns: 40 },
    );
  });

  it('adding a component of any kind renames and re-keys nothing the others use', () => {
    fc.assert(
      fc.property(backends, component('Zlate'), (list, extra) => {
        const before = build(list).plan();
        const after = build([...list, ['Zlate', extra]]).plan();
        // An addition that makes the plan invalid (e.g. PARTITION_KEY_CONFLICT on a shared container) is refused
        // by apply, so it renames nothing by construction; the promise is about plans that can be applied.
        fc.pre(!after.issues.some((i) => i.severity === 'error'));
        const deploys = new Set(
          after.resources.flatMap((r) => r.deploys.map((d) => `${d.terraformType}.${d.name}`)),
        );
        for (const r of before.resources) {
          expect(after.resources.find((x) => x.key === r.key)?.name).toBe(r.name);
          for (const d of r.deploys)
            expect(
              deploys.has(`${d.terraformType}.${d.name}`),
              `${d.terraformType}.${d.name}`,
            ).toBe(true);
        }
      }),
      { numRuns: 40 },
    );
  });
});
