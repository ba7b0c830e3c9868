import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { defineBackend } from '../../src/backend/define-backend.js';
import { CrudApi } from '../../src/components/crud/index.js';
import { FileStore } from '../../src/components/files/index.js';
import { AtakoraError } from '../../src/model/errors.js';
import type { ResourcePlan } from '../../src/model/plan.js';
import type { RuntimeEntity } from '../../src/model/runtime-manifest.js';
import { parseManifest } from '../../src/runtime/manifest-loader.js';

const customers = (extra: Record<string, unknown> = {}) =>
  CrudApi.define('CustomerApi', {
    entityName: 'Customer',
    schema: { id: 'string', name: 'string' },
    partitionKey: '/tenantId',
    relations: { orders: { hasMany: 'OrderApi', field: 'customerId' } },
    ...extra,
  });
const orders = (extra: Record<string, unknown> = {}) =>
  CrudApi.define('OrderApi', {
    entityName: 'Order',
    schema: { id: 'string', customerId: 'string', photoId: 'string', total: 'number' },
    partitionKey: '/tenantId',
    sortable: ['total'],
    relations: {
      customer: { belongsTo: 'CustomerApi', field: 'customerId' },
      photo: { file: 'InspectionFiles', field: 'photoId' },
    },
    ...extra,
  });
const files = () => FileStore.define('InspectionFiles', { maxSizeMb: 5 });

const issues = (plan: ResourcePlan, prefix = 'RELATION_') =>
  plan.issues.filter((i) => i.code.startsWith(prefix));
const entities = (plan: ResourcePlan): readonly RuntimeEntity[] =>
  plan.resources
    .filter((r) => r.type === 'functions' && (r.config as { crudRuntime?: boolean }).crudRuntime)
    .flatMap(
      (r) =>
        parseManifest(
          JSON.stringify({
            version: 1,
            backendId: plan.backendId,
            entities: (r.config as { crudEntities: unknown[] }).crudEntities,
          }),
        ).entities,
    );
const thrown = (f: () => unknown): AtakoraError => {
  try {
    f();
  } catch (e) {
    if (e instanceof AtakoraError) return e;
    throw e;
  }
  throw new Error('did not throw');
};

describe('relations in the plan', () => {
  it('a clean backend: the manifest carries each side, and the child field gets its indexes', () => {
    const plan = defineBackend({ customers: customers(), orders: orders(), files: files() }).plan();
    expect(issues(plan)).toEqual([]);
    const byId = new Map(entities(plan).map((e) => [e.componentId, e]));
    expect(byId.get('OrderApi')?.relations).toEqual([
      { name: 'customer', kind: 'belongsTo', target: 'CustomerApi', field: 'customerId' },
      { name: 'photo', kind: 'file', target: 'InspectionFiles', field: 'photoId' },
    ]);
    expect(byId.get('CustomerApi')?.relations).toEqual([
      { name: 'orders', kind: 'hasMany', target: 'OrderApi', field: 'customerId' },
    ]);
    const cosmos = plan.resources.find((r) => r.type === 'cosmos');
    const text = JSON.stringify(cosmos?.config);
    // The children route's sort: WHERE customerId = @parent ORDER BY total.
    expect(text).toContain(
      JSON.stringify([
        { path: '/customerId', order: 'ascending' },
        { path: '/total', order: 'ascending' },
      ]),
    );
  });

  it('a target that is missing or of the wrong kind is RELATION_TARGET_INVALID naming it', () => {
    const missing = defineBackend({ orders: orders(), files: files() }).plan();
    expect(issues(missing)).toMatchObject([
      {
        severity: 'error',
        code: 'RELATION_TARGET_INVALID',
        path: ['components', 'orders', 'config', 'relations', 'customer', 'belongsTo'],
      },
    ]);
    expect(issues(missing)[0]?.message).toMatch(/"CustomerApi", which is no component/);
    const wrongKind = defineBackend({
      customers: customers(),
      orders: orders({
        relations: {
          customer: { belongsTo: 'CustomerApi', field: 'customerId' },
          photo: { file: 'CustomerApi', field: 'photoId' },
        },
      }),
    }).plan();
    expect(issues(wrongKind)[0]?.message).toMatch(/is a CrudApi, not a FileStore/);
  });

  it("a hasMany naming a field the child's schema lacks is an error", () => {
    const plan = defineBackend({
      customers: customers({ relations: { orders: { hasMany: 'OrderApi', field: 'buyerId' } } }),
      orders: orders(),
      files: files(),
    }).plan();
    expect(issues(plan)).toMatchObject([{ code: 'RELATION_TARGET_INVALID' }]);
    expect(issues(plan)[0]?.message).toMatch(/"buyerId", which is not a string field/);
  });

  it('a shared entity pointing at per-tenant items, or cascading into them, is RELATION_TENANCY_MISMATCH', () => {
    const shared = defineBackend({
      customers: customers(),
      orders: orders({ partitionKey: '/id', tenancy: 'shared' }),
      files: files(),
    }).plan();
    // The two pointers of the shared OrderApi, and CustomerApi's hasMany restricted by shared children.
    const messages = issues(shared, 'RELATION_TENANCY').map((i) => i.message);
    expect(messages).toHaveLength(3);
    expect(messages.some((m) => /shared by every tenant .* points at CustomerApi/.test(m))).toBe(
      true,
    );
    expect(messages.some((m) => /points at InspectionFiles/.test(m))).toBe(true);
    expect(messages.some((m) => /restricts their delete by children in OrderApi/.test(m))).toBe(
      true,
    );
    const cascade = defineBackend({
      customers: customers({
        partitionKey: '/id',
        tenancy: 'shared',
        relations: { orders: { hasMany: 'OrderApi', field: 'customerId', onDelete: 'cascade' } },
      }),
      orders: orders(),
      files: files(),
    }).plan();
    expect(issues(cascade, 'RELATION_TENANCY')[0]?.message).toMatch(
      /cascades deletes into OrderApi/,
    );
    // A per-tenant item pointing at a shared one (an order of a catalogue product) is fine.
    const fine = defineBackend({
      customers: customers({ partitionKey: '/id', tenancy: 'shared' }),
      orders: orders(),
      files: files(),
    }).plan();
    expect(issues(fine)).toEqual([]);
  });

  it('a per-tenant parent cascading into, or restricted by, shared data is RELATION_TENANCY_MISMATCH', () => {
    const reviews = (onDelete: 'cascade' | 'restrict') =>
      defineBackend({
        customers: customers({
          relations: { orders: { hasMany: 'OrderApi', field: 'customerId', onDelete } },
        }),
        orders: orders({ partitionKey: '/id', tenancy: 'shared', relations: {} }),
      }).plan();
    const [issue, ...more] = issues(reviews('cascade'));
    expect(more).toEqual([]);
    expect(issue).toMatchObject({
      severity: 'error',
      code: 'RELATION_TENANCY_MISMATCH',
      components: ['CustomerApi', 'OrderApi'],
      path: ['components', 'customers', 'config', 'relations', 'orders'],
    });
    expect(issue?.message).toMatch(
      /each tenant's own items .* cascades deletes into OrderApi, which is shared/,
    );
    // Restrict: another directory's user could create a shared child naming a home item's id, and its owner could
    // then never delete it (the child is not theirs to remove).
    const [restrict, ...others] = issues(reviews('restrict'));
    expect(others).toEqual([]);
    expect(restrict).toMatchObject({
      severity: 'error',
      code: 'RELATION_TENANCY_MISMATCH',
      components: ['CustomerApi', 'OrderApi'],
      path: ['components', 'customers', 'config', 'relations', 'orders'],
    });
    expect(restrict?.message).toMatch(
      /restricts their delete by children in OrderApi, which is shared/,
    );
    expect(restrict?.resolution).toMatch(/Make OrderApi per-tenant/);
  });

  it('a hasMany parent keyed by neither /id nor /tenantId is RELATION_PARENT_IDENTITY naming the fix', () => {
    for (const [key, errors] of [
      ['/region', 1],
      ['/id', 0],
      ['/tenantId', 0],
    ] as const) {
      const plan = defineBackend({
        customers: customers({
          partitionKey: key,
          schema: { id: 'string', name: 'string', region: 'string' },
        }),
        orders: orders(),
        files: files(),
      }).plan();
      const found = issues(plan, 'RELATION_PARENT_IDENTITY');
      expect(found, key).toHaveLength(errors);
      if (errors) {
        expect(found[0]).toMatchObject({
          severity: 'error',
          components: ['CustomerApi'],
          path: ['components', 'customers', 'config', 'relations', 'orders'],
        });
        expect(found[0]?.message).toMatch(
          /keyed by \/region.*two CustomerApi items with the same id/,
        );
        expect(found[0]?.resolution).toMatch(/partitionKey: '\/id'/);
      }
    }
    // A belongsTo into a /region entity is no parent: only the reference is checked.
    const referenceOnly = defineBackend({
      customers: customers({
        partitionKey: '/region',
        schema: { id: 'string', name: 'string', region: 'string' },
        relations: {},
      }),
      orders: orders(),
      files: files(),
    }).plan();
    expect(issues(referenceOnly)).toEqual([]);
  });

  it('a cycle of cascades is one RELATION_CASCADE_CYCLE naming the chain, whatever the order', () => {
    const a = CrudApi.define('A', {
      entityName: 'A',
      schema: { id: 'string', cId: 'string' },
      relations: { bs: { hasMany: 'B', field: 'aId', onDelete: 'cascade' } },
    });
    const b = CrudApi.define('B', {
      entityName: 'B',
      schema: { id: 'string', aId: 'string' },
      relations: { cs: { hasMany: 'C', field: 'bId', onDelete: 'cascade' } },
    });
    const c = CrudApi.define('C', {
      entityName: 'C',
      schema: { id: 'string', bId: 'string' },
      relations: { as: { hasMany: 'A', field: 'cId', onDelete: 'cascade' } },
    });
    const defs = [a, b, c] as const;
    fc.assert(
      fc.property(fc.shuffledSubarray([0, 1, 2], { minLength: 3, maxLength: 3 }), (order) => {
        const plan = defineBackend(
          Object.fromEntries(order.map((i) => [`k${defs[i]!.componentId}`, defs[i]!])),
        ).plan();
        const cycles = issues(plan, 'RELATION_CASCADE');
        expect(cycles).toHaveLength(1);
        expect(cycles[0]?.message).toContain('A → B → C → A');
      }),
      { numRuns: 6 },
    );
  });

  it('define refuses a malformed relation with CRUD_RELATION_INVALID and its path', () => {
    const bad = [
      [{ customer: { belongsTo: 'CustomerApi', field: 'nope' } }, 'customer', 'field'],
      [{ customer: { belongsTo: 'CustomerApi', field: 'total' } }, 'customer', 'field'],
      [{ customer: { belongsTo: 'CustomerApi', hasMany: 'X', field: 'customerId' } }, 'customer'],
      [{ customer: { field: 'customerId' } }, 'customer'],
      [{ total: { belongsTo: 'CustomerApi', field: 'customerId' } }, 'total'],
      [{ 'bad name': { belongsTo: 'CustomerApi', field: 'customerId' } }, 'bad name'],
      [{ customer: { belongsTo: '', field: 'customerId' } }, 'customer', 'belongsTo'],
      [
        { orders: { hasMany: 'OrderApi', field: 'customerId', onDelete: 'drop' } },
        'orders',
        'onDelete',
      ],
      [[], undefined],
    ] as const;
    for (const [relations, ...path] of bad) {
      const e = thrown(() => orders({ relations }));
      expect(e.code).toBe('CRUD_RELATION_INVALID');
      expect(e.path).toEqual(
        ['components', 'OrderApi', 'config', 'relations', ...path].filter((p) => p !== undefined),
      );
    }
    const unknown = thrown(() =>
      orders({
        relations: {
          customer: { belongsTo: 'CustomerApi', field: 'customerId', onDelete: 'cascade' },
        },
      }),
    );
    expect(unknown.code).toBe('CONFIG_UNKNOWN_KEY');
  });
});

describe('children routes in the plan', () => {
  it('a function on a children route is ROUTE_CONFLICT naming both', async () => {
    const { FunctionsApp } = await import('../../src/components/functions/index.js');
    const plan = defineBackend({
      customers: customers(),
      orders: orders(),
      files: files(),
      api: FunctionsApp.define('Extra', {
        runtime: 'node',
        functions: {
          list: { trigger: 'http', route: 'customers/{id}/orders', handler: './src/list.ts' },
        },
      }),
    }).plan();
    const conflicts = plan.issues.filter((i) => i.code === 'ROUTE_CONFLICT');
    expect(conflicts).toHaveLength(1);
    expect(conflicts[0]?.components).toEqual(expect.arrayContaining(['CustomerApi', 'Extra']));
  });
});
