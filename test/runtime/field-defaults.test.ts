/**
 * Field defaults against the local Cosmos DB server: an item stored before a defaulted field existed reads with
 * the default (single read, list, `$select`), a create or replace without it stores it, a PATCH `null` resets it,
 * and an object default handed to one caller cannot leak a change into another's read.
 */
import type { Container } from '@azure/cosmos';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RuntimeEntity } from '../../src/model/runtime-manifest.js';
import { createCrudHandlers } from '../../src/runtime/crud/handlers.js';
import { entityJsonSchemas } from '../../src/contract/entity-schema.js';
import { noteEntity } from './support/entities.js';
import { apiFor } from './support/http.js';
import { type LocalCosmos, startLocalCosmos } from './support/local-cosmos.js';

let cosmos: LocalCosmos;
let container: Container;
const A = { 'x-tenant-id': 'tenant-a' };
const entity: RuntimeEntity = {
  ...noteEntity,
  schema: {
    ...noteEntity.schema,
    status: { type: 'string', required: true, default: 'open' },
    tags: { type: 'array', required: false, default: ['new'] },
  },
};

beforeAll(async () => {
  cosmos = await startLocalCosmos();
  container = await cosmos.container('defaults', '/tenantId');
});
afterAll(async () => cosmos?.stop());

const raw = async (id: string) =>
  (await container.item(id, 'tenant-a').read<Record<string, unknown>>()).resource!;

describe('field defaults', () => {
  it('an item stored without the fields reads with their defaults, in a read and a list', async () => {
    // Written straight to the container, as an item stored before the fields existed.
    await container.items.create({ id: 'old', tenantId: 'tenant-a', title: 'before' });
    const api = apiFor(entity, createCrudHandlers(entity, container));
    const read = await api.get('old', { headers: A });
    expect(read.status).toBe(200);
    expect(read.body).toEqual({
      id: 'old',
      tenantId: 'tenant-a',
      title: 'before',
      status: 'open',
      tags: ['new'],
    });
    const list = await api.list({ headers: A });
    expect(list.body.items.find((i: { id: string }) => i.id === 'old')).toEqual(read.body);
    // Nothing was rewritten by reading.
    expect(await raw('old')).not.toHaveProperty('status');
  });

  it('a $select list adds only the selected defaulted fields', async () => {
    const api = apiFor(entity, createCrudHandlers(entity, container));
    const list = await api.list({ headers: A, query: { $select: 'status' } });
    expect(list.status).toBe(200);
    const old = list.body.items.find((i: { id: string }) => i.id === 'old');
    expect(old.status).toBe('open');
    expect(old).not.toHaveProperty('tags');
    expect(old).not.toHaveProperty('title');
  });

  it('a create or replace without the field stores its default; a given value wins', async () => {
    const api = apiFor(entity, createCrudHandlers(entity, container));
    const created = await api.create({ id: 'c1', title: 'x' }, { headers: A });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ status: 'open', tags: ['new'] });
    expect(await raw('c1')).toMatchObject({ status: 'open', tags: ['new'] });
    const given = await api.create({ id: 'c2', title: 'x', status: 'closed' }, { headers: A });
    expect(given.body.status).toBe('closed');
    const replaced = await api.put('c2', { title: 'y' }, { headers: A });
    expect(replaced.status).toBe(200);
    expect((await raw('c2')).status).toBe('open');
  });

  it('a PATCH null on a defaulted field resets it to the default', async () => {
    const api = apiFor(entity, createCrudHandlers(entity, container));
    await api.create({ id: 'p1', title: 'x', status: 'closed' }, { headers: A });
    const patched = await api.patch('p1', { status: null }, { headers: A });
    expect(patched.status).toBe(200);
    expect(patched.body.status).toBe('open');
  });

  it('a default of the wrong type in a body is still refused (the default is not a wildcard)', async () => {
    const api = apiFor(entity, createCrudHandlers(entity, container));
    const bad = await api.create({ id: 'b1', title: 'x', status: 7 }, { headers: A });
    expect(bad.status).toBe(400);
  });

  it('an object default handed to one reader is a copy', async () => {
    const api = apiFor(entity, createCrudHandlers(entity, container));
    const first = await api.get('old', { headers: A });
    first.body.tags.push('mutated');
    expect((await api.get('old', { headers: A })).body.tags).toEqual(['new']);
    expect(entity.schema['tags']?.default).toEqual(['new']);
  });

  it('the OpenAPI shapes show the default; a body may leave a defaulted required field out', () => {
    const { read, input } = entityJsonSchemas(entity);
    const props = read['properties'] as Record<string, Record<string, unknown>>;
    expect(props['status']).toEqual({ type: 'string', default: 'open' });
    expect(read['required']).toContain('status');
    expect(input['required']).not.toContain('status');
    expect(input['required']).toContain('title');
  });
});
