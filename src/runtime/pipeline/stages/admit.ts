import { ROUTE_METHODS, type RouteMethod } from '../../../contract/routes.js';
import type { Passed, RequestContext } from '../context.js';
import { pass } from '../stage-list.js';

/**
 * Admit: what the request is before anyone asks who sends it — its method, one the runtime serves or undefined.
 * Refuses nothing today: the host routes only the methods registered, and bodies are bounded as they are read
 * (http/body.ts); a host or size rule that needs no caller belongs here.
 *
 * @example
 * ```ts
 * const admitted = admit({ request, invocation, endpoint, services }); // { ok: true, adds: { method: 'GET' } }
 * ```
 */
export function admit(ctx: RequestContext): Passed<{ method: RouteMethod | undefined }> {
  // A host always sends a method; a hand-made request may not.
  const m = ((ctx.request.method as string | undefined) ?? '').toUpperCase();
  const method = (ROUTE_METHODS as readonly string[]).includes(m) ? (m as RouteMethod) : undefined;
  return pass({ method });
}
