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
import type { AccessScope, CrudContext, ItemMigration } from '../data/context.js';
import { hidesOwners, withoutOthersOwners, withoutOwnerField } from '../access/owner-privacy.js';
import { problemResponse } from '../http/response.js';
import { deleteItem, readItem, replaceItem } from './item-operations.js';
import { mergeItem } from './merge-operation.js';
import { KeyedQueue } from '../data/keyed-queue.js';
import { DEFAULT_MERGE_RETRY, type MergeRetryPolicy } from '../data/merge-retry.js';
import { partitionField } from '../values/partition.js';
import { ReadCache, type ReadCacheLimits } from '../data/read-cache.js';
import { contextLogger, type RuntimeLogger, withRequestLog } from '../http/log.js';
import { traceRequests } from '../telemetry/request-span.js';
import { crudOperations, operationIn } from '../telemetry/route-operations.js';
import { tracedCaller } from '../access/traced-caller.js';
import { authenticate, resolveTenant } from '../access/tenant-source.js';
import { authorize } from '../access/scope.js';
import { admitDirectory } from '../access/tenant-admission.js';
import type { RuntimeAuth } from '../../model/runtime-manifest.js';
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

function methodNotAllowed(allow: readonly RouteMethod[], method: string): HttpResponseInit {
  return problemResponse('method-not-allowed', `${method} is not enabled on this route.`, {
    headers: { Allow: allow.join(', ') },
  });
}

function methodOf(request: HttpRequest): RouteMethod | undefined {
  const m = request.method.toUpperCase();
  return (ROUTE_METHODS as readonly string[]).includes(m) ? (m as RouteMethod) : undefined;
}

/**
 * Build the HTTP handlers of one entity over a Cosmos container. Pure wiring: no registration, no
 * environment — tests pass a container of a local Cosmos server, the entry passes the deployed one.
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
  let cascadeQueue: CascadeQueue | undefined;
  const ctx: CrudContext = {
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
            caller: options.caller,
          })),
        }
      : {}),
    ...(options.migrations ? { migrations: options.migrations } : {}),
    ...(options.realtime?.needsOwnerOnDelete ? { readsBeforeDelete: true } : {}),
  };
  const logger = options.logger ?? contextLogger;
  const labels = { component: entity.componentId, entity: entity.entityName };
  const allowed = {
    collection: allowedMethods(COLLECTION, entity.operations),
    item: allowedMethods(ITEM, entity.operations),
  };
  const ownersHidden = (response: HttpResponseInit, scope: AccessScope) =>
    hiding ? withoutOthersOwners(response, scope.ownerField, scope.callerId) : response;
  const opName =
    (table: typeof COLLECTION | typeof ITEM, allow: readonly RouteMethod[]) =>
    (request: HttpRequest) => {
      const m = methodOf(request);
      return m && allow.includes(m) ? (table[m]?.name ?? 'unknown') : 'method-not-allowed';
    };

  // One request's context: the caller's access, and Cosmos DB calls whose spans join the request's trace.
  const accessFor = (request: HttpRequest, access: AccessScope): CrudContext => ({
    ...ctx,
    cosmos: tracedPolicy(ctx.cosmos, request),
    access,
  });
  // The collection's pipeline; `within` narrows a GET to one parent's children (the parent's children route).
  const collectionRun = async (request: HttpRequest, within?: ListWithin) => {
    const denied = authenticate(request, options.caller) ?? admitDirectory(request, options.caller);
    if (denied) return denied;
    const m = within ? 'GET' : methodOf(request);
    const entry = m && allowed.collection.includes(m) ? COLLECTION[m] : undefined;
    if (!entry) return methodNotAllowed(allowed.collection, request.method);
    const tenant = resolveTenant(entity, request, options.caller);
    if (!tenant.ok) return tenant.response;
    const scope = authorize(entity, entry.op, request, options.caller);
    if (!scope.ok) return scope.response;
    const access = accessFor(request, scope.value);
    const response = within
      ? await listItems(access, request, tenant.value, within)
      : await entry.run(access, request, tenant.value);
    if (entry.change) options.realtime?.afterWrite(entry.change, response, undefined, tenant.value);
    if (options.onChange && entry.change)
      await changed(
        entity.componentId,
        options.onChange,
        entry.change,
        response,
        undefined,
        tenant.value,
        requestTrace(request),
      );
    return ownersHidden(response, scope.value);
  };
  // One server span per request (runtime/telemetry/request-span.ts).
  const traced = (kind: 'collection' | 'item') => ({
    route: crudRoute(entity.route, kind),
    component: entity.componentId,
    operationOf: operationIn(crudOperations(kind)),
    callerOf: tracedCaller(entity, options.caller),
  });
  const collection = traceRequests(
    traced('collection'),
    withRequestLog(
      labels,
      opName(COLLECTION, allowed.collection),
      (request) => collectionRun(request),
      logger,
    ),
  );

  const item = traceRequests(
    traced('item'),
    withRequestLog(
      labels,
      opName(ITEM, allowed.item),
      async (request) => {
        const denied =
          authenticate(request, options.caller) ?? admitDirectory(request, options.caller);
        if (denied) return denied;
        const m = methodOf(request);
        const entry = m && allowed.item.includes(m) ? ITEM[m] : undefined;
        if (!entry) return methodNotAllowed(allowed.item, request.method);
        const id = request.params.id ?? '';
        const bad = checkId(id);
        if (bad) return problemResponse('invalid-id', `The id in the URL ${bad}.`);
        const tenant = resolveTenant(entity, request, options.caller);
        if (!tenant.ok) return tenant.response;
        const scope = authorize(entity, entry.op, request, options.caller);
        if (!scope.ok) return scope.response;
        // $expand on GET one: checked before the read, applied to what it answers (relations/expand-one.ts).
        const expand = entry.op === 'read' ? expandOne(ctx, request) : undefined;
        if (expand && !expand.ok) return expand.response;
        const read = await entry.run(accessFor(request, scope.value), request, id, tenant.value);
        const response = expand ? await expand.value(read) : read;
        if (entry.change) options.realtime?.afterWrite(entry.change, response, id, tenant.value);
        if (options.onChange && entry.change)
          await changed(
            entity.componentId,
            options.onChange,
            entry.change,
            response,
            id,
            tenant.value,
            requestTrace(request),
          );
        return ownersHidden(response, scope.value);
      },
      logger,
    ),
  );

  const peer = crudPeer(
    ctx,
    options.caller,
    hiding,
    (request, within) => collectionRun(request, within),
    // A child a cascade deleted reaches this entity's onChange, and its readers, as its own delete would.
    options.onChange || options.realtime
      ? async (item, tenant, owner, trace) => {
          options.realtime?.afterRemoved(item.id, owner, tenant);
          if (options.onChange)
            await changed(
              entity.componentId,
              options.onChange,
              'delete',
              { status: 204 },
              item.id,
              tenant,
              trace,
            );
        }
      : undefined,
  );
  return { collection, item, allowed, peer };
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
      caller: options.caller,
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
