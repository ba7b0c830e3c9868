import type { Container } from '@azure/cosmos';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCrudHandlers } from '../../src/runtime/crud/handlers.js';
import { noteEntity } from './support/entities.js';
import { apiFor } from './support/http.js';
import { allItems, type LocalCosmos, startLocalCosmos } from './support/local-cosmos.js';

let cosmos: LocalCosmos;
let notes: Container;
let api: ReturnType<typeof apiFor>;
const A = { 'x-tenant-id': 'tenant-a' };
const B = { 'x-tenant-id': 'tenant-b' };

beforeAll(async () => {
  cosmos = await startLocalCosmos();
  notes = await cosmos.container('notes', '/tenantId');
  api = apiFor(noteEntity, createCrudHandlers(noteEntity, notes));
});
afterAll(async () => cosmos?.stop());

describe('tenant-scoped routes (/tenantId)', () => {
  it('every route needs x-tenant-id: 403 without it, nothing written', async () => {
    const before = (await allItems(notes)).length;
    expect((await api.create({ title: 't' })).status).toBe(403);
    expect((await api.create({ title: 't', tenantId: 'tenant-a' })).status).toBe(403);
    expect((await api.list()).status).toBe(403);
    const r = await api.get('x');
    expect(r.status).toBe(403);
    expect(r.body.type).toBe('urn:atakora:problem:tenant-required');
    expect((await api.put('x', { title: 't' })).status).toBe(403);
    expect((await api.patch('x', { title: 't' })).status).toBe(403);
    expect((await api.del('x')).status).toBe(403);
    expect((await api.create({ title: 't' }, { headers: { 'x-tenant-id': '   ' } })).status).toBe(
      403,
    );
    expect((await allItems(notes)).length).toBe(before);
  });

  it('POST fills tenantId from the header; a different body tenantId is 403', async () => {
    const r = await api.create({ title: 'hello' }, { headers: A });
    expect(r.status).toBe(201);
    expect(r.body).toMatchObject({ title: 'hello', tenantId: 'tenant-a' });
    expect(r.headers.get('location')).toBe(`/api/notes/${r.body.id}`);
    const stored = await notes.item(r.body.id, 'tenant-a').read();
    expect(stored.resource?.tenantId).toBe('tenant-a');
    const same = await api.create({ title: 'explicit', tenantId: 'tenant-a' }, { headers: A });
    expect(same.status).toBe(201);
    const forged = await api.create(
      { id: 'forged', title: 'x', tenantId: 'tenant-b' },
      { headers: A },
    );
    expect(forged.status).toBe(403);
    expect((await notes.item('forged', 'tenant-b').read()).resource).toBeUndefined();
    expect((await notes.item('forged', 'tenant-a').read()).resource).toBeUndefined();
  });

  it('GET, PUT, PATCH, DELETE, 409 and 412 within the tenant', async () => {
    const c = await api.create({ id: 'n1', title: 'one' }, { headers: A });
    expect(c.status).toBe(201);
    expect((await api.create({ id: 'n1', title: 'again' }, { headers: A })).status).toBe(409);
    // The same id in another tenant is another item.
    expect((await api.create({ id: 'n1', title: 'b-one' }, { headers: B })).status).toBe(201);
    const got = await api.get('n1', { headers: A });
    expect(got.status).toBe(200);
    expect(got.body).toEqual({ id: 'n1', title: 'one', tenantId: 'tenant-a' });
    const etag = got.headers.get('etag')!;
    const put = await api.put('n1', { title: 'uno' }, { headers: { ...A, 'if-match': etag } });
    expect(put.status).toBe(200);
    expect(put.body).toEqual({ id: 'n1', title: 'uno', tenantId: 'tenant-a' });
    expect(
      (await api.put('n1', { title: 'stale' }, { headers: { ...A, 'if-match': etag } })).status,
    ).toBe(412);
    expect(
      (await api.put('n1', { title: 'moved', tenantId: 'tenant-b' }, { headers: A })).status,
    ).toBe(403);
    const patched = await api.patch('n1', { count: 2 }, { headers: A });
    expect(patched.status).toBe(200);
    expect(patched.body).toEqual({ id: 'n1', title: 'uno', tenantId: 'tenant-a', count: 2 });
    expect((await api.patch('n1', { tenantId: 'tenant-b' }, { headers: A })).status).toBe(403);
    expect(
      (await api.patch('n1', { count: 3 }, { headers: { ...A, 'if-match': etag } })).status,
    ).toBe(412);
    expect((await api.get('missing', { headers: A })).status).toBe(404);
    expect((await api.del('n1', { headers: A })).status).toBe(204);
    expect((await api.get('n1', { headers: A })).status).toBe(404);
    expect((await api.get('n1', { headers: B })).body.title).toBe('b-one');
  });

  it('lists only the caller tenant, paging with continuation tokens', async () => {
    for (let i = 0; i < 5; i++)
      await notes.items.create({ id: `list-a-${i}`, tenantId: 'tenant-list-a', title: 'a' });
    for (let i = 0; i < 4; i++)
      await notes.items.create({ id: `list-b-${i}`, tenantId: 'tenant-list-b', title: 'b' });
    const ids: string[] = [];
    let token: string | null = null;
    do {
      const r = await api.list({
        headers: { 'x-tenant-id': 'tenant-list-a' },
        query: { limit: '2', ...(token ? { continuationToken: token } : {}) },
      });
      expect(r.status).toBe(200);
      for (const item of r.body.items) expect(item.tenantId).toBe('tenant-list-a');
      ids.push(...r.body.items.map((i: { id: string }) => i.id));
      token = r.body.continuationToken;
    } while (token);
    expect(ids.sort()).toEqual(['list-a-0', 'list-a-1', 'list-a-2', 'list-a-3', 'list-a-4']);
  });
});

describe('tenant isolation', () => {
  it('no cross-tenant read, list, update or delete succeeds or changes anything', async () => {
    await notes.items.create({ id: 'secret', tenantId: 'victim', title: 'victim data', count: 1 });
    await notes.items.create({ id: 'secret-2', tenantId: 'victim', title: 'more victim data' });
    const snapshot = async () =>
      (await allItems(notes))
        .filter((i) => i.tenantId === 'victim')
        .map(({ id, title, count, _etag }) => ({ id, title, count, _etag }));
    const before = await snapshot();
    const attacker = { 'x-tenant-id': 'attacker' };

    const read = await api.get('secret', { headers: attacker });
    expect(read.status).toBe(404);
    expect(read.text).not.toContain('victim data');

    // Listing, even with a continuation token obtained from the victim's own listing.
    const victimPage = await api.list({
      headers: { 'x-tenant-id': 'victim' },
      query: { limit: '1' },
    });
    expect(victimPage.body.items).toHaveLength(1);
    const queries: Record<string, string>[] = [
      {},
      { continuationToken: victimPage.body.continuationToken as string },
      { pk: 'victim' },
    ];
    for (const query of queries) {
      const list = await api.list({ headers: { ...attacker, 'x-partition-key': 'victim' }, query });
      expect(list.status).toBe(200);
      expect(list.text).not.toContain('victim');
    }

    expect((await api.put('secret', { title: 'pwned' }, { headers: attacker })).status).toBe(404);
    expect(
      (await api.put('secret', { title: 'pwned', tenantId: 'victim' }, { headers: attacker }))
        .status,
    ).toBe(403);
    expect((await api.patch('secret', { title: 'pwned' }, { headers: attacker })).status).toBe(404);
    expect(
      (await api.patch('secret', { tenantId: 'victim', title: 'pwned' }, { headers: attacker }))
        .status,
    ).toBe(403);
    expect((await api.del('secret', { headers: attacker })).status).toBe(404);
    expect(
      (
        await api.del('secret', {
          headers: { ...attacker, 'x-partition-key': 'victim' },
          query: { pk: 'victim' },
        })
      ).status,
    ).toBe(404);
    expect(
      (
        await api.create(
          { id: 'secret', title: 'overwrite', tenantId: 'victim' },
          { headers: attacker },
        )
      ).status,
    ).toBe(403);

    expect(await snapshot()).toEqual(before);
    expect((await allItems(notes)).filter((i) => i.tenantId === 'attacker')).toEqual([]);
  });
});
