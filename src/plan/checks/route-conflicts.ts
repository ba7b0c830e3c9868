import type { PlanIssue, PlannedResource } from '../../model/plan.js';
import type { HostedFunction } from '../../model/requirements.js';
import { compare } from '../../kit/pure/resources/merge-strategies.js';
import { itemRouteShape, ROUTE_PREFIX, routeShape } from '../../kit/pure/http-route.js';
import {
  crudRoute,
  REALTIME_EVENTS_FUNCTION,
  REALTIME_EVENTS_ROUTE,
  REALTIME_NEGOTIATE_FUNCTION,
  REALTIME_NEGOTIATE_ROUTE,
  ROUTE_METHODS,
  RUNTIME_ROUTES,
} from '../../contract/routes.js';
import { childrenRoute } from '../../contract/relations.js';
import { searchRoute } from '../../contract/search.js';
import { DEFAULT_FUNCTION_METHODS as DEFAULT_METHODS } from '../../kit/pure/http-functions.js';
import { at } from '../../model/at.js';
import type { KeyOf } from '../phases/key-of.js';

// What the CRUD runtime registers (the CRUD contract, src/contract/routes.ts): every method on both routes of an
// entity, so a disabled one answers 405; and its own health and OpenAPI routes.
/** The host's default when an HTTP function names no methods (src/packaging/register-hosted.ts). */

/** One route a Function App will serve, and who asked for it. */
interface Served {
  readonly componentId: string;
  /** `CrudApi` (or `search`, its search route), `FileStore`, `function <name>`, or the runtime's route name. */
  readonly what: string;
  readonly route: string;
  readonly methods: readonly string[];
  readonly kind: 'crud' | 'function' | 'runtime';
  /** How the host matches `route` (kit/pure/http-route.ts routeShape), computed once. */
  readonly shape: string;
}

/**
 * Phase: two components serving one route on one Function App are a plan error. The host tries routes in
 * registration order and matches literals case-insensitively (see kit/pure/http-route.ts), so of two routes
 * with the same shape and a common method only one ever answers; and the CRUD runtime refuses two entities
 * on one route at start (src/runtime/manifest-loader.ts), leaving every CRUD route 404 and health 503.
 * Apps are compared one by one: the same route on two Function Apps is two different hosts.
 *
 * @example
 * ```ts
 * routeConflicts(resources, new Map([['ReadOnlyApi', 'readOnlyApi'], ['AdminApi', 'adminApi']]));
 * // [{ severity: 'error', code: 'ROUTE_CONFLICT', components: ['AdminApi', 'ReadOnlyApi'], … }]
 * ```
 */
export function routeConflicts(resources: readonly PlannedResource[], keyOf: KeyOf): PlanIssue[] {
  const issues: PlanIssue[] = [];
  for (const app of resources.filter((r) => r.type === 'functions')) {
    // Most apps have no two routes of one shape: found in one pass over the shapes alone, before anything is
    // built or sorted (20,000 routes at 10,000 CrudApis, none of them sharing a shape).
    if (!sharesAShape(app.config)) continue;
    const served = servedBy(app.config);
    served.sort((x, y) => compare(x.componentId, y.componentId) || compare(x.route, y.route));
    const reported = new Set<string>();
    // Only routes of one shape can conflict: group by shape (each shape computed once), then within a group
    // each route is reported once, against the first route before it that shares a method — the one the host
    // would answer with. So k routes on one path are k − 1 issues, not k(k − 1)/2 (1,250 FunctionsApps on one
    // route were 780,000 issues and 13 s of plan), and two routes are the one issue they always were.
    const byShape = new Map<string, number[]>();
    served.forEach((s, i) => {
      const group = byShape.get(s.shape);
      if (group) group.push(i);
      else byShape.set(s.shape, [i]);
    });
    const pairs: [number, number][] = [];
    for (const group of byShape.values()) {
      const firstWith = new Map<string, number>();
      for (const j of group) {
        let first: number | undefined;
        for (const m of at(served, j).methods) {
          const i = firstWith.get(m);
          if (i === undefined) firstWith.set(m, j);
          else if (first === undefined || i < first) first = i;
        }
        if (first !== undefined) pairs.push([first, j]);
      }
    }
    pairs.sort((p, q) => p[0] - q[0] || p[1] - q[1]);
    for (const [i, j] of pairs) {
      const [a, b] = [at(served, i), at(served, j)];
      if (!a.methods.some((m) => b.methods.includes(m))) continue;
      const pair = `${a.componentId}|${a.what}|${b.componentId}|${b.what}`;
      if (reported.has(pair)) continue;
      reported.add(pair);
      issues.push(conflict(app, a, b, keyOf));
    }
  }
  return issues;
}

/**
 * Whether two routes the app serves have one shape: the only case that can conflict. The shapes
 * {@link servedBy} gives, in its order.
 */
function sharesAShape(config: PlannedResource['config']): boolean {
  const c = config as ServedConfig;
  const shapes = new Set<string>();
  const seen = (shape: string): boolean => {
    if (shapes.has(shape)) return true;
    shapes.add(shape);
    return false;
  };
  if (c.crudRuntime) for (const r of RUNTIME_ROUTES) if (seen(routeShape(r.route))) return true;
  if (c.crudEntities?.some((e) => e.realtime) && seen(routeShape(REALTIME_NEGOTIATE_ROUTE)))
    return true;
  if (c.crudEntities?.some((e) => e.realtime) && seen(routeShape(REALTIME_EVENTS_ROUTE)))
    return true;
  for (const e of c.crudEntities ?? []) {
    if (!e.componentId || !e.route) continue;
    const shape = routeShape(e.route);
    if (seen(shape) || seen(itemRouteShape(e.route, shape))) return true;
    for (const r of e.relations ?? [])
      if (r.kind === 'hasMany' && seen(routeShape(childrenRoute(e.route, r.name)))) return true;
    if (e.search && seen(routeShape(searchRoute(e.route)))) return true;
  }
  for (const f of c.fileStores ?? []) {
    const shape = routeShape(f.route);
    if (
      seen(shape) ||
      seen(itemRouteShape(f.route, shape)) ||
      seen(routeShape(`${f.route}/{id}/complete`))
    )
      return true;
  }
  for (const f of c.hostedFunctions ?? []) {
    if (f.trigger === 'http' && seen(routeShape(f.route ?? f.name))) return true;
  }
  return false;
}

type ServedConfig = {
  crudRuntime?: boolean;
  crudEntities?: {
    componentId?: string;
    route?: string;
    relations?: readonly { kind: string; name: string }[];
    realtime?: boolean;
    search?: unknown;
  }[];
  fileStores?: { componentId: string; route: string }[];
  hostedFunctions?: HostedFunction[];
};

/** What the app serves, in the order the config lists it (routeConflicts sorts it when it must compare). */
function servedBy(config: PlannedResource['config']): Served[] {
  const served: Served[] = [];
  const c = config as ServedConfig;
  const add = (
    componentId: string,
    what: string,
    route: string,
    methods: readonly string[],
    kind: Served['kind'],
    shape = routeShape(route),
  ) => {
    served.push({ componentId, what, route, methods, kind, shape });
  };
  if (c.crudRuntime)
    for (const r of RUNTIME_ROUTES) add('the CRUD runtime', r.name, r.route, r.methods, 'runtime');
  // A realtime CrudApi's app serves the negotiate route (runtime/realtime/negotiate.ts).
  if (c.crudEntities?.some((e) => e.realtime))
    add(
      'the CRUD runtime',
      REALTIME_NEGOTIATE_FUNCTION,
      REALTIME_NEGOTIATE_ROUTE,
      ROUTE_METHODS,
      'runtime',
    );
  // And the Web PubSub's event handler (runtime/realtime/service-events.ts), reserved with it.
  if (c.crudEntities?.some((e) => e.realtime))
    add('the CRUD runtime', REALTIME_EVENTS_FUNCTION, REALTIME_EVENTS_ROUTE, ['POST'], 'runtime');
  for (const e of c.crudEntities ?? []) {
    if (!e.componentId || !e.route) continue;
    // One entry for both routes: a conflict on either is the same conflict (the same route option fixes it).
    const shape = routeShape(e.route);
    add(e.componentId, 'CrudApi', crudRoute(e.route, 'collection'), ROUTE_METHODS, 'crud', shape);
    add(
      e.componentId,
      'CrudApi',
      crudRoute(e.route, 'item'),
      ROUTE_METHODS,
      'crud',
      itemRouteShape(e.route, shape),
    );
    // Each hasMany relation's children route (runtime/relations/children.ts).
    for (const r of e.relations ?? [])
      if (r.kind === 'hasMany')
        add(e.componentId, 'CrudApi', childrenRoute(e.route, r.name), ROUTE_METHODS, 'crud');
    // Its search route, POST only (runtime/search/search-endpoint.ts): a route on `<route>/search` takes searches.
    if (e.search) add(e.componentId, SEARCH, searchRoute(e.route), ['POST'], 'crud');
  }
  // A FileStore's three routes, read as a CrudApi's are (the same route option fixes a conflict).
  for (const f of c.fileStores ?? []) {
    const shape = routeShape(f.route);
    add(f.componentId, 'FileStore', f.route, ROUTE_METHODS, 'crud', shape);
    add(
      f.componentId,
      'FileStore',
      `${f.route}/{id}`,
      ROUTE_METHODS,
      'crud',
      itemRouteShape(f.route, shape),
    );
    add(f.componentId, 'FileStore', `${f.route}/{id}/complete`, ROUTE_METHODS, 'crud');
  }
  for (const f of c.hostedFunctions ?? []) {
    if (f.trigger !== 'http') continue;
    add(
      f.componentId,
      `function ${f.name}`,
      f.route ?? f.name,
      f.methods?.length ? f.methods : DEFAULT_METHODS,
      'function',
    );
  }
  return served;
}

/** The `what` of a CrudApi's search route. */
const SEARCH = 'search';

function conflict(app: PlannedResource, a: Served, b: Served, keyOf: KeyOf): PlanIssue {
  const common = a.methods.filter((m) => b.methods.includes(m));
  const describe = (s: Served) =>
    s.what === SEARCH
      ? `CrudApi ${s.componentId}'s search`
      : s.kind === 'crud'
        ? `${s.what} ${s.componentId}`
        : s.kind === 'runtime'
          ? 'the CRUD runtime'
          : `${s.componentId} (${s.what})`;
  // The component to change: a function over a CrudApi, the later of two CrudApis, the route on another's search
  // (the search's path comes with the search); never the runtime.
  const change =
    b.kind === 'function' || a.kind === 'runtime' || a.what === SEARCH
      ? b
      : a.kind === 'function' || b.what === SEARCH
        ? a
        : b;
  // Two entities on one route the runtime refuses at start; a search route beside another's is the host's choice.
  const twoEntities =
    a.kind === 'crud' && b.kind === 'crud' && a.what !== SEARCH && b.what !== SEARCH;
  const key = keyOf.get(change.componentId) ?? change.componentId;
  const suggested = `${change.componentId
    .replace(/Api$/, '')
    .replace(/([a-z0-9])([A-Z])/g, '$1-$2')
    .toLowerCase()}/${change.route}`;
  const fix =
    change.kind === 'crud'
      ? `Give one of them its own route, e.g. CrudApi.define('${change.componentId}', { …, route: ` +
        `'${suggested}' }): served at /${ROUTE_PREFIX}/${suggested} and /${ROUTE_PREFIX}/${suggested}/{id}, ` +
        `with its own data role on the same container.`
      : `Change the route of ${change.what.replace(/^function /, '')} (or its methods) so it no longer matches ` +
        `/${ROUTE_PREFIX}/${a === change ? b.route : a.route}.`;
  return {
    severity: 'error',
    code: 'ROUTE_CONFLICT',
    path: [
      'components',
      key,
      'config',
      ...(change.kind === 'crud'
        ? ['route']
        : ['functions', change.what.replace(`function ${change.componentId}-`, ''), 'route']),
    ],
    components: [
      ...new Set([a.componentId, b.componentId].filter((id) => id !== 'the CRUD runtime')),
    ].sort(compare),
    message: `${describe(a)} and ${describe(b)} both serve ${common.join(', ')} /${ROUTE_PREFIX}/${a.route}${a.route === b.route ? '' : ` (as /${ROUTE_PREFIX}/${b.route})`} on Function App ${app.name}: ${
      twoEntities
        ? 'the CRUD runtime refuses two entities on one route at start, so every CRUD route would answer 404 and health 503.'
        : 'the host tries routes in the order it registered them, so one of the two would never answer.'
    }`,
    resolution: fix,
  };
}
