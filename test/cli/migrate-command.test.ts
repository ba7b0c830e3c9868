/**
 * `atakora migrate --local`, the built CLI (its main in this worker; the killed run a process) against a local Cosmos DB server that a dev-like state
 * file names (dev's loopback certificate, checks on): killed halfway and run again, every item is current and
 * migrated once; a concurrent write (made in front of the server just before migrate's replace) wins; a dry run
 * writes nothing; an unknown component and a missing dev are clear errors; a state file naming a non-loopback
 * endpoint is refused. The Azure path (--environment) runs against the same server as a stand-in data plane
 * (ATAKORA_COSMOS_ENDPOINT, its certificate authority trusted through ATAKORA_COSMOS_CA, a deployer token from
 * ATAKORA_ARM_TOKEN): Entra auth on every request, a 403 is the data role to grant.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { Agent } from 'node:https';
import type { AddressInfo } from 'node:net';
import { join, resolve } from 'node:path';
import { type Container, CosmosClient } from '@azure/cosmos';
import { createHttpsServer } from '@vercel/cosmosdb-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loopbackCertificate } from '../../src/cli/dev/loopback/loopback-certificate.js';
import { devStateFile, removeDevState, writeDevState } from '../../src/cli/shared/dev-state.js';
import { SCHEMA_VERSION_FIELD } from '../../src/runtime/values/system-fields.js';
import { type UserProject, userProject } from '../support/user-project.js';
import { runCliInProcess } from '../support/cli-in-process.js';

const root = resolve(import.meta.dirname, '../..');
const bin = join(root, 'dist/cli/bin.js');
const V = SCHEMA_VERSION_FIELD;

let project: UserProject;
let server: ReturnType<typeof createHttpsServer>;
let endpoint: string;
let client: CosmosClient;
let agent: Agent;
let ca: string;
let certFile: string;
/** Authorization headers the server saw (to tell key from Entra auth). */
const auths: string[] = [];
/** Answer every request with this status instead of serving it (a data plane that refuses). */
let refuse: number | undefined;
let n = 0;
/** Called before the server sees a replace of an item (method PUT on a document); awaited. */
let beforeReplace: ((id: string) => Promise<void>) | undefined;

const ENTRY = (
  container: string,
  module = './migrations/v2.ts',
) => `import { defineBackend } from '@atakora/component/backend';
import { CrudApi } from '@atakora/component/crud';

export default defineBackend(
  {
    notes: CrudApi.define('NoteApi', {
      entityName: 'Note',
      schema: { id: 'string', title: 'string', hits: 'integer', steps: 'array' },
      partitionKey: '/id',
      databaseName: 'app-db',
      containerName: '${container}',
      schemaVersion: 2,
      migrations: { 2: '${module}' },
    }),
    plain: CrudApi.define('PlainApi', { entityName: 'Plain', schema: { id: 'string' } }),
  },
  { backendId: 'notes', environment: 'dev', auth: 'none' },
);
`;

beforeAll(async () => {
  project = userProject('module');
  mkdirSync(join(project.dir, 'migrations'));
  // Not idempotent on purpose: an item migrated twice would show two steps and hits + 2.
  project.write(
    'migrations/v2.ts',
    `export default (item: Record<string, unknown>) => ({
  ...item,
  hits: Number(item['hits'] ?? 0) + 1,
  steps: [...((item['steps'] as string[] | undefined) ?? []), 'v2'],
});
`,
  );
  const tls = loopbackCertificate(mkdtempSync(join(project.dir, 'tls-')));
  ca = tls.cert;
  certFile = tls.certFile;
  server = createHttpsServer({ cert: tls.cert, key: tls.key, keepAlive: true });
  // A layer in front of the server's own listener: lets a test act just before a replace reaches it.
  const inner = server.listeners('request') as ((q: IncomingMessage, s: ServerResponse) => void)[];
  server.removeAllListeners('request');
  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    auths.push(decodeURIComponent(String(req.headers['authorization'] ?? '')));
    if (refuse !== undefined) {
      res.writeHead(refuse, { 'content-type': 'application/json' }).end('{"code":"Forbidden"}');
      return;
    }
    const doc = /\/docs\/([^/?]+)$/.exec(req.url ?? '');
    const hook =
      req.method === 'PUT' && doc && !req.headers['x-test-writer'] ? beforeReplace : undefined;
    void (hook ? hook(decodeURIComponent(doc![1]!)) : Promise.resolve()).then(() => {
      for (const l of inner) l.call(server, req, res);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  endpoint = `https://127.0.0.1:${String((server.address() as AddressInfo).port)}/`;
  agent = new Agent({ ca, keepAlive: true });
  client = new CosmosClient({
    endpoint,
    key: 'bG9jYWw=',
    agent,
    connectionPolicy: { enableEndpointDiscovery: false },
  });
});

afterAll(async () => {
  client?.dispose();
  agent?.destroy();
  server?.closeAllConnections();
  await new Promise<void>((r) => (server ? server.close(() => r()) : r()));
  project?.remove();
});

/** A fresh container of `count` version-1 notes and the entry naming it, with a state file for this process. */
async function seeded(count: number, module?: string): Promise<{ c: Container; entry: string }> {
  const name = `notes${String(n++)}`;
  const { database } = await client.databases.createIfNotExists({ id: 'app-db' });
  const { container: c } = await database.containers.createIfNotExists({
    id: name,
    partitionKey: { paths: ['/id'] },
  });
  for (let i = 0; i < count; i++)
    await c.items.create({ id: `n${String(i)}`, title: `t${String(i)}`, hits: i });
  const entry = `backend-${name}.ts`;
  project.write(entry, ENTRY(name, module));
  writeDevState(project.dir, {
    version: 1,
    pid: process.pid,
    entry: join(project.dir, entry),
    cosmos: { endpoint, key: 'bG9jYWw=', ca },
  });
  return { c, entry };
}

async function all(c: Container): Promise<Record<string, unknown>[]> {
  const { resources } = await c.items.query<Record<string, unknown>>('SELECT * FROM c').fetchAll();
  return resources.sort((a, b) => String(a['id']).localeCompare(String(b['id'])));
}

interface Ran {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/**
 * Run the CLI in the project: the built main in this worker (test/support/cli-in-process.ts), or, with `onErr`
 * (which sees stderr as it comes and may kill it: the kill is the process's), dist/cli/bin.js as a child process.
 */
async function cli(
  args: string[],
  onErr?: (text: string, child: ChildProcess) => void,
  env: Record<string, string> = {},
): Promise<Ran> {
  if (!onErr)
    return {
      ...(await runCliInProcess(args, { env: { ...process.env, ...env }, cwd: project.dir })),
      signal: null,
    };
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, [bin, ...args], {
      cwd: project.dir,
      stdio: 'pipe',
      env: { ...process.env, ...env },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += String(d)));
    child.stderr.on('data', (d: Buffer) => {
      stderr += String(d);
      onErr?.(stderr, child);
    });
    child.on('error', fail);
    child.on('close', (code, signal) => done({ code, signal, stdout, stderr }));
  });
}

describe('atakora migrate --local', () => {
  it('killed halfway and run again: every item current, migrated exactly once; a third run finds nothing', async () => {
    const { c, entry } = await seeded(120);
    let replaces = 0;
    // Slow the replaces down after the first batches, so the kill lands mid-run.
    beforeReplace = async () => {
      if (++replaces > 20) await new Promise((r) => setTimeout(r, 20));
    };
    const first = await cli(['migrate', entry, '--local', '--batch-size', '10'], (err, child) => {
      if (/NoteApi: \d+\/120 items rewritten/.test(err)) child.kill('SIGKILL');
    });
    beforeReplace = undefined;
    expect(first.signal).toBe('SIGKILL');
    const halfway = await all(c);
    const doneBefore = halfway.filter((i) => i[V] === 2).length;
    expect(doneBefore).toBeGreaterThan(0);
    expect(doneBefore).toBeLessThan(120);
    const checkpoint = join(project.dir, '.atakora/migrate/local-NoteApi.json');
    expect(JSON.parse(readFileSync(checkpoint, 'utf8'))).toMatchObject({ state: 'running' });

    const second = await cli(['migrate', entry, '--local', '--batch-size', '10']);
    expect(second.code, second.stderr).toBe(0);
    expect(second.stderr).toContain('resuming an interrupted run');
    expect(second.stdout).toMatch(
      /NoteApi: \d+ rewritten to version 2, 0 already current .* 0 failed/,
    );
    const items = await all(c);
    expect(items).toHaveLength(120);
    for (const [i, item] of items.entries()) {
      const k = Number(String(item['id']).slice(1));
      expect(item, String(i)).toMatchObject({
        [V]: 2,
        steps: ['v2'],
        hits: k + 1,
        title: `t${String(k)}`,
      });
    }
    expect(JSON.parse(readFileSync(checkpoint, 'utf8'))).toMatchObject({
      state: 'done',
      failed: [],
    });

    const etags = items.map((i) => i['_etag']);
    const third = await cli(['migrate', entry, '--local']);
    expect(third.code).toBe(0);
    expect(third.stdout).toContain('NoteApi: 0 rewritten to version 2');
    expect((await all(c)).map((i) => i['_etag'])).toEqual(etags);
  });

  it('a concurrent write just before a replace wins; migrate reads it again and leaves it', async () => {
    const { c, entry } = await seeded(30);
    const written = new Set<string>();
    beforeReplace = async (id) => {
      // Every third item: the deployed app writes it (current version) between migrate's read and its replace.
      if (Number(id.slice(1)) % 3 !== 0 || written.has(id)) return;
      written.add(id);
      await c.item(id, id).replace({ id, title: 'app', hits: 100, steps: ['app'], [V]: 2 }, {
        initialHeaders: { 'x-test-writer': '1' },
      } as never);
    };
    const ran = await cli(['migrate', entry, '--local', '--batch-size', '7']);
    beforeReplace = undefined;
    expect(ran.code, ran.stderr).toBe(0);
    expect(written.size).toBe(10);
    expect(ran.stdout).toContain('NoteApi: 20 rewritten to version 2, 10 already current');
    for (const item of await all(c)) {
      const id = String(item['id']);
      if (written.has(id))
        expect(item).toMatchObject({ title: 'app', hits: 100, steps: ['app'], [V]: 2 });
      else expect(item).toMatchObject({ steps: ['v2'], [V]: 2 });
    }
  });

  it('a migration that throws: the summary names the items and the step, exit 1; fixed, a new run finishes', async () => {
    project.write(
      'migrations/v2-throws.ts',
      `export default (item: Record<string, unknown>) => {
  if (Number(item['hits']) % 4 === 1) throw new Error('cannot read hits ' + String(item['hits']));
  return { ...item, steps: ['v2'] };
};
`,
    );
    const { c, entry } = await seeded(12, './migrations/v2-throws.ts');
    const ran = await cli(['migrate', entry, '--local', '--batch-size', '5']);
    expect(ran.code).toBe(1);
    expect(ran.stdout).toContain('NoteApi: 9 rewritten to version 2, 0 already current');
    expect(ran.stdout).toContain('3 failed.');
    for (const [id, hits] of [
      ['n1', 1],
      ['n5', 5],
      ['n9', 9],
    ] as const)
      expect(ran.stdout).toContain(
        `failed: ${id}: migration 2 (version 1 → 2) failed: the migration threw (Error: cannot read ` +
          `hits ${String(hits)})`,
      );
    const left = (await all(c)).filter((i) => i[V] === undefined).map((i) => i['id']);
    expect(left.sort()).toEqual(['n1', 'n5', 'n9']);
    // The migration fixed (the entry pointed at the good one): the finished run's failures are tried again.
    project.write(entry, ENTRY(entry.slice('backend-'.length, -3)));
    const again = await cli(['migrate', entry, '--local']);
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout).toContain('NoteApi: 3 rewritten to version 2');
    expect((await all(c)).every((i) => i[V] === 2)).toBe(true);
  });

  it('Azure (--environment): Entra auth with the deployer token, the same rewrite, a per-environment checkpoint', async () => {
    const { c, entry } = await seeded(8);
    const env = {
      ATAKORA_COSMOS_ENDPOINT: endpoint,
      ATAKORA_ARM_TOKEN: 'deployer-token',
      // The stand-in's authority, trusted besides the system's by the CLI's data-plane client (checks on): the
      // variable the CLI reads in every run, so no process of its own is needed (NODE_EXTRA_CA_CERTS is read as
      // Node starts).
      ATAKORA_COSMOS_CA: certFile,
    };
    auths.length = 0;
    const ran = await cli(['migrate', entry, '--environment', 'staging'], undefined, env);
    expect(ran.code, ran.stderr).toBe(0);
    expect(ran.stdout).toContain('NoteApi: 8 rewritten to version 2');
    expect((await all(c)).every((i) => i[V] === 2)).toBe(true);
    // Every request the CLI sent carried the Entra token (type=aad), none a key signature.
    const cliAuths = auths.filter((a) => a.includes('type=aad'));
    expect(cliAuths.length).toBeGreaterThan(8);
    expect(cliAuths.every((a) => a === 'type=aad&ver=1.0&sig=deployer-token')).toBe(true);
    expect(
      JSON.parse(readFileSync(join(project.dir, '.atakora/migrate/staging-NoteApi.json'), 'utf8')),
    ).toMatchObject({ state: 'done', rewritten: 8 });

    refuse = 403;
    const denied = await cli(
      ['migrate', entry, '--environment', 'staging', '--dry-run'],
      undefined,
      env,
    );
    refuse = undefined;
    expect(denied.code).toBe(1);
    expect(denied.stderr).toContain('MIGRATE_DATA_ACCESS_DENIED');
    expect(denied.stderr).toContain('Cosmos DB Built-in Data Contributor');
  });

  it('--dry-run counts per version, estimates RU and time, and writes nothing', async () => {
    const { c, entry } = await seeded(12);
    await c.item('n0', 'n0').replace({ id: 'n0', title: 'x', hits: 0, steps: ['v2'], [V]: 2 });
    const before = (await all(c)).map((i) => i['_etag']);
    const ran = await cli(['migrate', entry, '--local', '--dry-run']);
    expect(ran.code, ran.stderr).toBe(0);
    expect(ran.stdout).toMatch(
      /NoteApi \(schemaVersion 2, app-db\/notes\d+\): v1: 11, v2: 1; 11 to rewrite, about \d+ RU/,
    );
    expect(ran.stdout).toContain('Dry run: every migration ran in memory, nothing written.');
    expect((await all(c)).map((i) => i['_etag'])).toEqual(before);
  });

  it('--dry-run runs every migration: a wrong result is listed, exit 1, nothing written; a real run stores none', async () => {
    project.write(
      'migrations/v2-wrong.ts',
      `export default (item: Record<string, unknown>) =>
  Number(item['hits']) % 5 === 2 ? { ...item, hits: String(item['hits']) + ' hits' } : { ...item, steps: ['v2'] };
`,
    );
    const { c, entry } = await seeded(10, './migrations/v2-wrong.ts');
    const before = (await all(c)).map((i) => i['_etag']);
    const dry = await cli(['migrate', entry, '--local', '--dry-run']);
    expect(dry.code).toBe(1);
    expect(dry.stdout).toContain('10 to rewrite (2 would fail, listed below)');
    for (const id of ['n2', 'n7'])
      expect(dry.stdout).toContain(
        `would fail: ${id}: migration 2 (version 1 → 2) failed on hits: the result is not a valid Note: ` +
          'hits must be an integer',
      );
    expect((await all(c)).map((i) => i['_etag'])).toEqual(before);
    const ran = await cli(['migrate', entry, '--local']);
    expect(ran.code).toBe(1);
    expect(ran.stdout).toContain('NoteApi: 8 rewritten to version 2, 0 already current');
    const left = (await all(c)).filter((i) => i[V] === undefined).map((i) => i['id']);
    expect(left.sort()).toEqual(['n2', 'n7']);
  });

  it('usage errors exit 2: --local with --environment, a bad --batch-size, no entry', async () => {
    const { entry } = await seeded(1);
    const both = await cli(['migrate', entry, '--local', '--environment', 'prod']);
    expect(both.code).toBe(2);
    expect(both.stderr).toContain('drop --environment');
    const batch = await cli(['migrate', entry, '--local', '--batch-size', '0']);
    expect(batch.code).toBe(2);
    expect(batch.stderr).toContain('--batch-size takes 1…1000');
    expect((await cli(['migrate'])).code).toBe(2);
  });

  it('an unknown --component is an error listing the versioned CrudApis', async () => {
    const { entry } = await seeded(1);
    const ran = await cli(['migrate', entry, '--local', '--component', 'NoteAPI']);
    expect(ran.code).toBe(1);
    expect(ran.stderr).toContain('MIGRATE_COMPONENT_UNKNOWN');
    expect(ran.stderr).toContain('(those: NoteApi)');
    expect(ran.stderr).toContain('did you mean NoteApi?');
  });

  it('without a running dev: MIGRATE_DEV_NOT_RUNNING (no file, or a dev that has stopped)', async () => {
    const { entry } = await seeded(1);
    const file = devStateFile(project.dir, entry);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    removeDevState(file);
    const none = await cli(['migrate', entry, '--local']);
    expect(none.code).toBe(1);
    expect(none.stderr).toContain('MIGRATE_DEV_NOT_RUNNING');
    expect(none.stderr).toContain('does not exist');
    // A stopped dev's file: a pid above Linux's largest (pid_max is at most 2^22), so no process has it.
    const state = {
      version: 1,
      pid: 2 ** 22 + 1,
      entry: join(project.dir, entry),
      cosmos: { endpoint, key: 'k', ca },
    };
    writeFileSync(file, JSON.stringify(state));
    const stopped = await cli(['migrate', entry, '--local']);
    expect(stopped.code).toBe(1);
    expect(stopped.stderr).toContain('has stopped');
  });

  it('a state file naming a non-loopback endpoint is refused before any request', async () => {
    const { entry } = await seeded(1);
    const file = devStateFile(project.dir, entry);
    const state = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
    writeFileSync(
      file,
      JSON.stringify({
        ...state,
        cosmos: { endpoint: 'https://evil.example.com:443/', key: 'k', ca },
      }),
    );
    const ran = await cli(['migrate', entry, '--local']);
    expect(ran.code).toBe(1);
    expect(ran.stderr).toContain('MIGRATE_DEV_STATE_INVALID');
    expect(ran.stderr).toContain('not a loopback address');
    rmSync(file);
  });
});
