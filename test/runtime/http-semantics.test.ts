import type { Container } from '@azure/cosmos';
import { HttpRequest, type HttpResponseInit } from '@azure/functions';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCrudHandlers } from '../../src/runtime/crud/handlers.js';
import { parseIfMatch } from '../../src/runtime/data/if-match.js';
import { MAX_BODY_BYTES, MAX_ITEM_BYTES } from '../../src/runtime/http/body.js';
import { noteEntity, orderEntity, userEntity } from './support/entities.js';
import { apiFor, makeContext } from './support/http.js';
import { allItems, type LocalCosmos, startLocalCosmos } from './support/local-cosmos.js';

let cosmos: LocalCosmos;
let users: Container;
let notes: Container;
let orders: Container;

beforeAll(async () => {
  cosmos = await startLocalCosmos();
  users = await cosmos.container('users', '/id');
  notes = await cosmos.container('notes', '/tenantId');
  orders = await cosmos.container('orders', '/region');
});
afterAll(async () => cosmos?.stop());

describe('Content-Type', () => {
  it('refuses bodies that are not JSON media types with 415 and writes nothing', async () => {
    const api = apiFor(userEntity, createCrudHandlers(userEntity, users));
    expect((await api.create({ id: 'ct', name: 'a' })).status).toBe(201);
    const before = await allItems(users);
    const body = JSON.stringify({ name: 'b' });
    for (const type of [
      'text/plain',
      'application/x-www-form-urlencoded',
      'multipart/form-data; boundary=x',
      'application/jsonx',
      'application/json; charset=latin1',
    ]) {
      const headers = { 'content-type': type };
      for (const r of [
        await api.create(body, { headers }),
        await api.put('ct', body, { headers }),
        await api.patch('ct', body, { headers }),
      ]) {
        expect(r.status, type).toBe(415);
        expect(r.body.type).toBe('urn:atakora:problem:unsupported-media-type');
      }
    }
    expect(await allItems(users)).toEqual(before);
  });

  it('accepts application/json with parameters and +json types', async () => {
    const api = apiFor(userEntity, createCrudHandlers(userEntity, users));
    expect(
      (
        await api.create(
          { id: 'ct2', name: 'a' },
          { headers: { 'content-type': 'Application/JSON; charset=UTF-8' } },
        )
      ).status,
    ).toBe(201);
    expect(
      (
        await api.patch(
          'ct2',
          { age: 3 },
          { headers: { 'content-type': 'application/merge-patch+json' } },
        )
      ).status,
    ).toBe(200);
    expect((await users.item('ct2', 'ct2').read()).resource?.age).toBe(3);
  });
});

describe('size and shape', () => {
  it('a declared Content-Length over the limit is 413 without reading the body', async () => {
    const api = apiFor(userEntity, createCrudHandlers(userEntity, users));
    const r = await api.create(
      { name: 'a' },
      { headers: { 'content-length': String(MAX_BODY_BYTES + 1) } },
    );
    expect(r.status).toBe(413);
    expect(r.body.type).toBe('urn:atakora:problem:body-too-large');
  });

  it('an item accepted near the limit can still be patched; a merge that grows it past the limit is 413', async () => {
    const api = apiFor(orderEntity, createCrudHandlers(orderEntity, orders));
    const pk = { query: { pk: 'eu' } };
    const skeleton = JSON.stringify({ id: 'near', region: 'eu', total: 1, blob: '' });
    const blob = 'b'.repeat(MAX_BODY_BYTES - skeleton.length - 100);
    expect((await api.create({ id: 'near', region: 'eu', total: 1, blob })).status).toBe(201);
    const patched = await api.patch('near', { total: 2 }, pk);
    expect(patched.status).toBe(200);
    expect(patched.body.total).toBe(2);
    // The stored item may exceed the body limit by the server's additions (MAX_ITEM_BYTES), not more.
    const grown = await api.patch(
      'near',
      { more: 'm'.repeat(MAX_ITEM_BYTES - MAX_BODY_BYTES + 200) },
      pk,
    );
    expect(grown.status).toBe(413);
    expect(grown.body.type).toBe('urn:atakora:problem:item-too-large');
    expect((await orders.item('near', 'eu').read()).resource?.more).toBeUndefined();
  });
});

describe('prototype keys', () => {
  it('PATCH {"title":null,"__proto__":{"title":"ghost"}} is refused and the required field stays', async () => {
    const api = apiFor(noteEntity, createCrudHandlers(noteEntity, notes));
    const A = { 'x-tenant-id': 'a' };
    expect((await api.create({ id: 'p1', title: 'real' }, { headers: A })).status).toBe(201);
    const r = await api.patch('p1', '{"title":null,"__proto__":{"title":"ghost"}}', { headers: A });
    expect(r.status).toBe(400);
    expect(r.body.type).toBe('urn:atakora:problem:forbidden-key');
    expect((await notes.item('p1', 'a').read()).resource?.title).toBe('real');
  });

  it('"constructor" and "prototype" are plain data fields: stored as sent, never satisfying a required field', async () => {
    const api = apiFor(orderEntity, createCrudHandlers(orderEntity, orders));
    const pk = { query: { pk: 'us' } };
    const c = await api.create(
      '{"id":"k1","region":"us","total":1,"constructor":{"x":1},"prototype":{"y":2}}',
    );
    expect(c.status).toBe(201);
    const patched = await api.patch('k1', '{"constructor":{"x":2},"prototype":null}', pk);
    expect(patched.status).toBe(200);
    const { resource } = await orders.item('k1', 'us').read();
    expect(resource).toMatchObject({ constructor: { x: 2 }, total: 1 });
    expect(Object.hasOwn(resource!, 'prototype')).toBe(false);
    // 'total' is required: removing it fails validation even though every object inherits properties.
    expect((await api.patch('k1', { total: null }, pk)).status).toBe(400);
  });
});

describe('ids that cannot be addressed', () => {
  it('refuses "." and ".." in the body and in the URL', async () => {
    const api = apiFor(userEntity, createCrudHandlers(userEntity, users));
    for (const id of ['.', '..']) {
      const r = await api.create({ id, name: 'dot' });
      expect(r.status, id).toBe(400);
      expect(r.body.errors[0]).toMatchObject({ field: 'id' });
      expect((await api.get(id)).status).toBe(400);
    }
    expect((await allItems(users)).some((i) => i.id === '.' || i.id === '..')).toBe(false);
    expect((await api.create({ id: '...', name: 'dots' })).status).toBe(201);
  });
});

describe('Location', () => {
  it('is a path: the Host a client sent never becomes the origin of the link', async () => {
    const { collection } = createCrudHandlers(userEntity, users);
    const request = new HttpRequest({
      method: 'POST',
      url: 'https://evil.example/api/users',
      headers: { host: 'evil.example', 'content-type': 'application/json' },
      body: { string: JSON.stringify({ id: 'loc-1', name: 'l' }) },
    });
    const r = (await collection(request, makeContext())) as HttpResponseInit;
    expect(r.status).toBe(201);
    const location = new Headers(r.headers as Record<string, string>).get('location');
    expect(location).toBe('/api/users/loc-1');
  });
});

describe('If-Match as a list (RFC 9110)', () => {
  it('parses *, lists, quoted commas and weak tags', () => {
    expect(parseIfMatch(null)).toEqual({ kind: 'none' });
    expect(parseIfMatch(' * ')).toEqual({ kind: 'any' });
    expect(parseIfMatch('"a", "b"')).toEqual({ kind: 'tags', tags: ['"a"', '"b"'] });
    expect(parseIfMatch('"a,b",W/"c"')).toEqual({ kind: 'tags', tags: ['"a,b"', 'W/"c"'] });
  });

  it('PUT, PATCH and DELETE succeed when the stored ETag is anywhere in the list, else 412', async () => {
    const api = apiFor(userEntity, createCrudHandlers(userEntity, users));
    const c = await api.create({ id: 'im', name: 'a' });
    let etag = c.headers.get('etag')!;
    const put = await api.put('im', { name: 'b' }, { headers: { 'if-match': `"nope", ${etag}` } });
    expect(put.status).toBe(200);
    etag = put.headers.get('etag')!;
    expect(
      (await api.put('im', { name: 'x' }, { headers: { 'if-match': '"nope", "other"' } })).status,
    ).toBe(412);
    const patch = await api.patch('im', { age: 1 }, { headers: { 'if-match': `"nope", ${etag}` } });
    expect(patch.status).toBe(200);
    etag = patch.headers.get('etag')!;
    expect(
      (await api.patch('im', { age: 2 }, { headers: { 'if-match': `W/${etag}, "other"` } })).status,
    ).toBe(412);
    expect((await api.del('im', { headers: { 'if-match': '"nope", "other"' } })).status).toBe(412);
    expect((await api.del('im', { headers: { 'if-match': `"nope", ${etag}` } })).status).toBe(204);
    expect((await users.item('im', 'im').read()).resource).toBeUndefined();
  });
});
