/**
 * `atakora seed` as users run it (the CLI's main, in process): refused for prod and for a protected environment
 * with nothing sent (a loopback server that must see zero requests); otherwise each seed is created through the
 * real `@azure/cosmos` client in the local Cosmos DB server (standing in for the deployed account through
 * ATAKORA_COSMOS_ENDPOINT), stamped as a create through the API is; a second run leaves what the first created;
 * an id held by another tenant is skipped and reported, that tenant's item untouched (the container is keyed by
 * /id: one document per id); --replace replaces only in the same tenant; a file at an older schemaVersion passes
 * through the migrations; every invalid item is listed (CRUD_SEED_INVALID naming the file, the index and the
 * field), with nothing written.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { Agent } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { type Container, CosmosClient } from '@azure/cosmos';
import { createHttpsServer } from '@vercel/cosmosdb-server';
import { loopbackCertificate } from '../../src/cli/dev/loopback/loopback-certificate.js';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { readDevState } from '../../src/cli/shared/dev-state.js';
import { SCHEMA_VERSION_FIELD } from '../../src/runtime/values/system-fields.js';
import { capturedIo } from '../support/captured-io.js';

const entry = 'test/cli/fixtures/seed-backend.ts';
const OWNER = '6f1d0c2a-0000-4000-8000-00000000a11c';
const TENANT = '72f988bf-0000-4000-8000-0000000000aa';
const listen = async (server: Server, scheme = 'http'): Promise<string> => {
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return `${scheme}://127.0.0.1:${String((server.address() as AddressInfo).port)}/`;
};
const close = (server: Server) =>
  new Promise<void>((r) => {
    server.closeAllConnections();
    server.close(() => r());
  });

const saved = { ...process.env };
afterEach(() => {
  for (const k of [
    'SEED_FIXTURE_ENV',
    'SEED_FIXTURE_PROTECT',
    'SEED_FIXTURE_FILE',
    'ATAKORA_COSMOS_ENDPOINT',
    'ATAKORA_ARM_TOKEN',
    'ATAKORA_COSMOS_CA',
  ])
    if (saved[k] === undefined) delete process.env[k];
    else process.env[k] = saved[k];
});

describe('atakora seed: refused before any network call', () => {
  let requests = 0;
  let server: Server;
  let endpoint: string;
  beforeAll(async () => {
    server = createServer((_req, res) => {
      requests += 1;
      res.writeHead(500).end();
    });
    endpoint = await listen(server);
  });
  afterAll(() => close(server));

  it.each([
    ['prod, even with data protection off', 'prod', '0'],
    ['a protected environment (preventDestroy on)', 'test', '1'],
  ])(
    '%s: SEED_PRODUCTION_REFUSED, zero requests',
    async (_what, environment, protect) => {
      process.env['SEED_FIXTURE_ENV'] = environment;
      process.env['SEED_FIXTURE_PROTECT'] = protect;
      process.env['ATAKORA_COSMOS_ENDPOINT'] = endpoint;
      process.env['ATAKORA_ARM_TOKEN'] = 'a-token';
      const c = capturedIo();
      const args = ['seed', entry, '--environment', environment, '--tenant', TENANT];
      expect(await main(args, c.io)).toBe(1);
      expect(c.err).toContain('SEED_PRODUCTION_REFUSED');
      expect(c.err).toContain('--allow-production');
      expect(requests).toBe(0);
    },
    60_000,
  );

  it('--local without a running dev of the entry: SEED_DEV_NOT_RUNNING', () => {
    const empty = mkdtempSync(join(tmpdir(), 'atakora-seed-local-'));
    try {
      expect(() => readDevState(empty, entry, 'seed')).toThrow(
        expect.objectContaining({ code: 'SEED_DEV_NOT_RUNNING' }) as Error,
      );
    } finally {
      rmSync(empty, { recursive: true, force: true });
    }
  });

  it('--local with --environment is a usage error (exit 2)', async () => {
    const c = capturedIo();
    expect(await main(['seed', entry, '--local', '--environment', 'test'], c.io)).toBe(2);
    expect(c.err).toContain('drop --environment');
    expect(requests).toBe(0);
  });

  it('without --tenant or --environment is a usage error (exit 2)', async () => {
    const c = capturedIo();
    expect(await main(['seed', entry, '--environment', 'test'], c.io)).toBe(2);
    expect(c.err).toContain('--tenant');
    expect(await main(['seed', entry, '--tenant', TENANT], capturedIo().io)).toBe(2);
    expect(requests).toBe(0);
  });
});

describe("atakora seed: creates in the deployed container, never over another tenant's item", () => {
  let server: Server;
  let client: CosmosClient;
  let tasks: Container;
  let products: Container;
  let endpoint: string;
  // A certificate of its own, trusted through ATAKORA_COSMOS_CA: the token only ever goes over verified TLS.
  const dir = mkdtempSync(join(tmpdir(), 'atakora-seed-'));
  const tls = loopbackCertificate(dir);
  const agent = new Agent({ ca: tls.cert, keepAlive: true });
  beforeAll(async () => {
    server = createHttpsServer({
      cert: tls.cert,
      key: tls.key,
      keepAlive: true,
    }) as unknown as Server;
    endpoint = await listen(server, 'https');
    client = new CosmosClient({
      endpoint,
      key: 'dGVzdA==',
      agent,
      connectionPolicy: { enableEndpointDiscovery: false },
    });
    // What deploy created: the containers the plan names.
    const make = async (db: string, id: string, pk: string) => {
      const { database } = await client.databases.createIfNotExists({ id: db });
      return (await database.containers.createIfNotExists({ id, partitionKey: { paths: [pk] } }))
        .container;
    };
    tasks = await make('task-db', 'task', '/id');
    products = await make('product-db', 'product', '/id');
  });
  afterAll(async () => {
    client.dispose();
    agent.destroy();
    await close(server);
    rmSync(dir, { recursive: true, force: true });
  });
  const all = async (c: Container) =>
    (await c.items.query<Record<string, unknown>>('SELECT * FROM c').fetchAll()).resources;

  const seed = async (...extra: string[]) => {
    process.env['ATAKORA_COSMOS_ENDPOINT'] = endpoint;
    process.env['ATAKORA_COSMOS_CA'] = tls.certFile;
    process.env['ATAKORA_ARM_TOKEN'] = 'not-a-jwt';
    process.env['SEED_FIXTURE_ENV'] = 'test';
    const c = capturedIo();
    const code = await main(
      ['seed', entry, '--environment', 'test', '--tenant', TENANT, ...extra],
      c.io,
    );
    return { code, ...c };
  };

  it('an invalid item: CRUD_SEED_INVALID naming file, index and field; nothing written', async () => {
    process.env['SEED_FIXTURE_FILE'] = './test/cli/fixtures/seed/invalid-tasks.json';
    const r = await seed('--owner', OWNER);
    expect(r.code).toBe(1);
    expect(r.err).toContain('CRUD_SEED_INVALID');
    expect(r.err).toContain('invalid-tasks.json');
    expect(r.err).toMatch(/item 1, field "title"/);
    expect(await all(tasks)).toEqual([]);
    expect(await all(products)).toEqual([]);
  });

  it('owner rules with no owner known (no --owner, a token without oid): refused, nothing written', async () => {
    const r = await seed();
    expect(r.code).toBe(1);
    expect(r.err).toContain('--owner');
    expect(await all(tasks)).toEqual([]);
  });

  it('stamps tenant, owner, defaults, ids and the schema version; a second run writes the same items', async () => {
    const first = await seed('--owner', OWNER);
    expect(first.err).toBe('');
    expect(first.code).toBe(0);
    expect(first.out).toMatch(/seed TaskApi: 3 created from .*tasks\.json \(tenant /);
    expect(first.out).toMatch(/seed ProductApi: 2 created/);
    const stored = await all(tasks);
    expect(stored).toHaveLength(3);
    for (const item of stored) {
      expect(item['tenantId']).toBe(TENANT);
      expect(item['ownerId']).toBe(OWNER);
      expect(item[SCHEMA_VERSION_FIELD]).toBe(2);
      expect(typeof item['id']).toBe('string');
    }
    const byId = new Map(stored.map((i) => [i['id'], i]));
    expect(byId.get('t1')?.['status']).toBe('closed');
    expect(byId.get('t2')?.['status']).toBe('open');
    // The shared catalogue carries no tenant (every caller sees it) and has no owner rules to stamp.
    const shared = await all(products);
    expect(shared.map((i) => i['tenantId'])).toEqual([undefined, undefined]);

    const second = await seed('--owner', OWNER, '--component', 'TaskApi');
    expect(second.code).toBe(0);
    expect(second.out).not.toContain('ProductApi');
    expect(second.out).toMatch(/seed TaskApi: 1 created, 2 already there/);
    const again = await all(tasks);
    // t1 and t2 are left as they are; the item without an id gets a new one each run (as two POSTs would).
    expect(again.filter((i) => i['id'] === 't1' || i['id'] === 't2')).toHaveLength(2);
    expect(again).toHaveLength(4);
  });

  it("without --owner, the deployer's own oid (from the token) is recorded as the creator", async () => {
    const jwt = (claims: object) =>
      `e30.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.sig`;
    const deployer = '0a0b0c0d-0000-4000-8000-00000000beef';
    process.env['SEED_FIXTURE_FILE'] = './test/cli/fixtures/seed/deployer-tasks.json';
    process.env['ATAKORA_ARM_TOKEN'] = jwt({ oid: deployer, tid: TENANT });
    process.env['ATAKORA_COSMOS_ENDPOINT'] = endpoint;
    process.env['ATAKORA_COSMOS_CA'] = tls.certFile;
    process.env['SEED_FIXTURE_ENV'] = 'test';
    const c = capturedIo();
    const args = ['seed', entry, '--environment', 'test', '--tenant', TENANT];
    expect(await main([...args, '--component', 'TaskApi'], c.io)).toBe(0);
    const stored = (await all(tasks)).find((i) => i['id'] === 'by-deployer');
    expect(stored?.['ownerId']).toBe(deployer);
    expect(stored?.['tenantId']).toBe(TENANT);
  });

  it('an item naming another tenant is refused', async () => {
    process.env['SEED_FIXTURE_FILE'] = './test/cli/fixtures/seed/other-tenant-tasks.json';
    const r = await seed('--owner', OWNER);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/item 0, field "tenantId": names tenant "someone-else"/);
  });

  it("an id held by another tenant is skipped and reported; that tenant's item is untouched", async () => {
    const theirs = {
      id: 'taken',
      title: 'Theirs',
      status: 'open',
      tenantId: 'fabrikam',
      ownerId: 'bob',
      [SCHEMA_VERSION_FIELD]: 2,
    };
    await tasks.items.create(theirs);
    process.env['SEED_FIXTURE_FILE'] = './test/cli/fixtures/seed/cross-tenant-tasks.json';
    const r = await seed('--owner', OWNER, '--component', 'TaskApi');
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/1 created/);
    expect(r.out).toMatch(/skipped 1 id\(s\) held by another tenant, left untouched: taken/);
    const stored = new Map((await all(tasks)).map((i) => [i['id'], i]));
    expect(stored.get('taken')).toMatchObject({
      title: 'Theirs',
      tenantId: 'fabrikam',
      ownerId: 'bob',
    });
    expect(stored.get('mine')).toMatchObject({ title: 'Ours', tenantId: TENANT, ownerId: OWNER });

    // --replace replaces this tenant's own item, and still never the other tenant's.
    await tasks.item('mine', 'mine').replace({ ...stored.get('mine'), title: 'Edited since' });
    const again = await seed('--owner', OWNER, '--component', 'TaskApi', '--replace');
    expect(again.code).toBe(0);
    expect(again.out).toMatch(/1 replaced/);
    const after = new Map((await all(tasks)).map((i) => [i['id'], i]));
    expect(after.get('mine')?.['title']).toBe('Ours');
    expect(after.get('taken')).toMatchObject({ title: 'Theirs', tenantId: 'fabrikam' });

    // An item a newer version of the code wrote (a rollback since) is never replaced in the older shape.
    await tasks
      .item('mine', 'mine')
      .replace({ ...after.get('mine'), title: 'v3', [SCHEMA_VERSION_FIELD]: 3 });
    const ahead = await seed('--owner', OWNER, '--component', 'TaskApi', '--replace');
    expect(ahead.code).toBe(0);
    expect(ahead.out).toMatch(
      /not replaced 1 item\(s\) stored at a newer schema version than this code: mine/,
    );
    const kept = (await all(tasks)).find((i) => i['id'] === 'mine');
    expect(kept).toMatchObject({ title: 'v3', [SCHEMA_VERSION_FIELD]: 3 });
  });

  it('a file at an older schemaVersion passes through the migrations and is stored current', async () => {
    process.env['SEED_FIXTURE_FILE'] = './test/cli/fixtures/seed/versioned-tasks.json';
    const r = await seed('--owner', OWNER, '--component', 'TaskApi');
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    const stored = new Map((await all(tasks)).map((i) => [i['id'], i]));
    expect(stored.get('old-done')).toMatchObject({ status: 'closed', [SCHEMA_VERSION_FIELD]: 2 });
    expect(stored.get('old-open')).toMatchObject({ status: 'open', [SCHEMA_VERSION_FIELD]: 2 });
    expect(stored.get('old-done')).not.toHaveProperty('done');
  });

  it('every invalid item is listed, not only the first; a file newer than the code is refused', async () => {
    process.env['SEED_FIXTURE_FILE'] = './test/cli/fixtures/seed/many-invalid-tasks.json';
    const before = (await all(tasks)).length;
    const r = await seed('--owner', OWNER, '--component', 'TaskApi');
    expect(r.code).toBe(1);
    expect(r.err).toContain('3 of 4 item(s) are invalid');
    expect(r.err).toMatch(/item 1, field "title"/);
    expect(r.err).toMatch(/item 2, field "title"/);
    expect(r.err).toMatch(/item 3, field "done"/);
    expect((await all(tasks)).length).toBe(before);

    process.env['SEED_FIXTURE_FILE'] = './test/cli/fixtures/seed/newer-tasks.json';
    const newer = await seed('--owner', OWNER, '--component', 'TaskApi');
    expect(newer.code).toBe(1);
    expect(newer.err).toMatch(/declares schemaVersion 3, newer than TaskApi's 2/);
  });
});
