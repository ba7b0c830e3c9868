/**
 * Evolution never loses data, against the local Cosmos DB server: an item stored at a newer version than the code
 * (what a rollback leaves) is served as stored — read, list, `$select` — and every write that would store it in
 * the older shape (PUT, PATCH) is 409 `schema-version-ahead` naming both versions, leaving it as it was; a
 * migration's result is checked against the current schema as a client's write is (`migration-failed` naming the
 * item, the step that set the wrong field, and the field; never served, never written by a PATCH); a migration
 * that does not settle fails within the request's budget; and a migration cannot add an owner the item lacks.
 */
import type { Container } from '@azure/cosmos';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RuntimeEntity } from '../../src/model/runtime-manifest.js';
import type { ItemMigration } from '../../src/runtime/data/context.js';
import { createCrudHandlers } from '../../src/runtime/crud/handlers.js';
import { presentStored } from '../../src/runtime/crud/versioned-items.js';
import { SCHEMA_VERSION_FIELD as V } from '../../src/runtime/values/system-fields.js';
import { noteEntity } from './support/entities.js';
import { apiFor } from './support/http.js';
import { type LocalCosmos, startLocalCosmos } from './support/local-cosmos.js';

let cosmos: LocalCosmos;
let n = 0;
const A = { 'x-tenant-id': 'tenant-a' };

// Version 1 stored `amountCents`; version 2 stores `total` (a number); version 3 (rolled back below) adds `note`.
const v2: RuntimeEntity = {
  ...noteEntity,
  componentId: 'OrderApi',
  entityName: 'Order',
  route: 'orders',
  schemaVersion: 2,
  schema: {
    total: { type: 'number', required: true },
    status: { type: 'string', required: true, default: 'open' },
  },
};
const toV2: ItemMigration = ({ amountCents, ...item }) => ({
  ...item,
  total: Number(amountCents) / 100,
});

beforeAll(async () => {
  cosmos = await startLocalCosmos();
});
afterAll(async () => cosmos?.stop());

async function fresh(): Promise<Container> {
  return cosmos.container(`evolution-${String(n++)}`, '/tenantId');
}
const raw = async (c: Container, id: string) =>
  (await c.item(id, 'tenant-a').read<Record<string, unknown>>()).resource!;

describe('an item stored at a newer version than the code (a rollback)', () => {
  it('is served as stored — read, list, $select — never migrated down', async () => {
    const c = await fresh();
    await c.items.create({
      id: 'o3',
      tenantId: 'tenant-a',
      total: 42,
      note: 'v3 wrote this',
      [V]: 3,
    });
    await c.items.create({ id: 'o1', tenantId: 'tenant-a', amountCents: 1999 });
    const api = apiFor(v2, createCrudHandlers(v2, c, { migrations: { 2: toV2 } }));
    const read = await api.get('o3', { headers: A });
    expect(read.status).toBe(200);
    // As stored: total stays 42 (the version-1 migration would have made it NaN → refused), no default added.
    expect(read.body).toEqual({ id: 'o3', tenantId: 'tenant-a', total: 42, note: 'v3 wrote this' });
    const list = await api.list({ headers: A });
    expect(list.status).toBe(200);
    expect(list.body.items).toContainEqual(read.body);
    expect(list.body.items).toContainEqual({
      id: 'o1',
      tenantId: 'tenant-a',
      total: 19.99,
      status: 'open',
    });
    const selected = await api.list({ headers: A, query: { $select: 'total,status' } });
    expect(selected.body.items).toContainEqual({ id: 'o3', tenantId: 'tenant-a', total: 42 });
  });

  it('an entity without schemaVersion (rolled back to before versions) shows a version-2 item as stored', async () => {
    const c = await fresh();
    const plain: RuntimeEntity = {
      ...v2,
      schemaVersion: undefined,
      schema: { amountCents: { type: 'integer', required: false }, status: v2.schema.status! },
    };
    await c.items.create({ id: 'o2', tenantId: 'tenant-a', total: 5, [V]: 2 });
    const api = apiFor(plain, createCrudHandlers(plain, c));
    // $select is projected by Cosmos DB here (no versions): the hidden version still travels, so no default.
    const selected = await api.list({ headers: A, query: { $select: 'status' } });
    expect(selected.body.items).toEqual([{ id: 'o2', tenantId: 'tenant-a' }]);
    const patched = await api.patch('o2', { status: 'x' }, { headers: A });
    expect(patched.status).toBe(409);
    expect(patched.body).toMatchObject({ storedVersion: 2, currentVersion: 1 });
  });

  it('PUT and PATCH are 409 schema-version-ahead naming both versions; the item is unchanged', async () => {
    const c = await fresh();
    await c.items.create({ id: 'o3', tenantId: 'tenant-a', total: 42, note: 'kept', [V]: 3 });
    const before = await raw(c, 'o3');
    const api = apiFor(v2, createCrudHandlers(v2, c, { migrations: { 2: toV2 } }));
    for (const write of [
      () => api.patch('o3', { total: 0 }, { headers: A }),
      () => api.put('o3', { total: 0 }, { headers: A }),
      () => api.put('o3', { total: 0 }, { headers: { ...A, 'if-match': '*' } }),
    ]) {
      const r = await write();
      expect(r.status).toBe(409);
      expect(r.body).toMatchObject({
        type: 'urn:atakora:problem:schema-version-ahead',
        item: 'o3',
        storedVersion: 3,
        currentVersion: 2,
      });
      expect(r.body.detail).toContain('version 3');
      expect(r.body.detail).toContain('version 2');
    }
    expect(await raw(c, 'o3')).toEqual(before);
    // Deleting is the caller's own choice, not a rewrite in an older shape: it goes ahead.
    expect((await api.del('o3', { headers: A })).status).toBe(204);
  });
});

describe('a migration result is checked as a client write is', () => {
  const v3: RuntimeEntity = {
    ...v2,
    schemaVersion: 3,
    schema: { ...v2.schema, dailyRate: { type: 'number', required: false } },
  };
  // Step 2 writes a wrong type; step 3 leaves dailyRate alone: step 2 is to blame.
  const badV2: ItemMigration = (item) => ({
    ...toV2(item, { tenant: undefined }),
    dailyRate: '189 EUR',
  });
  const toV3: ItemMigration = (item) => ({ ...item });

  it('a wrong type is migration-failed naming the item, the step that set it and the field; never served', async () => {
    const c = await fresh();
    await c.items.create({ id: 'r1', tenantId: 'tenant-a', amountCents: 100 });
    const lines: { level: string; message: string }[] = [];
    const api = apiFor(v3, createCrudHandlers(v3, c, { migrations: { 2: badV2, 3: toV3 } }), lines);
    const read = await api.get('r1', { headers: A });
    expect(read.status).toBe(500);
    expect(read.body).toMatchObject({
      type: 'urn:atakora:problem:migration-failed',
      item: 'r1',
      step: 2,
      field: 'dailyRate',
    });
    expect(read.body.errors).toEqual([
      { field: 'dailyRate', code: 'type', message: expect.stringContaining('number') as unknown },
    ]);
    expect(read.text).not.toContain('189 EUR');
    expect((await api.list({ headers: A })).status).toBe(500);
    const patched = await api.patch('r1', { status: 'x' }, { headers: A });
    expect(patched.status).toBe(500);
    expect(await raw(c, 'r1')).not.toHaveProperty(V);
    expect(lines.some((l) => l.message.includes('migration 2 of OrderApi failed on'))).toBe(true);
  });

  it('a required field no step gives, or a field the schema does not know, blames the last step', async () => {
    const c = await fresh();
    await c.items.create({ id: 'r2', tenantId: 'tenant-a', amountCents: 100 });
    await c.items.create({ id: 'r3', tenantId: 'tenant-a', amountCents: 100, extra: true });
    const keeps: ItemMigration = (item) => ({ ...item });
    const api = apiFor(v3, createCrudHandlers(v3, c, { migrations: { 2: keeps, 3: keeps } }));
    const missing = await api.get('r2', { headers: A });
    expect(missing.body).toMatchObject({ step: 3 });
    expect(missing.body.errors.map((e: { field: string }) => e.field).sort()).toEqual([
      'amountCents',
      'total',
    ]);
    const unknown = await apiFor(
      v3,
      createCrudHandlers(v3, c, { migrations: { 2: toV2, 3: keeps } }),
    ).get('r3', { headers: A });
    expect(unknown.body).toMatchObject({ field: 'extra', step: 3 });
  });

  it('a migration that never settles fails within the request budget', async () => {
    const c = await fresh();
    await c.items.create({ id: 'h1', tenantId: 'tenant-a', amountCents: 1 });
    const hangs: ItemMigration = () => new Promise(() => undefined);
    const api = apiFor(
      v2,
      createCrudHandlers(v2, c, {
        migrations: { 2: hangs },
        cosmos: { timeoutMs: 300, retryAfterSeconds: 1 },
      }),
    );
    const read = await api.get('h1', { headers: A });
    expect(read.status).toBe(500);
    expect(read.body).toMatchObject({ item: 'h1', step: 2 });
    expect(read.body.detail).toContain("did not settle within the request's budget (300 ms)");
    const list = await api.list({ headers: A });
    expect(list.body).toMatchObject({ item: 'h1', step: 2 });
  });

  it('a migration cannot give an item an owner, a tenant or an id it was not stored with', async () => {
    const stored = { id: 'x', tenantId: 'tenant-a', amountCents: 5 };
    const grabs: ItemMigration = (item) => ({
      ...toV2(item, { tenant: undefined }),
      ownerId: 'me',
    });
    const shown = await presentStored({ entity: v2, migrations: { 2: grabs } }, stored);
    expect(shown).toMatchObject({ ok: true, item: { id: 'x', tenantId: 'tenant-a', total: 0.05 } });
    expect(shown.ok && shown.item).not.toHaveProperty('ownerId');
  });
});
