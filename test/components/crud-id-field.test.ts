import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { defineBackend } from '../../src/backend/define-backend.js';
import { CrudApi } from '../../src/components/crud/index.js';
import type { FieldDefinition } from '../../src/components/crud/config.js';
import type { CrudOperation } from '../../src/model/runtime-manifest.js';
import { GENERATED_ID_LENGTH, ID_MAX_LENGTH } from '../../src/components/crud/id-field.js';
import { openApiFromPlan } from '../../src/plan/openapi.js';
import { checkId } from '../../src/runtime/http/schema-validator.js';
import { thrown } from '../support/errors.js';

const code = (id: FieldDefinition, operations?: readonly CrudOperation[]) =>
  CrudApi.define('CodeApi', {
    entityName: 'Code',
    schema: { id, label: 'string' },
    ...(operations ? { operations } : {}),
  });
const PATH = ['components', 'CodeApi', 'config', 'schema', 'id'];

describe('what a CrudApi schema may declare on id', () => {
  it.each([
    [{ type: 'number' }, 'type', 'has type number'],
    ['boolean', 'type', 'has type boolean'],
    [{ type: 'integer', required: true }, 'type', 'has type integer'],
    [{ type: 'string', enum: ['a', 'b'] }, 'enum', 'has an enum'],
    [{ type: 'string', default: 'x' }, 'default', 'has a default'],
    [{ type: 'string', maxLength: 256 }, 'maxLength', 'has maxLength 256'],
    [{ type: 'string', maxLength: 0 }, 'maxLength', 'has maxLength 0'],
    [{ type: 'string', maxLength: 40.5 }, 'maxLength', 'has maxLength 40.5'],
  ])('refuses %j with CRUD_ID_FIELD_INVALID at schema.id.%s', (def, key, words) => {
    const error = thrown(() => code(def as FieldDefinition));
    expect(error.code).toBe('CRUD_ID_FIELD_INVALID');
    expect(error.path).toEqual([...PATH, key]);
    expect(error.message).toContain(words);
    expect(error.resolution).toBeTruthy();
  });

  it('refuses a maxLength below a generated id when creates may leave the id out', () => {
    const error = thrown(() => code({ type: 'string', maxLength: 10 }));
    expect(error.code).toBe('CRUD_ID_MAX_LENGTH_BELOW_GENERATED');
    expect(error.path).toEqual([...PATH, 'maxLength']);
    expect(error.message).toContain('maxLength 10');
    expect(error.message).toContain('36 characters');
  });

  it('admits a short maxLength on an API without create (ids come from seeds and imports)', () => {
    expect(code({ type: 'string', maxLength: 10 }, ['read', 'list']).componentId).toBe('CodeApi');
  });

  it.each<FieldDefinition>([
    'string',
    { type: 'string', required: true },
    { type: 'string', maxLength: GENERATED_ID_LENGTH },
    { type: 'string', maxLength: ID_MAX_LENGTH },
  ])('admits %j', (def) => {
    expect(code(def).componentId).toBe('CodeApi');
  });

  it("the definition's limits are the runtime's: a generated id's length, Cosmos DB's 255 units", () => {
    expect(randomUUID()).toHaveLength(GENERATED_ID_LENGTH);
    expect(checkId('x'.repeat(ID_MAX_LENGTH))).toBeUndefined();
    expect(checkId('x'.repeat(ID_MAX_LENGTH + 1))).toBeDefined();
  });

  it("the OpenAPI document bounds the id in the shapes and in PUT/PATCH's URL, not in GET/DELETE's", () => {
    const backend = defineBackend(
      { codes: code({ type: 'string', maxLength: 40 }) },
      { environment: 'dev' },
    );
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    const doc = openApiFromPlan(backend.plan()) as Record<string, any>;
    const { schemas } = doc.components;
    for (const shape of ['CodeApiItem', 'CodeApiInput', 'CodeApiPatch'])
      expect(schemas[shape].properties.id).toEqual({ type: 'string', maxLength: 40 });
    const item = doc.paths['/api/codes/{id}'];
    const bound = {
      name: 'id',
      in: 'path',
      required: true,
      schema: { type: 'string', maxLength: 40 },
    };
    expect(item.put.parameters).toContainEqual(bound);
    expect(item.patch.parameters).toContainEqual(bound);
    expect(JSON.stringify(item.get.parameters ?? [])).not.toContain('maxLength');
    expect(JSON.stringify(item.delete.parameters ?? [])).not.toContain('maxLength');
  });
});
