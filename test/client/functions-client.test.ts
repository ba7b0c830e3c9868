import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AtakoraError } from '../../src/model/errors.js';
import { createClient } from '../../src/client/create-client.js';
import { ProblemError } from '../../src/client/problem-error.js';
import { defineBackend } from '../../src/backend/define-backend.js';
import { CrudApi } from '../../src/components/crud/construct.js';
import { FunctionsApp } from '../../src/components/functions/construct.js';

// The functions' configs as plain data: FunctionsApp.define and createClient({ functions }) both read them.
const orderFunctions = {
  submit: {
    trigger: 'http',
    route: 'orders/submit',
    methods: ['POST'],
    handler: './src/submit.ts',
    requestSchema: {
      type: 'object',
      required: ['sku'],
      properties: { sku: { type: 'string' }, qty: { type: 'integer' } },
    },
    responseSchema: {
      type: 'object',
      required: ['orderId'],
      properties: { orderId: { type: 'string' } },
    },
  },
  getOrder: {
    trigger: 'http',
    route: 'orders/{id:int}/lines/{line?}',
    methods: ['GET', 'DELETE'],
    handler: './src/get.ts',
  },
  files: {
    trigger: 'http',
    route: 'api/files/{*path}',
    methods: ['GET'],
    handler: './src/files.ts',
  },
  nightly: { trigger: 'timer', schedule: '0 0 2 * * *', handler: './src/nightly.ts' },
} as const;

const backend = defineBackend({
  notes: CrudApi.define('NoteApi', {
    entityName: 'Note',
    schema: { id: 'string', title: 'string' },
  }),
  orders: FunctionsApp.define('Orders', { runtime: 'node', functions: orderFunctions }),
  misc: FunctionsApp.define('Misc', {
    runtime: 'node',
    functions: { ping: { trigger: 'http', handler: './src/ping.ts' } },
  }),
});

interface Seen {
  method: string;
  path: string;
  auth: string | undefined;
  body: string;
}
const seen: Seen[] = [];
let server: Server;
let origin = '';

function read(req: IncomingMessage): Promise<string> {
  return new Promise((resolve) => {
    let data = '';
    req.on('data', (c: Buffer) => (data += c.toString()));
    req.on('end', () => {
      resolve(data);
    });
  });
}

beforeAll(async () => {
  server = createServer((req, res) => {
    void read(req).then((body) => {
      const url = new URL(req.url ?? '/', 'http://x');
      seen.push({
        method: req.method ?? '',
        path: url.pathname + url.search,
        auth: req.headers.authorization,
        body,
      });
      if (url.pathname === '/api/orders/submit' && req.method === 'POST') {
        const sku = (JSON.parse(body || '{}') as { sku?: unknown }).sku;
        if (typeof sku !== 'string') {
          res.writeHead(400, { 'content-type': 'application/problem+json' });
          res.end(
            JSON.stringify({
              type: 'urn:atakora:problem:validation',
              title: 'Invalid',
              status: 400,
              detail: 'sku is required',
            }),
          );
          return;
        }
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ orderId: `o-${sku}` }));
        return;
      }
      if (url.pathname.startsWith('/api/notes')) {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ id: 'n1', title: 'from crud' }));
        return;
      }
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ path: url.pathname, method: req.method }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${String((server.address() as AddressInfo).port)}`;
});

afterAll(async () => {
  await new Promise<void>((resolve) =>
    server.close(() => {
      resolve();
    }),
  );
});

function client() {
  seen.length = 0;
  return createClient<typeof backend>({
    baseUrls: { notes: `${origin}/api/notes`, orders: origin, misc: `${origin}/api/` },
    getToken: async () => 'tok',
    functions: { orders: orderFunctions },
  });
}

describe('createClient: FunctionsApp HTTP functions', () => {
  it("sends the function's first method to its route under the app's endpoint, with the token and a JSON body; returns the parsed body", async () => {
    const c = client();
    const r = await c.orders.submit({ sku: 'A-1', qty: 2 });
    expect(r).toEqual({ orderId: 'o-A-1' });
    expect(seen).toEqual([
      {
        method: 'POST',
        path: '/api/orders/submit',
        auth: 'Bearer tok',
        body: JSON.stringify({ sku: 'A-1', qty: 2 }),
      },
    ]);
  });

  it('a problem answer is a ProblemError', async () => {
    const c = client();
    // A caller from JavaScript (or past the types) sends what it likes; the server's problem comes back typed.
    const e = await c.orders.submit({} as never).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(ProblemError);
    expect((e as ProblemError).status).toBe(400);
    expect((e as ProblemError).detail).toBe('sku is required');
  });

  it('fills route parameters from params (encoded; optional and catch-all parts), and takes another declared method', async () => {
    const c = client();
    await c.orders.getOrder(undefined, { params: { id: 42 } });
    await c.orders.getOrder(undefined, {
      params: { id: 'a b', line: 3 },
      method: 'DELETE',
      query: { verbose: '1' },
    });
    await c.orders.files(undefined, { params: { path: 'docs/read me.txt' } });
    expect(seen.map((s) => `${s.method} ${s.path}`)).toEqual([
      'GET /api/orders/42/lines',
      'DELETE /api/orders/a%20b/lines/3?verbose=1',
      'GET /api/files/docs/read%20me.txt',
    ]);
  });

  it("without the function's config: the route is its name, POST with a body, GET without; a base URL ending in /api is not doubled", async () => {
    const c = client();
    await c.misc.ping();
    await c.misc.ping({ hello: 1 });
    expect(seen.map((s) => `${s.method} ${s.path} ${s.body}`)).toEqual([
      'GET /api/ping ',
      'POST /api/ping {"hello":1}',
    ]);
  });

  it('CRUD keys keep their methods beside function keys', async () => {
    const c = client();
    expect(await c.notes.get('n1')).toEqual({ id: 'n1', title: 'from crud' });
    expect(seen[0]!.path).toBe('/api/notes/n1');
  });

  it('misuse is a CLIENT_CONFIG_INVALID AtakoraError before anything is sent', async () => {
    const c = client();
    const missing = await c.orders
      .getOrder(undefined, { params: {} as never })
      .catch((x: unknown) => x);
    expect(missing).toBeInstanceOf(AtakoraError);
    expect((missing as AtakoraError).code).toBe('CLIENT_CONFIG_INVALID');
    expect((missing as AtakoraError).path).toEqual(['functions', 'getOrder', 'params', 'id']);
    const method = await c.orders
      .getOrder(undefined, { params: { id: 1 }, method: 'PUT' as never })
      .catch((x: unknown) => x);
    expect((method as AtakoraError).path).toEqual(['functions', 'getOrder', 'method']);
    const body = await c.orders
      .files('x' as never, { params: { path: 'a' } })
      .catch((x: unknown) => x);
    expect((body as AtakoraError).path).toEqual(['functions', 'files', 'body']);
    expect(seen).toEqual([]);
  });
});
