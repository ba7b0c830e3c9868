/**
 * How a request's span reaches its Cosmos DB calls. The runtime passes it along explicitly and enters no
 * OpenTelemetry context, because on Node 20 the first context entered through `AsyncLocalStorage` switches promise
 * hooks on for every promise of the process (a traced CRUD request ×1.14 of an untraced one with them on, ×1.06
 * without: `PARTS=1 npx tsx bench/traces.ts 40 50`). Users' own
 * code still runs in its request's context: a FunctionsApp handler's spans find it across `await`s, and a queue
 * handler's join its invocation's trace. These hold with the span processor's exports in between, which enter a
 * suppressed context of their own.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { SpanKind, trace } from '@opentelemetry/api';
import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';
import type { Container } from '@azure/cosmos';
import {
  type HttpFunctionOptions,
  type HttpHandler,
  InvocationContext,
  type StorageQueueFunctionOptions,
} from '@azure/functions';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { RuntimeManifest } from '../../../src/model/runtime-manifest.js';
import { callerPolicyOf } from '../../../src/runtime/caller/tenant-source.js';
import { registerCrudRoutes } from '../../../src/runtime/register-routes.js';
import { registerHostedFunctions } from '../../../src/packaging/register-hosted.js';
import { customers, entries, orders, vaults } from '../../relations/support.js';
import { invoke } from '../support/http.js';
import { type LocalCosmos, startLocalCosmos } from '../support/local-cosmos.js';
import {
  parentOf,
  principalHeaders,
  type RecordedSpans,
  recordSpans,
  untracedCalls,
} from '../support/spans.js';

const ADA = principalHeaders({ tid: 'tenant-a', oid: 'oid-ada' });
let cosmos: LocalCosmos;
let recorded: RecordedSpans;
const fns = new Map<string, HttpFunctionOptions>();
const queues = new Map<string, StorageQueueFunctionOptions>();

beforeAll(async () => {
  cosmos = await startLocalCosmos();
  const containers = new Map<string, Container>();
  for (const e of [customers, orders, vaults, entries])
    containers.set(e.componentId, await cosmos.container(`ctx-${e.route}`, e.partitionKey));
  const manifest: RuntimeManifest = {
    version: 1,
    backendId: 'request-context',
    entities: [customers, orders, vaults, entries],
  };
  registerCrudRoutes({ http: (name, o) => fns.set(name, o) }, manifest, {
    containerFor: (e) => containers.get(e.componentId)!,
    caller: callerPolicyOf(manifest),
    logger: () => {},
  });
  const tracer = trace.getTracer('users-own-code');
  registerHostedFunctions(
    {
      http: (name, o) => fns.set(name, o),
      storageQueue: (name, o) => queues.set(name, o),
      timer: () => {},
    },
    [
      {
        name: 'Orders-quote',
        componentId: 'Orders',
        trigger: 'http',
        route: 'orders/{id}/quote',
        methods: ['POST'],
        // A user's handler: its own span, started after an await, where its code would start it.
        exported: async () => {
          await new Promise((resolve) => setImmediate(resolve));
          tracer.startSpan('price lookup').end();
          return { status: 200 };
        },
      },
      {
        name: 'Orders-ship',
        componentId: 'Orders',
        trigger: 'queue',
        queueName: 'shipments',
        exported: async () => {
          await new Promise((resolve) => setImmediate(resolve));
          tracer.startSpan('label printed').end();
        },
      },
    ],
    {},
  );
  recorded = recordSpans();
});
afterAll(async () => {
  await recorded?.stop();
  await cosmos?.stop();
});
afterEach(() => vi.restoreAllMocks());

const only = <T>(xs: readonly T[]): T => {
  expect(xs).toHaveLength(1);
  return xs[0]!;
};
const call = (name: string, method: string, path: string, options = {}) =>
  invoke(fns.get(name)!.handler as HttpHandler, method, path, { headers: ADA, ...options });

/** Every Cosmos DB span of the request just made is its server span's child, and its RU add up to the server's. */
function expectOneRequestTree(): ReadableSpan {
  const spans = recorded.spans();
  const servers = spans.filter((s) => s.kind === SpanKind.SERVER);
  expect(servers).toHaveLength(1);
  const clients = spans.filter((s) => s.kind === SpanKind.CLIENT);
  expect(clients.length).toBeGreaterThan(0);
  expect(untracedCalls(spans)).toEqual([]);
  const ru = clients.reduce((n, c) => n + Number(c.attributes['db.cosmosdb.request_charge']), 0);
  expect(Number(servers[0]!.attributes['db.cosmosdb.request_charge'])).toBeCloseTo(ru, 1);
  recorded.reset();
  return servers[0]!;
}

describe('the request’s trace context', () => {
  it('reaches every Cosmos DB call of CRUD, relations and cascades without entering AsyncLocalStorage', async () => {
    const entered = [
      vi.spyOn(AsyncLocalStorage.prototype, 'run'),
      vi.spyOn(AsyncLocalStorage.prototype, 'enterWith'),
    ];
    recorded.reset();
    const steps: [string, string, string, object?][] = [
      ['CustomerApi-collection', 'POST', 'customers', { body: { id: 'c1', name: 'Ada' } }],
      // The reference check reads the customer through its peer.
      ['OrderApi-collection', 'POST', 'orders', { body: { id: 'o1', customerId: 'c1', total: 3 } }],
      [
        'OrderApi-item',
        'GET',
        'orders/o1',
        { params: { id: 'o1' }, query: { $expand: 'customer' } },
      ],
      ['OrderApi-item', 'PATCH', 'orders/o1', { params: { id: 'o1' }, body: { total: 4 } }],
      [
        'CustomerApi-collection',
        'GET',
        'customers',
        { query: { $expand: 'orders', $count: 'true' } },
      ],
      ['CustomerApi-orders', 'GET', 'customers/c1/orders', { params: { id: 'c1' } }],
      // A restricted delete counts the children first (409).
      ['CustomerApi-item', 'DELETE', 'customers/c1', { params: { id: 'c1' } }],
      ['VaultApi-collection', 'POST', 'vaults', { body: { id: 'v1', label: 'home' } }],
      ['EntryApi-collection', 'POST', 'entries', { body: { id: 'e1', vaultId: 'v1', text: 'x' } }],
      // A cascade: walk, mark, delete the child, delete the parent.
      ['VaultApi-item', 'DELETE', 'vaults/v1', { params: { id: 'v1' } }],
    ];
    const statuses: number[] = [];
    for (const [name, method, path, options] of steps) {
      statuses.push((await call(name, method, path, options)).status);
      expectOneRequestTree();
    }
    expect(statuses).toEqual([201, 201, 200, 200, 200, 200, 409, 201, 201, 204]);
    for (const spy of entered) expect(spy).not.toHaveBeenCalled();
  });

  it('is the active context of a user’s handler, across its awaits, and only while it runs', async () => {
    const run = vi.spyOn(AsyncLocalStorage.prototype, 'run');
    const disable = vi.spyOn(AsyncLocalStorage.prototype, 'disable');
    recorded.reset();
    expect(
      (await call('Orders-quote', 'POST', 'orders/o1/quote', { params: { id: 'o1' } })).status,
    ).toBe(200);
    const spans = recorded.spans();
    const server = spans.find((s) => s.kind === SpanKind.SERVER)!;
    const own = spans.find((s) => s.name === 'price lookup')!;
    expect(parentOf(own)).toBe(server.spanContext().spanId);
    expect(own.spanContext().traceId).toBe(server.spanContext().traceId);
    expect(run).toHaveBeenCalled();
    // Off once the handler has answered, and a CRUD request after it does not switch it on again.
    expect(disable).toHaveBeenCalled();
    run.mockClear();
    recorded.reset();
    expect((await call('OrderApi-item', 'GET', 'orders/o1', { params: { id: 'o1' } })).status).toBe(
      200,
    );
    expectOneRequestTree();
    expect(run).not.toHaveBeenCalled();
  });

  it('is the active context of a user’s queue handler: its spans join the invocation’s trace', async () => {
    recorded.reset();
    const traceId = '0af7651916cd43dd8448eb211c80319c';
    const hostSpan = 'b7ad6b7169203331';
    const invocation = new InvocationContext({
      invocationId: 'q1',
      functionName: 'Orders-ship',
      traceContext: { traceParent: `00-${traceId}-${hostSpan}-01`, traceState: '', attributes: {} },
    });
    await queues.get('Orders-ship')!.handler({ id: 'o1' }, invocation);
    const own = only(recorded.spans().filter((s) => s.name === 'label printed'));
    expect(own.spanContext().traceId).toBe(traceId);
    expect(parentOf(own)).toBe(hostSpan);
  });
});
