import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { PlanError } from '../../../model/errors.js';
import type { ResourcePlan } from '../../../model/plan.js';
import { loadInEnvironment } from '../../shared/environment-option.js';
import { withFs } from '../../shared/fs-errors.js';
import { recordingReads } from '../../shared/recorded-reads.js';
import { prepareApp, servedApps, type PreparedApp, type SecretReport } from '../host/apps.js';
import { withServedMethods } from './banner.js';
import { writeFunctionsCoreStandIn } from '../host/functions-core.js';
import { newAdminKey } from '../loopback/guard.js';
import { type DevFunction, startWorker, stopWorker, workerEnv } from '../host/hosts.js';
import { devRealtimeHub } from '../realtime/hub.js';
import { startIdentityEndpoint } from '../sign-in/identity.js';
import { loopbackCertificate } from '../loopback/loopback-certificate.js';
import type { DevSecrets } from '../host/secrets.js';
import { reloadSchemaWarnings } from './schema-watch.js';
import { startDevSeeder, type DevSeeder } from '../seed/seed.js';
import { DEFAULT_DEV_USER, type DevUser } from '../sign-in/sign-in.js';
import { createDevSites, type DevSite } from '../sites/sites.js';
import { devStorage } from '../storage/storage.js';
import { watchedFiles } from './watch.js';
import type { ChildProcess } from 'node:child_process';

// `atakora dev`'s session: it loads the entry, starts what the plan needs and serves it, and reloads on change.
// Each part of the local cloud has a room of its own (docs/architecture.md, "The rooms of cli/dev"): the Function
// App hosts (host/), the local Cosmos DB server (cosmos/), Azurite (storage/), the realtime hub (realtime/), the
// sign-in and the apps' identity (sign-in/), the seed (seed/), the sites (sites/), the trace view (traces/).

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
  /** Who calls when a request names nobody (`x-atakora-dev-user`): see cli/dev/sign-in/sign-in.ts. */
  readonly user: DevUser;
  /** Browser origins answered with CORS headers: `auth.devOrigins` and `corsOrigins` (as of the last load). */
  readonly origins: readonly string[];
  /** The static sites served (cli/dev/sites/sites.ts): banner lines `site <componentId> <url>`. */
  readonly sites: readonly DevSite[];
  /** Undefined when the backend has no CrudApi. */
  readonly cosmosEndpoint: string | undefined;
  /**
   * Azurite's queue service (`https://127.0.0.1:<port>/devstoreaccount1/`), or undefined when the
   * backend declares no queue.
   */
  readonly queueEndpoint: string | undefined;
  /** The loopback Web PubSub hub's endpoint (cli/dev/realtime/hub.ts), or undefined when no CrudApi is `realtime`. */
  readonly realtimeEndpoint: string | undefined;
  /** Where the local data is kept across restarts (absolute), or undefined when it is not (the default). */
  readonly dataDir: string | undefined;
  /** The packages this session built (under `$TMPDIR/atakora-packages`); `stop()` removes them. */
  readonly packages: readonly string[];
  /** This run's key for the admin API (`x-functions-key` on `POST /admin/functions/<name>`; cli/dev/loopback/guard.ts). */
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
   * few seconds and at stop (cli/dev/cosmos/data.ts). Default none: the data lives as long as the session.
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
 * user an `x-atakora-dev-user: <user>@<tenant>` header names (cli/dev/sign-in/sign-in.ts); browsers on the
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
  let workers: ChildProcess[] = [];
  let apps: DevApp[] = [];
  let watched: string[] = [];
  let secrets: DevSecrets = { fromEnvironment: [], fromFile: [], missing: [] };
  let origins: string[] = [];
  let generation = 0;
  // The schema the local data was written under: the start's, then each reload's the guard let through.
  let dataPlan: ResourcePlan | undefined;
  const user = options.user ?? DEFAULT_DEV_USER;
  const adminKey = newAdminKey();
  const builtPackages = new Set<string>();
  const dataDir = options.dataDir === undefined ? undefined : resolve(options.dataDir);
  // Realtime CrudApis publish to a loopback hub (cli/dev/realtime/hub.ts), started on first need and kept across reloads.
  const hub = devRealtimeHub(() => origins);
  cleanup.push(() => hub.stop());
  const siteHost = createDevSites({
    user,
    apps: () => apps,
    log,
    fileOrigins: () => (storage?.blobs ? [storage.blobs.browserOrigin] : []),
    socketOrigins: () => (hub.running ? [hub.running.endpoint.replace(/^http/, 'ws')] : []),
    ...(options.sitePort === undefined ? {} : { port: options.sitePort }),
  });
  cleanup.push(() => siteHost.stop());
  let storage: ReturnType<typeof devStorage> | undefined;
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
    const services = devStorage({
      entry,
      environment: options.environment,
      dataDir,
      tls,
      progress,
      log,
      user,
    });
    storage = services;
    let seeder: DevSeeder | undefined;
    // Stopped after the workers (cleanup runs backwards): no write is in flight when the data is saved.
    cleanup.splice(1, 0, () => services.stop());
    cleanup.push(async () => {
      for (const w of workers) await stopWorker(w);
    });

    /** Everything up to starting the workers, which can fail without touching what runs now. */
    const prepare = async () => {
      progress(`Loading ${entry}`);
      // The files the entry reads as it loads (a flags file…) are watched too (shared/recorded-reads.ts).
      const {
        value: [backend],
        files: read,
      } = await recordingReads(() => loadInEnvironment(entry, options.environment), process.cwd());
      const plan = backend!.plan();
      if (plan.issues.some((i) => i.severity === 'error')) throw new PlanError(plan.issues);
      // A change `atakora deploy` would refuse is said at once, not at the next deploy (dev/schema-watch.ts).
      const warnings = dataPlan ? reloadSchemaWarnings(dataPlan, plan) : [];
      for (const w of warnings) log(w);
      if (warnings.length === 0) dataPlan = plan;
      const config = backend!.config;
      // The sites first: their origins join the API's dev CORS.
      const siteOrigins = await siteHost.update(plan);
      const planned = servedApps(plan);
      await services.ensure(planned);
      await hub.ensure(planned);
      generation += 1;
      const ready: PreparedApp[] = [];
      const handlers: string[] = [];
      const secretReport: SecretReport = { fromEnvironment: [], fromFile: [], missing: [] };
      for (const app of planned) {
        const prepared = await prepareApp(app, {
          plan,
          config,
          user,
          storage: services,
          realtimeHub: hub.running,
          work,
          generation,
          progress,
          secrets: secretReport,
          handlers,
          built: builtPackages,
        });
        if (prepared) ready.push(prepared);
      }
      // Seeds go into each tenant's empty views: the user's before the API serves, others' at their first
      // sign-in (cli/dev/seed/seed.ts).
      if (services.cosmos && !seeder) {
        const started = await startDevSeeder(services.cosmos.client, log);
        seeder = started;
        cleanup.push(() => started.stop());
      }
      seeder?.update(backend!, plan);
      if (generation === 1 && seeder) for (const line of await seeder.seedTenant(user)) log(line);
      const devOrigins = [
        ...new Set([...config.auth.devOrigins, ...config.corsOrigins, ...siteOrigins]),
      ].sort();
      // The browser PUTs and GETs the SAS URLs straight from the dev origins, as from the sites in Azure.
      await services.blobs?.cors(devOrigins);
      return {
        ready,
        watched: watchedFiles(entry, handlers, read, secretReport),
        origins: devOrigins,
        tenantClaim: config.tenancy.claim,
        auth: config.auth.enabled,
        secrets: secretReport,
      };
    };

    const launch = async (prepared: Awaited<ReturnType<typeof prepare>>) => {
      const served: DevApp[] = [];
      for (const [i, { app, entities, settings, wwwroot }] of prepared.ready.entries()) {
        const env = workerEnv(app, settings, {
          nodePath,
          identity,
          certFile: tls.certFile,
          user,
          adminKey,
          origins: prepared.origins,
          tenantClaim: prepared.tenantClaim,
          auth: prepared.auth,
          seed: seeder?.endpoint,
        });
        // The same port on every restart: a browser tab or curl loop keeps working.
        const port =
          options.port === undefined
            ? apps[i]
              ? Number(new URL(apps[i].url).port)
              : 0
            : options.port + i;
        progress(`Starting the worker of ${app.name}`);
        const { child, ready } = await startWorker(wwwroot, port, env, log);
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
        return services.cosmos?.endpoint;
      },
      get queueEndpoint() {
        return services.queues?.endpoint;
      },
      get realtimeEndpoint() {
        return hub.running?.endpoint;
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
        for (const w of old) await stopWorker(w);
        await launch(prepared);
      },
      stop: stopAll,
    };
  } catch (e) {
    await stopAll();
    throw e;
  }
}
