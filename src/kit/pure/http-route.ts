/**
 * HTTP routes as the Azure Functions host matches them.
 *
 * The host puts every function route under its route prefix (`api`, host.json `extensions.http.routePrefix`):
 * `WebJobsRouteBuilder.BuildRouteTemplate` joins `routePrefix + '/' + template`
 * (Azure/azure-webjobs-sdk-extensions src/WebJobs.Extensions.Http/Routing/WebJobsRouteBuilder.cs), so a route
 * written `api/hello` would be served at `/api/api/hello`. The routes go into an ASP.NET Core `RouteCollection`,
 * tried in registration order, whose template matcher compares literal segments case-insensitively
 * (learn.microsoft.com/aspnet/core/fundamentals/routing, "Route templates": "Text matching is case-insensitive").
 */

/** The route prefix the host adds (we never change host.json's `routePrefix`). */
export const ROUTE_PREFIX = 'api';

/**
 * A route as written by the user, without the host's prefix: a leading `api/` (any case) is stripped, because
 * the host adds it; everything else is kept as written. The result is what the host is given.
 *
 * @example
 * ```ts
 * stripRoutePrefix('api/hello'); // 'hello' (served at /api/hello, never /api/api/hello)
 * stripRoutePrefix('orders/{id}'); // 'orders/{id}'
 * stripRoutePrefix('api'); // '' (the prefix alone: no route of its own)
 * ```
 */
export function stripRoutePrefix(route: string): string {
  // Most routes do not start with the prefix: answered without the regular expression.
  return route.length >= 3 && route.slice(0, 3).toLowerCase() === 'api'
    ? route.replace(/^api(?:\/|$)/i, '')
    : route;
}

/**
 * The shape of a route template as the host matches it: lower-case literals, every parameter `{}` whatever
 * its name and constraints (`{id}`, `{orderId:int}` match the same URL `…/5`, and the first registered wins),
 * optional (`{?}`) and catch-all (`{*}`) parameters kept apart. Two routes with equal shapes and a common
 * method are served by whichever the host registered first — the other never answers.
 *
 * @example
 * ```ts
 * routeShape('Users/{userId}'); // 'users/{}'
 * routeShape('users/{id:int}'); // 'users/{}'
 * ```
 */
export function routeShape(route: string): string {
  // No parameter: the literal segments lower-cased, which is the whole route lower-cased.
  if (!route.includes('{')) return stripRoutePrefix(route).toLowerCase();
  return stripRoutePrefix(route)
    .split('/')
    .map((segment) => {
      // Only a segment in braces can be a parameter (the expression below starts with one).
      const param = segment.startsWith('{')
        ? /^\{(\*{1,2})?[^}:?=]*(?::[^}]*)?(\?)?(?:=[^}]*)?\}$/.exec(segment)
        : null;
      if (!param) return segment.toLowerCase();
      return `{${param[1] ? '*' : ''}${param[2] ?? ''}}`;
    })
    .join('/');
}

/**
 * The shape of `<route>/{id}` given the shape of `<route>`, without parsing it again (a CrudApi serves both):
 * the collection's shape and a parameter — unless `route` is the host's prefix alone or starts with it, where
 * the prefix is stripped from the item route differently, so it is computed in full.
 *
 * @example
 * ```ts
 * itemRouteShape('Users', routeShape('Users')); // 'users/{}' === routeShape('Users/{id}')
 * ```
 */
export function itemRouteShape(route: string, shape: string): string {
  return shape !== '' && stripRoutePrefix(route) === route
    ? `${shape}/{}`
    : routeShape(`${route}/{id}`);
}
