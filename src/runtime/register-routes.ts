import type { Container } from '@azure/cosmos';
import type { HttpFunctionOptions, StorageQueueFunctionOptions } from '@azure/functions';
import type {
  RuntimeAuth,
  RuntimeEntity,
  RuntimeFileStore,
  RuntimeManifest,
} from '../model/runtime-manifest.js';
import { AtakoraError } from '../model/errors.js';
import { fileRoutes } from '../contract/files.js';
import type { FileBlobs } from './files/blobs.js';
import { createFileHandlers } from './files/handlers.js';
import type { CosmosCallPolicy } from './data/cosmos-policy.js';
import {
  crudRoute,
  REALTIME_NEGOTIATE_FUNCTION,
  REALTIME_NEGOTIATE_ROUTE,
  ROUTE_METHODS,
  RUNTIME_ROUTES,
  type RouteMethod,
  type RuntimeRoute,
} from '../contract/routes.js';
import type { ChangeHandler } from './events/change-dispatch.js';
import type { ItemMigration } from './data/context.js';
import { createCrudHandlers } from './crud/handlers.js';
import { createOpenApiHandler } from './openapi-route.js';
import { createHealthHandler, type HealthTarget } from './health.js';
import type { RuntimeLogger } from './http/log.js';
import { childrenHandler, childrenRoutes } from './relations/children.js';
import type { CrudPeer, RelationPeers } from './relations/peers.js';
import { entityRealtime } from './realtime/events.js';
import { negotiateHandler } from './realtime/negotiate.js';
import { tracedFunctionCaller } from './access/traced-caller.js';
import { traceRequests } from './telemetry/request-span.js';
import { Publisher } from './realtime/publisher.js';
import type { RealtimeService } from './realtime/service.js';
import {
  CASCADE_QUEUE_NAME,
  type CascadeJob,
  type CascadeQueue,
  inProcessQueue,
  parseCascadeJob,
} from './relations/cascade-queue.js';
import {
  type CascadePolicy,
  DEFAULT_CASCADE_POLICY,
  runCascadeJob,
} from './relations/cascade-delete.js';

/** The function running background cascades from the app's queue. */
export const CASCADE_FUNCTION = 'atakora-cascades';

/**
 * The part of `@azure/functions`' `app` the runtime uses (so tests can capture registrations).
 *
 * @example
 * ```ts
 * const seen: string[] = [];
 * const fake: FunctionRegistrar = { http: (name) => { seen.push(name); } };
 * registerCrudRoutes(fake, manifest, { containerFor });
 * ```
 */
export interface FunctionRegistrar {
  http(name: string, options: HttpFunctionOptions): void;
  /** Needed only for `RegisterDeps.cascadeTrigger` (`@azure/functions`' `app` has it). */
  storageQueue?(name: string, options: StorageQueueFunctionOptions): void;
}

/**
 * Dependencies of {@link registerCrudRoutes}: where each entity's container comes from, and optional
 * logging, health targets and auth level.
 *
 * @example
 * ```ts
 * const deps: RegisterDeps = {
 *   containerFor: (e) => client.database('app').container(e.entityName.toLowerCase()),
 *   authLevel: 'function',
 * };
 * ```
 */
export interface RegisterDeps {
  containerFor(entity: RuntimeEntity): Container;
  /**
   * Containers `GET api/health` reads; omitted → the entities' distinct containers, each through the client
   * `containerFor` gave it (so with the identity that holds its data role).
   */
  readonly healthTargets?: readonly HealthTarget[];
  readonly logger?: RuntimeLogger;
  /**
   * Function-level auth of the CRUD routes. Default `'anonymous'`: the API is meant to sit behind the
   * platform's authentication (App Service auth / APIM), which function keys would only duplicate.
   */
  readonly authLevel?: 'anonymous' | 'function' | 'admin';
  /** Deadline of each Cosmos call (CRUD routes); defaults to `DEFAULT_COSMOS_POLICY`. */
  readonly cosmos?: CosmosCallPolicy;
  /** Who may call and where the tenant comes from (`callerPolicyOf(manifest)` in the deployed app). */
  readonly caller?: RuntimeAuth;
  /**
   * Each FileStore's container and SAS signer (`createFileBlobsResolver`); required when the
   * manifest has FileStores.
   */
  readonly blobsFor?: (store: RuntimeFileStore) => FileBlobs;
  /** Change handlers by CrudApi id, called by the runtime after each write (`atakora dev`'s delivery). */
  readonly changeHandlers?: Readonly<Record<string, ChangeHandler>>;
  /** Migrations per CrudApi (component id), by the version each produces. */
  readonly migrations?: Readonly<Record<string, Readonly<Record<number, ItemMigration>>>>;
  /**
   * CrudApi ids whose changes a change feed trigger delivers (in Azure): every entity writing to one of their
   * containers stamps its writes with the operation (runtime/events/change-feed.ts), whichever CrudApi it is.
   */
  readonly changeFeed?: readonly string[];
  /**
   * Where realtime entities publish and negotiate mints tokens (required when the manifest has `realtime`):
   * the Web PubSub service, and optionally the publisher that queues the sends (tests pass one to await it).
   */
  readonly realtime?: { readonly service: RealtimeService; readonly publisher?: Publisher };
  /**
   * The app's queue for cascades that outlast one request (relations/cascade-queue.ts); omitted → an in-process
   * queue. A queue with `attach` gets the job runner; the Storage queue of Azure is consumed by the trigger
   * `cascadeTrigger` registers instead.
   */
  readonly cascadeQueue?: CascadeQueue & { attach?(run: (job: CascadeJob) => Promise<void>): void };
  /** The budgets of a parent's delete (relations/cascade-delete.ts); omitted → the defaults. */
  readonly cascadePolicy?: Partial<CascadePolicy>;
  /** Register the queue trigger running background cascades, on this connection's queue service (Azure). */
  readonly cascadeTrigger?: { readonly connection: string };
}

/**
 * One registered function, as the host sees it (route without the `api/` prefix). Returned so a host can log
 * or test what it serves.
 *
 * @example
 * ```ts
 * import { app } from '@azure/functions';
 * for (const r of registerCrudRoutes(app, manifest, { containerFor }))
 *   console.log(r.name, r.route, r.methods.join(','));
 * // UserApi-collection users GET,POST,PUT,PATCH,DELETE
 * ```
 */
export interface RegisteredRoute {
  readonly name: string;
  readonly route: string;
  readonly methods: readonly RouteMethod[];
}

// The app-wide health route (anonymous, so the platform's probe reaches it) and the OpenAPI route are the
// CRUD contract's (src/contract/routes.ts).
export { HEALTH_ROUTE, OPENAPI_ROUTE } from '../contract/routes.js';

function functionName(entity: RuntimeEntity, suffix: string): string {
  return `${entity.componentId}-${suffix}`;
}

/**
 * Register every entity's routes (`<route>` and `<route>/{id}`, all five methods so that disabled
 * operations answer 405 rather than the host's 404) plus `health` and `openapi.json`. Returns what was registered.
 *
 * @example
 * ```ts
 * import { app } from '@azure/functions';
 * registerCrudRoutes(app, manifest, {
 *   containerFor: (e) => client.database('app').container(e.entityName),
 * });
 * // → UserApi-collection: users [GET,POST,PUT,PATCH,DELETE], UserApi-item: users/{id} [...], health [GET], openapi: openapi.json [GET]
 * ```
 */
export function registerCrudRoutes(
  app: FunctionRegistrar,
  manifest: RuntimeManifest,
  deps: RegisterDeps,
): RegisteredRoute[] {
  const registered: RegisteredRoute[] = [];
  const authLevel = deps.authLevel ?? 'anonymous';
  // Distinct per client (one client per account and identity), then per database/container: the container
  // objects `containerFor` returns need not be the same object for the same container.
  const seen = new Map<Container['database']['client'], Set<string>>();
  const derivedTargets: HealthTarget[] = [];
  // The containers a change feed trigger reads, by database and name (a stamp on a namesake of another
  // account would only be an unread hidden field).
  const fed = new Set<string>();
  for (const entity of manifest.entities) {
    if (!deps.changeFeed?.includes(entity.componentId)) continue;
    const c = deps.containerFor(entity);
    fed.add(`${c.database.id}/${c.id}`);
  }

  // Realtime entities publish through one queue (runtime/realtime/publisher.ts) to the backend's hub.
  const realtimeEntities = manifest.realtime ? manifest.entities.filter((e) => e.realtime) : [];
  if (realtimeEntities.length > 0 && !deps.realtime)
    throw new AtakoraError(
      'RUNTIME_CONFIG_INVALID',
      `Realtime entities (${realtimeEntities.map((e) => e.componentId).join(', ')}) have no Web PubSub service ` +
        '(RegisterDeps.realtime).',
    );
  const publisher =
    realtimeEntities.length > 0 && deps.realtime
      ? (deps.realtime.publisher ?? new Publisher(deps.realtime.service))
      : undefined;

  // What relations read of the other components, filled below before any request can arrive.
  const crudPeers = new Map<string, CrudPeer>();
  const filePeers = new Map<string, ReturnType<RelationPeers['file']>>();
  const peers: RelationPeers = {
    crud: (id) => crudPeers.get(id),
    file: (id) => filePeers.get(id),
  };
  // One queue and one job runner for the app's background cascades (relations/cascade-delete.ts).
  const cascadeQueue = deps.cascadeQueue ?? inProcessQueue();
  const cascadePolicy: CascadePolicy = { ...DEFAULT_CASCADE_POLICY, ...deps.cascadePolicy };
  const runJob = (job: CascadeJob) =>
    runCascadeJob(job, { peers, queue: cascadeQueue, policy: cascadePolicy, caller: deps.caller });
  cascadeQueue.attach?.(runJob);
  for (const entity of manifest.entities) {
    const container = deps.containerFor(entity);
    const name = `${container.database.id}/${container.id}`;
    let names = seen.get(container.database.client);
    if (!names) seen.set(container.database.client, (names = new Set()));
    if (!names.has(name)) {
      names.add(name);
      derivedTargets.push({ name, container });
    }
    const handlers = createCrudHandlers(entity, container, {
      ...(deps.logger ? { logger: deps.logger } : {}),
      ...(deps.cosmos ? { cosmos: deps.cosmos } : {}),
      ...(deps.caller ? { caller: deps.caller } : {}),
      ...(deps.changeHandlers?.[entity.componentId]
        ? { onChange: deps.changeHandlers[entity.componentId]! }
        : {}),
      ...(fed.has(name) ? { stampChanges: true } : {}),
      peers: () => peers,
      cascade: { queue: cascadeQueue, policy: cascadePolicy },
      ...(deps.migrations?.[entity.componentId]
        ? { migrations: deps.migrations[entity.componentId]! }
        : {}),
      ...(publisher && entity.realtime
        ? { realtime: entityRealtime(entity, publisher, deps.caller) }
        : {}),
    });
    crudPeers.set(entity.componentId, handlers.peer);
    const routes = [
      {
        name: functionName(entity, 'collection'),
        route: crudRoute(entity.route, 'collection'),
        handler: handlers.collection,
      },
      {
        name: functionName(entity, 'item'),
        route: crudRoute(entity.route, 'item'),
        handler: handlers.item,
      },
      // Each hasMany relation's children route (runtime/relations/children.ts).
      ...childrenRoutes(entity).map((c) => ({
        name: c.name,
        route: c.route,
        handler: childrenHandler(entity, c.relation, () => peers, {
          ...(deps.caller ? { caller: deps.caller } : {}),
          ...(deps.logger ? { logger: deps.logger } : {}),
        }),
      })),
    ];
    for (const r of routes) {
      app.http(r.name, {
        route: r.route,
        methods: [...ROUTE_METHODS],
        authLevel,
        handler: r.handler,
      });
      registered.push({ name: r.name, route: r.route, methods: [...ROUTE_METHODS] });
    }
  }

  for (const store of manifest.fileStores ?? []) {
    if (!deps.blobsFor)
      throw new AtakoraError(
        'RUNTIME_CONFIG_INVALID',
        `FileStore ${store.componentId} has no blob container (RegisterDeps.blobsFor).`,
      );
    const handlers = createFileHandlers(store, deps.blobsFor(store), {
      ...(deps.logger ? { logger: deps.logger } : {}),
      ...(deps.caller ? { caller: deps.caller } : {}),
      ...(deps.cosmos ? { timeoutMs: deps.cosmos.timeoutMs } : {}),
    });
    filePeers.set(store.componentId, handlers.readFile);
    const paths = fileRoutes(store.route);
    // Every method on each route, so the others answer 405 rather than the host's 404 (as CRUD routes do).
    for (const r of [
      { name: `${store.componentId}-files`, route: paths.collection, handler: handlers.collection },
      { name: `${store.componentId}-file`, route: paths.item, handler: handlers.item },
      { name: `${store.componentId}-complete`, route: paths.complete, handler: handlers.complete },
    ]) {
      app.http(r.name, {
        route: r.route,
        methods: [...ROUTE_METHODS],
        authLevel,
        handler: r.handler,
      });
      registered.push({ name: r.name, route: r.route, methods: [...ROUTE_METHODS] });
    }
  }

  if (realtimeEntities.length > 0 && deps.realtime) {
    app.http(REALTIME_NEGOTIATE_FUNCTION, {
      route: REALTIME_NEGOTIATE_ROUTE,
      methods: [...ROUTE_METHODS],
      authLevel,
      // One server span per negotiation (runtime/telemetry/request-span.ts): the caller, never the token minted.
      handler: traceRequests(
        {
          route: REALTIME_NEGOTIATE_ROUTE,
          component: 'realtime',
          operationOf: () => 'negotiate',
          ...(deps.caller ? { callerOf: tracedFunctionCaller(deps.caller) } : {}),
        },
        negotiateHandler(realtimeEntities, deps.realtime.service, deps.caller),
      ),
    });
    registered.push({
      name: REALTIME_NEGOTIATE_FUNCTION,
      route: REALTIME_NEGOTIATE_ROUTE,
      methods: [...ROUTE_METHODS],
    });
  }

  if (deps.cascadeTrigger) {
    if (!app.storageQueue)
      throw new AtakoraError(
        'RUNTIME_CONFIG_INVALID',
        'The registrar cannot register the background cascade trigger (no storageQueue).',
      );
    // A message that is no job is dropped (it can do nothing); a run that throws is delivered again by the host.
    app.storageQueue(CASCADE_FUNCTION, {
      queueName: CASCADE_QUEUE_NAME,
      connection: deps.cascadeTrigger.connection,
      handler: async (message) => {
        const job = parseCascadeJob(message);
        if (job) await runJob(job);
      },
    });
  }

  // Signed in like the CRUD routes; registered before health, which stays the last route.
  // The runtime's own routes, as the contract lists them (the planner checks user routes against that list).
  const health = createHealthHandler(
    deps.healthTargets ?? derivedTargets,
    deps.logger ? { logger: deps.logger } : {},
  );
  const own: Record<RuntimeRoute['name'], Pick<HttpFunctionOptions, 'authLevel' | 'handler'>> = {
    openapi: { authLevel, handler: createOpenApiHandler(manifest, deps.caller) },
    health: { authLevel: 'anonymous', handler: health },
  };
  for (const r of RUNTIME_ROUTES) {
    const { authLevel: level, handler } = own[r.name];
    app.http(r.name, { route: r.route, methods: [...r.methods], authLevel: level, handler });
    registered.push({ name: r.name, route: r.route, methods: [...r.methods] });
  }
  return registered;
}
