import {
  matchTemplate,
  parseRouteTemplate,
  type RouteTemplate,
} from '../../../kit/pure/route-template.js';
import { decodePath } from '../loopback/guard.js';

const parsed = new Map<string, RouteTemplate>();

/**
 * Match a request path (after `api/`, still percent-encoded) against an Azure Functions route template —
 * `orders/{id}`, `{id?}`, `{id:int}`, `{n:length(3)}`, `{*rest}` — as the host does (kit/pure/route-template.ts,
 * the planner's matcher), and return the route values, or undefined when it does not match (or the path's
 * percent-encoding is malformed: cli/dev/host/host.ts answers that 400 before matching).
 *
 * @example
 * ```ts
 * matchRoute('orders/{id}', 'orders/42'); // { id: '42' }
 * matchRoute('orders/{id:int}', 'orders/x');  // undefined
 * ```
 */
export function matchRoute(template: string, path: string): Record<string, string> | undefined {
  const segments = decodePath(path);
  if (!segments) return undefined;
  return matchSegments(template, segments);
}

/**
 * {@link matchRoute} on decoded segments (templates parsed once per process).
 *
 * @example
 * ```ts
 * matchSegments('files/{*path}', ['files', 'a', 'b c']); // { path: 'a/b c' }
 * ```
 */
export function matchSegments(
  template: string,
  segments: readonly string[],
): Record<string, string> | undefined {
  let t = parsed.get(template);
  if (!t) parsed.set(template, (t = parseRouteTemplate(template)));
  return matchTemplate(t, segments);
}
