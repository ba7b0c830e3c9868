/**
 * The spans of what is not a CRUD route: a `hasMany` relation's children route, a FunctionsApp HTTP handler behind
 * the runtime's admission, a CrudApi's `onChange` (inline, as `atakora dev` delivers it; from the change feed's
 * invocation in Azure) and a queue send — each with its operation, component and tenant, and never the item.
 */
import { SpanKind, SpanStatusCode } from '@opentelemetry/api';
import type { Container } from '@azure/cosmos';
import type { HttpFunctionOptions, HttpHandler } from '@azure/functions';
import { InvocationContext } from '@azure/functions';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { RuntimeManifest } from '../../../src/model/runtime-manifest.js';
import { callerPolicyOf } from '../../../src/runtime/caller/tenant-source.js';
import { registerCrudRoutes } from '../../../src/runtime/register-routes.js';
import { registerHostedFunctions } from '../../../src/packaging/register-hosted.js';
import { queueClient } from '../../../src/runtime/events/queue-client.js';
import { customers, orders } from '../../relations/support.js';
import { invoke } from '../support/http.js';
import { type LocalCosmos, startLocalCosmos } from '../support/local-cosmos.js';
import { parentOf, principalHeaders, type RecordedSpans, recordSpans } from '../support/spans.js';

const ADA = principalHeaders({ tid: 'tenant-a', oid: 'oid-ada' });
let cosmos: LocalCosmos;
let recorded: RecordedSpans;
const fns = new Map<string, HttpFunctionOptions>();
const changes: unknown[] = [];
let failNext = false;
const feedFns = new Map<
  string,
  { handler: (docs: unknown[], c: InvocationContext) => Promise<void> }
>();

beforeAll(async () => {
  cosmos = await startLocalCosmos();
  const containers = new Map<string, Container>([
    ['CustomerApi', await cosmos.container('span-customers', '/tenantId')],
    ['OrderApi', await cosmos.container('span-orders', '/tenantId')],
  ]);
  const manifest: RuntimeManifest = {
    version: 1,
    backendId: 'spans',
    entities: [customers, orders],
  };
  registerCrudRoutes({ http: (name, o) => fns.set(name, o) }, manifest, {
    containerFor: (e) => containers.get(e.componentId)!,
    caller: callerPolicyOf(manifest),
    logger: () => {},
    changeHandlers: {
      CustomerApi: (change) => {
        changes.push(change);
        if (failNext) {
          failNext = false;
          throw new Error('handler failed');
        }
      },
    },
  });
  registerHostedFunctions(
    {
      http: (name, o) => fns.set(name, o),
      storageQueue: () => {},
      timer: () => {},
      cosmosDB: (name, o) => feedFns.set(name, o as never),
    },
    [
      {
        name: 'Orders-refund',
        componentId: 'Orders',
        trigger: 'http',
        route: 'orders/{id}/refund',
        methods: ['POST'],
        exported: () => ({ status: 202 }),
      },
      {
        name: 'CustomerApi-onchange',
        componentId: 'CustomerApi',
        trigger: 'change',
        connection: 'COSMOS',
        database: 'atakora',
        container: 'span-customers',
        leaseContainer: 'leases',
        exported: () => undefined,
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
beforeEach(() => recorded.reset());

const handler = (name: string) => fns.get(name)!.handler as HttpHandler;
const server = () => {
  const s = recorded.spans().filter((x) => x.kind === SpanKind.SERVER);
  expect(s).toHaveLength(1);
  return s[0]!;
};

describe('children, handlers, onChange and queue sends', () => {
  it('a children route is `children`, on its route template', async () => {
    await invoke(handler('CustomerApi-collection'), 'POST', 'customers', {
      headers: ADA,
      body: { id: 'c1', name: 'Ada' },
    });
    recorded.reset();
    const r = await invoke(handler('CustomerApi-orders'), 'GET', 'customers/c1/orders', {
      headers: ADA,
      params: { id: 'c1' },
    });
    expect(r.status).toBe(200);
    expect(server().name).toBe('GET api/customers/{id}/orders');
    expect(server().attributes).toMatchObject({
      'atakora.operation': 'children',
      'atakora.component': 'CustomerApi',
      'atakora.tenant': 'tenant-a',
      'http.response.status_code': 200,
    });
    expect(Number(server().attributes['db.cosmosdb.request_charge'])).toBeGreaterThan(0);
  });

  it('a FunctionsApp handler is `handler` with the admitted caller; a refused caller is still one span', async () => {
    const r = await invoke(handler('Orders-refund'), 'POST', 'orders/o1/refund', {
      headers: ADA,
      params: { id: 'o1' },
    });
    expect(r.status).toBe(202);
    expect(server().name).toBe('POST api/orders/{id}/refund');
    expect(server().attributes).toMatchObject({
      'atakora.operation': 'handler',
      'atakora.component': 'Orders',
      'atakora.tenant': 'tenant-a',
      'enduser.id': 'oid-ada',
      'http.response.status_code': 202,
    });
    recorded.reset();
    expect((await invoke(handler('Orders-refund'), 'POST', 'orders/o1/refund')).status).toBe(401);
    expect(server().attributes['http.response.status_code']).toBe(401);
    expect(server().attributes['enduser.id']).toBeUndefined();
  });

  it('onChange is an `on-change` span under the write’s request, an error when the handler throws', async () => {
    const created = await invoke(handler('CustomerApi-collection'), 'POST', 'customers', {
      headers: ADA,
      body: { id: 'c2', name: 'secret name' },
    });
    expect(created.status).toBe(201);
    const change = recorded.spans().find((s) => s.name === 'on-change CustomerApi')!;
    expect(change.kind).toBe(SpanKind.INTERNAL);
    expect(parentOf(change)).toBe(server().spanContext().spanId);
    expect(change.attributes).toEqual({
      'atakora.component': 'CustomerApi',
      'atakora.operation': 'on-change',
      'atakora.tenant': 'tenant-a',
    });
    expect(change.status.code).toBe(SpanStatusCode.UNSET);
    recorded.reset();
    failNext = true;
    await invoke(handler('CustomerApi-item'), 'PATCH', 'customers/c2', {
      headers: ADA,
      params: { id: 'c2' },
      body: { name: 'again' },
    });
    const failed = recorded.spans().find((s) => s.name === 'on-change CustomerApi')!;
    expect(failed.status.code).toBe(SpanStatusCode.ERROR);
  });

  it('the change feed’s deliveries join the invocation’s trace', async () => {
    const traceId = '0af7651916cd43dd8448eb211c80319c';
    const invocation = new InvocationContext({
      invocationId: 'feed-1',
      functionName: 'CustomerApi-onchange',
      traceContext: { traceParent: `00-${traceId}-b7ad6b7169203331-01` },
      logHandler: () => {},
    });
    await feedFns
      .get('CustomerApi-onchange')!
      .handler([{ id: 'c9', tenantId: 'tenant-b', _atakoraOp: 'create' }], invocation);
    const change = recorded.spans().find((s) => s.name === 'on-change CustomerApi')!;
    expect(change.spanContext().traceId).toBe(traceId);
    expect(change.attributes['atakora.tenant']).toBe('tenant-b');
  });

  it('a queue send is a producer span naming the queue, an error when the send fails', async () => {
    const emails = queueClient('emails', {
      env: {
        ATAKORA_QUEUES: '{"emails":"MAIL"}',
        MAIL__queueServiceUri: 'http://127.0.0.1:1/devstoreaccount1',
      },
      credential: {
        getToken: () => Promise.resolve({ token: 't', expiresOnTimestamp: Date.now() + 60_000 }),
      },
      pipeline: { retryOptions: { maxTries: 1 } },
    });
    await expect(emails.send({ to: 'zz-queue-body@example.com' })).rejects.toThrow();
    const send = recorded.spans().find((s) => s.kind === SpanKind.PRODUCER)!;
    expect(send.name).toBe('send emails');
    expect(send.attributes).toMatchObject({
      'messaging.destination.name': 'emails',
      'messaging.operation.type': 'send',
    });
    expect(send.status.code).toBe(SpanStatusCode.ERROR);
    expect(JSON.stringify(send.attributes)).not.toContain('zz-queue-body');
  });
});
