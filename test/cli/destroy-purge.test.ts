/**
 * `atakora destroy` and `atakora sandbox --delete` permanently delete the environment's app registrations and
 * service principals from the directory's deleted items after Terraform destroyed them (the azuread provider only
 * soft-deletes, and soft-deleted objects count toward the creator's 250 for 30 days). Against the stand-in
 * terraform (its destroy plan carries each registration's object id) and a Microsoft Graph stand-in on loopback.
 */
import {
  chmodSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { delimiter, join, relative, resolve } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import {
  deletedDirectoryObjects,
  purgeDeletedDirectoryObjects,
} from '../../src/cli/deploy/directory-purge.js';
import { fakeObjectId, installFakeTerraform } from '../support/fake-terraform.js';
import { installNodeStandIn } from '../support/node-stand-in.js';
import { runCliInProcess } from '../support/cli-in-process.js';

const root = resolve(import.meta.dirname, '../..');
const work = mkdtempSync(join(tmpdir(), 'atakora-purge-'));
const servers: Server[] = [];
const cleanup: string[] = [work];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => new Promise((r) => s.close(r))));
});
afterAll(() => {
  for (const d of cleanup) rmSync(d, { recursive: true, force: true });
});

/** A Graph stand-in: records each request with its bearer; `answer` gives the status per path and try. */
async function graphStandIn(answer: (path: string, tries: number) => number = () => 204) {
  const seen: { method: string; path: string; auth: string }[] = [];
  const tries = new Map<string, number>();
  const server = createServer((req, res) => {
    const path = req.url ?? '';
    seen.push({ method: req.method ?? '', path, auth: req.headers.authorization ?? '' });
    const n = (tries.get(path) ?? 0) + 1;
    tries.set(path, n);
    const status = answer(path, n);
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(
      status === 204 ? undefined : JSON.stringify({ error: { code: 'x', message: 'scripted' } }),
    );
  });
  servers.push(server);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { base: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, seen };
}

const APP = '11111111-2222-4333-8444-555555555555';
const SP = '66666666-7777-4888-8999-000000000000';
const plan = {
  resource_changes: [
    {
      address: 'azuread_application.api',
      type: 'azuread_application',
      mode: 'managed',
      change: { actions: ['delete'], before: { object_id: APP, id: `/applications/${APP}` } },
    },
    {
      address: 'azuread_service_principal.api_sp',
      type: 'azuread_service_principal',
      mode: 'managed',
      change: { actions: ['delete'], before: { id: `/servicePrincipals/${SP}` } },
    },
    {
      address: 'azuread_application.kept',
      type: 'azuread_application',
      mode: 'managed',
      change: { actions: ['no-op'], before: { object_id: APP } },
    },
    {
      address: 'azuread_application.evil',
      type: 'azuread_application',
      mode: 'managed',
      change: { actions: ['delete'], before: { object_id: '../../users/x' } },
    },
    {
      address: 'azurerm_resource_group.rg',
      type: 'azurerm_resource_group',
      mode: 'managed',
      change: { actions: ['delete'], before: { id: `/subscriptions/${APP}` } },
    },
  ],
};

describe('which objects a destroy deletes', () => {
  it('registrations and principals being deleted, by object id, principals first; nothing else', () => {
    expect(deletedDirectoryObjects(plan)).toEqual([
      { address: 'azuread_service_principal.api_sp', kind: 'servicePrincipal', objectId: SP },
      { address: 'azuread_application.api', kind: 'application', objectId: APP },
    ]);
  });
});

describe('purging them from the deleted items (Graph stand-in)', () => {
  const env = (base: string): NodeJS.ProcessEnv => ({
    ATAKORA_GRAPH_ENDPOINT: base,
    ATAKORA_GRAPH_TOKEN: 'graph-token',
    ATAKORA_PURGE_RETRY_WAIT_MS: '0',
  });

  it('DELETE /v1.0/directory/deletedItems/{id} with the Graph token, principal before application', async () => {
    const graph = await graphStandIn();
    const lines: string[] = [];
    const results = await purgeDeletedDirectoryObjects(deletedDirectoryObjects(plan), {
      env: env(graph.base),
      log: (l) => lines.push(l),
    });
    expect(graph.seen).toEqual([
      { method: 'DELETE', path: `/v1.0/directory/deletedItems/${SP}`, auth: 'Bearer graph-token' },
      { method: 'DELETE', path: `/v1.0/directory/deletedItems/${APP}`, auth: 'Bearer graph-token' },
    ]);
    expect(results.map((r) => r.outcome)).toEqual(['purged', 'purged']);
    expect(lines.join('\n')).toContain('permanently deleted from the directory');
  });

  it('a deleted item not visible yet (404) is asked again; one never found is reported absent', async () => {
    const graph = await graphStandIn((path, n) => (path.endsWith(SP) ? 404 : n < 2 ? 404 : 204));
    const results = await purgeDeletedDirectoryObjects(deletedDirectoryObjects(plan), {
      env: env(graph.base),
      log: () => undefined,
    });
    expect(results.map((r) => [r.object.objectId, r.outcome])).toEqual([
      [SP, 'absent'],
      [APP, 'purged'],
    ]);
    expect(graph.seen.filter((s) => s.path.endsWith(SP))).toHaveLength(3);
    expect(graph.seen.filter((s) => s.path.endsWith(APP))).toHaveLength(2);
  });

  it('a refusal (403) is a warning naming the az command, not a failure', async () => {
    const graph = await graphStandIn(() => 403);
    const lines: string[] = [];
    const results = await purgeDeletedDirectoryObjects(deletedDirectoryObjects(plan), {
      env: env(graph.base),
      log: (l) => lines.push(l),
    });
    expect(results.every((r) => r.outcome === 'failed')).toBe(true);
    expect(graph.seen).toHaveLength(2);
    expect(lines.join('\n')).toContain(
      `az rest --method delete --url ${graph.base}/v1.0/directory/deletedItems/${APP}`,
    );
  });
});

/** The CLI as users run it (the built main, `npm run build` first, in this worker: test/support/cli-in-process.ts). */
function run(args: string[], env: NodeJS.ProcessEnv) {
  return runCliInProcess(args, { env, cwd: root });
}

function cliEnv(tfDir: string, log: string, graph: string, extraPath = ''): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    NO_COLOR: '1',
    PATH: `${extraPath}${tfDir}${delimiter}${process.env['PATH'] ?? ''}`,
    FAKE_TF_LOG: log,
    ATAKORA_SKIP_PREFLIGHT: '1',
    ATAKORA_GRAPH_ENDPOINT: graph,
    ATAKORA_GRAPH_TOKEN: 'graph-token',
    ATAKORA_PURGE_RETRY_WAIT_MS: '0',
  };
  for (const k of ['ATAKORA_TERRAFORM', 'FAKE_TF_PLAN', 'FAKE_TF_FAIL', 'FAKE_TF_STATE'])
    delete env[k];
  return env;
}

/** The app registrations and service principals synthesized under `out` (every stack): what a destroy deletes. */
function registrations(out: string): string[] {
  const stacks = join(out, 'stacks');
  return readdirSync(stacks).flatMap((name) => {
    const json = JSON.parse(readFileSync(join(stacks, name, 'cdk.tf.json'), 'utf8')) as {
      resource?: Record<string, Record<string, unknown>>;
    };
    return ['azuread_application', 'azuread_service_principal'].flatMap((type) =>
      Object.keys(json.resource?.[type] ?? {}).map((n) => `${type}.${n}`),
    );
  });
}

describe('atakora destroy and sandbox --delete purge what they destroyed', () => {
  it('destroy: every registration and principal of the stack, after Terraform destroyed them', async () => {
    const tf = installFakeTerraform();
    cleanup.push(tf.dir);
    const graph = await graphStandIn();
    const out = join(work, 'destroy');
    const r = await run(
      ['destroy', 'examples/basic.ts', '--auto-approve', '--allow-data-loss', '--out', out],
      cliEnv(tf.dir, tf.log, graph.base),
    );
    expect(r.stderr).not.toContain('warning: azuread');
    expect(r.code).toBe(0);
    const destroyed = registrations(out);
    expect(destroyed.length).toBeGreaterThanOrEqual(2);
    expect(graph.seen.map((s) => s.path).sort()).toEqual(
      destroyed.map((a) => `/v1.0/directory/deletedItems/${fakeObjectId(a)}`).sort(),
    );
    expect(graph.seen.every((s) => s.method === 'DELETE' && s.auth === 'Bearer graph-token')).toBe(
      true,
    );
    // After Terraform's destroy, never before it.
    expect(r.stderr.indexOf('permanently deleted')).toBeGreaterThan(
      r.stderr.indexOf(' destroyed ('),
    );
    expect(r.stderr.indexOf(' destroyed (')).toBeGreaterThan(0);
  });

  it('a destroy refused by the data-loss guard purges nothing', async () => {
    const tf = installFakeTerraform();
    cleanup.push(tf.dir);
    const graph = await graphStandIn();
    const r = await run(
      ['destroy', 'examples/basic.ts', '--auto-approve', '--out', join(work, 'refused')],
      cliEnv(tf.dir, tf.log, graph.base),
    );
    expect(r.code).toBe(1);
    expect(graph.seen).toEqual([]);
  });

  it('sandbox --delete: the sandbox’s registrations too', async () => {
    const tf = installFakeTerraform();
    cleanup.push(tf.dir);
    const graph = await graphStandIn();
    // The project lives inside the package, so its entry imports it by name as users do.
    const project = mkdtempSync(join(root, '.tmp-purge-'));
    cleanup.push(project);
    const az = join(project, 'bin');
    mkdirSync(az);
    installNodeStandIn(
      join(az, 'az'),
      `process.stdout.write(JSON.stringify({ user: { name: 'ada@contoso.com', type: 'user' }, tenantId: 'tenant-1' }));\n`,
    );
    writeFileSync(
      join(project, 'backend.ts'),
      `import { defineBackend } from '@atakora/component/backend';
import { CrudApi } from '@atakora/component/crud';
export default defineBackend({ notes: CrudApi.define('NoteApi', { entityName: 'Note', schema: { id: 'string' } }) }, { backendId: 'sbx' });
`,
    );
    const r = await run(
      ['sandbox', `${relative(root, project)}/backend.ts`, '--delete', '--out', join(work, 'sbx')],
      cliEnv(tf.dir, tf.log, graph.base, `${az}${delimiter}`),
    );
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/Destroyed 1 stack/);
    const destroyed = registrations(join(work, 'sbx'));
    expect(destroyed).toHaveLength(2);
    expect(graph.seen.map((s) => s.path).sort()).toEqual(
      destroyed.map((a) => `/v1.0/directory/deletedItems/${fakeObjectId(a)}`).sort(),
    );
  });
});
