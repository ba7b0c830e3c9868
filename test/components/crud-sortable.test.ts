import { describe, expect, it } from 'vitest';
import { defineBackend } from '../../src/backend/define-backend.js';
import { normalizeConfig } from '../../src/backend/normalize-config.js';
import { CrudApi } from '../../src/components/crud/index.js';
import type { RuntimeEntity } from '../../src/model/runtime-manifest.js';
import { parseManifest } from '../../src/runtime/manifest-loader.js';
import { synthText } from '../support/synth.js';

const schema = {
  id: 'string',
  category: 'string',
  price: 'number',
  name: 'string',
  tags: 'array',
} as const;
const product = (extra: Record<string, unknown> = {}) =>
  CrudApi.define('ProductApi', {
    entityName: 'Product',
    schema,
    sortable: ['price', ['category', 'price desc']],
    ...extra,
  });

function containerOf(backend: Parameters<typeof synthText>[0]) {
  return Object.values(synthText(backend).json.resource['azurerm_cosmosdb_sql_container']!)[0]!;
}
function entityOf(def: ReturnType<typeof product>): RuntimeEntity {
  const fn = def
    .requirements({ componentId: 'ProductApi', config: normalizeConfig({}) })
    .find((r) => r.resourceType === 'functions')!;
  return (fn.config as { crudEntities: RuntimeEntity[] }).crudEntities[0]!;
}

describe('CrudApi sortable → indexing policy and runtime manifest', () => {
  it('a composite sort becomes a composite index in the synthesized container (every path still indexed)', () => {
    expect(containerOf(defineBackend({ products: product() }))['indexing_policy']).toEqual({
      indexing_mode: 'consistent',
      included_path: [{ path: '/*' }],
      composite_index: [
        {
          index: [
            { path: '/category', order: 'ascending' },
            { path: '/price', order: 'descending' },
          ],
        },
      ],
    });
  });

  it('single-field sorts alone keep the default policy (it indexes every path)', () => {
    const backend = defineBackend({
      products: CrudApi.define('ProductApi', {
        entityName: 'Product',
        schema,
        sortable: ['price', 'name'],
      }),
    });
    expect(containerOf(backend)['indexing_policy']).toBeUndefined();
  });

  it("a user's policy keeps its own entries; sorted fields it leaves out are added; duplicates are not", () => {
    const backend = defineBackend({
      products: product({
        indexingPolicy: {
          indexingMode: 'consistent',
          includedPaths: [{ path: '/name/?' }],
          excludedPaths: [{ path: '/*' }],
          compositeIndexes: [
            [
              { path: '/category', order: 'ascending' },
              { path: '/price', order: 'descending' },
            ],
          ],
        },
      }),
    });
    expect(containerOf(backend)['indexing_policy']).toEqual({
      indexing_mode: 'consistent',
      included_path: [{ path: '/name/?' }, { path: '/price/?' }, { path: '/category/?' }],
      excluded_path: [{ path: '/*' }],
      composite_index: [
        {
          index: [
            { path: '/category', order: 'ascending' },
            { path: '/price', order: 'descending' },
          ],
        },
      ],
    });
  });

  it('the declared sorts reach the runtime manifest and pass its loader', () => {
    const entity = entityOf(product());
    expect(entity.sortable).toEqual([
      [{ field: 'price', order: 'ascending' }],
      [
        { field: 'category', order: 'ascending' },
        { field: 'price', order: 'descending' },
      ],
    ]);
    const manifest = parseManifest(
      JSON.stringify({ version: 1, backendId: 'b', entities: [entity] }),
    );
    expect(manifest.entities[0]!.sortable).toEqual(entity.sortable);
    expect(() =>
      parseManifest(
        JSON.stringify({
          version: 1,
          backendId: 'b',
          entities: [{ ...entity, sortable: [[{ field: 'a"]', order: 'ascending' }]] }],
        }),
      ),
    ).toThrow(expect.objectContaining({ code: 'RUNTIME_CONFIG_INVALID' }));
    expect(
      entityOf(CrudApi.define('ProductApi', { entityName: 'Product', schema })).sortable,
    ).toBeUndefined();
  });

  it.each([
    [{ sortable: ['prize'] }, ['sortable', 0]],
    [{ sortable: ['tags'] }, ['sortable', 0]],
    [{ sortable: ['price desc'] }, ['sortable', 0]],
    [{ sortable: [['price']] }, ['sortable', 0]],
    [{ sortable: [['category', 'category desc']] }, ['sortable', 0]],
    [{ sortable: [['category', 'price sideways']] }, ['sortable', 0, 1]],
    [{ sortable: 'price' }, ['sortable']],
    [{ sortable: ['constructor'] }, ['sortable', 0]],
    [
      { sortable: ['price'], indexingPolicy: { excludedPaths: [{ path: '/price/?' }] } },
      ['indexingPolicy'],
    ],
    [{ sortable: ['price'], indexingPolicy: { indexingMode: 'none' } }, ['indexingPolicy']],
  ])('%j → CRUD_SORTABLE_INVALID at its path', (extra, path) => {
    expect(() =>
      CrudApi.define('ProductApi', { entityName: 'Product', schema, ...extra } as never),
    ).toThrow(
      expect.objectContaining({
        code: 'CRUD_SORTABLE_INVALID',
        path: ['components', 'ProductApi', 'config', ...path],
      }),
    );
  });
});
