import {
  hasTenantRegistry,
  AUDIT_LOG,
  MEMBERS,
  TENANT_REGISTRY,
  USAGE_LEDGER,
} from '../../../kit/pure/tenant-registry.js';
import { readFileSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { appPackageFile } from '../../../apply/package/app-package.js';
import type { NormalizedConfig } from '../../../model/config.js';
import type { PlannedResource, ResourcePlan } from '../../../model/plan.js';
import type { RuntimeEntity } from '../../../model/runtime-manifest.js';
import { splitHandler } from '../../../packaging/entry-source.js';
import { unzipTo } from '../../../packaging/unzip.js';
import { mergedConfigOf } from '../../../resources/types.js';
import { devAppSettings } from './app-settings.js';
import { declaredQueuesOf, devQueueSettings } from '../storage/queues.js';
import { localSecretValues } from './secrets.js';
import type { DevUser } from '../sign-in/sign-in.js';
import { entitiesOf, storesOf, type DevStorage } from '../storage/storage.js';

/** The Node Function Apps `atakora dev` serves: those apply builds a package for (not a `codePath` app). */
export function servedApps(plan: ResourcePlan): PlannedResource[] {
  return plan.resources.filter(
    (r) =>
      r.type === 'functions' &&
      r.config['runtime'] === 'node' &&
      r.config['codePath'] === undefined,
  );
}

/** Where each declared secret's local value came from, over every app (dev/secrets.ts). */
export interface SecretReport {
  fromEnvironment: string[];
  fromFile: string[];
  missing: string[];
  exposedMode?: number;
}

/** One app ready for its worker: its settings and its unpacked package. */
export interface PreparedApp {
  readonly app: PlannedResource;
  readonly entities: RuntimeEntity[];
  readonly settings: Record<string, string>;
  readonly wwwroot: string;
}

/** What {@link prepareApp} needs of the session. */
export interface AppContext {
  readonly plan: ResourcePlan;
  readonly config: NormalizedConfig;
  readonly user: DevUser;
  readonly storage: DevStorage;
  /** dev's loopback Web PubSub hub (cli/dev/realtime/hub.ts), when an app has a realtime CrudApi. */
  readonly realtimeHub?: { readonly endpoint: string; readonly key: string } | undefined;
  /** The session's working folder: packages are unpacked under it. */
  readonly work: string;
  /** Counts the reloads: each unpacks into a folder of its own, the running workers keep theirs. */
  readonly generation: number;
  readonly progress: (step: string) => void;
  /** Collects the secrets' sources over the apps. */
  readonly secrets: SecretReport;
  /** Collects the handler modules (to watch). */
  readonly handlers: string[];
  /** Collects the packages dev built itself (removed at stop). */
  readonly built: Set<string>;
  /** Variables read as if exported, over the environment (DevOptions.env): the secrets' local values first. */
  readonly env?: Readonly<Record<string, string>>;
}

/**
 * Everything one app needs before its worker starts, as in Azure: its settings pointing at the local services,
 * each declared secret's local value, its containers and queues created, and its package built exactly as apply
 * builds it (with source maps) and unpacked. Undefined when the app has no package to serve.
 *
 * @example
 * ```ts
 * for (const app of servedApps(plan)) ready.push(await prepareApp(app, context));
 * ```
 */
export async function prepareApp(
  app: PlannedResource,
  c: AppContext,
): Promise<PreparedApp | undefined> {
  const { cosmos, blobs, queues } = c.storage;
  const entities = entitiesOf(app);
  const settings = devAppSettings(
    app,
    c.plan,
    entities,
    cosmos?.endpoint ?? '',
    c.config,
    c.user,
    blobs?.endpoint ?? '',
    blobs?.browserOrigin,
    c.realtimeHub,
  );
  // Key Vault references have no local meaning: each declared secret's local value, or none (cli/dev/host/secrets.ts).
  const local = localSecretValues(settings, { ...process.env, ...c.env }, process.cwd());
  for (const k of ['fromEnvironment', 'fromFile', 'missing'] as const)
    for (const n of local[k]) if (!c.secrets[k].includes(n)) c.secrets[k].push(n);
  if (local.exposedMode !== undefined) c.secrets.exposedMode = local.exposedMode;
  // The names come from the manifest's own settings, which devAppSettings() has just written.
  const named = (name: string): string => settings[name] ?? '';
  for (const e of entities)
    await cosmos?.create(
      named(e.settings.database),
      named(e.settings.container),
      e.partitionKey,
      e,
    );
  // The tenant registry the runtime reads (auth.allowedTenants: 'registry'), as the plan adds it to the account.
  if (hasTenantRegistry(c.config) && entities.length > 0) {
    await cosmos?.create(
      TENANT_REGISTRY.database,
      TENANT_REGISTRY.container,
      TENANT_REGISTRY.partitionKey,
    );
    await cosmos?.create(USAGE_LEDGER.database, USAGE_LEDGER.container, USAGE_LEDGER.partitionKey);
    // Tenants by membership: who belongs to which organization (resources/cosmos/tenant-registry.ts).
    if (c.config.tenants?.membership) {
      await cosmos?.create(MEMBERS.database, MEMBERS.container, MEMBERS.partitionKey);
      await cosmos?.create(AUDIT_LOG.database, AUDIT_LOG.container, AUDIT_LOG.partitionKey);
    }
  }
  for (const f of storesOf(app)) await blobs?.container(named(f.settings.container));
  if (queues) {
    Object.assign(settings, devQueueSettings(app, queues.endpoint));
    for (const q of Object.keys(declaredQueuesOf(app))) await queues.queue(q);
  }
  const functions = mergedConfigOf('functions', app).hostedFunctions ?? [];
  for (const f of functions) if (f.handler) c.handlers.push(resolve(splitHandler(f.handler).file));
  c.progress(
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
  if (!file) return undefined;
  // Dev's own packages (atakora-dev-*) are removed at stop; the prebuilt runtime zip never is.
  if (basename(file).startsWith('atakora-dev-')) c.built.add(file);
  const wwwroot = join(c.work, `${app.name}-${String(c.generation)}`);
  unzipTo(readFileSync(file), wwwroot);
  return { app, entities, settings, wwwroot };
}
