/**
 * Schema versions against the local Cosmos DB server: older items read through the migration chain (read, list,
 * `$select`, PATCH), writes store the current version in a hidden field no client sees, filters, sorts or sets,
 * and a migration that throws answers a `migration-failed` problem naming the item and step (logged).
 */
import type { Container } from '@azure/cosmos';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RuntimeEntity } from '../../src/model/runtime-manifest.js';
import type { ItemMigration } from '../../src/runtime/data/context.js';
import { createCrudHandlers } from '../../src/runtime/crud/handlers.js';
import { presentStored } from '../../src/runtime/crud/versioned-items.js';
import { SCHEMA_VERSION_FIELD } from '../../src/runtime/values/system-fields.js';
import { noteEntity } from './support/entities.js';
import { apiFor } from './support/http.js';
import { type LocalCosmos, startLocalCosmos } from './support/local-cosmos.js';

let cosmos: LocalCosmos;
let container: Container;
const A = { 'x-tenant-id': 'tenant-a' };
// v1: { title, done }; v2: done → status; v3: title → name (a rename).
const entity: RuntimeEntity = {
  ...noteEntity,
  schemaVersion: 3,
  schema: {
    name: { type: 'string', required: true },
    status: { type: 'string', required: true },
    count: { type: 'integer', required: false },
  },
};
const toV2: ItemMigration = ({ done, ...item }) => ({ ...item, status: done ? 'closed' : 'open' });
const toV3: ItemMigration = ({ title, ...item }) => ({ ...item, name: title });
const migrations = { 2: toV2, 3: toV3 };

beforeAll(async () => {
  cosmos = await startLocalCosmos();
  container = await cosmos.container('versions', '/tenantId');
  await container.items.create({ id: 'v1', tenantId: 'tenant-a', title: 'old', done: true });
  await container.items.create({
    id: 'v2',
    tenantId: 'tenant-a',
    title: 'mid',
    status: 'open',
    [SCHEMA_VERSION_FIELD]: 2,
  });
});
afterAll(async () => cosmos?.stop());

const raw = async (id: string) =>
  (await container.item(id, 'tenant-a').read<Record<string, unknown>>()).resource!;

describe('schema versions', () => {
  it('reads pass older items through the chain; nothing is written back', async () => {
    const api = apiFor(entity, createCrudHandlers(entity, container, { migrations }));
    expect((await api.get('v1', { headers: A })).body).toEqual({
      id: 'v1',
      tenantId: 'tenant-a',
      name: 'old',
      status: 'closed',
    });
    expect((await api.get('v2', { headers: A })).body).toEqual({
      id: 'v2',
      tenantId: 'tenant-a',
      name: 'mid',
      status: 'open',
    });
    const list = await api.list({ headers: A });
    expect(list.status).toBe(200);
    const names = list.body.items.map((i: { name: string }) => i.name).sort();
    expect(names).toEqual(['mid', 'old']);
    expect(await raw('v1')).toMatchObject({ title: 'old', done: true });
    expect(await raw('v1')).not.toHaveProperty(SCHEMA_VERSION_FIELD);
  });

  it('a $select list projects after migrating (the renamed field is there)', async () => {
    const api = apiFor(entity, createCrudHandlers(entity, container, { migrations }));
    const list = await api.list({ headers: A, query: { $select: 'name' } });
    expect(list.status).toBe(200);
    const v1 = list.body.items.find((i: { id: string }) => i.id === 'v1');
    expect(v1).toEqual({ id: 'v1', tenantId: 'tenant-a', name: 'old' });
  });

  it('writes store the current version; a PATCH of an old item applies to its migrated shape', async () => {
    const api = apiFor(entity, createCrudHandlers(entity, container, { migrations }));
    const created = await api.create({ id: 'c1', name: 'new', status: 'open' }, { headers: A });
    expect(created.status).toBe(201);
    expect(created.body).not.toHaveProperty(SCHEMA_VERSION_FIELD);
    expect((await raw('c1'))[SCHEMA_VERSION_FIELD]).toBe(3);
    await container.items.create({ id: 'p1', tenantId: 'tenant-a', title: 'p', done: false });
    const patched = await api.patch('p1', { count: 2 }, { headers: A });
    expect(patched.status).toBe(200);
    expect(patched.body).toEqual({
      id: 'p1',
      tenantId: 'tenant-a',
      name: 'p',
      status: 'open',
      count: 2,
    });
    const stored = await raw('p1');
    expect(stored[SCHEMA_VERSION_FIELD]).toBe(3);
    expect(stored).not.toHaveProperty('title');
  });

  it('the hidden field is never settable, filterable or sortable', async () => {
    const api = apiFor(
      { ...entity, unknownFields: 'keep' },
      createCrudHandlers({ ...entity, unknownFields: 'keep' }, container, { migrations }),
    );
    const forged = await api.create(
      { id: 'f1', name: 'x', status: 'open', [SCHEMA_VERSION_FIELD]: 1 },
      { headers: A },
    );
    expect(forged.status).toBe(201);
    expect((await raw('f1'))[SCHEMA_VERSION_FIELD]).toBe(3);
    const filtered = await api.list({
      headers: A,
      query: { $filter: `${SCHEMA_VERSION_FIELD} eq 1` },
    });
    expect(filtered.status).toBe(400);
    const sorted = await api.list({ headers: A, query: { $orderby: SCHEMA_VERSION_FIELD } });
    expect(sorted.status).toBe(400);
  });

  it('a throwing migration answers migration-failed naming the item and step, and is logged', async () => {
    const lines: { level: string; message: string }[] = [];
    const boom: ItemMigration = () => {
      throw new Error('no status for you');
    };
    const api = apiFor(
      entity,
      createCrudHandlers(entity, container, { migrations: { 2: boom, 3: toV3 } }),
      lines,
    );
    const read = await api.get('v1', { headers: A });
    expect(read.status).toBe(500);
    expect(read.body.type).toBe('urn:atakora:problem:migration-failed');
    expect(read.body.item).toBe('v1');
    expect(read.body.step).toBe(2);
    expect(read.body.detail).toContain('"v1"');
    expect(JSON.stringify(read.body)).not.toContain('no status for you');
    expect(lines.some((l) => l.message.includes('no status for you'))).toBe(true);
    // v2 items skip step 2: they read.
    expect((await api.get('v2', { headers: A })).status).toBe(200);
    const list = await api.list({ headers: A });
    expect(list.body.type).toBe('urn:atakora:problem:migration-failed');
  });

  it('property: a migration cannot move an item to another tenant, id or owner', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.dictionary(fc.constantFrom('id', 'tenantId', 'ownerId', 'name'), fc.string()),
        async (overrides) => {
          const hostile: ItemMigration = (item) => ({
            ...item,
            name: 'n',
            status: 's',
            ...overrides,
          });
          const shown = await presentStored(
            {
              entity: { ...entity, unknownFields: 'keep', schemaVersion: 2 },
              migrations: { 2: hostile },
            },
            { id: 'x', tenantId: 'tenant-a', ownerId: 'u1', title: 't' },
          );
          expect(shown.ok).toBe(true);
          if (!shown.ok) return;
          expect(shown.item['id']).toBe('x');
          expect(shown.item['tenantId']).toBe('tenant-a');
          expect(shown.item['ownerId']).toBe('u1');
        },
      ),
    );
  });
});
