import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { defineBackend } from '../../src/backend/define-backend.js';
import { normalizeConfig } from '../../src/backend/normalize-config.js';
import { CrudApi } from '../../src/components/crud/index.js';
import type { FieldDefinition } from '../../src/components/crud/config.js';
import type { RuntimeEntity } from '../../src/model/runtime-manifest.js';
import { openApiFromPlan } from '../../src/plan/openapi.js';
import { parseManifest } from '../../src/runtime/manifest-loader.js';
import { validateItem } from '../../src/runtime/http/schema-validator.js';
import { thrown } from '../support/errors.js';

const order = (status: FieldDefinition) =>
  CrudApi.define('OrderApi', {
    entityName: 'Order',
    schema: { id: 'string', title: { type: 'string', required: true }, status },
  });

function entityOf(def: ReturnType<typeof order>): RuntimeEntity {
  const fn = def
    .requirements({ componentId: 'OrderApi', config: normalizeConfig({}) })
    .find((r) => r.resourceType === 'functions')!;
  return (fn.config as { crudEntities: RuntimeEntity[] }).crudEntities[0]!;
}

describe('CrudApi field defaults at define time', () => {
  it('a default of the field type reaches the runtime manifest and survives its schema', () => {
    const entity = entityOf(order({ type: 'string', required: true, default: 'open' }));
    expect(entity.schema['status']).toEqual({ type: 'string', required: true, default: 'open' });
    const manifest = parseManifest(
      JSON.stringify({ version: 1, backendId: 'b', entities: [entity] }),
    );
    expect(manifest.entities[0]!.schema['status']!.default).toBe('open');
  });

  it.each([
    [{ type: 'string', default: 3 }],
    [{ type: 'integer', default: 1.5 }],
    [{ type: 'date', default: '2024-02-30' }],
    [{ type: 'timestamp', default: 'yesterday' }],
    [{ type: 'string', maxLength: 2, default: 'open' }],
    [{ type: 'object', default: [] }],
    [{ type: 'number', default: Number.NaN }],
  ])('refuses %j with CRUD_FIELD_DEFAULT_INVALID at the field path', (status) => {
    const error = thrown(() => order(status as FieldDefinition));
    expect(error.code).toBe('CRUD_FIELD_DEFAULT_INVALID');
    expect(error.path).toEqual(['components', 'OrderApi', 'config', 'schema', 'status', 'default']);
  });

  it('property: every default the define accepts, the runtime validator accepts in a body', () => {
    const types = ['string', 'number', 'integer', 'boolean', 'object', 'array', 'date'] as const;
    fc.assert(
      fc.property(fc.constantFrom(...types), fc.jsonValue(), (type, value) => {
        let entity: RuntimeEntity;
        try {
          entity = entityOf(order({ type, default: value as never }));
        } catch {
          return; // refused at define time: nothing reaches the runtime
        }
        const spec = entity.schema['status']!;
        expect(validateItem(entity, { id: 'a', title: 't', status: spec.default })).toEqual([]);
      }),
    );
  });

  it('the OpenAPI document shows the default, and the input shape does not require the field', () => {
    const backend = defineBackend(
      { orders: order({ type: 'string', required: true, default: 'open' }) },
      { environment: 'dev' },
    );
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    const doc = openApiFromPlan(backend.plan()) as Record<string, any>;
    expect(doc.components.schemas.OrderApiItem.properties.status.default).toBe('open');
    expect(doc.components.schemas.OrderApiItem.required).toContain('status');
    expect(doc.components.schemas.OrderApiInput.required).toEqual(['title']);
  });
});

describe('CrudApi schemaVersion and migrations at define time', () => {
  const define = (extra: Record<string, unknown>) => () =>
    CrudApi.define('OrderApi', {
      entityName: 'Order',
      schema: { id: 'string' },
      ...extra,
    } as never);

  it.each([
    [{ schemaVersion: 0 }, ['schemaVersion']],
    [{ schemaVersion: 1.5 }, ['schemaVersion']],
    [{ schemaVersion: 3, migrations: { 2: './m2.ts' } }, ['migrations', '3']],
    [{ schemaVersion: 2, migrations: { 2: './m2.ts', 3: './m3.ts' } }, ['migrations', '3']],
    [{ migrations: { 2: './m2.ts' } }, ['migrations', '2']],
    [{ schemaVersion: 2, migrations: { 2: 42 } }, ['migrations', '2']],
    [{ schemaVersion: 2, migrations: [] }, ['migrations']],
  ])('%j → CRUD_MIGRATION_INVALID at %j', (extra, path) => {
    const error = thrown(define(extra));
    expect(error.code).toBe('CRUD_MIGRATION_INVALID');
    expect(error.path).toEqual(['components', 'OrderApi', 'config', ...path]);
  });

  it('a complete chain puts schemaVersion in the runtime manifest', () => {
    const def = CrudApi.define('OrderApi', {
      entityName: 'Order',
      schema: { id: 'string', title: 'string', status: 'string' },
      schemaVersion: 3,
      migrations: { 2: './m/order-v2.ts', 3: './m/order-v3.ts' },
    });
    const entity = entityOf(def as never);
    expect(entity.schemaVersion).toBe(3);
    const manifest = parseManifest(
      JSON.stringify({ version: 1, backendId: 'b', entities: [entity] }),
    );
    expect(manifest.entities[0]!.schemaVersion).toBe(3);
  });
});
