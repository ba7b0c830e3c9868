import type { Context } from '@opentelemetry/api';
import { randomUUID } from 'node:crypto';
import type { Container } from '@azure/cosmos';
import type { HttpHandler, HttpRequest, HttpResponseInit } from '@azure/functions';
import type { CrudOperation, RuntimeEntity } from '../../model/runtime-manifest.js';
import {
  type ChangeEvent,
  type ChangeHandler,
  dispatchChangeIn,
} from '../events/change-dispatch.js';
import { createItem, listItems } from './collection-operations.js';
import { type CosmosCallPolicy, DEFAULT_COSMOS_POLICY } from '../data/cosmos-policy.js';
import type { CrudContext, ItemMigration } from '../data/context.js';
import { hidesOwners, withoutOthersOwners, withoutOwnerField } from '../access/owner-privacy.js';
import { methodNotAllowed, problemResponse } from '../http/response.js';
import { deleteItem, readItem, replaceItem } from './item-operations.js';
import { mergeItem } from './merge-operation.js';
import { KeyedQueue } from '../data/keyed-queue.js';
import { DEFAULT_MERGE_RETRY, type MergeRetryPolicy } from '../data/merge-retry.js';
import { partitionField } from '../values/partition.js';
import { ReadCache, type ReadCacheLimits } from '../data/read-cache.js';
import { contextLogger, type RuntimeLogger } from '../http/log.js';
import { crudOperations, operationIn } from '../telemetry/route-operations.js';
import type { RuntimeAuth } from '../../model/runtime-manifest.js';
import type { AfterStep, CallerView, Endpoint, Resolution } from '../pipeline/context.js';
import { jobCallerAs, runAs, serve } from '../pipeline/serve.js';
import { checkId } from '../http/schema-validator.js';
import type { Tenant } from '../values/tenancy.js';
import { entityRelations } from '../relations/entity-relations.js';
import { crudPeer } from '../relations/crud-peer.js';
import { expandOne } from '../relations/expand-one.js';
import type { ListWithin } from '../relations/list-hooks.js';
import { NO_PEERS, type CrudPeer, type RelationPeers } from '../relations/peers.js';
import type { CascadeOptions } from '../relations/entity-relations.js';
import { DEFAULT_CASCADE_POLICY, runCascadeJob } from '../relations/cascade-delete.js';
import { type CascadeQueue, inProcessQueue } from '../relations/cascade-queue.js';
import type { EntityRealtime } from '../realtime/events.js';
import { requestTrace, tracedPolicy } from '../telemetry/request-trace.js';
import {
  CRUD_METHODS,
  crudRoute,
  ROUTE_METHODS,
  type CrudAction,
  type CrudRouteKind,
  type RouteMethod,
} from '../../contract/routes.js';

export { ROUTE_METHODS, type RouteMethod } from '../../contract/routes.js';

type Operation = (
  ctx: CrudContext,
  request: HttpRequest,
  tenant: Tenant | undefined,
) => Promise<HttpResponseInit>;
type ItemOperation = (
  ctx: CrudContext,
  request: HttpRequest,
  id: string,
  tenant: Tenant | undefined,
) => Promise<HttpResponseInit>;
type Entry<R> = { op: CrudOperation; name: string; run: R; change?: ChangeEvent['operation'] };

// What runs each row of the contract's method table (src/contract/routes.ts), and its name in the logs.
const RUN: {
  readonly [A in CrudAction]: {
    name: string;
    run: A extends 'list' | 'create' ? Operation : ItemOperation;
  };
} = {
  list: { name: 'list', run: listItems },
  create: { name: 'create', run: createItem },
  get: { name: 'read', run: readItem },
  replace: { name: 'replace', run: replaceItem },
  update: { name: 'merge', run: mergeItem },
  delete: { name: 'delete', run: deleteItem },
};

function tableOf<R>(kind: CrudRouteKind): Readonly<Partial<Record<RouteMethod, Entry<R>>>> {
  const table: Partial<Record<RouteMethod, Entry<R>>> = {};
  for (const m of CRUD_METHODS) {
    if (m.route !== kind) continue;
    const change = m.action === 'list' || m.action === 'get' ? {} : { change: m.action };
    table[m.method] = {
      op: m.operation,
      ...(RUN[m.action] as { name: string; run: R }),
      ...change,
    };
  }
  return table;
}

const COLLECTION = tableOf<Operation>('collection');
const ITEM = tableOf<ItemOperation>('item');

/**
 * Options of {@link createCrudHandlers}: the seams tests and custom hosts replace.
 *
 * @example
 * ```ts
 * const lines: RequestLogEntry[] = [];
 * let n = 0;
 * const handlers = createCrudHandlers(entity, container, {
 *   generateId: () => `test-${++n}`,
 *   logger: (entry) => lines.push(entry),
 * });
 * ```
 */
export interface CrudHandlerOptions {
  /** Defaults to JSON lines through `context.log` / `context.error`. */
  readonly logger?: RuntimeLogger;
  /** Defaults to `crypto.randomUUID`. */
  readonly generateId?: () => string;
  /** Deadline of each Cosmos call and the 503's `Retry-After`; defaults to {@link DEFAULT_COSMOS_POLICY}. */
  readonly cosmos?: CosmosCallPolicy;
  /** PATCH-without-If-Match retries; defaults to {@link DEFAULT_MERGE_RETRY}. */
  readonly mergeRetry?: MergeRetryPolicy;
  /** Bounds of the read cache (when the entity enables it); defaults to 16 MiB, 10,000 entries. */
  readonly cacheLimits?: ReadCacheLimits;
  /**
   * Authentication and tenant source (the deployed runtime passes the manifest's); omitted → tenant
   * from `x-tenant-id`.
   */
  readonly caller?: RuntimeAuth;
  /**
   * Called after each successful create, replace, update and delete (awaited; its failure is
   * logged, never the write's).
   */
  readonly onChange?: ChangeHandler;
  /**
   * Stamp each write with its operation in a hidden field (a change feed trigger reads this container:
   * runtime/events/change-feed.ts). Never visible to clients.
   */
  readonly stampChanges?: boolean;
  /**
   * The backend's other CrudApis and FileStores, for this entity's relations (registerCrudRoutes passes them);
   * omitted → relations find nothing (references refused, expansions null).
   */
  readonly peers?: () => RelationPeers;
  /** The entity's migrations by the version each produces (the package's migration modules). */
  readonly migrations?: Readonly<Record<number, ItemMigration>>;
  /**
   * Where a parent's delete hands children it cannot delete within its budget (registerCrudRoutes passes the app's
   * queue) and the budgets; omitted → an in-process queue of this entity's own and the default budgets.
   */
  readonly cascade?: Pick<CascadeOptions, 'queue' | 'policy'>;
  /** A realtime entity's publishing (runtime/realtime/events.ts): told of every acknowledged write. */
  readonly realtime?: EntityRealtime;
}

/**
 * The two HTTP handlers of one entity, one per route, each dispatching on the method, plus what each route
 * allows.
 *
 * @example
 * ```ts
 * import { app } from '@azure/functions';
 * const { collection, item, allowed } = createCrudHandlers(entity, container);
 * app.http('UserApi-collection', { route: 'users', methods: [...ROUTE_METHODS], handler: collection });
 * allowed.collection; // ['GET', 'POST'] with every operation enabled
 * ```
 */
export interface CrudHandlers {
  /** `api/<route>`: POST create, GET list. */
  readonly collection: HttpHandler;
  /** `api/<route>/{id}`: GET read, PUT replace, PATCH merge, DELETE. */
  readonly item: HttpHandler;
  /** Methods enabled by `entity.operations`, per route (what `Allow` lists). */
  readonly allowed: {
    readonly collection: readonly RouteMethod[];
    readonly item: readonly RouteMethod[];
  };
}

function allowedMethods(
  table: Readonly<Partial<Record<RouteMethod, { op: CrudOperation }>>>,
  ops: readonly CrudOperation[],
): RouteMethod[] {
  return ROUTE_METHODS.filter((m) => {
    const entry = table[m];
    return entry !== undefined && ops.includes(entry.op);
  });
}

function methodOf(request: HttpRequest): RouteMethod | undefined {
  const m = request.method.toUpperCase();
  return (ROUTE_METHODS as readonly string[]).includes(m) ? (m as RouteMethod) : undefined;
}

/**
 * Build the HTTP handlers of one entity over a Cosmos container. Pure wiring: no registration, no
 * environment — tests pass a container of a local Cosmos server, the entry passes the deployed one. Each route is
 * an endpoint of the request pipeline (runtime/pipeline): the caller, tenant and access are resolved there, once.
 *
 * @example
 * ```ts
 * import { app } from '@azure/functions';
 * const { collection, item } = createCrudHandlers(
 *   entity,
 *   client.database('app').container('users'),
 * );
 * app.http('UserApi-collection', {
 *   route: 'users',
 *   methods: [...ROUTE_METHODS],
 *   authLevel: 'anonymous',
 *   handler: collection,
 * });
 * ```
 */
export function createCrudHandlers(
  entity: RuntimeEntity,
  container: Container,
  options: CrudHandlerOptions = {},
): CrudHandlers & {
  /** What the other entities' relations read of this one (runtime/relations/peers.ts). */
  readonly peer: CrudPeer;
} {
  // Shared items of a multi-tenant backend show their owner to the owner only (owner-privacy.ts), in bodies and
  // in what a list query may name.
  const hiding = hidesOwners(entity, options.caller);
  const ctx = crudContextOf(entity, container, options, hiding);
  const endpoints = crudEndpoints(ctx, options, hiding);
  const logger = options.logger ?? contextLogger;
  const labels = { component: entity.componentId, entity: entity.entityName };
  const { allowed } = endpoints;
  const frame = (kind: CrudRouteKind, table: typeof COLLECTION | typeof ITEM) => ({
    labels,
    logger,
    operationOf: (request: HttpRequest) => {
      const m = methodOf(request);
      return m && allowed[kind].includes(m) ? (table[m]?.name ?? 'unknown') : 'method-not-allowed';
    },
    // One server span per request (runtime/telemetry/request-span.ts).
    trace: {
      route: crudRoute(entity.route, kind),
      component: entity.componentId,
      operationOf: operationIn(crudOperations(kind)),
      caller: (view: CallerView) => view.traced(entity),
    },
  });
  const collection = serve(endpoints.collection(), frame('collection', COLLECTION));
  const item = serve(endpoints.item, frame('item', ITEM));
  const peer = crudPeer(
    ctx,
    hiding,
    (call, within) => runAs(endpoints.collection(within), call, 'GET'),
    removedChild(entity.componentId, options),
  );
  return { collection, item, allowed, peer };
}

/** A child a cascade deleted reaches this entity's onChange, and its readers, as its own delete would. */
function removedChild(componentId: string, options: CrudHandlerOptions) {
  if (!options.onChange && !options.realtime) return undefined;
  return async (
    item: { id: string },
    tenant: Tenant | undefined,
    owner: string | undefined,
    trace: Context | undefined,
  ) => {
    options.realtime?.afterRemoved(item.id, owner, tenant);
    if (options.onChange)
      await changed(
        componentId,
        options.onChange,
        'delete',
        { status: 204 },
        item.id,
        tenant,
        trace,
      );
  };
}

/** The entity's shared context (per entity, not per request): container, cache, relations, policies. */
function crudContextOf(
  entity: RuntimeEntity,
  container: Container,
  options: CrudHandlerOptions,
  hiding: boolean,
): CrudContext {
  let cascadeQueue: CascadeQueue | undefined;
  return {
    entity,
    ...(hiding ? { queryEntity: withoutOwnerField(entity) } : {}),
    container,
    cache: entity.cache?.enabled
      ? new ReadCache(entity.cache.ttlSeconds, options.cacheLimits)
      : undefined,
    pkField: partitionField(entity),
    generateId: options.generateId ?? randomUUID,
    cosmos: options.cosmos ?? DEFAULT_COSMOS_POLICY,
    mergeRetry: options.mergeRetry ?? DEFAULT_MERGE_RETRY,
    mergeQueue: new KeyedQueue(),
    ...(options.stampChanges ? { stampsChanges: true } : {}),
    ...(entity.relations?.length
      ? {
          relations: entityRelations(entity, options.peers ?? (() => NO_PEERS), () => ({
            queue: (cascadeQueue ??= options.cascade?.queue ?? ownQueue(options)),
            policy: options.cascade?.policy ?? DEFAULT_CASCADE_POLICY,
            callerAs: jobCallerAs(options.caller),
          })),
        }
      : {}),
    ...(options.migrations ? { migrations: options.migrations } : {}),
    ...(options.realtime?.needsOwnerOnDelete ? { readsBeforeDelete: true } : {}),
  };
}

/**
 * The two endpoints of one entity (runtime/pipeline/context.ts): the collection's (`within` narrows a GET to one
 * parent's children: the children route's and a `hasMany` expansion's) and the item's, with their after steps.
 */
function crudEndpoints(ctx: CrudContext, options: CrudHandlerOptions, hiding: boolean) {
  const { entity } = ctx;
  const policy = options.caller;
  const allowed = {
    collection: allowedMethods(COLLECTION, entity.operations),
    item: allowedMethods(ITEM, entity.operations),
  };
  const after = afterSteps(entity, options, hiding);
  const collection = (within?: ListWithin): Endpoint<Entry<Operation>> => ({
    policy,
    resource: entity,
    route: (c) => {
      const m = within ? 'GET' : c.method;
      const entry = m && allowed.collection.includes(m) ? COLLECTION[m] : undefined;
      return entry
        ? { ok: true, value: entry }
        : methodNotAllowed(allowed.collection, c.request.method);
    },
    operation: (entry) => entry.op,
    handle: (c) => {
      const access = perRequest(ctx, c);
      return within
        ? listItems(access, c.request, c.tenant, within)
        : c.route.run(access, c.request, c.tenant);
    },
    after,
  });
  const item: Endpoint<Entry<ItemOperation> & { id: string }> = {
    policy,
    resource: entity,
    route: (c) => {
      const entry = c.method && allowed.item.includes(c.method) ? ITEM[c.method] : undefined;
      if (!entry) return methodNotAllowed(allowed.item, c.request.method);
      const id = c.request.params.id ?? '';
      const bad = checkId(id);
      if (bad)
        return { ok: false, response: problemResponse('invalid-id', `The id in the URL ${bad}.`) };
      return { ok: true, value: { ...entry, id } };
    },
    operation: (entry) => entry.op,
    handle: async (c) => {
      const access = perRequest(ctx, c);
      // $expand on GET one: checked before the read, applied to what it answers (relations/expand-one.ts).
      const expand = c.route.op === 'read' ? expandOne(access, c.request) : undefined;
      if (expand && !expand.ok) return expand.response;
      const read = await c.route.run(access, c.request, c.route.id, c.tenant);
      return expand ? expand.value(read) : read;
    },
    after,
  };
  return { allowed, collection, item };
}

/** One request's context: the caller's access and call, and Cosmos DB calls whose spans join the request's trace. */
function perRequest(ctx: CrudContext, c: Resolution<unknown> & CrudContext['limits']): CrudContext {
  return {
    ...ctx,
    cosmos: tracedPolicy(ctx.cosmos, c.request),
    ...(c.access ? { access: c.access } : {}),
    call: { request: c.request, caller: c.caller },
    limits: c,
  };
}

/** After a write: its readers told (realtime), its change handler run, then others' owners hidden. */
function afterSteps(
  entity: RuntimeEntity,
  options: CrudHandlerOptions,
  hiding: boolean,
): AfterStep<Entry<unknown> & { id?: string }>[] {
  const steps: AfterStep<Entry<unknown> & { id?: string }>[] = [];
  const { realtime, onChange } = options;
  if (realtime)
    steps.push((c, response) => {
      if (c.route.change) realtime.afterWrite(c.route.change, response, c.route.id, c.tenant);
      return response;
    });
  if (onChange)
    steps.push(async (c, response) => {
      if (c.route.change)
        await changed(
          entity.componentId,
          onChange,
          c.route.change,
          response,
          c.route.id,
          c.tenant,
          requestTrace(c.request),
        );
      return response;
    });
  if (hiding)
    steps.push((c, response) =>
      c.access ? withoutOthersOwners(response, c.access.ownerField, c.access.callerId) : response,
    );
  return steps;
}

/**
 * A queue for handlers built alone (not by registerCrudRoutes, which passes the app's): in-process, running jobs
 * over the handlers' peers.
 */
function ownQueue(options: CrudHandlerOptions): CascadeQueue {
  const queue = inProcessQueue();
  queue.attach((job) =>
    runCascadeJob(job, {
      peers: (options.peers ?? (() => NO_PEERS))(),
      queue,
      policy: DEFAULT_CASCADE_POLICY,
      callerAs: jobCallerAs(options.caller),
    }),
  );
  return queue;
}

/**
 * After a successful write, the entity's change handler with the item as the caller got it back (what the
 * change feed would carry, less system fields); a delete answers no body, so its item is `{ id }`.
 */
async function changed(
  componentId: string,
  handler: ChangeHandler,
  operation: ChangeEvent['operation'],
  response: HttpResponseInit,
  id: string | undefined,
  tenant: Tenant | undefined,
  trace: Context | undefined,
): Promise<void> {
  const status = response.status ?? 200;
  if (status < 200 || status >= 300) return;
  let item: Record<string, unknown> | undefined;
  if (operation !== 'delete' && typeof response.body === 'string') {
    try {
      const parsed: unknown = JSON.parse(response.body);
      if (parsed && typeof parsed === 'object' && !Array.isArray(parsed))
        item = parsed as Record<string, unknown>;
    } catch {
      // Not JSON: fall back to the id below.
    }
  }
  const itemOf = item ?? { id: id ?? '' };
  await dispatchChangeIn(trace, componentId, handler, {
    operation,
    item: itemOf,
    ...(tenant ? { tenant: tenant.id } : {}),
  });
}
