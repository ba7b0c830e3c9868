/**
 * Enum fields against the local Cosmos DB server: a create, replace or PATCH with a value outside the list is a
 * 400 naming the field and the values (the problem shape of every field error) and writes nothing; `$filter`
 * compares them with eq, ne and in, and refuses a literal outside the list at its position; a migration whose
 * result leaves the list answers `migration-failed`; a seed item outside the list is listed with its index.
 */
import type { Container } from '@azure/cosmos';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RuntimeEntity } from '../../src/model/runtime-manifest.js';
import { createCrudHandlers } from '../../src/runtime/crud/handlers.js';
import type { ItemMigration } from '../../src/runtime/data/context.js';
import { SCHEMA_VERSION_FIELD } from '../../src/runtime/values/system-fields.js';
import { stampSeedItems, type SeedSet } from '../../src/cli/shared/seed-file.js';
import { AtakoraError } from '../../src/model/errors.js';
import { noteEntity } from './support/entities.js';
import { apiFor } from './support/http.js';
import { type LocalCosmos, startLocalCosmos } from './support/local-cosmos.js';

let cosmos: LocalCosmos;
let container: Container;
const A = { 'x-tenant-id': 'tenant-a' };
const STATUS = ['todo', 'doing', 'done'] as const;
const entity: RuntimeEntity = {
  ...noteEntity,
  schema: {
    ...noteEntity.schema,
    status: { type: 'string', required: true, enum: STATUS, default: 'todo' },
  },
};

beforeAll(async () => {
  cosmos = await startLocalCosmos();
  container = await cosmos.container('enums', '/tenantId');
});
afterAll(async () => cosmos?.stop());

const stored = async () => {
  const { resources } = await container.items.readAll<{ id: string; status?: string }>().fetchAll();
  return Object.fromEntries(resources.map((r) => [r.id, r.status]));
};

describe('enum fields', () => {
  it('every write outside the list is a 400 naming the field and the values, and writes nothing', async () => {
    const api = apiFor(entity, createCrudHandlers(entity, container));
    expect((await api.create({ id: 't1', title: 'a' }, { headers: A })).body.status).toBe('todo');
    expect(
      (await api.create({ id: 't2', title: 'b', status: 'doing' }, { headers: A })).status,
    ).toBe(201);
    const before = await stored();
    const bad = [
      await api.create({ id: 't3', title: 'c', status: 'archived' }, { headers: A }),
      await api.put('t1', { title: 'a', status: 'Done' }, { headers: A }),
      await api.patch('t2', { status: 'blocked' }, { headers: A }),
      await api.create({ id: 't4', title: 'd', status: 3 }, { headers: A }),
    ];
    for (const r of bad) {
      expect(r.status).toBe(400);
      expect(r.body.type).toBe('urn:atakora:problem:validation');
      expect(r.body.errors).toHaveLength(1);
      expect(r.body.errors[0].field).toBe('status');
    }
    expect(bad[0]!.body.errors[0]).toEqual({
      field: 'status',
      code: 'enum',
      message: "status must be one of 'todo', 'doing', 'done'",
    });
    // A value of the wrong type stays a type error.
    expect(bad[3]!.body.errors[0].code).toBe('type');
    expect(await stored()).toEqual(before);
    // A listed value is written by each kind of write.
    expect((await api.patch('t2', { status: 'done' }, { headers: A })).body.status).toBe('done');
    expect((await api.put('t1', { title: 'a', status: 'doing' }, { headers: A })).status).toBe(200);
    expect(await stored()).toEqual({ t1: 'doing', t2: 'done' });
  });

  it('$filter compares an enum field with eq, ne and in', async () => {
    const api = apiFor(entity, createCrudHandlers(entity, container));
    await api.create({ id: 't5', title: 'e' }, { headers: A });
    const ids = async (filter: string) => {
      const r = await api.list({ headers: A, query: { $filter: filter } });
      expect(r.status).toBe(200);
      return (r.body.items as { id: string }[]).map((i) => i.id).sort();
    };
    expect(await ids("status eq 'doing'")).toEqual(['t1']);
    expect(await ids("status ne 'doing'")).toEqual(['t2', 't5']);
    expect(await ids("status in ('todo', 'done')")).toEqual(['t2', 't5']);
    expect(await ids("not (status eq 'todo')")).toEqual(['t1', 't2']);
  });

  it('$filter refuses a literal outside the list at its position', async () => {
    const api = apiFor(entity, createCrudHandlers(entity, container));
    for (const [filter, position] of [
      ["status eq 'archived'", 10],
      ["status in ('todo', 'Done')", 19],
    ] as const) {
      const r = await api.list({ headers: A, query: { $filter: filter } });
      expect(r.status).toBe(400);
      expect(r.body).toMatchObject({
        type: 'urn:atakora:problem:invalid-query',
        parameter: '$filter',
        position,
      });
      const issue = r.body.issues[0];
      expect(issue).toMatchObject({
        code: 'literal-type',
        parameter: '$filter',
        position,
        field: 'status',
      });
      expect(issue.message).toContain("'todo', 'doing', 'done'");
    }
  });

  it('a migration whose result leaves the list answers migration-failed', async () => {
    const v2: RuntimeEntity = { ...entity, schemaVersion: 2 };
    await container.items.create({ id: 'old', tenantId: 'tenant-a', title: 'o', done: true });
    const keepsOld: ItemMigration = ({ done, ...item }) => ({
      ...item,
      status: done ? 'closed' : 'todo',
    });
    const api = apiFor(v2, createCrudHandlers(v2, container, { migrations: { 2: keepsOld } }));
    const read = await api.get('old', { headers: A });
    expect(read.status).toBe(500);
    expect(read.body.type).toBe('urn:atakora:problem:migration-failed');
    expect(read.body.detail).toContain("status must be one of 'todo', 'doing', 'done'");
    const fixed: ItemMigration = ({ done, ...item }) => ({
      ...item,
      status: done ? 'done' : 'todo',
    });
    const ok = apiFor(v2, createCrudHandlers(v2, container, { migrations: { 2: fixed } }));
    expect((await ok.get('old', { headers: A })).body.status).toBe('done');
    expect((await container.item('old', 'tenant-a').read()).resource).not.toHaveProperty(
      SCHEMA_VERSION_FIELD,
    );
  });
});

describe('enum fields in seed files', () => {
  const set = (items: Record<string, unknown>[]): SeedSet => ({
    componentId: 'NoteApi',
    file: './seed/notes.json',
    entity,
    databaseName: 'db',
    containerName: 'notes',
    cosmosEndpoint: 'https://x.documents.azure.com:443/',
    items,
    schemaVersion: 1,
    migrations: {},
  });

  it('lists every seed item outside the list, with its index; good files load', async () => {
    const stamp = { tenant: 'tenant-a', owner: undefined };
    const good = await stampSeedItems(
      set([{ id: 'a', title: 'x', status: 'done' }, { title: 'y' }]),
      stamp,
    );
    expect(good.map((i) => i['status'])).toEqual(['done', 'todo']);
    const error = await stampSeedItems(
      set([
        { title: 'x', status: 'todo' },
        { title: 'y', status: 'archived' },
        { title: 'z', status: 'old' },
      ]),
      stamp,
    ).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AtakoraError);
    const message = (error as AtakoraError).message;
    expect((error as AtakoraError).code).toBe('CRUD_SEED_INVALID');
    expect(message).toContain(
      `2 of 3 item(s) are invalid — item 1, field "status": status must be one of 'todo', 'doing', 'done'; ` +
        `item 2, field "status"`,
    );
    expect(message).not.toContain('item 0');
  });
});
