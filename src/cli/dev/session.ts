import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer as createHttpServer, type Server } from 'node:http';
import { Agent } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import { CosmosClient } from '@azure/cosmos';
import { appPackageFile } from '../../apply/package/app-package.js';
import { AtakoraError, PlanError } from '../../model/errors.js';
import type { PlannedResource, ResourcePlan } from '../../model/plan.js';
import { securityOf } from '../../plan/openapi.js';
import {
  AUTH_SETTING,
  HOME_TENANT_SETTING,
  MANIFEST_SETTING,
  type RuntimeAuth,
  type RuntimeEntity,
  type RuntimeFileStore,
} from '../../model/runtime-manifest.js';
import { unzipTo } from '../../packaging/unzip.js';
import { CHANGE_DELIVERY_SETTING } from '../../runtime/events/change-dispatch.js';
import { CHANGE_DEADLINE_SETTING } from '../../runtime/events/change-deadline.js';
import { DEV_BLOB_ORIGIN_SETTING } from '../../runtime/files/blobs.js';
import { localCompositeIndexes } from '../../runtime/queries/list-query.js';
import { libraryModule } from '../../kit/node/library-files.js';
import { splitHandler } from '../../packaging/entry-source.js';
import { withServedMethods, type DevFunction } from './banner.js';
import { writeFunctionsCoreStandIn } from './functions-core.js';
import { loadInEnvironment } from '../environment-option.js';
import { LOCAL_SECRETS_FILE, localSecretValues, type DevSecrets } from './secrets.js';
import { loopbackCertificate, type LoopbackCertificate } from './loopback-certificate.js';
import { withFs } from '../fs-errors.js';
import { recordingReads } from './reads.js';
import { loadLocalData, saveLocalData } from './data.js';
import {
  DEFAULT_DEV_USER,
  DEV_ORIGINS_ENV,
  DEV_TENANT_CLAIM_ENV,
  DEV_USER_ENV,
  type DevUser,
} from './sign-in.js';
import type { NormalizedConfig } from '../../model/config.js';
import { createDevSites, type DevSite } from './sites.js';
import { DEV_ADMIN_KEY_ENV, DEV_ANONYMOUS_ENV, DEV_AUTH_ENV, newAdminKey } from './guard.js';
import { anonymousPaths } from '../../resources/functions/auth-settings.js';
import { mergedConfigOf } from '../../resources/types.js';
import {
  devIdentityToken,
  startLocalBlobs,
  startLocalQueues,
  type LocalBlobs,
  type LocalQueues,
} from './azurite.js';
import { declaredQueuesOf, devQueueSettings } from './queues.js';
import { runtimeManifestOf } from '../../resources/functions/runtime-manifest.js';
import { removeDevState, writeDevState } from '../migrate/dev-state.js';
import { keepIdleConnections } from '../../kit/node/keep-alive.js';
import { seedLocalContainers } from './seed.js';

/** One Function App served locally. */
export interface DevApp {
  readonly name: string;
  readonly url: string;
  /**
   * What the package registered, as the worker indexed it: name, trigger type, route/methods/queue/schedule;
   * a CRUD route's methods are those its operations serve (the others answer 405).
   */
  readonly functions: readonly DevFunction[];
}

/** A running `atakora dev`: the apps and the local Cosmos DB endpoint; `stop()` ends every process it started. */
export interface DevSession {
  /** Who calls when a request names nobody (`x-atakora-dev-user`): see cli/dev/sign-in.ts. */
  readonly user: DevUser;
  /** Browser origins answered with CORS headers: `auth.devOrigins` and `corsOrigins` (as of the last load). */
  readonly origins: readonly string[];
  /** The static sites served (cli/dev/sites.ts): banner lines `site <componentId> <url>`. */
  readonly sites: readonly DevSite[];
  /** Undefined when the backend has no CrudApi. */
  readonly cosmosEndpoint: string | undefined;
  /**
   * Azurite's queue service (`https://127.0.0.1:<port>/devstoreaccount1/`), or undefined when the
   * backend declares no queue.
   */
  readonly queueEndpoint: string | undefined;
  /** Where the local data is kept across restarts (absolute), or undefined when it is not (the default). */
  readonly dataDir: string | undefined;
  /** The packages this session built (under `$TMPDIR/atakora-packages`); `stop()` removes them. */
  readonly packages: readonly string[];
  /** This run's key for the admin API (`x-functions-key` on `POST /admin/functions/<name>`; cli/dev/guard.ts). */
  readonly adminKey: string;
  /** The apps served now (replaced by each `reload()`). */
  readonly apps: readonly DevApp[];
  /** The declared secrets: which came from the environment, which from `.atakora/secrets.json`, which are missing. */
  readonly secrets: DevSecrets;
  /**
   * The files whose change should restart the apps: the entry, every handler module, and the project files the
   * entry read while loading (absolute paths).
   */
  readonly watched: readonly string[];
  /**
   * Load the entry again, rebuild the packages and restart the workers on the same ports; the local Cosmos DB
   * server and its data stay. When loading or building fails, the running workers keep serving and it throws.
   */
  reload(): Promise<void>;
  stop(): Promise<void>;
}

/** Options of {@link startDev}. */
export interface DevOptions {
  /** First port (one app per port from there); default 0, any free port. */
  readonly port?: number;
  /** Each line a worker writes (handler logs, stack traces); default stderr. */
  readonly log?: (line: string) => void;
  /** Each start-up step as it begins (`Loading main.ts`); default none. */
  readonly progress?: (step: string) => void;
  /** The signed-in caller when a request names nobody; default a "Local Developer" of tenant local-dev. */
  readonly user?: DevUser;
  /** First port of the static sites (one per site from there); default 0, any free port. */
  readonly sitePort?: number;
  /**
   * Keep the local Cosmos DB data in this folder across restarts (`--data-dir`): loaded at start, saved every
   * few seconds and at stop (cli/dev/data.ts). Default none: the data lives as long as the session.
   */
  readonly dataDir?: string;
  /** Serve the backend as in this environment (`--environment`); default its config's. */
  readonly environment?: string;
}

/**
 * Serve a backend locally, as deployed: each Node Function App's package is built exactly as apply builds
 * it (plus a source map, so handler stack traces name your files), unpacked, and loaded by a worker process
 * with a stand-in `@azure/functions-core`; the CRUD routes read and write a local Cosmos DB protocol server
 * (`@vercel/cosmosdb-server`, an optional peer dependency) whose databases and containers are created from
 * the plan. The runtime authenticates with its identity as in Azure: a loopback endpoint plays App Service's
 * managed-identity endpoint (`IDENTITY_ENDPOINT`/`IDENTITY_HEADER`,
 * learn.microsoft.com/azure/app-service/overview-managed-identity#rest-endpoint-reference).
 * Callers are signed in the way App Service authentication signs them in: `options.user`, or per request the
 * user an `x-atakora-dev-user: <user>@<tenant>` header names (cli/dev/sign-in.ts); browsers on the
 * dev origins get CORS.
 *
 * @example
 * ```ts
 * const dev = await startDev('backend.ts', { port: 7071 });
 * console.log(dev.apps[0]!.url); // http://127.0.0.1:7071
 * await dev.stop();
 * ```
 */
export async function startDev(entry: string, options: DevOptions = {}): Promise<DevSession> {
  const log = options.log ?? ((l: string) => process.stderr.write(l + '\n'));
  const progress = options.progress ?? (() => undefined);
  const cleanup: (() => Promise<void> | void)[] = [];
  const stopAll = async () => {
    for (const c of cleanup.reverse()) await c();
  };
  let cosmos: LocalCosmos | undefined;
  let blobs: LocalBlobs | undefined;
  let queues: LocalQueues | undefined;
  let queuesMissing = false;
  let workers: ChildProcess[] = [];
  let apps: DevApp[] = [];
  let watched: string[] = [];
  let secrets: DevSecrets = { fromEnvironment: [], fromFile: [], missing: [] };
  let generation = 0;
  const user = options.user ?? DEFAULT_DEV_USER;
  const adminKey = newAdminKey();
  const builtPackages = new Set<string>();
  const dataDir = options.dataDir === undefined ? undefined : resolve(options.dataDir);
  let origins: string[] = [];
  const siteHost = createDevSites({
    user,
    apps: () => apps,
    log,
    fileOrigins: () => (blobs ? [blobs.browserOrigin] : []),
    ...(options.sitePort === undefined ? {} : { port: options.sitePort }),
  });
  cleanup.push(() => siteHost.stop());
  try {
    const identity = await startIdentityEndpoint();
    cleanup.push(
      () =>
        new Promise<void>((r) => {
          identity.server.close(() => {
            r();
          });
        }),
    );
    const work = withFs(
      { what: 'the working folder of atakora dev', at: ['dev'], temporary: true },
      tmpdir(),
      () => mkdtempSync(join(tmpdir(), 'atakora-dev-')),
    );
    cleanup.push(() => {
      rmSync(work, { recursive: true, force: true });
    });
    cleanup.push(() => {
      for (const f of builtPackages) rmSync(f, { force: true });
    });
    const nodePath = writeFunctionsCoreStandIn(join(work, 'core'));
    // The loopback services' certificate, trusted by the workers with checks on (loopback-certificate.ts).
    const tls = loopbackCertificate(join(work, 'tls'));
    cleanup.push(async () => {
      for (const w of workers) await stopChild(w);
    });

    /** Everything up to starting the workers, which can fail without touching what runs now. */
    const prepare = async () => {
      progress(`Loading ${entry}`);
      // The files the entry reads as it loads (a flags file…) are watched too (cli/dev/reads.ts).
      const {
        value: [backend],
        files: read,
      } = await recordingReads(() => loadInEnvironment(entry, options.environment), process.cwd());
      const plan = backend!.plan();
      if (plan.issues.some((i) => i.severity === 'error')) throw new PlanError(plan.issues);
      const config = backend!.config;
      // The sites first: their origins join the API's dev CORS.
      const siteOrigins = await siteHost.update(plan);
      const planned = plan.resources.filter(
        (r) =>
          r.type === 'functions' &&
          r.config['runtime'] === 'node' &&
          r.config['codePath'] === undefined,
      );
      // Handler-only backends need no Cosmos DB (nor the optional peer that serves it locally).
      if (!cosmos && planned.some((a) => entitiesOf(a).length > 0)) {
        progress('Starting the local Cosmos DB server');
        const started = await startCosmos(tls);
        cosmos = started;
        // Where `atakora migrate --local` finds this server (cli/migrate/dev-state.ts); gone at stop.
        const stateFile = writeDevState(process.cwd(), {
          version: 1,
          pid: process.pid,
          entry: resolve(entry),
          ...(options.environment === undefined ? {} : { environment: options.environment }),
          cosmos: { endpoint: started.endpoint, key: LOCAL_COSMOS_KEY, ca: tls.cert },
        });
        cleanup.push(() => {
          removeDevState(stateFile);
        });
        cleanup.splice(1, 0, async () => {
          if (dataDir) await started.save(dataDir);
          await started.stop();
        });
        if (dataDir) {
          progress(`Loading the local data from ${dataDir}`);
          await started.load(dataDir);
          // Saved every few seconds too, so a killed session loses little.
          const saver = setInterval(() => {
            started.save(dataDir).catch((e: unknown) => {
              log(`atakora dev: saving the local data failed: ${String(e)}`);
            });
          }, 5000);
          saver.unref();
          cleanup.push(() => {
            clearInterval(saver);
          });
        }
      }
      // FileStores are served on Azurite (an optional peer too), started once and kept across reloads.
      if (!blobs && planned.some((a) => storesOf(a).length > 0)) {
        progress('Starting Azurite (blob storage for the FileStores)');
        const started = await startLocalBlobs(devIdentityToken, tls);
        blobs = started;
        cleanup.splice(1, 0, () => started.stop());
      }
      // Declared queues are served on Azurite's queue service, started once and kept across reloads.
      if (
        !queues &&
        !queuesMissing &&
        planned.some((a) => Object.keys(declaredQueuesOf(a)).length > 0)
      ) {
        progress('Starting Azurite (queue storage for the declared queues)');
        try {
          const started = await startLocalQueues(devIdentityToken, tls);
          queues = started;
          cleanup.splice(1, 0, () => started.stop());
        } catch (e) {
          // Without the optional peer the rest still serves: queue functions run through the admin route only.
          if (!(e instanceof AtakoraError && e.code === 'DEV_SERVER_MISSING')) throw e;
          queuesMissing = true;
          log(
            `atakora dev: ${e.message} Queue triggers run only through POST /admin/functions/<name>, and ` +
              `queueClient cannot send (${e.resolution}).`,
          );
        }
      }
      generation += 1;
      const ready: {
        app: PlannedResource;
        entities: RuntimeEntity[];
        settings: Record<string, string>;
        wwwroot: string;
      }[] = [];
      const handlers: string[] = [];
      const secretReport: {
        fromEnvironment: string[];
        fromFile: string[];
        missing: string[];
        exposedMode?: number;
      } = { fromEnvironment: [], fromFile: [], missing: [] };
      for (const app of planned) {
        const entities = entitiesOf(app);
        const settings = appSettings(
          app,
          plan,
          entities,
          cosmos?.endpoint ?? '',
          config,
          user,
          blobs?.endpoint ?? '',
          blobs?.browserOrigin,
        );
        // Key Vault references have no local meaning: each declared secret's local value, or none (cli/dev/secrets.ts).
        const local = localSecretValues(settings, process.env, process.cwd());
        for (const k of ['fromEnvironment', 'fromFile', 'missing'] as const)
          for (const n of local[k]) if (!secretReport[k].includes(n)) secretReport[k].push(n);
        if (local.exposedMode !== undefined) secretReport.exposedMode = local.exposedMode;
        // The names come from the manifest's own settings, which appSettings() has just written.
        const named = (name: string): string => settings[name] ?? '';
        for (const e of entities)
          await cosmos?.create(
            named(e.settings.database),
            named(e.settings.container),
            e.partitionKey,
            e.sortable,
          );
        for (const f of storesOf(app)) await blobs?.container(named(f.settings.container));
        if (queues) {
          Object.assign(settings, devQueueSettings(app, queues.endpoint));
          for (const q of Object.keys(declaredQueuesOf(app))) await queues.queue(q);
        }
        const functions = mergedConfigOf('functions', app).hostedFunctions ?? [];
        for (const f of functions)
          if (f.handler) handlers.push(resolve(splitHandler(f.handler).file));
        progress(
          `Building the package of ${app.name}${functions.length ? ' (bundling its handlers with esbuild)' : ''}`,
        );
        const file = appPackageFile(
          {
            appName: app.name,
            crudRuntime: app.config['crudRuntime'] === true,
            functions,
            queues: Object.keys(declaredQueuesOf(app)),
          },
          process.cwd(),
          { sourceMaps: true },
        );
        if (!file) continue;
        // Dev's own packages (atakora-dev-*) are removed at stop; the prebuilt runtime zip never is.
        if (basename(file).startsWith('atakora-dev-')) builtPackages.add(file);
        const wwwroot = join(work, `${app.name}-${String(generation)}`);
        unzipTo(readFileSync(file), wwwroot);
        ready.push({ app, entities, settings, wwwroot });
      }
      // Seeds go into empty containers once per session, before the API serves (cli/dev/seed.ts).
      if (generation === 1 && cosmos)
        for (const line of await seedLocalContainers(backend!, plan, cosmos.client, user))
          log(line);
      const devOrigins = [
        ...new Set([...config.auth.devOrigins, ...config.corsOrigins, ...siteOrigins]),
      ].sort();
      // The browser PUTs and GETs the SAS URLs straight from the dev origins, as from the sites in Azure.
      await blobs?.cors(devOrigins);
      const secretsFile = resolve(LOCAL_SECRETS_FILE);
      return {
        ready,
        watched: [
          ...new Set([
            resolve(entry),
            ...handlers,
            ...read,
            ...(secretReport.fromFile.length + secretReport.missing.length &&
            existsSync(dirname(secretsFile))
              ? [secretsFile]
              : []),
          ]),
        ],
        origins: devOrigins,
        tenantClaim: config.tenancy.claim,
        auth: config.auth.enabled,
        secrets: secretReport,
      };
    };

    const launch = async (prepared: Awaited<ReturnType<typeof prepare>>) => {
      const served: DevApp[] = [];
      const started: ChildProcess[] = [];
      for (const [i, { app, entities, settings, wwwroot }] of prepared.ready.entries()) {
        const env = {
          ...settings,
          PATH: process.env['PATH'] ?? '',
          NODE_PATH: nodePath,
          IDENTITY_ENDPOINT: identity.endpoint,
          IDENTITY_HEADER: identity.secret,
          [DEV_USER_ENV]: JSON.stringify(user),
          [DEV_ORIGINS_ENV]: prepared.origins.join(','),
          [DEV_TENANT_CLAIM_ENV]: prepared.tenantClaim,
          [DEV_ADMIN_KEY_ENV]: adminKey,
          [DEV_AUTH_ENV]: prepared.auth ? '1' : '0',
          // What App Service authentication lets through in Azure (excludedPaths): the anonymous functions' paths.
          [DEV_ANONYMOUS_ENV]: anonymousPaths(
            mergedConfigOf('functions', app).hostedFunctions,
          ).join(','),
          // The loopback services' certificate, trusted beside the system's with checks on: the handlers hold the
          // secrets, and every other host they call is verified as in Azure.
          NODE_EXTRA_CA_CERTS: tls.certFile,
          NODE_NO_WARNINGS: '1',
          // The local Cosmos DB server has no change feed: the runtime calls onChange handlers after each write.
          [CHANGE_DELIVERY_SETTING]: 'inline',
          // The handlers' deadline after a write (default 10 s), when the developer sets one for dev.
          ...(process.env[CHANGE_DEADLINE_SETTING]
            ? { [CHANGE_DEADLINE_SETTING]: process.env[CHANGE_DEADLINE_SETTING] }
            : {}),
        };
        // The same port on every restart: a browser tab or curl loop keeps working.
        const port =
          options.port === undefined
            ? apps[i]
              ? Number(new URL(apps[i].url).port)
              : 0
            : options.port + i;
        progress(`Starting the worker of ${app.name}`);
        const { child, ready } = await startWorker(wwwroot, port, env, log);
        started.push(child);
        workers.push(child);
        served.push({
          name: app.name,
          url: `http://127.0.0.1:${String(ready.port)}`,
          functions: withServedMethods(ready.functions, entities),
        });
      }
      apps = served;
      secrets = prepared.secrets;
      watched = prepared.watched;
      origins = prepared.origins;
      siteHost.exportConfigs();
    };

    await launch(await prepare());
    return {
      user,
      adminKey,
      get origins() {
        return origins;
      },
      get sites() {
        return siteHost.sites;
      },
      get cosmosEndpoint() {
        return cosmos?.endpoint;
      },
      get queueEndpoint() {
        return queues?.endpoint;
      },
      dataDir,
      get packages() {
        return [...builtPackages];
      },
      get apps() {
        return apps;
      },
      get secrets() {
        return secrets;
      },
      get watched() {
        return watched;
      },
      async reload() {
        const prepared = await prepare();
        const old = workers;
        workers = [];
        for (const w of old) await stopChild(w);
        await launch(prepared);
      },
      stop: stopAll,
    };
  } catch (e) {
    await stopAll();
    throw e;
  }
}

const entitiesOf = (app: PlannedResource): RuntimeEntity[] =>
  mergedConfigOf('functions', app).crudEntities ?? [];
const storesOf = (app: PlannedResource): RuntimeFileStore[] =>
  mergedConfigOf('functions', app).fileStores ?? [];

/** The app settings the Function App gets in Azure, with Cosmos pointing at the local server. */
function appSettings(
  app: PlannedResource,
  plan: ResourcePlan,
  entities: readonly RuntimeEntity[],
  endpoint: string,
  config: NormalizedConfig,
  user: DevUser,
  blobEndpoint: string,
  blobBrowserOrigin?: string,
): Record<string, string> {
  // Values known only at deploy (Terraform references) have no local meaning.
  const out = Object.fromEntries(
    Object.entries(app.config['appSettings'] as Record<string, string>).filter(
      ([, v]) => !v.includes('${'),
    ),
  );
  for (const e of entities) out[e.settings.endpoint] = endpoint;
  const stores = storesOf(app);
  for (const f of stores) out[f.settings.endpoint] = blobEndpoint;
  // Browsers PUT and GET the SAS URLs through dev's plain-HTTP door: they refuse Azurite's self-signed certificate.
  if (stores.length && blobBrowserOrigin) out[DEV_BLOB_ORIGIN_SETTING] = blobBrowserOrigin;
  // The caller policy as apply writes it (functions/provision.ts), so dev authenticates and finds tenants as deployed.
  const auth: RuntimeAuth = {
    required: config.auth.enabled,
    tenantClaim: config.tenancy.claim,
    trustTenantHeader: config.tenancy.trustGatewayHeader,
    // The allow-list of a multi-tenant backend applies in dev too (sign in with a listed --tenant).
    ...(config.auth.allowedTenants !== undefined
      ? { allowedTenants: config.auth.allowedTenants }
      : {}),
  };
  // The HTTP functions' gate reads the same policy as in Azure (resources/functions/provision.ts).
  out[AUTH_SETTING] = JSON.stringify(auth);
  // The home directory: auth.tenantId when given, else the session's own (the developer publishes the data).
  if (config.auth.enabled && config.auth.allowedTenants !== undefined)
    out[HOME_TENANT_SETTING] = config.auth.tenantId ?? user.tid;
  // As apply writes it (resources/functions/runtime-manifest.ts), less the per-component identities Azure has.
  const manifest = runtimeManifestOf(mergedConfigOf('functions', app), {
    backendId: plan.backendId,
    environment: plan.environment,
    auth,
    security: securityOf(plan),
    identities: false,
  });
  out[MANIFEST_SETTING] = JSON.stringify(manifest);
  return out;
}

/** The key of dev's clients: the local server checks none. */
const LOCAL_COSMOS_KEY = 'bG9jYWw=';

interface LocalCosmos {
  endpoint: string;
  client: CosmosClient;
  create(
    db: string,
    container: string,
    partitionKey: string,
    sortable?: RuntimeEntity['sortable'],
  ): Promise<void>;
  save(dir: string): Promise<void>;
  load(dir: string): Promise<number>;
  stop(): Promise<void>;
}

async function startCosmos(tls: LoopbackCertificate): Promise<LocalCosmos> {
  let createHttpsServer: typeof import('@vercel/cosmosdb-server')['createHttpsServer'];
  try {
    ({ createHttpsServer } = await import('@vercel/cosmosdb-server'));
  } catch {
    throw new AtakoraError(
      'DEV_SERVER_MISSING',
      'atakora dev needs @vercel/cosmosdb-server (a local Cosmos DB protocol server), which is not installed.',
      { path: ['dev'] },
    );
  }
  // The SDK's agent keeps connections alive; the server must not close them first (kit/node/keep-alive.ts).
  const server = keepIdleConnections(createHttpsServer({ cert: tls.cert, key: tls.key }));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const endpoint = `https://127.0.0.1:${String((server.address() as AddressInfo).port)}/`;
  // This client trusts the session's loopback certificate only (its own agent), checks on.
  const agent = new Agent({ ca: tls.cert, keepAlive: true });
  const client = new CosmosClient({
    endpoint,
    key: LOCAL_COSMOS_KEY,
    agent,
    connectionPolicy: { enableEndpointDiscovery: false },
  });
  return {
    endpoint,
    client,
    async create(db, container, partitionKey, sortable) {
      const { database } = await client.databases.createIfNotExists({ id: db });
      // The local server refuses a sort on several fields without a composite index in its directions.
      const compositeIndexes = localCompositeIndexes(sortable);
      await database.containers.createIfNotExists({
        id: container,
        partitionKey: { paths: [partitionKey] },
        ...(compositeIndexes.length ? { indexingPolicy: { compositeIndexes } } : {}),
      });
    },
    save: (dir) => saveLocalData(client, dir),
    load: (dir) => loadLocalData(client, dir),
    async stop() {
      client.dispose();
      agent.destroy();
      server.closeAllConnections();
      await new Promise<void>((r) => {
        server.close(() => {
          r();
        });
      });
    },
  };
}

/** App Service's managed-identity endpoint, locally: any token, the local Cosmos server does not check it. */
async function startIdentityEndpoint(): Promise<{
  server: Server;
  endpoint: string;
  secret: string;
}> {
  const secret = `dev-${String(process.pid)}-${String(Date.now())}`;
  const server = createHttpServer((req, res) => {
    if (req.headers['x-identity-header'] !== secret) {
      res.writeHead(401).end();
      return;
    }
    const resource = new URL(req.url ?? '/', 'http://127.0.0.1').searchParams.get('resource') ?? '';
    const expires = Math.floor(Date.now() / 1000) + 3600;
    res.writeHead(200, { 'content-type': 'application/json' });
    // Entra-shaped: Azurite's OAuth checks issuer, audience and lifetime (cli/dev/azurite.ts); Cosmos reads none of it.
    res.end(
      JSON.stringify({
        access_token: devIdentityToken(resource),
        expires_on: String(expires),
        resource,
        token_type: 'Bearer',
      }),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    server,
    endpoint: `http://127.0.0.1:${String((server.address() as AddressInfo).port)}/msi/token`,
    secret,
  };
}

interface Ready {
  port: number;
  functions: DevFunction[];
}

async function startWorker(
  appDir: string,
  port: number,
  env: Record<string, string>,
  log: (l: string) => void,
): Promise<{ child: ChildProcess; ready: Ready }> {
  const host = libraryModule('cli', 'dev', 'host');
  // From src/ (tests, tsx) the host is TypeScript: load it through tsx
  // (resolved from here: the worker's working directory is the unpacked package).
  // Source maps on: a handler's stack trace names the user's file and line, not the bundle's.
  const args = [
    '--enable-source-maps',
    ...(host.endsWith('.js') ? [host] : ['--import', import.meta.resolve('tsx'), host]),
  ];
  const child = spawn(process.execPath, [...args, appDir, String(port)], {
    cwd: appDir,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stderr.on('data', (d: Buffer) => {
    for (const l of d.toString().split('\n').filter(Boolean)) log(l);
  });
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
    child.once('exit', (code) => {
      reject(new Error(`the dev worker for ${appDir} exited (${String(code)}) before serving`));
    });
  });
  return { child, ready };
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', () => {
      resolve();
    });
    child.kill('SIGTERM');
  });
}
