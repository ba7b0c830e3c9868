/**
 * The runtime's spans (DESIGN §2, "Traces") against the real @azure/cosmos client and a Cosmos DB protocol server on
 * loopback, through the registered routes as the worker gets them: one server span per request with exactly the
 * design's attributes, one client span per Cosmos DB call under it, RU summed on the server span, tenants (and
 * `shared`), the caller's `oid`, the host's trace as the parent — and nothing at all without a provider.
 */
import { SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';
import {
  type HttpFunctionOptions,
  type HttpHandler,
  HttpRequest,
  InvocationContext,
} from '@azure/functions';
import type { Container } from '@azure/cosmos';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { RuntimeManifest } from '../../../src/model/runtime-manifest.js';
import { callerPolicyOf } from '../../../src/runtime/caller/tenant-source.js';
import { registerCrudRoutes } from '../../../src/runtime/register-routes.js';
import { createCrudHandlers } from '../../../src/runtime/crud/handlers.js';
import { noteEntity, userEntity } from '../support/entities.js';
import { invoke } from '../support/http.js';
import { type LocalCosmos, startLocalCosmos } from '../support/local-cosmos.js';
import { parentOf, principalHeaders, type RecordedSpans, recordSpans } from '../support/spans.js';

const ADA = principalHeaders({ tid: 'tenant-a', oid: 'oid-ada', name: 'Ada Lovelace' });
const SERVER_ATTRIBUTES = [
  'atakora.component',
  'atakora.operation',
  'atakora.tenant',
  'db.cosmosdb.request_charge',
  'enduser.id',
  'http.request.method',
  'http.response.status_code',
  'http.route',
];

let cosmos: LocalCosmos;
let notes: Container;
let users: Container;
let recorded: RecordedSpans;
const fns = new Map<string, HttpFunctionOptions>();
const manifest: RuntimeManifest = {
  version: 1,
  backendId: 'traces',
  entities: [noteEntity, userEntity],
};

beforeAll(async () => {
  cosmos = await startLocalCosmos();
  notes = await cosmos.container('trace-notes', '/tenantId');
  users = await cosmos.container('trace-users', '/id');
  registerCrudRoutes({ http: (name, o) => fns.set(name, o) }, manifest, {
    containerFor: (e) => (e.componentId === noteEntity.componentId ? notes : users),
    caller: callerPolicyOf(manifest),
    logger: () => {},
  });
  recorded = recordSpans();
});
afterAll(async () => {
  await recorded?.stop();
  await cosmos?.stop();
});
beforeEach(() => recorded.reset());

const handler = (name: string) => fns.get(name)!.handler as HttpHandler;
const servers = () => recorded.spans().filter((s) => s.kind === SpanKind.SERVER);
const childrenOf = (parent: ReadableSpan) =>
  recorded.spans().filter((s) => parentOf(s) === parent.spanContext().spanId);
const only = <T>(xs: readonly T[]): T => {
  expect(xs).toHaveLength(1);
  return xs[0]!;
};

describe('server spans', () => {
  it('one per CRUD request, `<METHOD> api/<route>`, with exactly the design’s attributes and the Cosmos DB calls under it', async () => {
    const created = await invoke(handler('NoteApi-collection'), 'POST', 'notes', {
      headers: ADA,
      body: { id: 'n1', title: 'first' },
    });
    expect(created.status).toBe(201);
    const server = only(servers());
    expect(server.name).toBe('POST api/notes');
    expect(Object.keys(server.attributes).sort()).toEqual(SERVER_ATTRIBUTES);
    expect(server.attributes).toMatchObject({
      'http.request.method': 'POST',
      'http.route': 'api/notes',
      'http.response.status_code': 201,
      'atakora.component': 'NoteApi',
      'atakora.operation': 'create',
      'atakora.tenant': 'tenant-a',
      'enduser.id': 'oid-ada',
    });
    expect(server.status.code).toBe(SpanStatusCode.UNSET);
    const calls = childrenOf(server);
    expect(calls.length).toBeGreaterThan(0);
    for (const call of calls) {
      expect(call.kind).toBe(SpanKind.CLIENT);
      expect(call.spanContext().traceId).toBe(server.spanContext().traceId);
      expect(call.attributes['db.system']).toBe('cosmosdb');
    }
    const create = calls.find((c) => c.attributes['db.operation.name'] === 'create_item')!;
    expect(create.name).toBe('create_item');
    expect(create.attributes['db.cosmosdb.status_code']).toBe(201);
    // The local server charges 1 RU per call; the server span sums its calls.
    expect(create.attributes['db.cosmosdb.request_charge']).toBe(1);
    const sum = calls.reduce((n, c) => n + Number(c.attributes['db.cosmosdb.request_charge']), 0);
    expect(server.attributes['db.cosmosdb.request_charge']).toBe(sum);
  });

  it('names every CRUD operation and its Cosmos DB calls: read, list, replace, update, delete', async () => {
    await invoke(handler('NoteApi-collection'), 'POST', 'notes', {
      headers: ADA,
      body: { id: 'n2', title: 'second' },
    });
    const item = handler('NoteApi-item');
    const at = { headers: ADA, params: { id: 'n2' } };
    expect((await invoke(item, 'GET', 'notes/n2', at)).status).toBe(200);
    expect(
      (await invoke(handler('NoteApi-collection'), 'GET', 'notes', { headers: ADA })).status,
    ).toBe(200);
    expect(
      (await invoke(item, 'PUT', 'notes/n2', { ...at, body: { title: 'replaced' } })).status,
    ).toBe(200);
    expect(
      (await invoke(item, 'PATCH', 'notes/n2', { ...at, body: { title: 'merged' } })).status,
    ).toBe(200);
    expect((await invoke(item, 'DELETE', 'notes/n2', at)).status).toBe(204);
    const byOp = new Map(servers().map((s) => [String(s.attributes['atakora.operation']), s]));
    expect([...byOp.keys()]).toEqual(['create', 'read', 'list', 'replace', 'update', 'delete']);
    expect(byOp.get('read')!.name).toBe('GET api/notes/{id}');
    expect(byOp.get('update')!.attributes['http.route']).toBe('api/notes/{id}');
    const ops = (op: string) =>
      childrenOf(byOp.get(op)!).map((c) => c.attributes['db.operation.name']);
    expect(ops('read')).toContain('read_item');
    expect(ops('list')).toContain('query_items');
    expect(ops('replace')).toContain('replace_item');
    expect(ops('delete')).toContain('delete_item');
    for (const s of servers()) expect(s.attributes['atakora.tenant']).toBe('tenant-a');
  });

  it('a read of nothing is a 404 answer, not a failed span; its Cosmos DB call says 404', async () => {
    const missing = await invoke(handler('NoteApi-item'), 'GET', 'notes/none', {
      headers: ADA,
      params: { id: 'none' },
    });
    expect(missing.status).toBe(404);
    const server = only(servers());
    expect(server.attributes['http.response.status_code']).toBe(404);
    expect(server.status.code).toBe(SpanStatusCode.UNSET);
    const read = childrenOf(server).find((c) => c.attributes['db.operation.name'] === 'read_item');
    expect(read?.attributes['db.cosmosdb.status_code']).toBe(404);
    expect(read?.status.code).toBe(SpanStatusCode.UNSET);
  });

  it('shared data is tenant `shared`; an anonymous caller gets a span without tenant or user', async () => {
    await invoke(handler('UserApi-collection'), 'POST', 'users', {
      headers: ADA,
      body: { id: 'u1', name: 'Ada' },
    });
    expect(only(servers()).attributes['atakora.tenant']).toBe('shared');
    recorded.reset();
    expect((await invoke(handler('NoteApi-collection'), 'GET', 'notes')).status).toBe(401);
    const anonymous = only(servers());
    expect(anonymous.attributes['http.response.status_code']).toBe(401);
    expect(anonymous.attributes['atakora.tenant']).toBeUndefined();
    expect(anonymous.attributes['enduser.id']).toBeUndefined();
    expect(childrenOf(anonymous)).toEqual([]);
    expect(anonymous.attributes['db.cosmosdb.request_charge']).toBe(0);
  });

  it('with auth off nothing vouches for a principal: a client-sent one names no user', async () => {
    const open = createCrudHandlers(userEntity, users, {
      caller: { required: false, tenantClaim: 'tid', trustTenantHeader: false },
      logger: () => {},
    });
    const r = await invoke(open.collection, 'GET', 'users', { headers: ADA });
    expect(r.status).toBe(200);
    const server = only(servers());
    expect(server.attributes['enduser.id']).toBeUndefined();
    expect(server.attributes['atakora.tenant']).toBe('shared');
  });

  it('joins the host’s trace: the invocation’s traceparent is the server span’s parent', async () => {
    const traceId = '4bf92f3577b34da6a3ce929d0e0e4736';
    const hostSpan = '00f067aa0ba902b7';
    const request = new HttpRequest({
      method: 'GET',
      url: 'https://app.test/api/notes',
      headers: ADA,
    });
    const invocation = new InvocationContext({
      invocationId: 'host-1',
      functionName: 'NoteApi-collection',
      traceContext: { traceParent: `00-${traceId}-${hostSpan}-01` },
      logHandler: () => {},
    });
    await handler('NoteApi-collection')(request, invocation);
    const server = only(servers());
    expect(server.spanContext().traceId).toBe(traceId);
    expect(parentOf(server)).toBe(hostSpan);
  });
});

describe('without a provider', () => {
  it('records nothing and answers the same', async () => {
    await recorded.stop();
    try {
      expect(trace.getTracer('x').startSpan('probe').isRecording()).toBe(false);
      const r = await invoke(handler('NoteApi-collection'), 'GET', 'notes', { headers: ADA });
      expect(r.status).toBe(200);
    } finally {
      recorded = recordSpans();
    }
    expect(recorded.spans()).toEqual([]);
  });
});
