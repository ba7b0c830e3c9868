import type { HttpRequest } from '@azure/functions';
import type { RuntimeEntity } from '../../model/runtime-manifest.js';
import { crudRoute, type CrudRouteKind } from '../../contract/routes.js';
import { tracedPolicy } from '../data/cosmos-policy.js';
import { methodNotAllowed, refused } from '../http/response.js';
import { checkId } from '../http/schema-validator.js';
import type { Caller, Endpoint, Resolution } from '../pipeline/context.js';
import type { LimitScope } from '../limits/limited-tenant.js';
import type { ListWithin } from '../relations/list-hooks.js';
import { crudOperations, operationIn } from '../telemetry/route-operations.js';
import { afterSteps } from './after-write.js';
import { listItems } from './collection-operations.js';
import type { CrudRequest, CrudStore, ItemRequest } from './context.js';
import { expandOne } from './expand-one.js';
import { selectedAnswer, selectOne } from './select-one.js';
import { readItem } from './item-operations.js';
import {
  allowedMethods,
  COLLECTION,
  type Entry,
  ITEM,
  type ItemOperation,
  methodOf,
  type Operation,
} from './method-table.js';
import type { CrudHandlerOptions } from './options.js';

/**
 * The two endpoints of one entity (runtime/pipeline/context.ts): the collection's (`within` narrows a GET to one
 * parent's children: the children route's and a `hasMany` expansion's) and the item's, with their after steps.
 */
export function crudEndpoints(ctx: CrudStore, options: CrudHandlerOptions, hiding: boolean) {
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
      const req = crudRequest(ctx, c);
      return within ? listItems({ ...req, within }) : c.route.run(req);
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
      if (bad) return refused('invalid-id', `The id in the URL ${bad}.`);
      return { ok: true, value: { ...entry, id } };
    },
    operation: (entry) => entry.op,
    handle: async (c) => {
      const req: ItemRequest = crudRequest(ctx, c, c.route.id);
      const reading = c.route.op === 'read';
      // $expand and $select on GET one: checked before the read, applied to what it answers (expand-one.ts,
      // select-one.ts: the vector only when $select names it).
      const expand = reading ? expandOne(req) : undefined;
      if (expand && !expand.ok) return expand.response;
      const select = reading ? selectOne(req) : undefined;
      if (select && !select.ok) return select.response;
      const read = select ? await readItem(req, select.value) : await c.route.run(req);
      const answer = expand ? await expand.value(read) : read;
      const relations = (ctx.entity.relations ?? []).map((r) => r.name);
      return select ? selectedAnswer(answer, req.pkField, select.value, relations) : answer;
    },
    after,
  };
  return { allowed, collection, item };
}

type Resolved = Resolution<unknown> & LimitScope;
/**
 * One CRUD request, the operation's one argument: the entity's store, and what the pipeline resolved (tenant,
 * access, caller, usage), with Cosmos DB calls whose spans join the request's trace. The entity's other routes
 * (search) build theirs with it too.
 *
 * @example
 * ```ts
 * handle: (c) => searchItems(crudRequest(store, c), search, embedder),
 * ```
 */
export function crudRequest(store: CrudStore, c: Resolved): CrudRequest;
export function crudRequest(store: CrudStore, c: Resolved, id: string): ItemRequest;
export function crudRequest(store: CrudStore, c: Resolved, id?: string): CrudRequest {
  // One object per request (an item's id in it too), the store's fields named one by one: V8 copies `...store`
  // through a slow path that cost a cached read a third of its time (bench/runtime.ts, "cache hit"). The type names
  // every field of CrudStore, so one added there and not here does not compile.
  const req: { readonly [K in keyof Required<CrudStore>]: CrudStore[K] } & Omit<
    CrudRequest,
    keyof CrudStore
  > = {
    entity: store.entity,
    queryEntity: store.queryEntity,
    container: store.container,
    cache: store.cache,
    pkField: store.pkField,
    generateId: store.generateId,
    cosmos: tracedPolicy(store.cosmos, c.trace),
    mergeRetry: store.mergeRetry,
    mergeQueue: store.mergeQueue,
    stampsChanges: store.stampsChanges,
    relations: store.relations,
    migrations: store.migrations,
    readsBeforeDelete: store.readsBeforeDelete,
    embedder: store.embedder,
    request: c.request,
    tenant: c.tenant,
    access: c.access,
    call: c,
    usage: c.usage,
    limits: c,
    ...(id !== undefined ? { id } : {}),
  };
  return req;
}

/**
 * An endpoint of the entity as it is served: its log line (labels, the operation each method performs) and its
 * server span (route template, component, the caller's tenant and `oid`).
 *
 * @example
 * ```ts
 * serve(framed(entity, endpoints.allowed, endpoints.item, 'item', logger), services);
 * ```
 */
export function framed<R>(
  entity: RuntimeEntity,
  allowed: Readonly<Record<CrudRouteKind, readonly string[]>>,
  endpoint: Endpoint<R>,
  kind: CrudRouteKind,
  logger: CrudHandlerOptions['logger'],
): Endpoint<R> {
  const table = kind === 'collection' ? COLLECTION : ITEM;
  return {
    ...endpoint,
    log: {
      labels: { component: entity.componentId, entity: entity.entityName },
      ...(logger ? { logger } : {}),
      operationOf: (request: HttpRequest) => {
        const m = methodOf(request);
        return m && allowed[kind].includes(m)
          ? (table[m]?.name ?? 'unknown')
          : 'method-not-allowed';
      },
    },
    // One server span per request (runtime/telemetry/request-span.ts).
    trace: {
      route: crudRoute(entity.route, kind),
      component: entity.componentId,
      operationOf: operationIn(crudOperations(kind)),
      caller: (caller: Caller) => caller.traced(entity),
    },
  };
}
