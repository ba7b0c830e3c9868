/**
 * The typed client end to end against `atakora dev` (the CRUD runtime package in a local worker, a
 * local Cosmos DB protocol server): create, get, ETag-checked replace/update, a stale If-Match as a typed
 * problem, paging through every item with the async iterator, delete; and GET api/openapi.json served by dev.
 */
import { Validator } from '@seriousme/openapi-schema-validator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDev, type DevSession } from '../../src/cli/dev/session/session.js';
import { createClient } from '../../src/client/create-client.js';
import { etagOf } from '../../src/client/etags.js';
import { ProblemError } from '../../src/client/problem-error.js';
import type { backend } from './fixtures/notes-backend.js';

let dev: DevSession;
beforeAll(async () => {
  dev = await startDev('test/client/fixtures/notes-backend.ts', {
    log: () => undefined,
    quietWorkers: true,
  });
});
afterAll(async () => {
  await dev?.stop();
});

const clientOf = () =>
  createClient<typeof backend>({
    baseUrls: {
      notes: `${dev.apps[0]!.url}/api/notes`,
      catalog: `${dev.apps[0]!.url}/api/products`,
    },
    // atakora dev signs the session's user in itself: the token only has to reach it as a bearer header.
    getToken: () => 'dev-token',
  });

describe('the typed client against atakora dev', () => {
  it('creates, reads, replaces and merges with ETags; a stale If-Match is a 412 ProblemError; deletes', async () => {
    const client = clientOf();
    const created = await client.notes.create({ id: 'n1', title: 'Milk', stars: 2 });
    expect(created).toMatchObject({ id: 'n1', title: 'Milk', stars: 2 });
    expect(etagOf(created)).toBeTruthy();
    const read = await client.notes.get('n1');
    expect(etagOf(read)).toBe(etagOf(created));
    const replaced = await client.notes.replace(
      'n1',
      { ...read, title: 'Oat milk' },
      { ifMatch: read },
    );
    expect(replaced.title).toBe('Oat milk');
    const stale = await client.notes
      .update('n1', { done: true }, { ifMatch: read })
      .catch((e: unknown) => e);
    expect(stale).toBeInstanceOf(ProblemError);
    expect((stale as ProblemError).status).toBe(412);
    expect((stale as ProblemError).type).toBe('urn:atakora:problem:precondition-failed');
    const merged = await client.notes.update(
      'n1',
      { done: true, stars: null },
      { ifMatch: replaced },
    );
    expect(merged).toMatchObject({ title: 'Oat milk', done: true });
    expect(merged.stars).toBeUndefined();
    const invalid = (await client.notes
      .create({ title: 42 as unknown as string })
      .catch((e: unknown) => e)) as ProblemError;
    expect([invalid.status, invalid.slug, invalid.errors.map((f) => f.field)]).toEqual([
      400,
      'validation',
      ['title'],
    ]);
    await client.notes.delete('n1');
    expect(((await client.notes.get('n1').catch((e: unknown) => e)) as ProblemError).status).toBe(
      404,
    );
  });

  it('pages through every item with the async iterator', async () => {
    const client = clientOf();
    for (let i = 0; i < 7; i++)
      await client.notes.create({ id: `p${String(i)}`, title: `note ${String(i)}` });
    const first = await client.notes.list({ first: 3 }).page();
    expect(first.items).toHaveLength(3);
    expect(first.continuationToken).not.toBeNull();
    const ids: string[] = [];
    for await (const n of client.notes.list({ first: 3 })) ids.push(n.id);
    expect(ids.sort()).toEqual(['p0', 'p1', 'p2', 'p3', 'p4', 'p5', 'p6']);
  });

  it('counts with count(): every item, or those a $filter matches, as one number', async () => {
    const client = clientOf();
    for (let i = 0; i < 5; i++)
      await client.notes.create({ id: `c${String(i)}`, title: 'count me', stars: i });
    const all = await client.notes.count();
    const ids: string[] = [];
    for await (const n of client.notes.list({ first: 50 })) ids.push(n.id);
    expect(all).toBe(ids.length);
    expect(await client.notes.count({ filter: "title eq 'count me'" })).toBe(5);
    expect(await client.notes.count({ filter: "title eq 'count me' and stars ge 3" })).toBe(2);
    expect(await client.notes.count({ filter: "title eq 'nobody'" })).toBe(0);
  });

  it('groups with groupBy(): one $apply GROUP BY under dev, equal to the groups of the listed items', async () => {
    const client = clientOf();
    for (let i = 0; i < 6; i++)
      await client.notes.create({ id: `g${String(i)}`, title: i % 2 ? 'odd' : 'even', stars: i });
    const { items } = await client.notes.groupBy(
      ['title'],
      { n: '$count', stars: { sum: 'stars' }, best: { max: 'stars' } },
      { filter: "startswith(id, 'g')" },
    );
    expect(items).toEqual([
      { title: 'even', n: 3, stars: 6, best: 4 },
      { title: 'odd', n: 3, stars: 9, best: 5 },
    ]);
    const e = (await client.notes
      .groupBy(['title'], { s: { sum: 'title' as 'stars' } })
      .catch((x: unknown) => x)) as ProblemError;
    expect([e.status, e.slug]).toEqual([400, 'invalid-query']);
  });

  it('a disabled operation answers 405 (the types forbid calling it)', async () => {
    const catalog = clientOf().catalog as unknown as { create(item: object): Promise<unknown> };
    const e = (await catalog.create({ name: 'x' }).catch((x: unknown) => x)) as ProblemError;
    expect([e.status, e.slug]).toEqual([405, 'method-not-allowed']);
  });

  it('serves GET api/openapi.json: a valid OpenAPI 3.1 document of the CrudApis, signed in', async () => {
    const r = await fetch(`${dev.apps[0]!.url}/api/openapi.json`);
    expect(r.status).toBe(200);
    const doc = (await r.json()) as {
      paths: Record<string, Record<string, unknown>>;
      servers: { url: string }[];
    };
    expect((await new Validator().validate(doc)).valid).toBe(true);
    expect(doc.servers[0]!.url).toBe(dev.apps[0]!.url);
    expect(Object.keys(doc.paths['/api/products/{id}']!).filter((k) => k !== 'parameters')).toEqual(
      ['get'],
    );
    expect(Object.keys(doc.paths['/api/notes']!).sort()).toEqual(['get', 'post']);
    const anonymous = await fetch(`${dev.apps[0]!.url}/api/openapi.json`, {
      headers: { 'x-atakora-dev-user': 'anonymous' },
    });
    expect(anonymous.status).toBe(401);
  });
});
