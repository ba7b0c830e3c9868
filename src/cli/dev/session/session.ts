import { resolve } from 'node:path';
import type { DevSecrets } from '../host/secrets.js';
import { newAdminKey } from '../loopback/guard.js';
import { devRealtimeHub } from '../realtime/hub.js';
import { DEFAULT_DEV_USER, type DevUser } from '../sign-in/sign-in.js';
import { sitePortMemory } from '../sites/site-ports.js';
import { createDevSites, type DevSite } from '../sites/sites.js';
import type { BlobHost } from '../storage/blob-host.js';
import { launch, reload } from './launch.js';
import { prepareLoad, type PreparedLoad } from './prepare.js';
import { Cleanup, type DevApp, type DevRun } from './run.js';
import { startStandIns, type StandIns } from './stand-ins.js';

export type { DevApp } from './run.js';
export type { BlobHost } from '../storage/blob-host.js';

// `atakora dev`'s session: it loads the entry, starts what the plan needs and serves it, and reloads on change.
// Each part of the local cloud has a room of its own (docs/architecture.md, "The rooms of cli/dev"): the Function
// App hosts (host/), the local Cosmos DB server (cosmos/), Azurite (storage/), the realtime hub (realtime/), the
// sign-in and the apps' identity (sign-in/), the seed (seed/), the sites (sites/), the trace view (traces/).

/** A running `atakora dev`: the apps and the local Cosmos DB endpoint; `stop()` ends every process it started. */
export interface DevSession {
  /** Who calls when a request names nobody (`x-atakora-dev-user`): see cli/dev/sign-in/sign-in.ts. */
  readonly user: DevUser;
  /**
   * Tenants by membership (as of the last load): `user` is then signed in as the user of its verified email
   * (sign-in.ts emailUserOf), which the banner names (signed-in-line.ts).
   */
  readonly emailUsers: boolean | string;
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
  /**
   * The base URL of each component with an API on the apps served now, by component key (a CrudApi's or
   * FileStore's route, a FunctionsApp's origin): what the typed client's `baseUrls` take.
   */
  readonly endpoints: Readonly<Record<string, string>>;
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
  /**
   * No one reads the workers' output (`atakora verify`'s proof stacks, whose `log` drops every line): the workers
   * load no source maps and their functions log nothing — no line per request written to a pipe and dropped. What
   * they answer is the same. Default false.
   */
  readonly quietWorkers?: boolean;
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
  /**
   * `lifted`: serve the tenant registry's plans without bounds and no `tenants.perUser` (each user's live
   * connections then have the runtime's default bound) — `atakora verify`'s proof stack, whose cells say who may,
   * not how often; `features`: the same, each plan keeping its `features` (verify's per-plan proof of what a plan
   * includes, docs/verify.md). Default `as-configured`.
   */
  readonly limits?: 'as-configured' | 'lifted' | 'features';
  /**
   * The folder whose `.atakora/` holds the session's state file (what `--local` commands find it by,
   * shared/dev-state.ts); default the working folder. `atakora verify` gives a folder of its own, so that a dev of the
   * same entry running beside it keeps its state file as it was.
   */
  readonly stateDir?: string;
  /**
   * Variables the session reads as if they were exported, over the environment: a declared secret's local value and
   * a stand-in's address (`STRIPE_API_BASE`). `atakora verify` gives the Stripe stand-in it starts itself
   * (cli/verify/stripe-stand-in.ts), so a proof never reads the developer's own key. Default none.
   */
  readonly env?: Readonly<Record<string, string>>;
  /**
   * An Azurite blob service shared with other sessions of this process (cli/dev/storage/blob-host.ts): the
   * FileStores get an account of it, and the session's loopback certificate is the host's. `atakora verify`'s proof
   * stacks share one this way. Default none: the session starts Azurite itself when a FileStore needs it.
   */
  readonly blobHost?: BlobHost;
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
  const run = newRun(entry, options);
  try {
    const standIns = await startStandIns(run);
    const prepare = () => prepareLoad(run, standIns);
    await launch(run, standIns, await prepare());
    return sessionOf(run, standIns, prepare);
  } catch (e) {
    await run.cleanup.run();
    throw e;
  }
}

/** A session's state before anything but the hub's and the sites' hosts has started. */
function newRun(entry: string, options: DevOptions): DevRun {
  const log = options.log ?? ((l: string) => process.stderr.write(l + '\n'));
  const cleanup = new Cleanup();
  const user = options.user ?? DEFAULT_DEV_USER;
  // Realtime CrudApis publish to a loopback hub (realtime/hub.ts), started on first need and kept across reloads.
  const hub = devRealtimeHub(() => run.origins);
  cleanup.push(() => hub.stop());
  const siteHost = createDevSites({
    user,
    apps: () => run.apps,
    log,
    fileOrigins: () => (run.storage?.blobs ? [run.storage.blobs.browserOrigin] : []),
    socketOrigins: () => (hub.running ? [hub.running.endpoint.replace(/^http/, 'ws')] : []),
    ...(options.sitePort === undefined
      ? { ports: sitePortMemory(entry) }
      : { port: options.sitePort }),
  });
  cleanup.push(() => siteHost.stop());
  const run: DevRun = {
    entry,
    environment: options.environment,
    port: options.port,
    user,
    adminKey: newAdminKey(),
    dataDir: options.dataDir === undefined ? undefined : resolve(options.dataDir),
    stateDir: resolve(options.stateDir ?? process.cwd()),
    env: options.env ?? {},
    blobHost: options.blobHost,
    limits: options.limits ?? 'as-configured',
    log,
    quietWorkers: options.quietWorkers === true,
    progress: options.progress ?? (() => undefined),
    cleanup,
    builtPackages: new Set(),
    hub,
    siteHost,
    storage: undefined,
    seeder: undefined,
    workers: [],
    apps: [],
    watched: [],
    secrets: { fromEnvironment: [], fromFile: [], missing: [] },
    origins: [],
    emailUsers: false,
    generation: 0,
    dataPlan: undefined,
  };
  return run;
}

/** The session as its caller sees it: live views of the run, reload and stop. */
function sessionOf(
  run: DevRun,
  standIns: StandIns,
  prepare: () => Promise<PreparedLoad>,
): DevSession {
  const { services } = standIns;
  return {
    user: run.user,
    adminKey: run.adminKey,
    dataDir: run.dataDir,
    get origins() {
      return run.origins;
    },
    get emailUsers() {
      return run.emailUsers;
    },
    get sites() {
      return run.siteHost.sites;
    },
    get cosmosEndpoint() {
      return services.cosmos?.endpoint;
    },
    get queueEndpoint() {
      return services.queues?.endpoint;
    },
    get realtimeEndpoint() {
      return run.hub.running?.endpoint;
    },
    get packages() {
      return [...run.builtPackages];
    },
    get apps() {
      return run.apps;
    },
    get endpoints() {
      return run.siteHost.endpoints();
    },
    get secrets() {
      return run.secrets;
    },
    get watched() {
      return run.watched;
    },
    reload: () => reload(run, standIns, prepare),
    stop: () => run.cleanup.run(),
  };
}
