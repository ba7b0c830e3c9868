import type { CrudOperation } from '../model/runtime-manifest.js';

/**
 * The CRUD contract's routes and methods: the one table the runtime registers and dispatches with, the planner
 * checks for route conflicts, `atakora dev` prints, the OpenAPI document describes and the client calls.
 * Routes are written without the host's `api/` prefix (the Functions host adds it,
 * kit/pure/http-route.ts); {@link crudPaths} gives them with it.
 */

/**
 * HTTP methods each CRUD route is registered for: every one, so a disabled operation answers 405 with `Allow`
 * instead of the host's 404, and a client can tell "not allowed" from "no such route".
 *
 * @example
 * ```ts
 * import { app } from '@azure/functions';
 * const { item } = createCrudHandlers(entity, container);
 * app.http('UserApi-item', { route: 'users/{id}', methods: [...ROUTE_METHODS], handler: item });
 * ```
 */
export const ROUTE_METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'] as const;

/**
 * One of {@link ROUTE_METHODS}.
 *
 * @example
 * ```ts
 * const m: RouteMethod = 'PATCH';
 * ```
 */
export type RouteMethod = (typeof ROUTE_METHODS)[number];

/**
 * The two routes of a CrudApi: `collection` (`api/<route>`) and `item` (`api/<route>/{id}`).
 *
 * @example
 * ```ts
 * const kind: CrudRouteKind = 'item';
 * ```
 */
export type CrudRouteKind = 'collection' | 'item';

/**
 * What a client calls: `list` and `create` on the collection, `get`, `replace` (PUT), `update` (PATCH merge)
 * and `delete` on an item. Each is served when its {@link CrudOperation} is enabled.
 *
 * @example
 * ```ts
 * const action: CrudAction = 'replace'; // PUT api/<route>/{id}, enabled by the 'update' operation
 * ```
 */
export type CrudAction = 'list' | 'create' | 'get' | 'replace' | 'update' | 'delete';

/**
 * One row of the method table.
 *
 * @example
 * ```ts
 * const row: CrudMethod = CRUD_METHODS.find((m) => m.action === 'create')!; // POST collection, 201
 * ```
 */
export interface CrudMethod {
  readonly route: CrudRouteKind;
  readonly method: RouteMethod;
  /** The configured operation that enables it (`CrudApiConfig.operations`). */
  readonly operation: CrudOperation;
  readonly action: CrudAction;
  /** The status of success. */
  readonly status: 200 | 201 | 204;
}

/**
 * The method table: which method on which route serves which operation, and its success status
 * (DESIGN §6: POST create 201, GET list, GET one, PUT replace and PATCH merge, DELETE 204).
 *
 * @example
 * ```ts
 * CRUD_METHODS.filter((m) => m.route === 'item').map((m) => m.method); // ['GET', 'PUT', 'PATCH', 'DELETE']
 * ```
 */
export const CRUD_METHODS: readonly CrudMethod[] = Object.freeze([
  { route: 'collection', method: 'GET', operation: 'list', action: 'list', status: 200 },
  { route: 'collection', method: 'POST', operation: 'create', action: 'create', status: 201 },
  { route: 'item', method: 'GET', operation: 'read', action: 'get', status: 200 },
  { route: 'item', method: 'PUT', operation: 'update', action: 'replace', status: 200 },
  { route: 'item', method: 'PATCH', operation: 'update', action: 'update', status: 200 },
  { route: 'item', method: 'DELETE', operation: 'delete', action: 'delete', status: 204 },
] as const satisfies readonly CrudMethod[]);

/**
 * The rows of the method table a set of operations enables, optionally on one route only, in table order.
 *
 * @example
 * ```ts
 * enabledMethods(['read', 'list'], 'item').map((m) => m.method); // ['GET']
 * ```
 */
export function enabledMethods(
  operations: readonly CrudOperation[],
  route?: CrudRouteKind,
): CrudMethod[] {
  return CRUD_METHODS.filter(
    (m) => (route === undefined || m.route === route) && operations.includes(m.operation),
  );
}

/**
 * The methods a CRUD route really serves (the rest answer 405), in {@link ROUTE_METHODS} order.
 *
 * @example
 * ```ts
 * servedMethods(['read', 'list'], 'collection'); // ['GET']
 * servedMethods(['create', 'read', 'update', 'delete', 'list'], 'item'); // ['GET', 'PUT', 'PATCH', 'DELETE']
 * ```
 */
export function servedMethods(
  operations: readonly CrudOperation[],
  route: CrudRouteKind,
): RouteMethod[] {
  const served = enabledMethods(operations, route).map((m) => m.method);
  return ROUTE_METHODS.filter((m) => served.includes(m));
}

/**
 * The host route (without `api/`) of a CrudApi's collection or item.
 *
 * @example
 * ```ts
 * crudRoute('users', 'collection'); // 'users'
 * crudRoute('users', 'item');       // 'users/{id}'
 * ```
 */
export function crudRoute(route: string, kind: CrudRouteKind): string {
  return kind === 'collection' ? route : `${route}/{id}`;
}

/** The host's route prefix (host.json `extensions.http.routePrefix`, never changed). */
export const API_PREFIX = 'api';

/**
 * A CrudApi's two paths as clients call them: `['api/<route>', 'api/<route>/{id}']` (the handle's `routes`).
 *
 * @example
 * ```ts
 * crudPaths('users'); // ['api/users', 'api/users/{id}']
 * ```
 */
export function crudPaths(route: string): [string, string] {
  return [
    `${API_PREFIX}/${crudRoute(route, 'collection')}`,
    `${API_PREFIX}/${crudRoute(route, 'item')}`,
  ];
}

/**
 * The runtime's own health route (anonymous), under `api/`.
 *
 * @example
 * ```ts
 * const host = 'https://func-backend-prod-k3x9a1.azurewebsites.net';
 * const probe = `${host}/api/${HEALTH_ROUTE}`; // GET: 200 when every Cosmos DB container answers, else 503
 * ```
 */
export const HEALTH_ROUTE = 'health';

/**
 * The runtime's OpenAPI route (signed in like every CRUD route), under `api/`.
 *
 * @example
 * ```ts
 * await fetch(`${host}/api/${OPENAPI_ROUTE}`, { headers: { Authorization: `Bearer ${token}` } });
 * ```
 */
export const OPENAPI_ROUTE = 'openapi.json';

/**
 * The realtime negotiate route (signed in, POST), under `api/`: registered on a Function App serving a realtime
 * CrudApi; answers `{ url, expiresOn }` (DESIGN §2, "Realtime").
 *
 * @example
 * ```ts
 * const res = await fetch(`${host}/api/${REALTIME_NEGOTIATE_ROUTE}`, { method: 'POST', headers: { Authorization: `Bearer ${token}` } });
 * ```
 */
export const REALTIME_NEGOTIATE_ROUTE = 'realtime/negotiate';

/** The function name of the negotiate route (the host orders routes by function name). */
export const REALTIME_NEGOTIATE_FUNCTION = 'realtime-negotiate';

// The hub's event handler route lives in the model: the plan's Web PubSub type names it in the hub's URL.
export { REALTIME_EVENTS_ROUTE } from '../model/runtime-manifest.js';

/** The function name of the realtime events route. */
export const REALTIME_EVENTS_FUNCTION = 'realtime-events';

/**
 * The caller's own tenant (signed in, GET), under `api/`: registered when the backend has a tenant registry
 * (`auth.allowedTenants: 'registry'`); answers `{ id, plan, status, limits, usage }`.
 *
 * @example
 * ```ts
 * const me = await fetch(`${host}/api/${TENANT_ROUTE}`, { headers: { Authorization: `Bearer ${token}` } });
 * ```
 */
export const TENANT_ROUTE = 'tenant';

/** The function name of the tenant route. */
export const TENANT_FUNCTION = 'tenant-self';

/** One of the runtime's own HTTP functions, beside the CRUD routes. */
export interface RuntimeRoute {
  /** The function name the host orders it by (a union: the runtime must give each a handler). */
  readonly name: 'openapi' | 'health';
  /** The route, under `api/`. */
  readonly route: string;
  readonly methods: readonly ['GET'];
}

/**
 * The runtime's own HTTP functions beside each entity's two routes: the OpenAPI document (signed in) and the
 * health probe (anonymous). The runtime registers exactly these (src/runtime/register-routes.ts), and the
 * planner's route phases check user routes against exactly these, so the two cannot disagree.
 *
 * @example
 * ```ts
 * RUNTIME_ROUTES.map((r) => r.route); // ['openapi.json', 'health']
 * ```
 */
export const RUNTIME_ROUTES: readonly RuntimeRoute[] = [
  { name: 'openapi', route: OPENAPI_ROUTE, methods: ['GET'] },
  { name: 'health', route: HEALTH_ROUTE, methods: ['GET'] },
];
