import { at } from '../../model/at.js';
import type { PlannedResource } from '../../model/plan.js';
import type { HostedFunction } from '../../model/requirements.js';
import { routeShape, stripRoutePrefix } from '../../kit/pure/http-route.js';
import { compareFunctionNames } from '../../kit/pure/route-order.js';
import { parseRouteTemplate, type RouteTemplate } from '../../kit/pure/route-template.js';
import {
  crudRoute,
  HEALTH_ROUTE,
  ROUTE_METHODS,
  RUNTIME_ROUTES,
  type RuntimeRoute,
} from '../../contract/routes.js';
import { DEFAULT_FUNCTION_METHODS as DEFAULT_METHODS } from '../../kit/pure/http-functions.js';
import { searchFunctionName, searchRoute } from '../../contract/search.js';

// The HTTP routes of a Function App as the host orders them, for the route phases (route-shadowing.ts): all of
// them, or only those that can meet a route of another owner.

/**
 * The path App Service authentication lets through anonymously
 * (resources/functions/auth-settings.ts ANONYMOUS_PATHS).
 */
export const HEALTH_PATH = [HEALTH_ROUTE];
const CRUD_METHODS: readonly string[] = ROUTE_METHODS;

/** One HTTP function of a Function App, by the name the host orders it by. */
export interface Route {
  readonly name: string;
  readonly componentId: string;
  readonly kind: 'crud' | 'function' | 'runtime';
  /** As given to the host (no `api/`). */
  readonly route: string;
  readonly template: RouteTemplate;
  readonly shape: string;
  readonly methods: readonly string[];
  /** For a function: its key in the FunctionsApp's `functions`. */
  readonly functionKey?: string;
}

type AppConfig = {
  crudRuntime?: boolean;
  crudEntities?: { componentId?: string; route?: string; search?: unknown }[];
  hostedFunctions?: HostedFunction[];
};

/**
 * The HTTP functions of an app, in the host's order (kit/pure/route-order.ts).
 *
 * @example
 * ```ts
 * httpRoutesInHostOrder(app.config).map((r) => r.name); // ['Aaa-page', 'health', 'NoteApi-collection', 'NoteApi-item']
 * ```
 */
export function httpRoutesInHostOrder(config: PlannedResource['config']): Route[] {
  const c = config as AppConfig;
  const out: Route[] = [];
  if (c.crudRuntime) for (const r of RUNTIME_ROUTES) out.push(withTemplate(runtimeFunction(r)));
  for (const e of c.crudEntities ?? []) {
    if (!e.componentId || !e.route) continue;
    out.push(
      withTemplate(crudFunction(e.componentId, e.route, 'collection')),
      withTemplate(crudFunction(e.componentId, e.route, 'item')),
    );
    if (e.search) out.push(withTemplate(searchFunction(e.componentId, e.route)));
  }
  for (const f of c.hostedFunctions ?? [])
    if (f.trigger === 'http') out.push(withTemplate(functionRoute(f)));
  return out.sort(inHostOrder);
}

type Unparsed = Omit<Route, 'template' | 'shape'>;
const runtimeFunction = (r: RuntimeRoute): Unparsed => ({
  name: r.name,
  componentId: '',
  kind: 'runtime',
  route: r.route,
  methods: r.methods,
});
/** A CrudApi's collection or item function, named as the runtime registers it (`<Id>-collection`). */
const crudFunction = (
  componentId: string,
  route: string,
  which: 'collection' | 'item',
): Unparsed => ({
  name: `${componentId}-${which}`,
  componentId,
  kind: 'crud',
  route: crudRoute(route, which),
  methods: CRUD_METHODS,
});
/**
 * A CrudApi's search function (runtime/routes/entity-routes.ts): POST only, named to sort before its item route, so
 * `POST <route>/search` is a search and every other method of `<route>/search` still the item `search`.
 */
const searchFunction = (componentId: string, route: string): Unparsed => ({
  name: searchFunctionName(componentId),
  componentId,
  kind: 'crud',
  route: searchRoute(route),
  methods: ['POST'],
});
const functionRoute = (f: HostedFunction): Unparsed => ({
  name: f.name,
  componentId: f.componentId,
  kind: 'function',
  route: f.route ?? f.name,
  methods: f.methods?.length ? f.methods : DEFAULT_METHODS,
  functionKey: f.name.slice(f.componentId.length + 1),
});
const withTemplate = (r: Unparsed): Route => ({
  ...r,
  template: parseRouteTemplate(stripRoutePrefix(r.route)),
  shape: routeShape(r.route),
});
const inHostOrder = (a: Route, b: Route) => compareFunctionNames(a.name, b.name);

/**
 * Who a route belongs to, as far as route-shadowing.ts's shadowIssue tells routes apart: two routes
 * of one owner never make an issue.
 */
interface Owner {
  readonly kind: Route['kind'];
  readonly componentId: string;
}

/** A first segment shared by routes of more than one owner: its routes are checked. */
const MIXED: Owner = { kind: 'runtime', componentId: '\u0000mixed' };

/**
 * The routes of an app routeShadowing must look at, in the host's order: all of them
 * ({@link httpRoutesInHostOrder}) when one starts with something other than a literal (a parameter, a complex
 * segment, nothing), else only those whose literal first segment is shared by routes of two owners, plus the
 * functions under `health` (which may be health-exempt). Every other route can only meet routes of its own owner
 * (its CrudApi's other route, or other functions), and such pairs never make an issue (shadowIssue): 10,000
 * CrudApis on routes of their own are 20,000 routes no pair of which is ever compared, so they are not parsed,
 * sorted or paired at all. Kept routes keep their order (a stable sort of a subsequence), so the issues come
 * out exactly as from all routes.
 *
 * @example
 * ```ts
 * routesThatMayMeet({
 *   crudRuntime: true,
 *   crudEntities: [{ componentId: 'NoteApi', route: 'notes' }],
 * }); // [] (nothing can meet)
 * ```
 */
export function routesThatMayMeet(config: PlannedResource['config']): Route[] {
  const c = config as AppConfig;
  const owners = new Map<string, Owner>();
  // The first literal of every route, in the order visited below; undefined (not a literal) → all routes.
  const firsts: string[] = [];
  const meet = (first: string | undefined, owner: Owner): boolean => {
    if (first === undefined) return false;
    firsts.push(first);
    const known = owners.get(first);
    if (known === undefined) owners.set(first, owner);
    else if (
      known !== MIXED &&
      (known.kind !== owner.kind || known.componentId !== owner.componentId)
    )
      owners.set(first, MIXED);
    return true;
  };
  if (c.crudRuntime)
    for (const r of RUNTIME_ROUTES)
      if (!meet(firstLiteral(r.route), RUNTIME_OWNER)) return httpRoutesInHostOrder(config);
  for (const e of c.crudEntities ?? []) {
    if (!e.componentId || !e.route) continue;
    const owner: Owner = { kind: 'crud', componentId: e.componentId };
    const first = firstLiteral(e.route);
    // `<route>/{id}` starts as `<route>` does, unless the prefix is stripped from the two differently.
    const itemFirst =
      first !== undefined && stripRoutePrefix(e.route) === e.route
        ? first
        : firstLiteral(`${e.route}/{id}`);
    if (!meet(first, owner) || !meet(itemFirst, owner)) return httpRoutesInHostOrder(config);
    if (e.search && !meet(firstLiteral(searchRoute(e.route)), owner))
      return httpRoutesInHostOrder(config);
  }
  for (const f of c.hostedFunctions ?? []) {
    if (f.trigger === 'http' && !meet(firstLiteral(f.route ?? f.name), FUNCTION_OWNER))
      return httpRoutesInHostOrder(config);
  }
  const out: Route[] = [];
  let i = 0;
  const mixed = () => owners.get(at(firsts, i++)) === MIXED;
  if (c.crudRuntime)
    for (const r of RUNTIME_ROUTES) if (mixed()) out.push(withTemplate(runtimeFunction(r)));
  for (const e of c.crudEntities ?? []) {
    if (!e.componentId || !e.route) continue;
    if (mixed()) out.push(withTemplate(crudFunction(e.componentId, e.route, 'collection')));
    if (mixed()) out.push(withTemplate(crudFunction(e.componentId, e.route, 'item')));
    if (e.search && mixed()) out.push(withTemplate(searchFunction(e.componentId, e.route)));
  }
  for (const f of c.hostedFunctions ?? []) {
    if (f.trigger !== 'http') continue;
    // A function under `health` may answer the exempt path (ROUTE_HEALTH_EXEMPT), whoever else is there.
    if (mixed() || firsts[i - 1] === HEALTH_PATH[0]) out.push(withTemplate(functionRoute(f)));
  }
  return out.sort(inHostOrder);
}

const RUNTIME_OWNER: Owner = { kind: 'runtime', componentId: '' };
const FUNCTION_OWNER: Owner = { kind: 'function', componentId: '' };

/**
 * The first segment of a route as {@link parseRouteTemplate} reads it when it is a literal (lower case), else
 * undefined (a parameter or complex segment, or no segment at all).
 */
function firstLiteral(route: string): string | undefined {
  const r = stripRoutePrefix(route);
  let start = 0;
  while (start < r.length && r.charCodeAt(start) === 47 /* / */) start++;
  if (start === r.length) return undefined;
  let end = r.indexOf('/', start);
  if (end < 0) end = r.length;
  const segment = r.slice(start, end);
  return segment.includes('{') ? undefined : segment.toLowerCase();
}
