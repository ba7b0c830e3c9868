import { describe, expect, it } from 'vitest';
import { AtakoraError } from '../../src/model/errors.js';
import { ErrorCodes } from '../../src/model/error-codes.js';
import { AtakoraError as ClientError } from '../../src/client/client-error.js';
import { createClient } from '../../src/client/create-client.js';
import { etagOf } from '../../src/client/etags.js';
import { ProblemError } from '../../src/client/problem-error.js';
import { defineBackend } from '../../src/backend/define-backend.js';
import { CrudApi } from '../../src/components/crud/construct.js';

const backend = defineBackend({
  notes: CrudApi.define('NoteApi', {
    entityName: 'Note',
    schema: { id: 'string', title: { type: 'string', required: true }, done: 'boolean' },
  }),
  orders: CrudApi.define('OrderApi', {
    entityName: 'Order',
    schema: { id: 'string', region: 'string' },
    partitionKey: '/region',
  }),
});

interface Seen {
  method: string;
  url: URL;
  headers: Record<string, string>;
  body: unknown;
}

/** A fetch stand-in: records each request and answers from `reply`. */
function standIn(
  reply: (s: Seen) => { status: number; body?: unknown; headers?: Record<string, string> },
) {
  const seen: Seen[] = [];
  const fetch = ((input: string, init: RequestInit = {}) => {
    const s: Seen = {
      method: init.method ?? 'GET',
      url: new URL(input),
      headers: init.headers as Record<string, string>,
      body: init.body ? JSON.parse(init.body as string) : undefined,
    };
    seen.push(s);
    const r = reply(s);
    const problem = r.status >= 400 && r.body !== undefined;
    return Promise.resolve(
      new Response(r.body === undefined ? null : JSON.stringify(r.body), {
        status: r.status,
        headers: {
          'content-type': problem ? 'application/problem+json' : 'application/json',
          ...r.headers,
        },
      }),
    );
  }) as typeof globalThis.fetch;
  return { seen, fetch };
}

const base = { notes: 'https://app.test/api/notes', orders: 'https://app.test/api/orders' };

describe('createClient', () => {
  it('sends the bearer token from getToken and JSON; returns the item with its ETag remembered', async () => {
    const s = standIn(() => ({
      status: 201,
      body: { id: 'n1', title: 'Milk' },
      headers: { ETag: '"v1"' },
    }));
    const client = createClient<typeof backend>({
      baseUrls: base,
      getToken: async () => 'tok',
      fetch: s.fetch,
    });
    const note = await client.notes.create({ title: 'Milk' });
    expect(note).toEqual({ id: 'n1', title: 'Milk' });
    expect(etagOf(note)).toBe('"v1"');
    expect(s.seen[0]!.method).toBe('POST');
    expect(s.seen[0]!.url.href).toBe('https://app.test/api/notes');
    expect(s.seen[0]!.headers['Authorization']).toBe('Bearer tok');
    expect(s.seen[0]!.headers['Content-Type']).toBe('application/json');
    expect(s.seen[0]!.body).toEqual({ title: 'Milk' });
  });

  it('reads the base URLs from a site config; no token → no Authorization header; ids are URL-encoded', async () => {
    const s = standIn(() => ({
      status: 200,
      body: { id: 'a/b', title: 't' },
      headers: { ETag: '"v2"' },
    }));
    const client = createClient<typeof backend>({
      config: { apis: base },
      getToken: () => undefined,
      fetch: s.fetch,
    });
    await client.notes.get('a/b');
    expect(s.seen[0]!.url.pathname).toBe('/api/notes/a%2Fb');
    expect(s.seen[0]!.headers['Authorization']).toBeUndefined();
  });

  it('replace sends the ETag of the item it read as If-Match; update takes ifMatch (an item, a tag or *); a 412 is a ProblemError', async () => {
    let n = 0;
    const s = standIn((r) => {
      n += 1;
      if (r.method === 'GET')
        return { status: 200, body: { id: 'n1', title: 'a' }, headers: { ETag: '"v1"' } };
      if (n === 4)
        return {
          status: 412,
          body: {
            type: 'urn:atakora:problem:precondition-failed',
            title: 'Precondition Failed',
            status: 412,
            detail: 'Note "n1" has changed.',
          },
        };
      return { status: 200, body: { id: 'n1', title: 'b' }, headers: { ETag: `"v${String(n)}"` } };
    });
    const client = createClient<typeof backend>({
      baseUrls: base,
      getToken: () => 't',
      fetch: s.fetch,
    });
    const note = await client.notes.get('n1');
    const replaced = await client.notes.replace('n1', Object.assign(note, { title: 'b' }));
    expect(s.seen[1]!.headers['If-Match']).toBe('"v1"');
    expect(etagOf(replaced)).toBe('"v2"');
    await client.notes.update('n1', { done: null }, { ifMatch: replaced });
    expect(s.seen[2]!.method).toBe('PATCH');
    expect(s.seen[2]!.headers['If-Match']).toBe('"v2"');
    expect(s.seen[2]!.body).toEqual({ done: null });
    const e = await client.notes
      .update('n1', { title: 'c' }, { ifMatch: '"stale"' })
      .catch((x: unknown) => x);
    expect(e).toBeInstanceOf(ProblemError);
    expect(e).toMatchObject({
      status: 412,
      type: 'urn:atakora:problem:precondition-failed',
      slug: 'precondition-failed',
      detail: 'Note "n1" has changed.',
    });
    await client.notes.delete('n1', { ifMatch: '*' });
    expect(s.seen[4]!.headers['If-Match']).toBe('*');
    const plain = await client.notes.update('n1', { title: 'd' }).catch(() => undefined);
    expect(plain).toBeDefined();
    expect(s.seen[5]!.headers['If-Match']).toBeUndefined();
  });

  it('an error answer without a problem body is a ProblemError from the status', async () => {
    const s = standIn(() => ({ status: 401 }));
    const client = createClient<typeof backend>({
      baseUrls: base,
      getToken: () => 't',
      fetch: s.fetch,
    });
    const e = (await client.notes.get('x').catch((x: unknown) => x)) as ProblemError;
    expect(e).toBeInstanceOf(ProblemError);
    expect([e.status, e.type, e.title, e.errors]).toEqual([401, 'about:blank', 'Unauthorized', []]);
  });

  it('validation problems keep their field errors', async () => {
    const errors = [{ field: 'title', code: 'required', message: 'title is required.' }];
    const s = standIn(() => ({
      status: 400,
      body: {
        type: 'urn:atakora:problem:validation',
        title: 'Bad Request',
        status: 400,
        detail: 'The body is not a valid Note.',
        errors,
      },
    }));
    const client = createClient<typeof backend>({
      baseUrls: base,
      getToken: () => 't',
      fetch: s.fetch,
    });
    const e = (await client.notes.create({ title: '' }).catch((x: unknown) => x)) as ProblemError;
    expect(e.errors).toEqual(errors);
  });

  it('list pages through continuation tokens as an async iterator, with the query options on the wire', async () => {
    const pages: Record<string, { items: { id: string }[]; continuationToken: string | null }> = {
      '': { items: [{ id: '1' }, { id: '2' }], continuationToken: 't1' },
      t1: { items: [{ id: '3' }], continuationToken: null },
    };
    const s = standIn((r) => ({
      status: 200,
      body: pages[r.url.searchParams.get('$after') ?? ''],
    }));
    const client = createClient<typeof backend>({
      baseUrls: base,
      getToken: () => 't',
      fetch: s.fetch,
    });
    const ids: string[] = [];
    for await (const n of client.notes.list({
      filter: "title eq 'x'",
      orderBy: ['title desc', 'id'],
      select: ['title'],
      first: 2,
    }))
      ids.push(n.id);
    expect(ids).toEqual(['1', '2', '3']);
    const q = s.seen[0]!.url.searchParams;
    expect(Object.fromEntries(q)).toEqual({
      $filter: "title eq 'x'",
      $orderby: 'title desc,id',
      $select: 'title',
      $first: '2',
      limit: '2',
    });
    expect(s.seen[1]!.url.searchParams.get('$after')).toBe('t1');
    expect(s.seen[1]!.url.searchParams.get('continuationToken')).toBe('t1');
    const first = await client.notes.list().page();
    expect(first.continuationToken).toBe('t1');
  });

  it('stops paging when the server repeats a token instead of looping', async () => {
    const s = standIn(() => ({
      status: 200,
      body: { items: [{ id: '1' }], continuationToken: 'same' },
    }));
    const client = createClient<typeof backend>({
      baseUrls: base,
      getToken: () => 't',
      fetch: s.fetch,
    });
    let n = 0;
    for await (const _ of client.notes.list()) n += 1;
    expect(n).toBe(2);
  });

  it('partition keys go out as ?pk=', async () => {
    const s = standIn(() => ({ status: 200, body: { id: '1', region: 'eu' } }));
    const client = createClient<typeof backend>({
      baseUrls: base,
      getToken: () => 't',
      fetch: s.fetch,
    });
    await client.orders.get('1', { partitionKey: 'eu' });
    expect(s.seen[0]!.url.searchParams.get('pk')).toBe('eu');
  });

  it('bad options are CLIENT_CONFIG_INVALID AtakoraErrors with a path (instanceof the library class too)', () => {
    const fail = (f: () => unknown) => {
      try {
        f();
      } catch (e) {
        return e as ClientError;
      }
      throw new Error('no error');
    };
    const noUrls = fail(() => createClient<typeof backend>({ getToken: () => 't' }));
    expect(noUrls).toBeInstanceOf(AtakoraError);
    expect(noUrls.code).toBe('CLIENT_CONFIG_INVALID');
    expect(noUrls.resolution).toBe(ErrorCodes.CLIENT_CONFIG_INVALID);
    expect(fail(() => createClient({ baseUrls: base } as never)).path).toEqual([
      'createClient',
      'getToken',
    ]);
    expect(
      fail(() => createClient({ baseUrls: { notes: 'ftp://x' }, getToken: () => 't' })).path,
    ).toEqual(['createClient', 'baseUrls', 'notes']);
    const client = createClient<typeof backend>({
      baseUrls: { notes: base.notes },
      getToken: () => 't',
    });
    const missing = fail(() => client.orders);
    expect(missing.message).toMatch(/No base URL for "orders"/);
    expect((client as unknown as { then?: unknown }).then).toBeUndefined();
  });

  it('an id or a header value no request can carry is CLIENT_INPUT_INVALID, before anything is sent', async () => {
    const s = standIn(() => ({ status: 200, body: {} }));
    const client = createClient<typeof backend>({
      baseUrls: base,
      getToken: () => 't',
      fetch: s.fetch,
    });
    const refused = async (p: Promise<unknown>) => {
      const e = (await p.then(
        () => undefined,
        (x: unknown) => x,
      )) as ClientError;
      expect(e).toBeInstanceOf(AtakoraError);
      expect([e.code, e.resolution]).toEqual([
        'CLIENT_INPUT_INVALID',
        ErrorCodes.CLIENT_INPUT_INVALID,
      ]);
      return e.path;
    };
    // Half of an emoji: encodeURIComponent throws a raw URIError on it.
    expect(await refused(client.notes.get('note-\ud83d'))).toEqual(['id']);
    expect(await refused(client.notes.delete('n1', { ifMatch: '"0a00"\r\nX-Admin: 1' }))).toEqual([
      'headers',
      'If-Match',
    ]);
    expect(await refused(client.notes.update('n1', { title: 'x' }, { ifMatch: '"€"' }))).toEqual([
      'headers',
      'If-Match',
    ]);
    expect(s.seen).toEqual([]);
    // A whole character and an ETag as the API gives it are sent as they are.
    await client.notes.get('note-😀');
    expect(s.seen[0]!.url.pathname).toBe(`/api/notes/${encodeURIComponent('note-😀')}`);
  });
});
