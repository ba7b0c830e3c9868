import type { Container } from '@azure/cosmos';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCrudHandlers } from '../../src/runtime/crud/handlers.js';
import { noteEntity, userEntity } from './support/entities.js';
import { apiFor } from './support/http.js';
import { type LocalCosmos, startLocalCosmos } from './support/local-cosmos.js';
import { seedItems } from './support/seed-items.js';

let cosmos: LocalCosmos;
let users: Container;
let notes: Container;

beforeAll(async () => {
  cosmos = await startLocalCosmos();
  users = await cosmos.container('users', '/id');
  notes = await cosmos.container('notes', '/tenantId');
});
afterAll(async () => cosmos?.stop());

describe('optimistic concurrency', () => {
  it('20 concurrent PATCH increments with If-Match and retry on 412 lose no update', async () => {
    const api = apiFor(userEntity, createCrudHandlers(userEntity, users));
    expect((await api.create({ id: 'counter', name: 'c', count: 0 })).status).toBe(201);
    let conflicts = 0;
    const increment = async () => {
      for (let attempt = 0; attempt < 200; attempt++) {
        const current = await api.get('counter');
        const r = await api.patch(
          'counter',
          { count: current.body.count + 1 },
          { headers: { 'if-match': current.headers.get('etag')! } },
        );
        if (r.status === 200) return;
        expect(r.status).toBe(412);
        conflicts++;
      }
      throw new Error('gave up after 200 attempts');
    };
    await Promise.all(Array.from({ length: 20 }, increment));
    const { resource } = await users.item('counter', 'counter').read();
    expect(resource?.count).toBe(20);
    // The test only proves something if the increments actually raced.
    expect(conflicts).toBeGreaterThan(0);
  });

  it('PATCH without If-Match merges concurrent writes to different fields without losing one', async () => {
    const api = apiFor(userEntity, createCrudHandlers(userEntity, users));
    await api.create({ id: 'fields', name: 'f' });
    const fields = ['age', 'score', 'count'] as const;
    const results = await Promise.all(fields.map((f, i) => api.patch('fields', { [f]: i + 1 })));
    for (const r of results) expect(r.status).toBe(200);
    const { resource } = await users.item('fields', 'fields').read();
    expect(resource).toMatchObject({ age: 1, score: 2, count: 3 });
  });
});

async function collectAll(
  api: ReturnType<typeof apiFor>,
  limit: string,
  headers: Record<string, string> = {},
) {
  const ids: string[] = [];
  let token: string | null = null;
  let pages = 0;
  do {
    const r = await api.list({
      headers,
      query: { limit, ...(token ? { continuationToken: token } : {}) },
    });
    expect(r.status).toBe(200);
    ids.push(...r.body.items.map((i: { id: string }) => i.id));
    token = r.body.continuationToken;
    if (++pages > 2000) throw new Error('pagination does not terminate');
  } while (token);
  return { ids, pages };
}

describe('pagination', () => {
  it('returns each of 1,000 items exactly once', async () => {
    const expected = Array.from({ length: 1000 }, (_, i) => `bulk-${String(i).padStart(4, '0')}`);
    await seedItems(
      users,
      expected.map((id) => ({ id, name: 'b' })),
    );
    const api = apiFor(userEntity, createCrudHandlers(userEntity, users));
    const { ids, pages } = await collectAll(api, '97');
    const bulk = ids.filter((id) => id.startsWith('bulk-'));
    expect(bulk.length).toBe(1000);
    expect(new Set(bulk).size).toBe(1000);
    expect(bulk.sort()).toEqual(expected);
    expect(pages).toBeGreaterThanOrEqual(11);
  });

  it('pages through one tenant of 1,000 items exactly once, none from the other tenant', async () => {
    const items = Array.from({ length: 1000 }, (_, i) => ({
      id: `t-${i}`,
      tenantId: i % 4 === 0 ? 'small' : 'big',
      title: 't',
    }));
    await seedItems(notes, items);
    const api = apiFor(noteEntity, createCrudHandlers(noteEntity, notes));
    const { ids } = await collectAll(api, '1000', { 'x-tenant-id': 'big' });
    expect(ids.length).toBe(750);
    expect(new Set(ids).size).toBe(750);
    expect(ids.every((id) => Number(id.slice(2)) % 4 !== 0)).toBe(true);
  });
});
