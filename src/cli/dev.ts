import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer as createHttpServer, type Server } from 'node:http';
import { Agent } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CosmosClient } from '@azure/cosmos';
import { appPackageFile } from '../apply/package/app-package.js';
import { AtakoraError, PlanError } from '../model/errors.js';
import type { PlannedResource } from '../model/plan.js';
import type { HostedFunction } from '../model/requirements.js';
import { MANIFEST_SETTING, type RuntimeEntity, type RuntimeManifest } from '../model/runtime-manifest.js';
import { unzipTo } from '../packaging/unzip.js';
import { libraryModule } from '../kit/node/library-files.js';
import { writeFunctionsCoreStandIn } from './dev-functions-core.js';
import { loadBackends } from './load-entry.js';

/** One Function App served locally. */
export interface DevApp {
  readonly name: string;
  readonly url: string;
  /** What the package registered, as the worker indexed it: name, trigger type, route/methods/queue/schedule. */
  readonly functions: readonly { name: string; type: string; route?: string; methods?: string[]; queueName?: string; schedule?: string }[];
}

/** A running `atakora dev`: the apps and the local Cosmos DB endpoint; `stop()` ends every process it started. */
export interface DevSession {
  /** Undefined when the backend has no CrudApi. */
  readonly cosmosEndpoint: string | undefined;
  readonly apps: readonly DevApp[];
  stop(): Promise<void>;
}

/**
 * Serve a backend locally, as deployed: each Node Function App's package is built exactly as apply builds
 * it, unpacked, and loaded by a worker process with a stand-in `@azure/functions-core`; the CRUD routes
 * read and write a local Cosmos DB protocol server (`@vercel/cosmosdb-server`, an optional peer
 * dependency) whose databases and containers are created from the plan. The runtime authenticates with
 * its identity as in Azure: a loopback endpoint plays App Service's managed-identity endpoint
 * (`IDENTITY_ENDPOINT`/`IDENTITY_HEADER`, learn.microsoft.com/azure/app-service/overview-managed-identity#rest-endpoint-reference).
 *
 * @example
 * ```ts
 * const dev = await startDev('backend.ts', { port: 7071 });
 * console.log(dev.apps[0]!.url); // http://127.0.0.1:7071
 * await dev.stop();
 * ```
 */
export async function startDev(entry: string, options: { port?: number; log?: (line: string) => void } = {}): Promise<DevSession> {
  const log = options.log ?? ((l: string) => process.stderr.write(l + '\n'));
  const [backend] = await loadBackends(entry);
  const plan = backend!.plan();
  if (plan.issues.some((i) => i.severity === 'error')) throw new PlanError(plan.issues);
  const apps = plan.resources.filter((r) => r.type === 'functions' && r.config['runtime'] === 'node' && r.config['codePath'] === undefined);
  const cleanup: (() => Promise<void> | void)[] = [];
  const stop = async () => { for (const c of cleanup.reverse()) await c(); };
  try {
    // Handler-only backends need no Cosmos DB (nor the optional peer that serves it locally).
    const needsCosmos = apps.some((a) => ((a.config['crudEntities'] ?? []) as unknown[]).length > 0);
    const cosmos = needsCosmos ? await startCosmos() : undefined;
    if (cosmos) cleanup.push(() => cosmos.stop());
    const identity = await startIdentityEndpoint();
    cleanup.push(() => new Promise<void>((r) => { identity.server.close(() => { r(); }); }));
    const work = mkdtempSync(join(tmpdir(), 'atakora-dev-'));
    cleanup.push(() => { rmSync(work, { recursive: true, force: true }); });
    const nodePath = writeFunctionsCoreStandIn(join(work, 'core'));
    const served: DevApp[] = [];
    for (const [i, app] of apps.entries()) {
      const entities = (app.config['crudEntities'] ?? []) as unknown as RuntimeEntity[];
      const settings = appSettings(app, plan.backendId, entities, cosmos?.endpoint ?? '');
      for (const e of entities) await cosmos?.create(settings[e.settings.database]!, settings[e.settings.container]!, e.partitionKey);
      const file = appPackageFile({ appName: app.name, crudRuntime: app.config['crudRuntime'] === true, functions: (app.config['hostedFunctions'] ?? []) as unknown as HostedFunction[] });
      if (!file) continue;
      const wwwroot = join(work, app.name);
      unzipTo(readFileSync(file), wwwroot);
      const env = {
        ...settings,
        PATH: process.env['PATH'] ?? '', NODE_PATH: nodePath,
        IDENTITY_ENDPOINT: identity.endpoint, IDENTITY_HEADER: identity.secret,
        // The local protocol server's certificate is self-signed (and expired): this worker process only talks to
        // loopback services and the user's handlers; never set in Azure.
        NODE_TLS_REJECT_UNAUTHORIZED: '0', NODE_NO_WARNINGS: '1',
      };
      const port = options.port === undefined ? 0 : options.port + i;
      const { child, ready } = await startWorker(wwwroot, port, env, log);
      cleanup.push(() => stopChild(child));
      served.push({ name: app.name, url: `http://127.0.0.1:${String(ready.port)}`, functions: ready.functions });
    }
    return { cosmosEndpoint: cosmos?.endpoint, apps: served, stop };
  } catch (e) {
    await stop();
    throw e;
  }
}

/** The app settings the Function App gets in Azure, with Cosmos pointing at the local server. */
function appSettings(app: PlannedResource, backendId: string, entities: readonly RuntimeEntity[], endpoint: string): Record<string, string> {
  // Values known only at deploy (Terraform references) have no local meaning.
  const out = Object.fromEntries(Object.entries(app.config['appSettings'] as Record<string, string>).filter(([, v]) => !v.includes('${')));
  for (const e of entities) out[e.settings.endpoint] = endpoint;
  const manifest: RuntimeManifest = { version: 1, backendId, entities: [...entities] };
  out[MANIFEST_SETTING] = JSON.stringify(manifest);
  return out;
}

async function startCosmos(): Promise<{ endpoint: string; create(db: string, container: string, partitionKey: string): Promise<void>; stop(): Promise<void> }> {
  let createHttpsServer: (typeof import('@vercel/cosmosdb-server'))['createHttpsServer'];
  try {
    ({ createHttpsServer } = await import('@vercel/cosmosdb-server'));
  } catch {
    throw new AtakoraError('DEV_SERVER_MISSING', 'atakora dev needs @vercel/cosmosdb-server (a local Cosmos DB protocol server), which is not installed.', { path: ['dev'] });
  }
  const server = createHttpsServer();
  await new Promise<void>((resolve, reject) => { server.once('error', reject); server.listen(0, '127.0.0.1', resolve); });
  const endpoint = `https://127.0.0.1:${String((server.address() as AddressInfo).port)}/`;
  // Only this client skips certificate checks (its own agent), never the dev command's process.
  const agent = new Agent({ rejectUnauthorized: false, keepAlive: true });
  const client = new CosmosClient({ endpoint, key: 'bG9jYWw=', agent, connectionPolicy: { enableEndpointDiscovery: false } });
  return {
    endpoint,
    async create(db, container, partitionKey) {
      const { database } = await client.databases.createIfNotExists({ id: db });
      await database.containers.createIfNotExists({ id: container, partitionKey: { paths: [partitionKey] } });
    },
    async stop() {
      client.dispose();
      agent.destroy();
      server.closeAllConnections();
      await new Promise<void>((r) => { server.close(() => { r(); }); });
    },
  };
}

/** App Service's managed-identity endpoint, locally: any token, the local Cosmos server does not check it. */
async function startIdentityEndpoint(): Promise<{ server: Server; endpoint: string; secret: string }> {
  const secret = `dev-${String(process.pid)}-${String(Date.now())}`;
  const server = createHttpServer((req, res) => {
    if (req.headers['x-identity-header'] !== secret) { res.writeHead(401).end(); return; }
    const resource = new URL(req.url ?? '/', 'http://127.0.0.1').searchParams.get('resource') ?? '';
    const expires = Math.floor(Date.now() / 1000) + 3600;
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ access_token: 'atakora-dev-token', expires_on: String(expires), resource, token_type: 'Bearer' }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, endpoint: `http://127.0.0.1:${String((server.address() as AddressInfo).port)}/msi/token`, secret };
}

interface Ready { port: number; functions: DevApp['functions'] }

async function startWorker(appDir: string, port: number, env: Record<string, string>, log: (l: string) => void): Promise<{ child: ChildProcess; ready: Ready }> {
  const host = libraryModule('cli', 'dev-host');
  // From src/ (tests, tsx) the host is TypeScript: load it through tsx
  // (resolved from here: the worker's working directory is the unpacked package).
  const args = host.endsWith('.js') ? [host] : ['--import', import.meta.resolve('tsx'), host];
  const child = spawn(process.execPath, [...args, appDir, String(port)], { cwd: appDir, env, stdio: ['ignore', 'pipe', 'pipe'] });
  child.stderr.on('data', (d: Buffer) => { for (const l of d.toString().split('\n').filter(Boolean)) log(l); });
  const ready = await new Promise<Ready>((resolve, reject) => {
    let buffer = '';
    child.stdout.on('data', (d: Buffer) => {
      buffer += d.toString();
      const lines = buffer.split('\n');
      buffer = lines.pop() ?? '';
      for (const l of lines) {
        if (l.startsWith('@@READY@@')) resolve(JSON.parse(l.slice('@@READY@@'.length)) as Ready);
        else if (l) log(l);
      }
    });
    child.once('exit', (code) => { reject(new Error(`the dev worker for ${appDir} exited (${String(code)}) before serving`)); });
  });
  return { child, ready };
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return Promise.resolve();
  return new Promise((resolve) => { child.once('exit', () => { resolve(); }); child.kill('SIGTERM'); });
}
