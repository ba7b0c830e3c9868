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

const task = (status: FieldDefinition) =>
  CrudApi.define('TaskApi', {
    entityName: 'Task',
    schema: { id: 'string', title: { type: 'string', required: true }, status },
  });

function entityOf(def: ReturnType<typeof task>): RuntimeEntity {
  const fn = def
    .requirements({ componentId: 'TaskApi', config: normalizeConfig({}) })
    .find((r) => r.resourceType === 'functions')!;
  return (fn.config as { crudEntities: RuntimeEntity[] }).crudEntities[0]!;
}

describe('CrudApi enum fields at define time', () => {
  it('the list reaches the runtime manifest and survives its schema', () => {
    const entity = entityOf(task({ type: 'string', enum: ['todo', 'done'], default: 'todo' }));
    expect(entity.schema['status']).toEqual({
      type: 'string',
      required: false,
      enum: ['todo', 'done'],
      default: 'todo',
    });
    const manifest = parseManifest(
      JSON.stringify({ version: 1, backendId: 'b', entities: [entity] }),
    );
    expect(manifest.entities[0]!.schema['status']!.enum).toEqual(['todo', 'done']);
  });

  it.each([
    [{ type: 'string', enum: [] }, 'non-empty'],
    [{ type: 'string', enum: 'todo' }, 'non-empty'],
    [{ type: 'string', enum: ['todo', 3] }, 'not a string'],
    [{ type: 'string', enum: ['todo', null] }, 'not a string'],
    [{ type: 'string', enum: ['todo', 'done', 'todo'] }, 'twice'],
    [{ type: 'integer', enum: ['1', '2'] }, 'only for string fields'],
    [{ type: 'date', enum: ['2025-01-01'] }, 'only for string fields'],
    [{ type: 'string', maxLength: 3, enum: ['todo', 'done', 'new'] }, 'maxLength'],
  ])('refuses %j with CRUD_FIELD_ENUM_INVALID at the enum path (%s)', (status, words) => {
    const error = thrown(() => task(status as FieldDefinition));
    expect(error.code).toBe('CRUD_FIELD_ENUM_INVALID');
    expect(error.path).toEqual(['components', 'TaskApi', 'config', 'schema', 'status', 'enum']);
    expect(error.message).toContain(words);
  });

  it('refuses a default outside the list with CRUD_FIELD_DEFAULT_INVALID', () => {
    const error = thrown(() => task({ type: 'string', enum: ['todo', 'done'], default: 'open' }));
    expect(error.code).toBe('CRUD_FIELD_DEFAULT_INVALID');
    expect(error.path).toEqual(['components', 'TaskApi', 'config', 'schema', 'status', 'default']);
    expect(error.message).toContain('"todo", "done"');
  });

  it('property: the validator accepts exactly the listed values', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.string(), { minLength: 1, maxLength: 8 }),
        fc.string(),
        (values, other) => {
          const entity = entityOf(task({ type: 'string', enum: values }));
          for (const v of values)
            expect(validateItem(entity, { title: 't', status: v })).toEqual([]);
          const errors = validateItem(entity, { title: 't', status: other });
          expect(errors.map((e) => e.code)).toEqual(values.includes(other) ? [] : ['enum']);
        },
      ),
    );
  });

  it('the OpenAPI document carries the enum in the item, input and patch shapes', () => {
    const backend = defineBackend(
      {
        tasks: task({
          type: 'string',
          required: true,
          enum: ['todo', 'doing', 'done'],
          default: 'todo',
        }),
      },
      { environment: 'dev' },
    );
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    const doc = openApiFromPlan(backend.plan()) as Record<string, any>;
    const expected = { type: 'string', enum: ['todo', 'doing', 'done'], default: 'todo' };
    const schemas = doc.components.schemas;
    expect(schemas.TaskApiItem.properties.status).toEqual(expected);
    // On input a defaulted field is optional and carries no `default` (the runtime fills it; generators would
    // otherwise make it required): the enum stays.
    const { default: _filled, ...input } = expected;
    expect(schemas.TaskApiInput.properties.status).toMatchObject(input);
    expect(schemas.TaskApiInput.properties.status).not.toHaveProperty('default');
    expect(JSON.stringify(schemas.TaskApiPatch.properties.status)).toContain(
      '"enum":["todo","doing","done"]',
    );
  });
});
