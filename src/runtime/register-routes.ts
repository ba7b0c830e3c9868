import type { Container } from '@azure/cosmos';
import { type BillingDeps, registerBillingTimer } from './billing/billing-timer.js';
import type {
  HttpFunctionOptions,
  StorageQueueFunctionOptions,
  TimerFunctionOptions,
} from '@azure/functions';
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
  REALTIME_EVENTS_FUNCTION,
  REALTIME_EVENTS_ROUTE,
  REALTIME_NEGOTIATE_FUNCTION,
  TENANT_FUNCTION,
  TENANT_ROUTE,
  REALTIME_NEGOTIATE_ROUTE,
  ROUTE_METHODS,
  RUNTIME_ROUTES,
  type RouteMethod,
  type RuntimeRoute,
} from '../contract/routes.js';
import type { ChangeHandler } from './events/change-dispatch.js';
import type { ItemMigration } from './data/context.js';
import { type CrudHandlerOptions, createCrudHandlers } from './crud/handlers.js';
import { createOpenApiHandler } from './openapi-route.js';
import { createHealthHandler, type HealthTarget } from './health.js';
import type { RuntimeLogger } from './http/log.js';
import { childrenHandler, childrenRoutes } from './relations/children.js';
import type { CrudPeer, RelationPeers } from './relations/peers.js';
import { entityRealtime } from './realtime/events.js';
import { negotiateEndpoint } from './realtime/negotiate.js';
import type { CallerView } from './pipeline/context.js';
import { jobCallerAs, serve } from './pipeline/serve.js';
import { bindTenantRegistry, cosmosRegistryStore } from './tenants/registry-binding.js';
import { UsageMeter, type UsageMeterOptions } from './usage/usage-meter.js';
import { bindUsageMeter } from './usage/usage-binding.js';
import { cosmosUsageStore, type UsageStore } from './usage/usage-store.js';
import { createTenantHandler } from './tenants/tenant-route.js';
import { createTenantsHandlers } from './tenants/tenants-route.js';
import { cosmosRegistryAdmin, type RegistryAdminStore } from './tenants/registry-admin-store.js';
import { TENANTS_FUNCTIONS, TENANTS_ROUTE } from '../contract/tenants.js';
import type { RegistryCacheOptions, RegistryStore } from './tenants/registry-cache.js';
import type { MemberStore } from './members/member-store.js';
import { wireMembership } from './members/membership-wiring.js';
import { boundMembers } from './members/members-binding.js';
import { Publisher, type TenantGate } from './realtime/publisher.js';
import type { RealtimeService } from './realtime/service.js';
import { type ConnectionLedger, cosmosConnectionLedger } from './realtime/connection-ledger.js';
import type { NegotiateBounds } from './realtime/negotiate.js';
import { serviceEventsEndpoint } from './realtime/service-events.js';
import type { ServiceEventsAuth } from './realtime/service-events-auth.js';
import { suspendedSocketsOf } from './realtime/suspension-wiring.js';
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
import type { InProcessRoutes } from './in-process/routes.js';
import { registerMcpServer, withInProcess } from './mcp/mcp-route.js';

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
  /** Needed only for the billing timer (`tenants.billing`; `@azure/functions`' `app` has it). */
  timer?(name: string, options: TimerFunctionOptions): void;
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
   * With `caller.registry`: the registry cache's bounds (default ≤ 1,000 directories, each read ≤ 30 s old) and its
   * store; omitted store → the registry container through the first entity's client (its identity).
   */
  readonly tenantRegistry?: RegistryCacheOptions & {
    readonly store?: RegistryStore;
    /** The TenantAdmin API's store; omitted → the registry container, as for `store`. */
    readonly admin?: RegistryAdminStore;
  };
  /**
   * With `caller.registry`: the usage meter's instance id, clock and intervals, and its store; omitted store → the
   * registry's `usage` container through the first entity's client (runtime/usage/usage-meter.ts).
   */
  readonly usageLedger?: UsageMeterOptions & { readonly store?: UsageStore };
  /** With tenants by membership: the members store (omitted → the registry's `members` container). */
  readonly members?: { readonly store?: MemberStore };
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
  readonly realtime?: {
    readonly service: RealtimeService;
    readonly publisher?: Publisher;
    /**
     * With a tenant registry: who may post the hub's connection events (service-events-auth.ts) and the service's
     * host (the abuse-protection answer); absent → no events route, and no connection is ever counted.
     */
    readonly events?: { readonly auth: ServiceEventsAuth; readonly serviceHost: string };
    /** Where live connections are kept; omitted → the registry's usage container through the first entity's client. */
    readonly ledger?: ConnectionLedger;
    /**
     * With a tenant registry: how often suspended tenants' sockets are swept (realtime/suspension-wiring.ts), and a
     * signal that stops the sweep (a host's or a test's graceful stop).
     */
    readonly suspension?: { readonly sweepEveryMs?: number; readonly signal?: AbortSignal };
  };
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
  /** With `tenants.billing`: the billing timer's settings (the key's), sender and clock (runtime/billing). */
  readonly billing?: BillingDeps;
  /**
   * The runtime's in-process entry (runtime/in-process/routes.ts), filled with each CrudApi's registered handlers:
   * what `dataOf(request)` and the MCP server call. Omitted → one of its own when the manifest has `mcp`.
   */
  readonly inProcess?: InProcessRoutes;
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
  const add = (
    name: string,
    options: HttpFunctionOptions & { route: string; methods: readonly RouteMethod[] },
  ) => {
    app.http(name, { ...options, methods: [...options.methods] });
    registered.push({ name, route: options.route, methods: [...options.methods] });
  };
  bindRegistry(manifest, deps);
  const wiring = relationWiring(deps);
  const bounds = connectionBounds(manifest, deps);
  const suspended = suspendedSocketsOf(manifest, deps);
  const addRoute = (name: string, route: string, handler: HttpFunctionOptions['handler']) => {
    add(name, { route, methods: [...ROUTE_METHODS], authLevel, handler });
  };
  const routed = withInProcess(manifest, deps);
  const targets = registerEntities(manifest, routed, wiring, suspended, addRoute);
  registerMcpServer(manifest, routed, addRoute);
  registerFileStores(manifest, deps, wiring, addRoute);
  const negotiate = negotiateRoute(manifest, deps, bounds);
  const events = eventsRoute(manifest, deps, bounds);
  if (events) {
    // OPTIONS too: the service's abuse-protection handshake (Learn, reference-cloud-events, "Webhook validation").
    app.http(REALTIME_EVENTS_FUNCTION, {
      route: REALTIME_EVENTS_ROUTE,
      methods: ['POST', 'OPTIONS'],
      authLevel,
      handler: events,
    });
    registered.push({
      name: REALTIME_EVENTS_FUNCTION,
      route: REALTIME_EVENTS_ROUTE,
      methods: ['POST'],
    });
  }
  if (negotiate)
    add(REALTIME_NEGOTIATE_FUNCTION, {
      route: REALTIME_NEGOTIATE_ROUTE,
      methods: [...ROUTE_METHODS],
      authLevel,
      handler: negotiate,
    });
  // The caller's own tenant record, where a registry admits callers (runtime/tenants/tenant-route.ts).
  if (deps.caller?.registry)
    add(TENANT_FUNCTION, {
      route: TENANT_ROUTE,
      methods: [...ROUTE_METHODS],
      authLevel,
      handler: createTenantHandler(deps.caller),
    });
  const admin = registryAdmin(manifest, deps);
  // Tenants by membership: the members store bound for every route's membership stage, and its routes.
  const members = membershipOf(manifest, deps, admin);
  for (const f of members?.functions ?? [])
    add(f.name, { route: f.route, methods: [...ROUTE_METHODS], authLevel, handler: f.handler });
  // The TenantAdmin API (home directory's TenantAdmin role), where a registry admits callers.
  if (deps.caller?.registry && admin) {
    const handlers = createTenantsHandlers(
      deps.caller,
      { store: admin, registry: deps.caller.registry },
      members?.api,
    );
    add(TENANTS_FUNCTIONS.collection, {
      route: TENANTS_ROUTE,
      methods: [...ROUTE_METHODS],
      authLevel,
      handler: handlers.collection,
    });
    add(TENANTS_FUNCTIONS.item, {
      route: `${TENANTS_ROUTE}/{id}`,
      methods: [...ROUTE_METHODS],
      authLevel,
      handler: handlers.item,
    });
  }
  registerCascadeTrigger(app, deps, wiring.runJob);
  registerBillingTimer(app, manifest, deps);
  // Signed in like the CRUD routes; registered before health, which stays the last route.
  // The runtime's own routes, as the contract lists them (the planner checks user routes against that list).
  const health = createHealthHandler(
    deps.healthTargets ?? targets,
    deps.logger ? { logger: deps.logger } : {},
  );
  const own: Record<RuntimeRoute['name'], Pick<HttpFunctionOptions, 'authLevel' | 'handler'>> = {
    openapi: { authLevel, handler: createOpenApiHandler(manifest, deps.caller) },
    health: { authLevel: 'anonymous', handler: health },
  };
  for (const r of RUNTIME_ROUTES) {
    const { authLevel: level, handler } = own[r.name];
    add(r.name, { route: r.route, methods: [...r.methods], authLevel: level, handler });
  }
  return registered;
}

/**
 * Bind the tenant registry every route's registry stage reads (`auth.allowedTenants: 'registry'`): its container
 * in the default account, through the first entity's client — the identity the runtime reads that account with,
 * which holds a data role on the registry (resources/cosmos/tenant-registry.ts grants every component readwrite).
 */
function bindRegistry(manifest: RuntimeManifest, deps: RegisterDeps): void {
  const reg = deps.caller?.registry;
  if (!reg || reg.database === '') return;
  const first = manifest.entities[0];
  const store =
    deps.tenantRegistry?.store ??
    (first
      ? cosmosRegistryStore(
          deps.containerFor(first).database.client.database(reg.database).container(reg.container),
          deps.cosmos,
        )
      : undefined);
  if (store) bindTenantRegistry(reg, store, deps.tenantRegistry ?? {});
  // The usage ledger beside the registry: every request of the backend counted, the plans' limits enforced.
  const ledger =
    deps.usageLedger?.store ??
    (first && reg.usage
      ? cosmosUsageStore(
          deps.containerFor(first).database.client.database(reg.database).container(reg.usage),
          deps.cosmos,
        )
      : undefined);
  if (ledger) bindUsageMeter(reg, new UsageMeter(ledger, deps.usageLedger ?? {}));
}

/** The registry container as the TenantAdmin API writes it (the registry stage's identity), when there is one. */
function registryAdmin(
  manifest: RuntimeManifest,
  deps: RegisterDeps,
): RegistryAdminStore | undefined {
  const reg = deps.caller?.registry;
  if (!reg || reg.database === '') return undefined;
  if (deps.tenantRegistry?.admin) return deps.tenantRegistry.admin;
  const first = manifest.entities[0];
  return first
    ? cosmosRegistryAdmin(
        deps.containerFor(first).database.client.database(reg.database).container(reg.container),
        deps.cosmos,
      )
    : undefined;
}

/**
 * Tenants by membership (`registry.membership`): the members container beside the registry, through the first
 * entity's client (the identity that reads the registry holds a data role on it: resources/cosmos/tenant-registry.ts),
 * its cache bounded like the registry's; the realtime service closes a removed member's connections.
 */
function membershipOf(
  manifest: RuntimeManifest,
  deps: RegisterDeps,
  admin: RegistryAdminStore | undefined,
): ReturnType<typeof wireMembership> {
  const reg = deps.caller?.registry;
  const first = manifest.entities[0];
  if (!deps.caller || !reg?.membership || reg.database === '' || !admin) return undefined;
  const store = deps.members?.store;
  const container =
    store || !first
      ? undefined
      : deps
          .containerFor(first)
          .database.client.database(reg.database)
          .container(reg.membership.container);
  const bounds = deps.tenantRegistry;
  return wireMembership({
    policy: deps.caller,
    registry: reg,
    admin,
    ...(store ? { store } : {}),
    ...(container ? { container } : {}),
    ...(deps.cosmos ? { cosmos: deps.cosmos } : {}),
    cache: {
      ...(bounds?.maxAgeMs !== undefined ? { maxAgeMs: bounds.maxAgeMs } : {}),
      ...(bounds?.now ? { now: bounds.now } : {}),
    },
    ...(deps.realtime ? { realtime: deps.realtime.service } : {}),
  });
}

/** What relations read of the other components (filled as they are built), and the app's cascade queue. */
interface RelationWiring {
  readonly crudPeers: Map<string, CrudPeer>;
  readonly filePeers: Map<string, ReturnType<RelationPeers['file']>>;
  readonly peers: RelationPeers;
  readonly cascadeQueue: CascadeQueue;
  readonly cascadePolicy: CascadePolicy;
  readonly runJob: (job: CascadeJob) => Promise<void>;
}

/** One queue and one job runner for the app's background cascades (relations/cascade-delete.ts). */
function relationWiring(deps: RegisterDeps): RelationWiring {
  const crudPeers = new Map<string, CrudPeer>();
  const filePeers = new Map<string, ReturnType<RelationPeers['file']>>();
  const peers: RelationPeers = {
    crud: (id) => crudPeers.get(id),
    file: (id) => filePeers.get(id),
  };
  const cascadeQueue = deps.cascadeQueue ?? inProcessQueue();
  const cascadePolicy: CascadePolicy = { ...DEFAULT_CASCADE_POLICY, ...deps.cascadePolicy };
  const callerAs = jobCallerAs(deps.caller);
  const runJob = (job: CascadeJob) =>
    runCascadeJob(job, { peers, queue: cascadeQueue, policy: cascadePolicy, callerAs });
  cascadeQueue.attach?.(runJob);
  return { crudPeers, filePeers, peers, cascadeQueue, cascadePolicy, runJob };
}

type AddRoute = (name: string, route: string, handler: HttpFunctionOptions['handler']) => void;

/** Each entity's collection, item and children routes; returns the distinct containers health reads. */
function registerEntities(
  manifest: RuntimeManifest,
  deps: RegisterDeps,
  wiring: RelationWiring,
  suspended: TenantGate | undefined,
  add: AddRoute,
): HealthTarget[] {
  const fed = fedContainers(manifest, deps);
  const publisher = realtimePublisher(manifest, deps, suspended);
  // Distinct per client (one client per account and identity), then per database/container: the container
  // objects `containerFor` returns need not be the same object for the same container.
  const seen = new Map<Container['database']['client'], Set<string>>();
  const targets: HealthTarget[] = [];
  for (const entity of manifest.entities) {
    const container = deps.containerFor(entity);
    const name = `${container.database.id}/${container.id}`;
    let names = seen.get(container.database.client);
    if (!names) seen.set(container.database.client, (names = new Set()));
    if (!names.has(name)) {
      names.add(name);
      targets.push({ name, container });
    }
    const handlers = createCrudHandlers(entity, container, {
      ...crudOptions(entity, deps, wiring),
      ...(fed.has(name) ? { stampChanges: true } : {}),
      ...(publisher && entity.realtime
        ? { realtime: entityRealtime(entity, publisher, deps.caller) }
        : {}),
    });
    wiring.crudPeers.set(entity.componentId, handlers.peer);
    add(
      functionName(entity, 'collection'),
      crudRoute(entity.route, 'collection'),
      handlers.collection,
    );
    add(functionName(entity, 'item'), crudRoute(entity.route, 'item'), handlers.item);
    // Each hasMany relation's children route (runtime/relations/children.ts).
    const children = new Map<string, HttpFunctionOptions['handler']>();
    for (const c of childrenRoutes(entity)) {
      const handler = childrenHandler(entity, c.relation, () => wiring.peers, {
        ...(deps.caller ? { caller: deps.caller } : {}),
        ...(deps.logger ? { logger: deps.logger } : {}),
      });
      children.set(c.relation.name, handler);
      add(c.name, c.route, handler);
    }
    deps.inProcess?.addEntity(entity, handlers, children);
  }
  return targets;
}

/** The options every entity's handlers share, and its own change handler and migrations. */
function crudOptions(
  entity: RuntimeEntity,
  deps: RegisterDeps,
  wiring: RelationWiring,
): CrudHandlerOptions {
  return {
    ...(deps.logger ? { logger: deps.logger } : {}),
    ...(deps.cosmos ? { cosmos: deps.cosmos } : {}),
    ...(deps.caller ? { caller: deps.caller } : {}),
    ...(deps.changeHandlers?.[entity.componentId]
      ? { onChange: deps.changeHandlers[entity.componentId]! }
      : {}),
    peers: () => wiring.peers,
    cascade: { queue: wiring.cascadeQueue, policy: wiring.cascadePolicy },
    ...(deps.migrations?.[entity.componentId]
      ? { migrations: deps.migrations[entity.componentId]! }
      : {}),
  };
}

/**
 * The containers a change feed trigger reads, by database and name (a stamp on a namesake of another account
 * would only be an unread hidden field).
 */
function fedContainers(manifest: RuntimeManifest, deps: RegisterDeps): Set<string> {
  const fed = new Set<string>();
  for (const entity of manifest.entities) {
    if (!deps.changeFeed?.includes(entity.componentId)) continue;
    const c = deps.containerFor(entity);
    fed.add(`${c.database.id}/${c.id}`);
  }
  return fed;
}

/** Realtime entities publish through one queue (runtime/realtime/publisher.ts) to the backend's hub. */
function realtimePublisher(
  manifest: RuntimeManifest,
  deps: RegisterDeps,
  suspended: TenantGate | undefined,
): Publisher | undefined {
  const realtimeEntities = manifest.realtime ? manifest.entities.filter((e) => e.realtime) : [];
  if (realtimeEntities.length > 0 && !deps.realtime)
    throw new AtakoraError(
      'RUNTIME_CONFIG_INVALID',
      `Realtime entities (${realtimeEntities.map((e) => e.componentId).join(', ')}) have no Web PubSub service ` +
        '(RegisterDeps.realtime).',
    );
  if (realtimeEntities.length === 0 || !deps.realtime) return undefined;
  const publisher = deps.realtime.publisher ?? new Publisher(deps.realtime.service);
  // A suspended tenant hears nothing more (realtime/suspended-sockets.ts).
  if (suspended) publisher.gateTenants(suspended);
  return publisher;
}

/**
 * The registry and the ledger of live connections, where a tenant registry and realtime entities exist: the
 * ledger is the registry's usage container (`auth.registry.usage`), through the first entity's client.
 */
function connectionBounds(
  manifest: RuntimeManifest,
  deps: RegisterDeps,
): NegotiateBounds | undefined {
  const reg = deps.caller?.registry;
  const first = manifest.entities[0];
  if (!reg || reg.database === '' || !manifest.realtime || !deps.realtime || !first)
    return undefined;
  if (!manifest.entities.some((e) => e.realtime)) return undefined;
  const ledger =
    deps.realtime.ledger ??
    cosmosConnectionLedger(
      deps.containerFor(first).database.client.database(reg.database).container(reg.usage),
      deps.cosmos,
    );
  return { registry: reg, ledger };
}

/** The hub's event handler route: live connections recorded, over-bound connects refused (service-events.ts). */
function eventsRoute(
  manifest: RuntimeManifest,
  deps: RegisterDeps,
  bounds: NegotiateBounds | undefined,
): HttpFunctionOptions['handler'] | undefined {
  const events = deps.realtime?.events;
  if (!bounds || !events || !manifest.realtime) return undefined;
  return serve(
    serviceEventsEndpoint({
      hub: manifest.realtime.hub,
      ledger: bounds.ledger,
      registry: bounds.registry,
      policy: deps.caller,
      auth: events.auth,
      serviceHost: events.serviceHost,
      // Tenants by membership: a removed member's old token opens no socket (members/members-binding.ts).
      ...(bounds.registry.membership
        ? {
            isMember: async (tenant: string, user: string) =>
              (await boundMembers(bounds.registry)?.cache.membership(tenant, user)) !== undefined,
          }
        : {}),
    }),
    // Its span is the realtime component's (DESIGN §2 names no operation of its own for it).
    {
      trace: { route: REALTIME_EVENTS_ROUTE, component: 'realtime', operationOf: () => 'handler' },
    },
  );
}

/** Each FileStore's three routes; every method on each, so the others answer 405 rather than the host's 404. */
function registerFileStores(
  manifest: RuntimeManifest,
  deps: RegisterDeps,
  wiring: RelationWiring,
  add: AddRoute,
): void {
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
    wiring.filePeers.set(store.componentId, handlers.readFile);
    const paths = fileRoutes(store.route);
    add(`${store.componentId}-files`, paths.collection, handlers.collection);
    add(`${store.componentId}-file`, paths.item, handlers.item);
    add(`${store.componentId}-complete`, paths.complete, handlers.complete);
  }
}

/** The negotiate route of an app with realtime entities: one server span per negotiation, never the token. */
function negotiateRoute(
  manifest: RuntimeManifest,
  deps: RegisterDeps,
  bounds: NegotiateBounds | undefined,
): HttpFunctionOptions['handler'] | undefined {
  const realtimeEntities = manifest.realtime ? manifest.entities.filter((e) => e.realtime) : [];
  if (realtimeEntities.length === 0 || !deps.realtime) return undefined;
  return serve(
    negotiateEndpoint(realtimeEntities, deps.realtime.service, deps.caller, Date.now, bounds),
    {
      trace: {
        route: REALTIME_NEGOTIATE_ROUTE,
        component: 'realtime',
        operationOf: () => 'negotiate',
        ...(deps.caller ? { caller: (view: CallerView) => view.tracedFunction() } : {}),
      },
    },
  );
}

/** The queue trigger running background cascades (Azure); a message that is no job is dropped. */
function registerCascadeTrigger(
  app: FunctionRegistrar,
  deps: RegisterDeps,
  runJob: (job: CascadeJob) => Promise<void>,
): void {
  if (!deps.cascadeTrigger) return;
  if (!app.storageQueue)
    throw new AtakoraError(
      'RUNTIME_CONFIG_INVALID',
      'The registrar cannot register the background cascade trigger (no storageQueue).',
    );
  // A run that throws is delivered again by the host.
  app.storageQueue(CASCADE_FUNCTION, {
    queueName: CASCADE_QUEUE_NAME,
    connection: deps.cascadeTrigger.connection,
    handler: async (message) => {
      const job = parseCascadeJob(message);
      if (job) await runJob(job);
    },
  });
}
