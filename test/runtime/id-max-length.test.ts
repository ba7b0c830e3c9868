import type { Container } from '@azure/cosmos';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CrudApi } from '../../src/index.js';
import { createCrudHandlers } from '../../src/runtime/crud/handlers.js';
import type { RuntimeEntity } from '../../src/model/runtime-manifest.js';
import { settings } from './support/entities.js';
import { apiFor } from './support/http.js';
import { type LocalCosmos, startLocalCosmos } from './support/local-cosmos.js';

const MAX = 40;
const schema = {
  id: { type: 'string', required: false, maxLength: MAX },
  label: { type: 'string', required: false, maxLength: 10 },
} as const;
const entity: RuntimeEntity = {
  componentId: 'CodeApi',
  entityName: 'Code',
  route: 'codes',
  partitionKey: '/id',
  schema,
  operations: ['create', 'read', 'update', 'delete', 'list'],
  unknownFields: 'reject',
  tenancy: 'shared',
  settings: settings('CODE_API'),
};

let cosmos: LocalCosmos;
let codes: Container;
let api: ReturnType<typeof apiFor>;

beforeAll(async () => {
  cosmos = await startLocalCosmos();
  codes = await cosmos.container('codes', '/id');
  api = apiFor(entity, createCrudHandlers(entity, codes));
});
afterAll(async () => cosmos?.stop());

const over = 'o'.repeat(MAX + 1);
const idErrors = (body: { errors?: { field: string; code: string; message: string }[] }) =>
  body.errors?.filter((e) => e.field === 'id');

describe('a schema bounding id (maxLength 40)', () => {
  it('is a schema CrudApi.define admits (a string id, maxLength at least a generated id)', () => {
    const d = CrudApi.define('CodeApi', { entityName: 'Code', schema, tenancy: 'shared' });
    expect(d.componentId).toBe('CodeApi');
  });

  it('refuses a client id one over the bound: 400 naming id, nothing stored', async () => {
    const r = await api.create({ id: over, label: 'a' });
    expect(r.status).toBe(400);
    expect(idErrors(r.body)).toEqual([
      { field: 'id', code: 'maxLength', message: `id must be at most ${MAX} characters` },
    ]);
    expect((await codes.item(over, over).read()).statusCode).toBe(404);
  });

  it('stores a client id at the bound, counted in code points like every maxLength', async () => {
    const at = 'a'.repeat(MAX);
    expect((await api.create({ id: at, label: 'a' })).status).toBe(201);
    // 40 code points, 80 UTF-16 units: within both the schema's bound and Cosmos DB's 255 units.
    const astral = '😀'.repeat(MAX);
    const r = await api.create({ id: astral, label: 'b' });
    expect(r.status).toBe(201);
    expect(r.body.id).toBe(astral);
  });

  it('still generates ids for a create without one (36 characters, within 40)', async () => {
    const r = await api.create({ label: 'gen' });
    expect(r.status).toBe(201);
    expect(r.body.id).toHaveLength(36);
    expect((await api.get(r.body.id as string)).status).toBe(200);
  });

  it('refuses PUT and PATCH to a URL id over the bound with 400 naming id, not 404', async () => {
    for (const r of [await api.put(over, { label: 'x' }), await api.patch(over, { label: 'x' })]) {
      expect(r.status).toBe(400);
      expect(r.body.type).toMatch(/validation$/);
      expect(idErrors(r.body)).toEqual([
        { field: 'id', code: 'maxLength', message: `id must be at most ${MAX} characters` },
      ]);
    }
  });

  it('replaces and patches an item whose id is at the bound', async () => {
    const id = 'p'.repeat(MAX);
    expect((await api.create({ id, label: 'one' })).status).toBe(201);
    expect((await api.put(id, { label: 'two' })).status).toBe(200);
    const patched = await api.patch(id, { label: 'three' });
    expect(patched.status).toBe(200);
    expect(patched.body).toMatchObject({ id, label: 'three' });
  });

  it('reads and deletes an item stored before the bound, but refuses to rewrite it under its long id', async () => {
    const legacy = 'l'.repeat(MAX + 10);
    await codes.items.create({ id: legacy, label: 'old' });
    expect((await api.get(legacy)).status).toBe(200);
    const patched = await api.patch(legacy, { label: 'new' });
    expect(patched.status).toBe(400);
    expect(idErrors(patched.body)?.[0]?.code).toBe('maxLength');
    expect((await codes.item(legacy, legacy).read()).resource?.label).toBe('old');
    expect((await api.del(legacy)).status).toBe(204);
  });

  it('a GET of an id over the bound is a plain 404 (no write, nothing to refuse)', async () => {
    expect((await api.get('q'.repeat(MAX + 1))).status).toBe(404);
  });
});
