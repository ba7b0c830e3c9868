import type { CallerContext, Passed } from '../context.js';
import { pass, refuse } from '../stage-list.js';

/**
 * Route: what the method does on this route (405 with `Allow` when nothing) and the URL's own checks (400 for an
 * id that can be none) — the route's admission, after the caller's.
 *
 * @example
 * ```ts
 * const routed = route(called);
 * ```
 */
export function route(ctx: CallerContext): Passed<{ route: unknown }> {
  const r = ctx.endpoint.route(ctx);
  return r.ok ? pass({ route: r.value }) : refuse(r.response);
}
