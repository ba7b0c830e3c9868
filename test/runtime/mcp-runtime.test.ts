/**
 * The MCP endpoint and the data door in the runtime itself (registerCrudRoutes and registerHostedFunctions over the
 * local Cosmos DB server, no dev worker in front): what the runtime answers when nothing before it did — an
 * anonymous caller's 401 naming the protected-resource metadata, malformed bodies, an unknown cursor — and what a
 * handler's `dataOf` gets: the door only for an admitted caller (an anonymous function's anonymous caller is 401,
 * its code never reaching the data), nothing for a queue message, every call a request of the route's own.
 */
import { type HttpFunctionOptions, type HttpHandler, HttpRequest } from '@azure/functions';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dataOf } from '../../src/client/data-of.js';
import { ProblemError } from '../../src/client/problem-error.js';
import { MCP_FUNCTION } from '../../src/contract/mcp/protocol.js';
import {
  AUTH_SETTING,
  type RuntimeManifest,
  SITE_ORIGINS_SETTING,
} from '../../src/model/runtime-manifest.js';
import { withSiteOrigins } from '../../src/runtime/mcp/origin.js';
import { MAX_BODY_BYTES } from '../../src/runtime/http/body.js';
import type { RequestLogEntry } from '../../src/runtime/http/log.js';
import { registerHostedFunctions } from '../../src/packaging/register-hosted.js';
import { InProcessRoutes } from '../../src/runtime/in-process/routes.js';
import { registerCrudRoutes } from '../../src/runtime/register-routes.js';
import { noteEntity } from './support/entities.js';
import { invoke, makeContext } from './support/http.js';
import { Caller } from '../../src/runtime/caller/caller-view.js';
import { crudTools } from '../support/mcp-client.js';
import { principalHeader } from './support/built-app.js';
import { type LocalCosmos, startLocalCosmos } from './support/local-cosmos.js';
import { propertyRuns } from '../plan/support/budget.js';

const policy = { required: true, tenantClaim: 'tid', trustTenantHeader: false } as const;
const manifest: RuntimeManifest = {
  version: 1,
  backendId: 'rt',
  entities: [{ ...noteEntity, mcp: 'readwrite' }],
  auth: policy,
  mcp: { writes: true },
};
const alice = principalHeader([
  ['tid', 't1'],
  ['oid', 'alice'],
]);

let cosmos: LocalCosmos;
const handlers = new Map<string, HttpHandler>();
const inProcess = new InProcessRoutes();
/** The request log lines written, in order. */
const logged: RequestLogEntry[] = [];
/** What each function's code saw: the dataOf outcome, by function. */
const seen: Record<string, unknown> = {};

beforeAll(async () => {
  cosmos = await startLocalCosmos();
  const container = await cosmos.container(`mcp-rt-${process.pid}`, noteEntity.partitionKey);
  const app = {
    http: (name: string, o: HttpFunctionOptions) => void handlers.set(name, o.handler),
    storageQueue: (name: string, o: { handler: unknown }) =>
      void handlers.set(name, o.handler as never),
    timer: () => undefined,
  };
  registerCrudRoutes(app, manifest, {
    containerFor: () => container,
    // As startRuntime reads them: the app's sites' origins from the planner's setting (any case, a trailing slash).
    caller: withSiteOrigins(policy, {
      [SITE_ORIGINS_SETTING]: 'https://Notes.Contoso.com/,*,https://red-sea.azurestaticapps.net',
    }),
    inProcess,
    logger: (entry) => void logged.push(entry),
  });
  const useData = (name: string) => async (request: HttpRequest) => {
    try {
      const notes = dataOf<Record<string, never>>(request) as unknown as Record<
        string,
        { create(i: object): Promise<object>; count(): Promise<number> }
      >;
      seen[name] = {
        created: await notes['NoteApi']!.create({ title: 'from code' }),
        count: await notes['NoteApi']!.count(),
      };
      return { jsonBody: seen[name] };
    } catch (e) {
      seen[name] =
        e instanceof ProblemError ? { status: e.status } : { code: (e as { code?: string }).code };
      throw e;
    }
  };
  registerHostedFunctions(
    app,
    [
      {
        name: 'Fn-open',
        componentId: 'Fn',
        trigger: 'http',
        route: 'open',
        access: [{ allow: 'anonymous' }],
        data: ['NoteApi'],
        exported: useData('open'),
      },
      {
        name: 'Fn-signed',
        componentId: 'Fn',
        trigger: 'http',
        route: 'signed',
        data: ['NoteApi'],
        mcp: { description: 'Writes a note.' },
        exported: useData('signed'),
      },
      {
        name: 'Fn-echo',
        componentId: 'Fn',
        trigger: 'http',
        route: 'echo/{id}',
        methods: ['POST'],
        mcp: { description: 'Echoes what it is sent.' },
        exported: async (request: HttpRequest) => ({
          jsonBody: {
            id: request.params['id'],
            got: await request.json(),
            text: await request.text(),
          },
        }),
      },
      {
        name: 'Fn-queue',
        componentId: 'Fn',
        trigger: 'queue',
        queueName: 'q',
        exported: useData('queue'),
      },
    ],
    { [AUTH_SETTING]: JSON.stringify(policy) },
    { inProcess },
  );
});
afterAll(async () => {
  await cosmos?.stop();
});

const rpc = (id: number, method: string, params: object = {}) => ({
  jsonrpc: '2.0',
  id,
  method,
  params,
});
const mcp = (body: unknown, headers: Record<string, string> = alice) =>
  invoke(handlers.get(MCP_FUNCTION)!, 'POST', 'mcp', { body, headers });

describe('api/mcp in the runtime', () => {
  it("answers an anonymous caller 401 naming the protected-resource metadata on the request's host", async () => {
    const r = await mcp(rpc(1, 'tools/list'), {});
    expect(r.status).toBe(401);
    expect(r.headers.get('www-authenticate')).toBe(
      'Bearer resource_metadata="https://app.test/.well-known/oauth-protected-resource"',
    );
  });

  it('refuses a body that is no JSON (415) or over 1 MiB (413), answers invalid messages 400 and an unknown cursor -32602', async () => {
    const text = await invoke(handlers.get(MCP_FUNCTION)!, 'POST', 'mcp', {
      body: 'ping',
      headers: { ...alice, 'content-type': 'text/plain' },
    });
    expect(text.status).toBe(415);
    // Bounded like any body: over 1 MiB is 413, read no further.
    const big = await mcp({ ...rpc(9, 'ping'), pad: 'x'.repeat(MAX_BODY_BYTES) });
    expect(big.status).toBe(413);
    expect((await mcp({ jsonrpc: '1.0', id: 1, method: 'ping' })).status).toBe(400);
    const cursor = await mcp(rpc(2, 'tools/list', { cursor: 'x' }));
    expect(cursor.body.error.code).toBe(-32602);
  });

  it('answers an id no URL could carry (a lone surrogate) as REST answers it: 400 invalid-id, never a 5xx', async () => {
    for (const name of ['note_get', 'note_delete']) {
      const r = await mcp(rpc(22, 'tools/call', { name, arguments: { id: '\ud800' } }));
      expect(r.status).toBe(200);
      expect(r.body.result.structuredContent).toMatchObject({
        status: 400,
        type: 'urn:atakora:problem:invalid-id',
      });
    }
    // A tool function's route parameter: its code gets the value as sent, the call is never the server's fault.
    const echoed = await mcp(
      rpc(23, 'tools/call', { name: 'echo', arguments: { id: '\ud800', title: 'x' } }),
    );
    expect(echoed.status).toBe(200);
    expect(echoed.body.result.isError).toBeUndefined();
  });

  it('answers an ifMatch no HTTP header could carry as a 400 naming it, never a 5xx', async () => {
    for (const [args, field] of [
      [{ id: 'n1', patch: { title: 'x' }, ifMatch: '"a"\r\nX-Injected: 1' }, 'ifMatch'],
      [{ id: 'n1', ifMatch: 'tag\u0000' }, 'ifMatch'],
      [{ id: 'n1', patch: { title: 'x' }, ifMatch: '"€"' }, 'ifMatch'],
    ] as const) {
      const name = 'patch' in args ? 'note_update' : 'note_delete';
      const r = await mcp(rpc(21, 'tools/call', { name, arguments: args }));
      expect(r.status).toBe(200);
      expect(r.body.result.isError).toBe(true);
      expect(r.body.result.structuredContent).toMatchObject({
        status: 400,
        type: 'urn:atakora:problem:validation',
        errors: [{ field }],
      });
    }
  });

  it('hostile arguments to every CRUD tool are never a 5xx: a result, an error result of 4xx, or a JSON-RPC error', async () => {
    const text = fc.oneof(
      fc.string(),
      fc.constantFrom(
        '',
        ' ',
        '*',
        '"x"',
        'W/"x"',
        "title eq 'x'",
        '$',
        '/',
        '%',
        '\u0000',
        '\r\n',
        '\ud800',
      ),
    );
    const value = fc.oneof(text, fc.jsonValue({ maxDepth: 3 }));
    const anyOf: Record<string, fc.Arbitrary<unknown>> = {
      id: fc.oneof(text, value),
      filter: value,
      orderby: value,
      select: fc.oneof(value, fc.array(text)),
      first: fc.oneof(value, fc.integer(), fc.double()),
      after: value,
      expand: fc.oneof(value, fc.array(text)),
      partitionKey: value,
      ifMatch: fc.oneof(text, value),
      patch: fc.oneof(value, fc.dictionary(text, fc.jsonValue({ maxDepth: 2 }))),
      title: value,
      body: value,
      count: value,
    };
    // Each tool's own arguments (so most calls reach its route), now and then one it does not take or no object.
    const TAKES: Record<string, readonly string[]> = {
      list: ['filter', 'orderby', 'select', 'first', 'after', 'expand', 'partitionKey'],
      count: ['filter', 'partitionKey'],
      get: ['id', 'expand', 'partitionKey'],
      update: ['id', 'patch', 'ifMatch', 'partitionKey'],
      delete: ['id', 'ifMatch', 'partitionKey'],
      create: ['id', 'title', 'body', 'count'],
    };
    const call = fc.constantFrom(...crudTools('Note')).chain((name) => {
      const takes = TAKES[name.replace(/^note_/, '')] ?? [];
      const own = fc.record(Object.fromEntries(takes.map((k) => [k, anyOf[k]!])), {
        requiredKeys: [],
      });
      return fc.tuple(
        fc.constant(name),
        fc.oneof(
          { weight: 8, arbitrary: own },
          { weight: 1, arbitrary: fc.record(anyOf, { requiredKeys: [] }) },
          { weight: 1, arbitrary: fc.oneof(fc.jsonValue({ maxDepth: 3 }), fc.constant(undefined)) },
        ),
      );
    });
    let id = 100;
    await fc.assert(
      fc.asyncProperty(call, async ([name, a]) => {
        const r = await mcp(
          rpc(id++, 'tools/call', a === undefined ? { name } : { name, arguments: a }),
        );
        // A body the transport refuses whole (a "__proto__" key anywhere, as any body) is a 400 JSON-RPC error.
        expect([200, 400]).toContain(r.status);
        if (r.body.error) expect(r.body.error.code).toBeLessThan(-32000);
        else if (r.body.result.isError) {
          const status = r.body.result.structuredContent.status as number;
          expect(status >= 400 && status < 500, JSON.stringify(r.body.result)).toBe(true);
        }
      }),
      // A third of the long run (300) under the suite's budget (test/plan/support/budget.ts), a fresh seed each time.
      { numRuns: propertyRuns(300) },
    );
  });

  it("writes one log line per POST: a tool call its route's, any other message the endpoint's", async () => {
    logged.length = 0;
    const called = await mcp(rpc(11, 'tools/call', { name: 'note_list', arguments: {} }));
    expect(called.body.result.isError).toBeUndefined();
    expect(logged.map((l) => [l.component, l.status])).toEqual([['NoteApi', 200]]);
    logged.length = 0;
    await mcp(rpc(12, 'tools/list'));
    await mcp(rpc(13, 'tools/call', { name: 'no_such_tool' }));
    // Arguments refused before any route (a misspelt one): the endpoint's pass, a refused request of its own.
    const misspelt = await mcp(
      rpc(14, 'tools/call', { name: 'note_list', arguments: { filtr: "title eq 'x'" } }),
    );
    expect([misspelt.status, misspelt.body.result.isError]).toEqual([200, true]);
    expect(logged.map((l) => [l.component, l.operation, l.status])).toEqual([
      ['mcp', 'mcp', 200],
      ['mcp', 'mcp', 200],
      ['mcp', 'mcp', 400],
    ]);
  });

  it("answers a request from another site's page 403 with a JSON-RPC error before anything else (DNS rebinding)", async () => {
    logged.length = 0;
    const before = seen['signed'];
    for (const origin of [
      'https://evil.example',
      'null',
      'http://localhost:5173',
      'https://app.test',
    ]) {
      for (const [headers, message] of [
        [{}, rpc(31, 'tools/list')],
        [alice, rpc(32, 'tools/call', { name: 'note_list', arguments: {} })],
        [alice, rpc(33, 'tools/call', { name: 'signed', arguments: {} })],
        [alice, 'not json'],
      ] as const) {
        const r = await mcp(message, { ...headers, origin });
        expect(r.status, origin).toBe(403);
        expect(r.body).toMatchObject({ jsonrpc: '2.0', id: null, error: { code: -32000 } });
        expect(r.headers.get('www-authenticate')).toBeNull();
      }
    }
    // The tool function's code never ran; every refusal is one line of the endpoint's own.
    expect(seen['signed']).toBe(before);
    expect(new Set(logged.map((l) => `${l.component} ${l.status}`))).toEqual(new Set(['mcp 403']));
    expect(logged).toHaveLength(16);
  });

  it("admits the app's own sites' origins (any case) and a request without Origin (SDK clients, agents)", async () => {
    for (const headers of [
      { ...alice, origin: 'https://notes.contoso.com' },
      { ...alice, origin: 'https://red-sea.azurestaticapps.net' },
      alice,
    ]) {
      const r = await mcp(rpc(34, 'tools/list'), headers);
      expect(r.status).toBe(200);
      expect(r.body.result.tools.length).toBeGreaterThan(0);
    }
    // A site's page with no one signed in is refused as any anonymous caller is: the 401 naming the metadata.
    expect((await mcp(rpc(35, 'ping'), { origin: 'https://notes.contoso.com' })).status).toBe(401);
  });

  it("logs a tool function's call refused before its route runs as the endpoint's, once; one its route ran as the route's", async () => {
    logged.length = 0;
    // Refused at the caller stage (no one signed in): the function's route never ran, the endpoint's pass logs it.
    const anonymous = await mcp(rpc(36, 'tools/call', { name: 'signed', arguments: {} }), {});
    expect(anonymous.status).toBe(401);
    expect(logged.map((l) => [l.component, l.operation, l.status])).toEqual([['mcp', 'mcp', 401]]);
    logged.length = 0;
    // Run: the function's own route is the request (its gate, its code, its line), not a second line here.
    const echoed = await mcp(rpc(37, 'tools/call', { name: 'echo', arguments: { id: 'e1' } }));
    expect(echoed.body.result.isError).toBeUndefined();
    expect(logged.filter((l) => l.component === 'mcp')).toEqual([]);
  });

  it('lists the described function beside the entity tools, and calls it as the caller (its gate, its data)', async () => {
    const listed = await mcp(rpc(3, 'tools/list'));
    expect(listed.body.result.tools.map((t: { name: string }) => t.name).sort()).toEqual(
      [...crudTools('Note'), 'signed', 'echo'].sort(),
    );
    const called = await mcp(rpc(4, 'tools/call', { name: 'signed', arguments: {} }));
    expect(called.body.result.isError).toBeUndefined();
    expect(called.body.result.structuredContent.created).toMatchObject({
      title: 'from code',
      ownerId: 'alice',
      tenantId: 't1',
    });
    // A function tool's arguments are its route's parameters and its JSON body, read as the host's request reads.
    const echoed = await mcp(
      rpc(5, 'tools/call', { name: 'echo', arguments: { id: 'e1', title: 'x' } }),
    );
    expect(echoed.body.result.structuredContent).toEqual({
      id: 'e1',
      got: { id: 'e1', title: 'x' },
      text: JSON.stringify({ id: 'e1', title: 'x' }),
    });
  });
});

describe("a handler's dataOf", () => {
  it("an anonymous function's anonymous caller: 401 from the gate, no data reached", async () => {
    const before = await invoke(handlers.get('NoteApi-collection')!, 'GET', 'notes', {
      headers: alice,
      query: { $count: 'true' },
    });
    const r = await invoke(handlers.get('Fn-open')!, 'GET', 'open', {});
    expect(r.status).toBe(401);
    expect(seen['open']).toEqual({ code: 'DATA_NO_CALLER' });
    const after = await invoke(handlers.get('NoteApi-collection')!, 'GET', 'notes', {
      headers: alice,
      query: { $count: 'true' },
    });
    expect(after.body.count).toBe(before.body.count);
  });

  it('a signed-in caller of the same function: the data as that caller', async () => {
    const r = await invoke(handlers.get('Fn-open')!, 'GET', 'open', { headers: alice });
    expect(r.status).toBe(200);
    expect((seen['open'] as { created: object }).created).toMatchObject({
      ownerId: 'alice',
      tenantId: 't1',
    });
  });

  it("runs a CrudApi's route as the caller it is given: the REST create's answer, Location and log line", async () => {
    // The caller as a function's gate resolves it from alice's request; the call carries no identity of its own.
    const caller = Caller.of(
      new HttpRequest({ method: 'GET', url: 'https://rt.test/api/stats', headers: alice }),
      policy,
    );
    const lines = logged.length;
    const r = await inProcess.call(
      'NoteApi',
      { route: 'collection' },
      { method: 'POST', query: new URLSearchParams(), headers: {}, body: { title: 'in-process' } },
      { caller, invocation: makeContext() },
    );
    const rest = await invoke(handlers.get('NoteApi-collection')!, 'POST', 'notes', {
      headers: alice,
      body: { title: 'over REST' },
    });
    expect([r?.status, rest.status]).toEqual([201, 201]);
    const created = JSON.parse(String(r?.body)) as {
      id: string;
      ownerId: string;
      tenantId: string;
    };
    expect(created).toMatchObject({ ownerId: 'alice', tenantId: 't1' });
    const headers = r?.headers as Record<string, string>;
    // The route's own path, as the REST create names it (src/runtime/crud/collection-operations.ts itemUrl).
    expect(headers['Location']).toBe(`/api/notes/${created.id}`);
    expect(rest.headers.get('location')).toBe(`/api/notes/${String(rest.body.id)}`);
    expect(logged.slice(lines).map((l) => [l.component, l.operation, l.status])).toEqual([
      ['NoteApi', 'create', 201],
      ['NoteApi', 'create', 201],
    ]);
  });

  it('a queue message has no caller: DATA_NO_CALLER', async () => {
    await expect(
      (handlers.get('Fn-queue') as unknown as (m: unknown, c: unknown) => Promise<unknown>)(
        { x: 1 },
        { traceContext: {} },
      ),
    ).rejects.toMatchObject({ code: 'DATA_NO_CALLER' });
  });
});
