import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ComponentDefinition } from '../../src/model/component.js';
import type { PlanComponent } from '../../src/plan/plan-input.js';
import { relationIssues } from '../../src/plan/checks/relations.js';

// "Feature work only where it is used" (docs/performance.md): a planner phase for a component option reads that
// option once per component and everything else only for the components that set it. These tests hold the
// relation phase to it by counting what it reads, not by timing it.

/** A component as the relation phase sees it: id, type, and a config whose property reads are counted. */
function component(
  key: string,
  id: string,
  type: string,
  config: Record<string, unknown>,
  reads: Map<string, string[]>,
): PlanComponent {
  const seen: string[] = [];
  reads.set(id, seen);
  const counted = new Proxy(config, {
    get(target, property, receiver) {
      if (typeof property === 'string') seen.push(property);
      return Reflect.get(target, property, receiver) as unknown;
    },
  });
  const definition = {
    componentId: id,
    componentType: type,
    config: counted,
  } as unknown as ComponentDefinition;
  return { key, definition };
}

const plainCrud = { entityName: 'E', schema: { id: 'string', name: 'string' } };

describe('the relation phase does work only for the components that declare relations', () => {
  it('reads nothing of a component without relations but the option itself, once', () => {
    const reads = new Map<string, string[]>();
    const components = Array.from({ length: 200 }, (_, i) =>
      component(`api${i}`, `Api${i}`, i % 5 === 4 ? 'FunctionsApp' : 'CrudApi', plainCrud, reads),
    );
    expect(relationIssues(components)).toEqual([]);
    for (const [id, seen] of reads)
      expect(seen, id).toEqual(id.endsWith('4') || id.endsWith('9') ? [] : ['relations']);
  });

  it('with relations, reads the components that declare them and the targets they name, and no other', () => {
    const reads = new Map<string, string[]>();
    const components = [
      component(
        'orders',
        'OrderApi',
        'CrudApi',
        {
          ...plainCrud,
          schema: { id: 'string', customerId: 'string' },
          relations: { customer: { belongsTo: 'CustomerApi', field: 'customerId' } },
        },
        reads,
      ),
      component('customers', 'CustomerApi', 'CrudApi', plainCrud, reads),
      ...Array.from({ length: 100 }, (_, i) =>
        component(`api${i}`, `Api${i}`, 'CrudApi', plainCrud, reads),
      ),
    ];
    expect(relationIssues(components)).toEqual([]);
    // The target is read as a node (its tenancy and schema), once; the others are asked for `relations` only.
    expect(reads.get('CustomerApi')!.filter((p) => p === 'schema')).toHaveLength(1);
    for (let i = 0; i < 100; i++) expect(reads.get(`Api${i}`)).toEqual(['relations']);
  });
});

// A random backend for the relation checks: CrudApis (some shared, some with relations of every kind, cascades
// that may form cycles), FileStores and other kinds, relations naming existing, wrong-kind and missing targets.
const ids = ['A', 'B', 'C', 'D', 'E', 'F', 'G'];
const relation = fc.record(
  {
    kind: fc.constantFrom('belongsTo', 'hasMany', 'file'),
    target: fc.constantFrom(...ids, 'Missing'),
    field: fc.constantFrom('parentId', 'count', 'absent'),
    cascade: fc.boolean(),
  },
  { requiredKeys: ['kind', 'target', 'field', 'cascade'] },
);
const arbComponent = fc.record({
  type: fc.constantFrom('CrudApi', 'CrudApi', 'CrudApi', 'FileStore', 'FunctionsApp'),
  shared: fc.boolean(),
  tenantKey: fc.boolean(),
  relations: fc.option(fc.dictionary(fc.constantFrom('r1', 'r2', 'r3'), relation), {
    nil: undefined,
  }),
});

describe('the relation phase finds what it finds when it reads every component', () => {
  it('the same issues as with every component read as a source, on random backends (500 runs)', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.constantFrom(...ids), { minLength: 1, maxLength: ids.length }),
        fc.array(arbComponent, { minLength: ids.length, maxLength: ids.length }),
        (present, specs) => {
          const components: PlanComponent[] = present.map((id, i) => {
            const s = specs[i]!;
            const config: Record<string, unknown> = {
              schema: { id: 'string', parentId: 'string', count: { type: 'number' } },
              ...(s.shared ? { tenancy: 'shared' } : {}),
              ...(s.tenantKey ? { partitionKey: '/tenantId' } : {}),
            };
            if (s.relations)
              config.relations = Object.fromEntries(
                Object.entries(s.relations).map(([name, r]) => [
                  name,
                  {
                    [r.kind]: r.target,
                    field: r.field,
                    ...(r.kind === 'hasMany' && r.cascade ? { onDelete: 'cascade' } : {}),
                  },
                ]),
              );
            return {
              key: id.toLowerCase(),
              definition: {
                componentId: id,
                componentType: s.type,
                config,
              } as unknown as ComponentDefinition,
            };
          });
          const sorted = (xs: readonly unknown[]) => xs.map((x) => JSON.stringify(x)).sort();
          // Every component read, as the phase did before it skipped those without relations.
          expect(sorted(relationIssues(components))).toEqual(
            sorted(relationIssues(components, components)),
          );
        },
      ),
      { numRuns: 500 },
    );
  });
});
