/**
 * Writes on a container a change feed trigger reads carry their operation in a hidden field, so the trigger's
 * handler gets `create` / `replace` / `update` although the feed carries only each item's latest version.
 * Against the local Cosmos DB server: the stored documents hold the stamp; no response, list, `$filter`,
 * `$select` or count shows it, and no body can set it.
 */
import type { Container } from '@azure/cosmos';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RuntimeEntity } from '../../src/model/runtime-manifest.js';
import { changeEventOf } from '../../src/runtime/events/change-feed.js';
import { createCrudHandlers } from '../../src/runtime/crud/handlers.js';
import { type FunctionRegistrar, registerCrudRoutes } from '../../src/runtime/register-routes.js';
import type { HttpHandler } from '@azure/functions';
import { CHANGE_OPERATION_FIELD } from '../../src/runtime/values/system-fields.js';
import { noteEntity } from './support/entities.js';
import { apiFor } from './support/http.js';
import { allItems, type LocalCosmos, startLocalCosmos } from './support/local-cosmos.js';

let cosmos: LocalCosmos;
let fed: Container;
let plain: Container;
const A = { 'x-tenant-id': 'tenant-a' };
// Unknown fields kept: the widest input a body can have, so a smuggled hidden field would get through if anything did.
const entity: RuntimeEntity = { ...noteEntity, unknownFields: 'keep' };

beforeAll(async () => {
  cosmos = await startLocalCosmos();
  fed = await cosmos.container('fed-notes', '/tenantId');
  plain = await cosmos.container('plain-notes', '/tenantId');
});
afterAll(async () => cosmos?.stop());

const raw = async (c: Container, id: string) =>
  (await c.item(id, 'tenant-a').read<Record<string, unknown>>()).resource!;

describe('operation stamping on a watched container', () => {
  it('create, replace and update stamp their operation; the feed document maps back to it', async () => {
    const api = apiFor(entity, createCrudHandlers(entity, fed, { stampChanges: true }));
    const created = await api.create({ id: 'n1', title: 'draft' }, { headers: A });
    expect(created.status).toBe(201);
    expect(created.body).not.toHaveProperty(CHANGE_OPERATION_FIELD);
    expect((await raw(fed, 'n1'))[CHANGE_OPERATION_FIELD]).toBe('create');
    expect(changeEventOf(await raw(fed, 'n1'))).toEqual({
      operation: 'create',
      item: created.body,
      tenant: 'tenant-a',
    });

    const replaced = await api.put('n1', { title: 'final' }, { headers: A });
    expect(replaced.status).toBe(200);
    expect(replaced.body).not.toHaveProperty(CHANGE_OPERATION_FIELD);
    expect(changeEventOf(await raw(fed, 'n1'))).toEqual({
      operation: 'replace',
      item: replaced.body,
      tenant: 'tenant-a',
    });

    const patched = await api.patch('n1', { title: 'patched' }, { headers: A });
    expect(patched.status).toBe(200);
    expect(patched.body).not.toHaveProperty(CHANGE_OPERATION_FIELD);
    expect(changeEventOf(await raw(fed, 'n1'))).toEqual({
      operation: 'update',
      item: patched.body,
      tenant: 'tenant-a',
    });
  });

  it('a body cannot set or forge the hidden field, on create, replace or update', async () => {
    const api = apiFor(entity, createCrudHandlers(entity, fed, { stampChanges: true }));
    const created = await api.create(
      { id: 'n2', title: 'x', [CHANGE_OPERATION_FIELD]: 'delete' },
      { headers: A },
    );
    expect(created.status).toBe(201);
    expect(created.body).not.toHaveProperty(CHANGE_OPERATION_FIELD);
    expect((await raw(fed, 'n2'))[CHANGE_OPERATION_FIELD]).toBe('create');
    expect(
      (await api.put('n2', { title: 'y', [CHANGE_OPERATION_FIELD]: 'create' }, { headers: A }))
        .status,
    ).toBe(200);
    expect((await raw(fed, 'n2'))[CHANGE_OPERATION_FIELD]).toBe('replace');
    const patched = await api.patch(
      'n2',
      { [CHANGE_OPERATION_FIELD]: null, title: 'z' },
      { headers: A },
    );
    expect(patched.status).toBe(200);
    expect((await raw(fed, 'n2'))[CHANGE_OPERATION_FIELD]).toBe('update');
  });

  it('reads, lists, $filter, $select and counts never show the hidden field', async () => {
    const api = apiFor(entity, createCrudHandlers(entity, fed, { stampChanges: true }));
    await api.create({ id: 'n3', title: 'listed' }, { headers: A });
    const read = await api.get('n3', { headers: A });
    expect(read.status).toBe(200);
    expect(read.text).not.toContain(CHANGE_OPERATION_FIELD);
    const stored = await allItems(fed);
    const list = await api.list({ headers: A });
    expect(list.status).toBe(200);
    expect(list.text).not.toContain(CHANGE_OPERATION_FIELD);
    // The hidden field is no extra item: the list counts exactly the stored items of the tenant.
    expect(list.body.items).toHaveLength(stored.filter((d) => d['tenantId'] === 'tenant-a').length);
    for (const query of [{ $filter: "title eq 'listed'" }, { $select: 'id,title' }] as Record<
      string,
      string
    >[]) {
      const r = await api.list({ headers: A, query });
      expect(r.status, JSON.stringify(query)).toBe(200);
      expect(r.text).not.toContain(CHANGE_OPERATION_FIELD);
    }
    // Not a field a query may name: a 400, like any field outside the schema.
    const named = await api.list({
      headers: A,
      query: { $filter: `${CHANGE_OPERATION_FIELD} eq 'create'` },
    });
    expect(named.status).toBe(400);
  });

  it('a container no trigger reads is written as before: no hidden field', async () => {
    const api = apiFor(entity, createCrudHandlers(entity, plain));
    expect((await api.create({ id: 'p1', title: 'plain' }, { headers: A })).status).toBe(201);
    expect((await api.put('p1', { title: 'plain2' }, { headers: A })).status).toBe(200);
    expect((await api.patch('p1', { title: 'plain3' }, { headers: A })).status).toBe(200);
    expect(await raw(plain, 'p1')).not.toHaveProperty(CHANGE_OPERATION_FIELD);
  });

  it('registerCrudRoutes stamps every entity writing to a watched container, whichever CrudApi it is', async () => {
    // NoteApi has the trigger; NoteAdmin writes the same container; OtherApi writes another one.
    const admin: RuntimeEntity = { ...entity, componentId: 'NoteAdmin', route: 'admin/notes' };
    const other: RuntimeEntity = { ...entity, componentId: 'OtherApi', route: 'others' };
    const handlers = new Map<string, HttpHandler>();
    const app: FunctionRegistrar = {
      http: (name, options) => {
        handlers.set(name, options.handler);
      },
    };
    registerCrudRoutes(
      app,
      { version: 1, backendId: 'b', entities: [entity, admin, other] },
      {
        containerFor: (e) => (e.componentId === 'OtherApi' ? plain : fed),
        changeFeed: ['NoteApi'],
      },
    );
    const via = (e: RuntimeEntity) =>
      apiFor(e, {
        collection: handlers.get(`${e.componentId}-collection`)!,
        item: handlers.get(`${e.componentId}-item`)!,
        allowed: { collection: [], item: [] },
      });
    expect((await via(admin).create({ id: 'a1', title: 'by admin' }, { headers: A })).status).toBe(
      201,
    );
    expect((await raw(fed, 'a1'))[CHANGE_OPERATION_FIELD]).toBe('create');
    expect((await via(other).create({ id: 'o1', title: 'elsewhere' }, { headers: A })).status).toBe(
      201,
    );
    expect(await raw(plain, 'o1')).not.toHaveProperty(CHANGE_OPERATION_FIELD);
  });
});
