import type { Container } from '@azure/cosmos';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCrudHandlers } from '../../src/runtime/crud/handlers.js';
import { catalogEntity, userEntity } from './support/entities.js';
import { apiFor } from './support/http.js';
import { allItems, type LocalCosmos, startLocalCosmos } from './support/local-cosmos.js';

let cosmos: LocalCosmos;
let users: Container;
let products: Container;
const lines: { level: string; message: string }[] = [];
let api: ReturnType<typeof apiFor>;
let catalog: ReturnType<typeof apiFor>;

beforeAll(async () => {
  cosmos = await startLocalCosmos();
  users = await cosmos.container('users', '/id');
  products = await cosmos.container('products', '/id');
  api = apiFor(userEntity, createCrudHandlers(userEntity, users), lines);
  catalog = apiFor(catalogEntity, createCrudHandlers(catalogEntity, products));
});
afterAll(async () => cosmos?.stop());

const SYSTEM = ['_rid', '_self', '_etag', '_attachments', '_ts'];

describe('POST api/users', () => {
  it('creates with a generated id: 201, Location, ETag, no system fields', async () => {
    const r = await api.create({ name: 'Ada', age: 36 });
    expect(r.status).toBe(201);
    expect(r.body.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(r.headers.get('location')).toBe(`/api/users/${r.body.id}`);
    expect(r.headers.get('etag')).toBeTruthy();
    expect(r.headers.get('content-type')).toMatch(/^application\/json/);
    for (const f of SYSTEM) expect(r.body).not.toHaveProperty(f);
    const { resource } = await users.item(r.body.id, r.body.id).read();
    expect(resource).toMatchObject({ id: r.body.id, name: 'Ada', age: 36 });
  });

  it('keeps a client id and answers 409 problem+json on a duplicate', async () => {
    expect((await api.create({ id: 'dup-1', name: 'A' })).status).toBe(201);
    const r = await api.create({ id: 'dup-1', name: 'B' });
    expect(r.status).toBe(409);
    expect(r.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(r.body).toMatchObject({
      status: 409,
      title: 'Conflict',
      type: expect.stringMatching(/^urn:atakora:problem:/),
    });
    expect((await users.item('dup-1', 'dup-1').read()).resource?.name).toBe('A');
  });

  it('answers 400 with field errors on a schema violation', async () => {
    const r = await api.create({ name: 7, age: 1.5, extra: true });
    expect(r.status).toBe(400);
    expect(r.body.detail).toBeTruthy();
    expect(r.body.errors.map((e: { field: string }) => e.field).sort()).toEqual([
      'age',
      'extra',
      'name',
    ]);
  });
});

describe('GET api/users/{id}', () => {
  it('returns 200 + ETag, and 404 problem for a missing id', async () => {
    const created = await api.create({ id: 'get-1', name: 'Grace' });
    const r = await api.get('get-1');
    expect(r.status).toBe(200);
    expect(r.body).toEqual({ id: 'get-1', name: 'Grace' });
    expect(r.headers.get('etag')).toBe(created.headers.get('etag'));
    const missing = await api.get('nope');
    expect(missing.status).toBe(404);
    expect(missing.body).toMatchObject({ status: 404, title: 'Not Found' });
  });

  it('rejects an id Cosmos cannot store with 400', async () => {
    expect((await api.get(' padded ')).status).toBe(400);
    expect((await api.get('x'.repeat(256))).status).toBe(400);
  });
});

describe('GET api/users (list)', () => {
  it('pages with limit and continuation tokens in query or header', async () => {
    for (let i = 0; i < 7; i++) await users.items.create({ id: `page-${i}`, name: `p${i}` });
    const total = (await allItems(users)).length;
    const seen: string[] = [];
    let token: string | null = null;
    let useHeader = false;
    do {
      const r = await api.list(
        token === null
          ? { query: { limit: '3' } }
          : useHeader
            ? { query: { limit: '3' }, headers: { 'x-ms-continuation': token } }
            : { query: { limit: '3', continuationToken: token } },
      );
      expect(r.status).toBe(200);
      expect(r.body.items.length).toBeLessThanOrEqual(3);
      for (const item of r.body.items) for (const f of SYSTEM) expect(item).not.toHaveProperty(f);
      seen.push(...r.body.items.map((i: { id: string }) => i.id));
      token = r.body.continuationToken;
      expect(r.headers.get('x-ms-continuation')).toBe(token);
      useHeader = !useHeader;
    } while (token);
    expect(seen.length).toBe(total);
    expect(new Set(seen).size).toBe(total);
  });

  it('defaults to 50 items and rejects bad limits', async () => {
    const r = await api.list();
    expect(r.status).toBe(200);
    expect(Array.isArray(r.body.items)).toBe(true);
    for (const limit of ['0', '1001', 'abc', '-1', '2.5']) {
      const bad = await api.list({ query: { limit } });
      expect(bad.status, limit).toBe(400);
    }
    expect((await api.list({ query: { limit: '1000' } })).status).toBe(200);
  });
});

describe('PUT and PATCH api/users/{id}', () => {
  it('replaces with a new ETag and answers 412 on a stale If-Match', async () => {
    const c = await api.create({ id: 'put-1', name: 'Old', age: 1 });
    const etag1 = c.headers.get('etag')!;
    const r = await api.put('put-1', { name: 'New' }, { headers: { 'if-match': etag1 } });
    expect(r.status).toBe(200);
    expect(r.body).toEqual({ id: 'put-1', name: 'New' });
    const etag2 = r.headers.get('etag');
    expect(etag2).toBeTruthy();
    expect(etag2).not.toBe(etag1);
    const stale = await api.put('put-1', { name: 'Lost' }, { headers: { 'if-match': etag1 } });
    expect(stale.status).toBe(412);
    expect((await users.item('put-1', 'put-1').read()).resource?.name).toBe('New');
  });

  it('PUT: 404 when missing, 400 on schema violation or an id change', async () => {
    expect((await api.put('put-missing', { name: 'x' })).status).toBe(404);
    await api.create({ id: 'put-2', name: 'Two' });
    expect((await api.put('put-2', { name: 3 })).status).toBe(400);
    const moved = await api.put('put-2', { id: 'other', name: 'x' });
    expect(moved.status).toBe(400);
    expect(moved.body.errors[0]).toMatchObject({ field: 'id', code: 'immutable' });
    expect((await users.item('put-2', 'put-2').read()).resource?.name).toBe('Two');
  });

  it('PATCH merges top-level fields, null removes, ETag changes; validates after merge', async () => {
    const c = await api.create({ id: 'patch-1', name: 'P', age: 5, tags: ['a'] });
    const r = await api.patch(
      'patch-1',
      { age: 6, tags: null, active: true },
      { headers: { 'if-match': c.headers.get('etag')! } },
    );
    expect(r.status).toBe(200);
    expect(r.body).toEqual({ id: 'patch-1', name: 'P', age: 6, active: true });
    expect(r.headers.get('etag')).not.toBe(c.headers.get('etag'));
    expect((await api.patch('patch-1', { name: null })).status).toBe(400); // required field removed
    expect((await api.patch('patch-1', { age: 'six' })).status).toBe(400);
    expect((await api.patch('patch-1', { id: 'patch-2' })).status).toBe(400);
    expect(
      (await api.patch('patch-1', { age: 7 }, { headers: { 'if-match': c.headers.get('etag')! } }))
        .status,
    ).toBe(412);
    expect((await api.patch('patch-missing', { age: 7 })).status).toBe(404);
    const { resource } = await users.item('patch-1', 'patch-1').read();
    expect(resource).toMatchObject({ name: 'P', age: 6, active: true });
  });
});

describe('DELETE api/users/{id}', () => {
  it('deletes with 204, then 404; a stale If-Match is 412 and keeps the item', async () => {
    const c = await api.create({ id: 'del-1', name: 'D' });
    const etag = c.headers.get('etag')!;
    await api.patch('del-1', { age: 1 });
    expect((await api.del('del-1', { headers: { 'if-match': etag } })).status).toBe(412);
    expect((await users.item('del-1', 'del-1').read()).resource).toBeDefined();
    const r = await api.del('del-1');
    expect(r.status).toBe(204);
    expect(r.text).toBe('');
    expect((await users.item('del-1', 'del-1').read()).resource).toBeUndefined();
    expect((await api.del('del-1')).status).toBe(404);
  });
});

describe('405 for disabled operations', () => {
  it('lists the enabled methods in Allow', async () => {
    await products.items.create({ id: 'p1', name: 'Widget' });
    expect((await catalog.get('p1')).status).toBe(200);
    expect((await catalog.list()).status).toBe(200);
    const post = await catalog.create({ name: 'x' });
    expect(post.status).toBe(405);
    expect(post.headers.get('allow')).toBe('GET');
    for (const m of ['PUT', 'PATCH', 'DELETE']) {
      const r = await catalog.item(m, 'p1', { body: { name: 'y' } });
      expect(r.status, m).toBe(405);
      expect(r.headers.get('allow')).toBe('GET');
    }
    expect((await products.item('p1', 'p1').read()).resource?.name).toBe('Widget');
    const onCollection = await api.collection('PUT', { body: {} });
    expect(onCollection.status).toBe(405);
    expect(onCollection.headers.get('allow')).toBe('GET, POST');
    const onItem = await api.item('POST', 'x', { body: {} });
    expect(onItem.headers.get('allow')).toBe('GET, PUT, PATCH, DELETE');
  });
});

describe('structured logs', () => {
  it('writes one JSON line per request with component, operation, status, durationMs, outcome', async () => {
    lines.length = 0;
    await api.create({ id: 'log-1', name: 'L' });
    await api.get('log-missing');
    expect(lines).toHaveLength(2);
    const [created, missing] = lines.map((l) => JSON.parse(l.message));
    expect(created).toMatchObject({
      component: 'UserApi',
      entity: 'User',
      operation: 'create',
      method: 'POST',
      status: 201,
      outcome: 'success',
    });
    expect(typeof created.durationMs).toBe('number');
    expect(missing).toMatchObject({ operation: 'read', status: 404, outcome: 'client_error' });
  });
});
