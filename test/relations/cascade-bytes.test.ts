/**
 * A cascade frees the bytes of every child it deletes in the usage ledger, once, under the tenant whose caller
 * deleted the parent — in the request, and when the background finishes it (202) — on the local Cosmos DB server.
 */
import type { Container } from '@azure/cosmos';
import type { HttpFunctionOptions, HttpHandler } from '@azure/functions';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RuntimeEntity, RuntimeManifest } from '../../src/model/runtime-manifest.js';
import { callerPolicyOf } from '../../src/runtime/caller/tenant-source.js';
import { inProcessQueue } from '../../src/runtime/relations/cascade-queue.js';
import { registerCrudRoutes } from '../../src/runtime/register-routes.js';
import type { TenantRecord } from '../../src/runtime/tenants/tenant-record.js';
import { boundUsageMeter } from '../../src/runtime/usage/usage-binding.js';
import { cosmosUsageStore } from '../../src/runtime/usage/usage-store.js';
import { settings } from '../runtime/support/entities.js';
import { invoke } from '../runtime/support/http.js';
import { allItems, type LocalCosmos, startLocalCosmos } from '../runtime/support/local-cosmos.js';
import { folders, principal } from './support.js';

const str = { type: 'string', required: false } as const;
const ALL = ['create', 'read', 'update', 'delete', 'list'] as const;
const docs: RuntimeEntity = {
  componentId: 'DocApi',
  entityName: 'Doc',
  route: 'docs',
  partitionKey: '/tenantId',
  schema: { id: str, folderId: str, text: str },
  operations: ALL,
  unknownFields: 'reject',
  settings: settings('DOCS'),
  relations: [{ name: 'folder', kind: 'belongsTo', target: 'FolderApi', field: 'folderId' }],
};
const at = '2026-01-01T00:00:00.000Z';
const records: Record<string, TenantRecord> = {
  acme: { id: 'acme', plan: 'open', status: 'active', createdOn: at, updatedOn: at },
};
const MANIFEST: RuntimeManifest = {
  version: 1,
  backendId: 'x',
  entities: [folders, docs],
  auth: {
    required: true,
    tenantClaim: 'tid',
    trustTenantHeader: false,
    allowedTenants: [],
    homeTenant: 'home-dir',
    registry: {
      database: 'atakora',
      container: 'tenants-cascade',
      usage: 'usage-cascade',
      plans: { open: {} },
      defaultPlan: 'open',
      signUp: 'invite',
    },
  },
};
const ALICE = principal('acme', 'alice');

let cosmos: LocalCosmos;
let db = 0;

beforeAll(async () => {
  cosmos = await startLocalCosmos();
});
afterAll(async () => cosmos?.stop());

async function app(inlineItems: number) {
  db++;
  const containers = new Map<string, Container>();
  for (const e of MANIFEST.entities)
    containers.set(e.componentId, await cosmos.container(e.route, e.partitionKey, `bytes-${db}`));
  const usage = await cosmos.container('usage-cascade', '/tenant', `bytes-usage-${db}`);
  const queue = inProcessQueue();
  const handlers = new Map<string, HttpHandler>();
  const auth = callerPolicyOf(MANIFEST);
  registerCrudRoutes(
    { http: (name: string, o: HttpFunctionOptions) => handlers.set(name, o.handler) },
    MANIFEST,
    {
      containerFor: (e) => containers.get(e.componentId)!,
      caller: auth,
      cascadeQueue: queue,
      cascadePolicy: { inlineItems, inlineMs: 600_000, resumeAfterSeconds: 0.3 },
      tenantRegistry: {
        store: { read: (id) => Promise.resolve(records[id]), create: (r) => Promise.resolve(r) },
      },
      usageLedger: {
        store: cosmosUsageStore(usage),
        instance: `cascade-${db}`,
        flushIntervalMs: 0,
      },
    },
  );
  const h = (name: string) => handlers.get(name)!;
  const meter = boundUsageMeter(auth.registry!)!;
  return {
    queue,
    containers,
    stored: async () => meter.storedBytes('acme'),
    create: (e: RuntimeEntity, body: unknown) =>
      invoke(h(`${e.componentId}-collection`), 'POST', e.route, { body, headers: ALICE }),
    remove: (e: RuntimeEntity, id: string) =>
      invoke(h(`${e.componentId}-item`), 'DELETE', `${e.route}/${id}`, {
        headers: ALICE,
        params: { id },
      }),
  };
}

async function folderWithDocs(a: Awaited<ReturnType<typeof app>>, n: number): Promise<void> {
  expect((await a.create(folders, { id: 'f1' })).status).toBe(201);
  for (let i = 0; i < n; i++)
    expect(
      (await a.create(docs, { id: `d${i}`, folderId: 'f1', text: 'x'.repeat(50) })).status,
    ).toBe(201);
}

describe('a cascade frees its children’s bytes', () => {
  it('in the request: the tenant stores nothing once the parent and its children are gone', async () => {
    const a = await app(1000);
    await folderWithDocs(a, 4);
    // The parent and four children, each more than its 50 characters.
    expect(await a.stored()).toBeGreaterThan(4 * 50);
    expect((await a.remove(folders, 'f1')).status).toBe(204);
    expect(await allItems(a.containers.get('DocApi')!)).toEqual([]);
    expect(await a.stored()).toBe(0);
  });

  it('in the background (202): the job frees the children and the parent, once', async () => {
    const a = await app(2);
    await folderWithDocs(a, 6);
    expect((await a.remove(folders, 'f1')).status).toBe(202);
    await a.queue.idle();
    expect(await allItems(a.containers.get('FolderApi')!)).toEqual([]);
    expect(await a.stored()).toBe(0);
  });
});
