import type { PlanIssue, PlannedResource } from '../../model/plan.js';
import { compare } from '../../kit/pure/resources/merge-strategies.js';
import { ROUTE_PREFIX } from '../../kit/pure/http-route.js';
import {
  matchTemplate,
  overlapWitness,
  templateCovers,
  type RouteTemplate,
} from '../../kit/pure/route-template.js';
import { HEALTH_PATH, routesThatMayMeet, type Route } from './host-routes.js';
import { at } from '../../model/at.js';
import { searchFunctionName } from '../../contract/search.js';
import type { KeyOf } from '../phases/key-of.js';

export { httpRoutesInHostOrder } from './host-routes.js';

/**
 * Phase: routes as the host really matches them. On each Function App:
 * - `ROUTE_HEALTH_EXEMPT`: a FunctionsApp route that can match `/api/health`, for any method. App Service
 *   authentication exempts that *path* for every method (`excludedPaths`), so the function would run for anyone.
 * - `ROUTE_SHADOWED`: the host tries HTTP routes in function-name order, first match wins, whatever the
 *   specificity. A user route tried before a CRUD route that can match one of its paths takes those requests;
 *   a CRUD route tried first that matches every path of a later route (a user function, or a nested CrudApi on
 *   `notes/archive` behind `notes/{id}`) leaves it unreachable. Routes of one shape are ROUTE_CONFLICT's.
 * With `auth: 'none'` nothing is exempt (every route is anonymous already), so only shadowing is checked.
 *
 * @example
 * ```ts
 * routeShadowing(plan.resources, keyOf, true); // [{ code: 'ROUTE_SHADOWED', … }]
 * ```
 */
export function routeShadowing(
  resources: readonly PlannedResource[],
  keyOf: KeyOf,
  authEnabled: boolean,
): PlanIssue[] {
  const issues: PlanIssue[] = [];
  for (const app of resources) {
    if (app.type === 'functions')
      issues.push(...shadowingAmong(app, routesThatMayMeet(app.config), keyOf, authEnabled));
  }
  return issues;
}

/**
 * {@link routeShadowing}'s issues for one app, looking at `routes` (in host order) only: all its routes
 * (`httpRoutesInHostOrder`), or those {@link routesThatMayMeet} keeps, which give the same issues
 * (test/plan/route-shadowing-pruned.test.ts).
 *
 * @example
 * ```ts
 * shadowingAmong(app, httpRoutesInHostOrder(app.config), keyOf, true); // what routeShadowing reports for app
 * ```
 */
export function shadowingAmong(
  app: PlannedResource,
  routes: readonly Route[],
  keyOf: KeyOf,
  authEnabled: boolean,
): PlanIssue[] {
  const issues: PlanIssue[] = [];
  if (authEnabled) {
    for (const r of routes) {
      if (r.kind === 'function' && matchTemplate(r.template, HEALTH_PATH))
        issues.push(healthExempt(app, r, keyOf));
    }
  }
  // Only pairs with a CRUD route (or the runtime's) are checked, and only against routes that can share its
  // first segment (a CRUD route's is always a literal): c CRUD routes cost c × (routes under that literal
  // + routes starting with a parameter), not n².
  const byFirst = new Map<string, number[]>();
  const open: number[] = [];
  routes.forEach((r, idx) => {
    const f = r.template.segments[0];
    if (f?.kind !== 'literal') open.push(idx);
    else {
      const bucket = byFirst.get(f.text);
      if (bucket) bucket.push(idx);
      else byFirst.set(f.text, [idx]);
    }
  });
  // A CrudApi's search route (POST only) is tried just before its item route: POST on its path is the search's.
  const searches = new Map<string, Route>();
  for (const r of routes)
    if (r.kind === 'crud' && r.name === searchFunctionName(r.componentId))
      searches.set(`${r.componentId}\u0000${r.shape}`, r);
  const done = new Set<number>();
  routes.forEach((r, k) => {
    if (r.kind === 'function') return;
    const f = r.template.segments[0];
    const candidates =
      f?.kind === 'literal'
        ? [...(byFirst.get(f.text) ?? []), ...open]
        : routes.map((_, idx) => idx);
    for (const m of candidates.sort((x, y) => x - y)) {
      if (m === k) continue;
      const [i, j] = m < k ? [m, k] : [k, m];
      // Each pair once (two CRUD routes reach each other).
      if (done.has(i * routes.length + j)) continue;
      done.add(i * routes.length + j);
      const issue = shadowIssue(app, at(routes, i), at(routes, j), authEnabled, keyOf, searches);
      if (issue) issues.push(issue);
    }
  });
  return issues;
}

/** The issue for `first` tried before `later`, if the host's order makes one of them answer the other's requests. */
function shadowIssue(
  app: PlannedResource,
  first: Route,
  later: Route,
  authEnabled: boolean,
  keyOf: KeyOf,
  searches: ReadonlyMap<string, Route>,
): PlanIssue | undefined {
  if (first.kind === 'function' && later.kind === 'function') return undefined;
  if (first.shape === later.shape || !first.methods.some((m) => later.methods.includes(m)))
    return undefined;
  if (first.componentId === later.componentId && first.kind === 'crud' && later.kind === 'crud')
    return undefined;
  // Cheap refusal first (most pairs): path lengths that never meet.
  if (!mayMeet(first.template, later.template)) return undefined;
  if (first.kind === 'function') {
    const path = overlapWitness(first.template, later.template);
    // A user route over the runtime's health is ROUTE_HEALTH_EXEMPT's when auth is on.
    return path !== undefined &&
      !(later.kind === 'runtime' && later.route === HEALTH_PATH[0] && authEnabled)
      ? shadowed(app, first, later, path, false, keyOf)
      : undefined;
  }
  if (!templateCovers(first.template, later.template)) return undefined;
  // Methods first's own search answers on later's path before first does are not first's (nor later's): a route of
  // the search's shape is ROUTE_CONFLICT's with the search.
  const search = searches.get(`${first.componentId}\u0000${later.shape}`);
  const methods = first.methods.filter(
    (m) => later.methods.includes(m) && !search?.methods.includes(m),
  );
  if (methods.length === 0) return undefined;
  return shadowed(
    app,
    first,
    later,
    overlapWitness(first.template, later.template) ?? later.route,
    true,
    keyOf,
    methods,
  );
}

/** Whether two templates can match one path at all, judged on their first segment and their lengths only. */
function mayMeet(a: RouteTemplate, b: RouteTemplate): boolean {
  const [fa, fb] = [a.segments[0], b.segments[0]];
  if (fa?.kind === 'literal' && fb?.kind === 'literal' && fa.text !== fb.text) return false;
  const [ra, rb] = [lengths(a), lengths(b)];
  return ra[0] <= rb[1] && rb[0] <= ra[1];
}

/** The fewest and most segments a template matches. */
function lengths(t: RouteTemplate): [number, number] {
  const segs = t.segments;
  let min = 0;
  for (const s of segs)
    if (s.kind === 'literal' || s.kind === 'complex' || (s.kind === 'param' && !s.optional))
      min += 1;
  return [min, segs.some((s) => s.kind === 'catchAll') ? Infinity : segs.length];
}

const describe = (r: Route): string =>
  r.kind === 'crud'
    ? `CrudApi ${r.componentId} (${r.name})`
    : r.kind === 'runtime'
      ? `the CRUD runtime (${r.name})`
      : `${r.componentId} (function ${r.name})`;

function pathOf(r: Route, keyOf: KeyOf): string[] {
  const key = keyOf.get(r.componentId) ?? r.componentId;
  return r.kind === 'function'
    ? ['components', key, 'config', 'functions', r.functionKey ?? r.name, 'route']
    : ['components', key, 'config', 'route'];
}

function healthExempt(app: PlannedResource, r: Route, keyOf: KeyOf): PlanIssue {
  return {
    severity: 'error',
    code: 'ROUTE_HEALTH_EXEMPT',
    path: pathOf(r, keyOf),
    components: [r.componentId],
    message:
      `${describe(r)} on ${r.methods.join(', ')} /${ROUTE_PREFIX}/${r.route} can answer ` +
      `/${ROUTE_PREFIX}/health on Function App ${app.name}: App Service authentication lets every method on ` +
      `that path through without a token, so this function would run for anonymous callers.`,
    resolution:
      `Give ${r.name} a route that cannot match /${ROUTE_PREFIX}/health — a literal first segment of its own ` +
      `(e.g. route: '${r.componentId.toLowerCase()}/${r.route.replace(/^health\b/i, 'status')}') or a ` +
      `constraint that refuses "health"; the runtime's anonymous GET /${ROUTE_PREFIX}/health stays the health ` +
      `probe.`,
  };
}

function shadowed(
  app: PlannedResource,
  first: Route,
  later: Route,
  path: string,
  unreachable: boolean,
  keyOf: KeyOf,
  shared: readonly string[] = first.methods.filter((m) => later.methods.includes(m)),
): PlanIssue {
  const methods = shared.join(', ');
  const change = first.kind === 'function' ? first : later;
  const fix =
    change.kind === 'crud'
      ? `Give CrudApi ${change.componentId} a route that ${first.route} cannot match, e.g. route: ` +
        `'${change.route.replace(/\//g, '-')}' (the host does not prefer the more specific route).`
      : `Give ${change.name} a route that cannot match ` +
        `/${ROUTE_PREFIX}/${change === first ? later.route : first.route} (a literal segment of its own, or a ` +
        `constraint such as {id:int}); the host does not prefer the more specific route, and renaming ` +
        `functions to reorder them is fragile.`;
  return {
    severity: 'error',
    code: 'ROUTE_SHADOWED',
    path: pathOf(change, keyOf),
    components: [...new Set([first.componentId, later.componentId].filter(Boolean))].sort(compare),
    message: `${describe(first)} on /${ROUTE_PREFIX}/${first.route} is tried before ${describe(later)} on /${ROUTE_PREFIX}/${later.route} on Function App ${app.name} (the Functions host tries HTTP routes in function-name order), so ${methods} /${ROUTE_PREFIX}/${path} ${unreachable ? `— and every other request for /${ROUTE_PREFIX}/${later.route} — goes to ${first.name}: ${later.name} can never answer.` : `goes to ${first.name}, not ${later.name}.`}`,
    resolution: fix,
  };
}
