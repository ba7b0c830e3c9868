import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Container } from '@azure/cosmos';
import { afterAll, afterEach, beforeAll, beforeEach } from 'vitest';
import { loopbackCertificate } from '../../../src/cli/dev/loopback/loopback-certificate.js';
import { main } from '../../../src/cli/main.js';
import { capturedIo } from '../../support/captured-io.js';
import { type CosmosArmStandIn, startCosmosArmStandIn } from '../../support/cosmos-arm-standin.js';
import { type CosmosGate, startCosmosGate } from '../../support/cosmos-gate.js';
import { startTlsCosmos, type TlsCosmos } from '../../support/tls-cosmos.js';

// The scene of the `atakora tenant restore` tests: a loopback Resource Manager (test/support/cosmos-arm-standin.ts)
// and two local Cosmos DB servers over verified TLS — the live account, and the "restored" temporary account the
// stand-in reports (seeded with the past state), behind a gate that can refuse as Cosmos DB does
// (test/support/cosmos-gate.ts). `restoreScene()` registers the hooks; each test starts from NOW and THEN.

export const entry = 'test/cli/fixtures/tenant-backend.ts';
export const A = '72f988bf-0000-4000-8000-0000000000a1';
export const B = '72f988bf-0000-4000-8000-0000000000b1';
export const OID = '5d2b0c0e-0000-4000-8000-00000000f00d';
/** An unsigned JWT whose payload names the operator (the command reads its oid claim only). */
export const TOKEN = `e30.${Buffer.from(JSON.stringify({ oid: OID })).toString('base64url')}.sig`;

export type Item = Record<string, unknown>;
/** The live account now: A changed n1, made n4 and p4 after the point in time, deleted n2 and t1. */
export const NOW: Record<'notes' | 'tasks' | 'products' | 'tenants', Item[]> = {
  notes: [
    { id: 'n1', tenantId: A, ownerId: 'uA1', body: 'edited after', pinned: true, _atakoraV: 2 },
    { id: 'n4', tenantId: A, ownerId: 'uA1', body: 'made after', pinned: false, _atakoraV: 2 },
    { id: 'n1', tenantId: B, ownerId: 'uB1', body: 'B now', pinned: false, _atakoraV: 2 },
  ],
  tasks: [
    { id: 't2', tenantId: A, ownerId: 'uA1', title: 'A two' },
    { id: 't3', tenantId: B, ownerId: 'uB1', title: 'B three, now' },
  ],
  products: [
    { id: 'p1', ownerId: 'uA1', name: 'A renamed after' },
    { id: 'p4', ownerId: 'uA1', name: 'A made after' },
    { id: 'p2', ownerId: 'uB1', name: 'B now' },
  ],
  tenants: [
    {
      id: A,
      plan: 'pro',
      status: 'suspended',
      createdOn: '2026-01-01T00:00:00Z',
      updatedOn: '2026-02-01T00:00:00Z',
    },
    {
      id: B,
      plan: 'free',
      status: 'active',
      createdOn: '2026-01-02T00:00:00Z',
      updatedOn: '2026-01-02T00:00:00Z',
    },
  ],
};
/** The account as it was at the point in time (what the restore reads), B's items different from now. */
export const THEN: typeof NOW = {
  notes: [
    { id: 'n1', tenantId: A, ownerId: 'uA1', body: 'as it was', pinned: false, _atakoraV: 2 },
    { id: 'n2', tenantId: A, ownerId: 'uA2', body: 'deleted since', pinned: false, _atakoraV: 2 },
    { id: 'n1', tenantId: B, ownerId: 'uB1', body: 'B then', pinned: false, _atakoraV: 2 },
    { id: 'n9', tenantId: B, ownerId: 'uB1', body: 'B then only', pinned: false, _atakoraV: 2 },
  ],
  tasks: [
    { id: 't1', tenantId: A, ownerId: 'uA1', title: 'A one, deleted since' },
    { id: 't2', tenantId: A, ownerId: 'uA1', title: 'A two' },
    { id: 't3', tenantId: B, ownerId: 'uB1', title: 'B three, then' },
  ],
  products: [
    { id: 'p1', ownerId: 'uA1', name: 'A as it was' },
    { id: 'p3', ownerId: 'uA2', name: 'A’s second user, deleted since' },
    { id: 'p2', ownerId: 'uB1', name: 'B then' },
  ],
  tenants: [
    {
      id: A,
      plan: 'free',
      status: 'active',
      createdOn: '2026-01-01T00:00:00Z',
      updatedOn: '2026-01-01T00:00:00Z',
    },
  ],
};
const KEYS = {
  notes: ['note-db', 'note', '/tenantId'],
  tasks: ['task-db', 'task', '/id'],
} as const;
const SYSTEM = ['_rid', '_self', '_etag', '_attachments', '_ts'];

type Side = Record<keyof typeof NOW, Container>;

/** What a test of the scene reaches: the servers, the stand-ins, and the CLI run as the operator. */
export interface RestoreScene {
  readonly live: TlsCosmos;
  readonly past: TlsCosmos;
  readonly arm: CosmosArmStandIn;
  readonly gate: CosmosGate;
  readonly c: { readonly live: Side; readonly past: Side };
  /** The Resource Manager token the next runs present (default {@link TOKEN}). */
  token: string;
  run(...args: string[]): Promise<{ code: number; out: string; err: string }>;
  /** `tenant restore <entry> A --environment test --at <an hour ago> …extra`. */
  restore(...extra: string[]): Promise<{ code: number; out: string; err: string }>;
  armCalls(method: string, re: RegExp): CosmosArmStandIn['calls'];
}

/** A container's items, sorted by tenant and id. */
export const raw = async (container: Container) =>
  (await container.items.query<Item>('SELECT * FROM c').fetchAll()).resources.sort((x, y) =>
    `${String(x['tenantId'])}/${String(x['id'])}`.localeCompare(
      `${String(y['tenantId'])}/${String(y['id'])}`,
    ),
  );
const strip = (i: Item) =>
  Object.fromEntries(Object.entries(i).filter(([k]) => !SYSTEM.includes(k)));
/** Items without Cosmos DB's system fields, by id. */
export const byId = (items: Item[]) =>
  items.map(strip).sort((x, y) => String(x['id']).localeCompare(String(y['id'])));
/** Tenant A's items (its own, and its users' in the shared catalogue). */
export const ofA = (items: Item[]) =>
  items.filter((i) => i['tenantId'] === A || String(i['ownerId']).startsWith('uA'));
/** Everything but A's items and A's registry record. */
export const notA = (items: Item[]) => items.filter((i) => !ofA([i]).length && i['id'] !== A);
/** An hour ago: inside the window, behind the latest restorable time. */
export const at = () => new Date(Date.now() - 3600_000).toISOString();

/**
 * Register the scene's hooks (servers up before all, NOW and THEN and default behaviours before each test, the
 * environment restored after each) and return what the tests reach.
 *
 * @example
 * ```ts
 * const scene = restoreScene();
 * it('…', async () => { expect((await scene.restore('--yes')).code).toBe(0); });
 * ```
 */
export function restoreScene(): RestoreScene {
  const dir = mkdtempSync(join(tmpdir(), 'atakora-restore-'));
  const tls = loopbackCertificate(dir);
  const saved = { ...process.env };
  let created: CosmosArmStandIn['behaviour']['containers'] = [];
  const scene = {
    c: { live: {} as Side, past: {} as Side },
    token: TOKEN,
  } as RestoreScene & { live: TlsCosmos; past: TlsCosmos; arm: CosmosArmStandIn; gate: CosmosGate };
  scene.run = async (...args: string[]) => {
    Object.assign(process.env, {
      ATAKORA_COSMOS_ENDPOINT: scene.live.endpoint,
      ATAKORA_COSMOS_CA: tls.certFile,
      ATAKORA_ARM_TOKEN: scene.token,
      ATAKORA_ARM_ENDPOINT: scene.arm.endpoint,
      ARM_SUBSCRIPTION_ID: '00000000-0000-4000-8000-00000000a5b5',
      ATAKORA_RESTORE_POLL_MS: '1',
    });
    const io = capturedIo();
    const code = await main(['tenant', ...args], io.io);
    return { code, out: io.out, err: io.err };
  };
  scene.restore = (...extra: string[]) =>
    scene.run('restore', entry, A, '--environment', 'test', '--at', at(), ...extra);
  scene.armCalls = (method: string, re: RegExp) =>
    scene.arm.calls.filter((x) => x.method === method && re.test(x.path));

  beforeAll(async () => {
    scene.live = await startTlsCosmos(tls);
    scene.past = await startTlsCosmos(tls);
    scene.gate = await startCosmosGate(tls, scene.past.endpoint);
    scene.arm = await startCosmosArmStandIn(scene.gate.endpoint);
    created = scene.arm.behaviour.containers.map((x) => ({ ...x }));
    for (const side of ['live', 'past'] as const) {
      const server = side === 'live' ? scene.live : scene.past;
      const c = scene.c[side];
      c.notes = await server.container(...KEYS.notes);
      c.tasks = await server.container(...KEYS.tasks);
      c.products = await server.container('product-db', 'product', '/id');
      c.tenants = await server.container('atakora', 'tenants', '/id');
    }
  });
  beforeEach(async () => {
    for (const side of ['live', 'past'] as const)
      for (const k of Object.keys(NOW) as (keyof typeof NOW)[]) {
        const c = scene.c[side][k];
        for (const i of await raw(c))
          await c
            .item(String(i['id']), k === 'notes' ? String(i['tenantId']) : String(i['id']))
            .delete();
        for (const i of (side === 'live' ? NOW : THEN)[k]) await c.items.create({ ...i });
      }
    scene.arm.calls.length = 0;
    scene.token = TOKEN;
    Object.assign(scene.arm.behaviour, {
      backup: 'Continuous',
      pollsBeforeDone: 2,
      failDelete: false,
      hideLive: false,
      liveNetwork: {
        publicNetworkAccess: 'Enabled',
        ipRules: [{ ipAddressOrRange: '203.0.113.7' }],
      },
      containers: created.map((x) => ({ ...x })),
      backupLagMs: 60_000,
      restoreKeepsNetwork: false,
      patchIgnored: false,
      endpointConnection: 'Approved',
    });
    scene.arm.endpoints.clear();
    scene.gate.mode = 'pass';
    scene.gate.requests.length = 0;
  });
  afterEach(() => {
    for (const k of Object.keys(process.env))
      if (!(k in saved)) delete process.env[k];
      else process.env[k] = saved[k];
  });
  afterAll(async () => {
    await scene.live.stop();
    await scene.gate.stop();
    await scene.past.stop();
    await scene.arm.stop();
    rmSync(dir, { recursive: true, force: true });
  });
  return scene;
}
