import type { CallerContext, Passed, RoutedContext } from '../context.js';
import { pass, refuse } from '../stage-list.js';

/**
 * Route: what the method does on this route (405 with `Allow` when nothing) and the URL's own checks (400 for an
 * id that can be none) — the route's admission, after the caller's.
 *
 * @example
 * ```ts
 * const routed = route(called.ctx);
 * ```
 */
export function route<R>(ctx: CallerContext<R>): Passed<RoutedContext<R>> {
  const r = ctx.endpoint.route(ctx);
  return r.ok ? pass(ctx, { route: r.value }) : refuse(r.response);
}
