/**
 * A CrudApi with `audit: true` in the runtime, against the local Cosmos DB server (DESIGN §2, "Audit log"): each
 * create, replace, update and delete of its items appends `item.created|updated|deleted` with the target
 * `<Entity>/<id>` to the organization's audit log — by the door it came through (`api` for REST, `mcp` for a tool
 * call, `handler` for a function's `dataOf`), an update's changed fields alone — and a CrudApi without it writes none.
 */
import type { Container } from '@azure/cosmos';
import type { HttpFunctionOptions, HttpHandler, HttpRequest } from '@azure/functions';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { dataOf } from '../../src/client/data-of.js';
import type { AuditEntry } from '../../src/contract/audit.js';
import { MCP_FUNCTION } from '../../src/contract/mcp/protocol.js';
import { AUTH_SETTING, type RuntimeManifest } from '../../src/model/runtime-manifest.js';
import { registerHostedFunctions } from '../../src/packaging/register-hosted.js';
import { cosmosAuditStore } from '../../src/runtime/audit/audit-store.js';
import { InProcessRoutes } from '../../src/runtime/in-process/routes.js';
import { registerCrudRoutes } from '../../src/runtime/register-routes.js';
import { noteEntity, orderEntity } from './support/entities.js';
import { invoke } from './support/http.js';
import { type LocalCosmos, startLocalCosmos } from './support/local-cosmos.js';
import { member, organizationCalls, policy, record, who } from './support/organization-calls.js';

const audited = { ...noteEntity, audit: true as const, mcp: 'readwrite' as const };
const plain = { ...orderEntity, cache: undefined, mcp: 'readwrite' as const };

let cosmos: LocalCosmos;
/** What the function's dataOf create answered. */
let created: { id: string } | undefined;
/** Whether the audit container refuses writes, and the entries reported lost meanwhile. */
let failing = false;
const lost: AuditEntry[] = [];
let audit: Container;
const fns = new Map<string, HttpFunctionOptions>();
const { call, auditOf } = organizationCalls(fns);
const handler = (name: string) => fns.get(name)?.handler as HttpHandler;

beforeAll(async () => {
  cosmos = await startLocalCosmos();
  const members = await cosmos.container('members', '/tenant');
  const tenants = await cosmos.container('tenants', '/id');
  audit = await cosmos.container('audit', '/tenant');
  await cosmos.container('usage', '/tenant');
  const notes = await cosmos.container(audited.componentId, audited.partitionKey);
  const orders = await cosmos.container(plain.componentId, plain.partitionKey);
  for (const id of ['acme', 'globex']) await tenants.items.create(record(id));
  await members.items.create(member('acme', 'ada', ['Owner']));
  await members.items.create(member('globex', 'gus', ['Owner']));
  const manifest: RuntimeManifest = {
    version: 1,
    backendId: 'orgs',
    entities: [audited, plain],
    auth: policy,
    mcp: { writes: true },
  };
  const real = cosmosAuditStore(audit);
  const inProcess = new InProcessRoutes();
  const app = {
    http: (name: string, o: HttpFunctionOptions) => void fns.set(name, o),
    storageQueue: () => undefined,
    timer: () => undefined,
  };
  registerCrudRoutes(app, manifest, {
    containerFor: (e) => (e.componentId === audited.componentId ? notes : orders),
    caller: policy,
    inProcess,
    audit: {
      store: {
        append: (entry, ttl) =>
          failing ? Promise.reject(new Error('Cosmos DB unavailable')) : real.append(entry, ttl),
        page: (...a) => real.page(...a),
      },
      onFailure: (entry) => void lost.push(entry),
    },
  });
  registerHostedFunctions(
    app,
    [
      {
        name: 'Fn-write',
        componentId: 'Fn',
        trigger: 'http',
        route: 'write',
        methods: ['POST'],
        data: ['NoteApi'],
        exported: async (request: HttpRequest) => {
          const data = dataOf<Record<string, never>>(request) as unknown as Record<
            string,
            { create(i: object): Promise<{ id: string }> }
          >;
          created = await data['NoteApi']!.create({ title: 'from code' });
          return { status: 204 };
        },
      },
    ],
    { [AUTH_SETTING]: JSON.stringify(policy) },
    { inProcess },
  );
});
afterAll(async () => cosmos?.stop());
beforeEach(async () => {
  failing = false;
  lost.length = 0;
  const { resources } = await audit.items.query<AuditEntry>('SELECT * FROM c').fetchAll();
  for (const r of resources) await audit.item(r.id, r.tenant).delete();
});

const entries = async (org = 'acme', user = 'ada') =>
  ((await auditOf(who(user), org)).body.items as AuditEntry[]).filter((e) =>
    e.action.startsWith('item.'),
  );
const mcp = (name: string, args: object) =>
  invoke(handler(MCP_FUNCTION), 'POST', 'mcp', {
    body: { jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name, arguments: args } },
    headers: { ...who('ada'), 'x-atakora-tenant': 'acme' },
  });

describe('a CrudApi with audit: true', () => {
  it('records REST writes (via api): created, updated with the changed fields only, deleted', async () => {
    const made = await call('NoteApi-collection', 'POST', 'notes', who('ada'), 'acme', {
      body: { title: 'draft', body: 'secret plans', count: 1 },
    });
    expect(made.status).toBe(201);
    const id = String(made.body.id);
    const patched = await call('NoteApi-item', 'PATCH', `notes/${id}`, who('ada'), 'acme', {
      body: { count: 2 },
      params: { id },
    });
    expect(patched.status).toBe(200);
    const replaced = await call('NoteApi-item', 'PUT', `notes/${id}`, who('ada'), 'acme', {
      body: { title: 'final', body: 'secret plans', count: 2 },
      params: { id },
    });
    expect(replaced.status).toBe(200);
    const gone = await call('NoteApi-item', 'DELETE', `notes/${id}`, who('ada'), 'acme', {
      params: { id },
    });
    expect(gone.status).toBe(204);
    const items = await entries();
    expect(items.map((e) => [e.action, e.target, e.actor, e.tenant])).toEqual([
      ['item.deleted', `Note/${id}`, { id: 'ada', via: 'api' }, 'acme'],
      ['item.updated', `Note/${id}`, { id: 'ada', via: 'api' }, 'acme'],
      ['item.updated', `Note/${id}`, { id: 'ada', via: 'api' }, 'acme'],
      ['item.created', `Note/${id}`, { id: 'ada', via: 'api' }, 'acme'],
    ]);
    expect(items[1]?.changes).toEqual({ title: { from: 'draft', to: 'final' } });
    expect(items[2]?.changes).toEqual({ count: { from: 1, to: 2 } });
    // Values of fields that did not change never enter the log.
    expect(JSON.stringify(items)).not.toContain('secret plans');
    // The other organization's log has none of them.
    expect(await entries('globex', 'gus')).toEqual([]);
  });

  it("records a handler's dataOf write as via handler", async () => {
    const r = await invoke(handler('Fn-write'), 'POST', 'write', {
      headers: { ...who('ada'), 'x-atakora-tenant': 'acme' },
    });
    expect(r.status).toBe(204);
    const items = await entries();
    expect(items.map((e) => [e.action, e.target, e.actor.via])).toEqual([
      ['item.created', `Note/${String(created?.id)}`, 'handler'],
    ]);
  });

  it('records an MCP tool call as via mcp', async () => {
    const r = await mcp('note_create', { title: 'by a model' });
    expect(r.status).toBe(200);
    const made = (r.body.result.structuredContent as { item: { id: string } }).item;
    const edited = await mcp('note_update', { id: made.id, patch: { title: 'edited' } });
    expect(edited.body.result.isError).toBeUndefined();
    const items = await entries();
    expect(items.map((e) => [e.action, e.target, e.actor.via, e.changes])).toEqual([
      ['item.updated', `Note/${made.id}`, 'mcp', { title: { from: 'by a model', to: 'edited' } }],
      ['item.created', `Note/${made.id}`, 'mcp', undefined],
    ]);
  });

  it('a write whose audit entry cannot be stored keeps the item and reports the whole entry', async () => {
    failing = true;
    const made = await call('NoteApi-collection', 'POST', 'notes', who('ada'), 'acme', {
      body: { title: 'kept' },
    });
    expect(made.status).toBe(201);
    const id = String(made.body.id);
    failing = false;
    const read = await call('NoteApi-item', 'GET', `notes/${id}`, who('ada'), 'acme', {
      params: { id },
    });
    expect(read.status).toBe(200);
    expect(lost.map((e) => [e.action, e.target, e.tenant])).toEqual([
      ['item.created', `Note/${id}`, 'acme'],
    ]);
    expect(await entries()).toEqual([]);
  });

  it('a CrudApi without audit writes none', async () => {
    const r = await call('OrderApi-collection', 'POST', 'orders', who('ada'), 'acme', {
      body: { region: 'eu', total: 3 },
      query: { pk: 'eu' },
    });
    expect(r.status).toBe(201);
    const { resources } = await audit.items.query('SELECT * FROM c').fetchAll();
    expect(resources).toEqual([]);
  });
});
