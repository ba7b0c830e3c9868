import { isIsolated } from '../values/tenancy.js';
import { queryEmbedderOf } from '../embed/query-embedder.js';
import type { Container } from '@azure/cosmos';
import type {
  RuntimeEntity,
  RuntimeManifest,
  RuntimeSearch,
} from '../../model/runtime-manifest.js';
import { searchHandler, type SearchRoute } from '../search/search-endpoint.js';
import { crudRoute } from '../../contract/routes.js';
import { searchFunctionName, searchRoute } from '../../contract/search.js';
import { type CrudHandlerOptions, createCrudHandlers } from '../crud/handlers.js';
import type { RuntimeServices } from '../pipeline/context.js';
import type { OperationTargetOf } from '../pipeline/operation-input.js';
import type { Publisher } from '../realtime/publisher.js';
import { entityRealtime } from '../realtime/events.js';
import { childrenHandler, childrenRoutes } from '../relations/children.js';
import type { AddRoute, HealthTarget, RegisterDeps } from './register-deps.js';
import type { RelationWiring } from './relation-wiring.js';

/**
 * Each entity's collection, item, search and children routes, its handlers' peer for the others' relations; returns the
 * distinct containers `GET api/health` reads.
 *
 * @example
 * ```ts
 * const targets = registerEntities(manifest, deps, services, wiring, publisher, add);
 * ```
 */
export function registerEntities(
  manifest: RuntimeManifest,
  deps: RegisterDeps,
  services: RuntimeServices,
  wiring: RelationWiring,
  publisher: Publisher | undefined,
  add: AddRoute,
): HealthTarget[] {
  const fed = fedContainers(manifest, deps);
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
      ...crudOptions(entity, deps, services, wiring),
      ...(fed.has(name) ? { stampChanges: true } : {}),
      ...(publisher && entity.realtime
        ? { realtime: entityRealtime(entity, publisher, deps.caller) }
        : {}),
    });
    wiring.crudPeers.set(entity.componentId, handlers.peer);
    add(
      `${entity.componentId}-collection`,
      crudRoute(entity.route, 'collection'),
      handlers.collection,
    );
    add(`${entity.componentId}-item`, crudRoute(entity.route, 'item'), handlers.item);
    const search =
      entity.search && searchRouteOf(entity, entity.search, container, deps, services, wiring);
    // POST only: a GET of an item whose id is `search` still reaches the item route (contract/search.ts).
    if (search)
      add(searchFunctionName(entity.componentId), searchRoute(entity.route), search.handler, {
        host: ['POST'],
        listed: ['POST'],
      });
    // Each hasMany relation's children route (runtime/relations/children.ts).
    const children = new Map<string, OperationTargetOf>();
    for (const c of childrenRoutes(entity)) {
      const { handler, target } = childrenHandler(entity, c.relation, () => wiring.peers, {
        ...(deps.caller ? { caller: deps.caller } : {}),
        ...(deps.logger ? { logger: deps.logger } : {}),
        services,
      });
      children.set(c.relation.name, target);
      add(c.name, c.route, handler);
    }
    // What dataOf and the MCP server call in-process (runtime/in-process/routes.ts).
    deps.inProcess?.addEntity(entity, handlers.target, children, search?.target);
  }
  return targets;
}

/** The search route of a CrudApi that declares `search`, with the query embedder the app gives it. */
function searchRouteOf(
  entity: RuntimeEntity,
  search: RuntimeSearch,
  container: Container,
  deps: RegisterDeps,
  services: RuntimeServices,
  wiring: RelationWiring,
): SearchRoute {
  // The app's own embedder when it gives one (tests, a stand-in); else the one the entity's writes use
  // (runtime/embed: Azure OpenAI in Azure, dev's local embedder), so a query and its items share one model.
  const embedder = search.vector?.embed
    ? (deps.queryEmbedderFor?.(entity) ?? queryEmbedderOf(entity, services))
    : undefined;
  return searchHandler(entity, search, container, {
    ...crudOptions(entity, deps, services, wiring),
    ...(embedder ? { queryEmbedder: embedder } : {}),
  });
}

/** The options every entity's handlers share, and its own change handler and migrations. */
function crudOptions(
  entity: RuntimeEntity,
  deps: RegisterDeps,
  services: RuntimeServices,
  wiring: RelationWiring,
): CrudHandlerOptions {
  const onChange = deps.changeHandlers?.[entity.componentId];
  const migrations = deps.migrations?.[entity.componentId];
  return {
    ...(deps.logger ? { logger: deps.logger } : {}),
    ...(deps.cosmos ? { cosmos: deps.cosmos } : {}),
    ...(deps.caller ? { caller: deps.caller } : {}),
    ...(onChange ? { onChange } : {}),
    peers: () => wiring.peers,
    cascade: { queue: wiring.cascadeQueue, policy: wiring.cascadePolicy },
    ...(migrations ? { migrations } : {}),
    services,
  };
}

/**
 * The containers a change feed trigger reads, by database and name (a stamp on a namesake of another account
 * would only be an unread hidden field).
 */
function fedContainers(manifest: RuntimeManifest, deps: RegisterDeps): Set<string> {
  const fed = new Set<string>();
  for (const entity of manifest.entities) {
    // The webhooks' feed tells a create from an update by the stamp too (runtime/webhooks/webhook-feed.ts).
    const hooked = isIsolated(entity) && deps.webhooks?.feed?.connectionOf(entity) !== undefined;
    if (!hooked && !deps.changeFeed?.includes(entity.componentId)) continue;
    const c = deps.containerFor(entity);
    fed.add(`${c.database.id}/${c.id}`);
  }
  return fed;
}
