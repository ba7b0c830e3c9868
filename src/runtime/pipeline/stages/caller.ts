import { resolveCaller } from '../../caller/caller-view.js';
import type { HttpRequest } from '@azure/functions';
import type { AdmittedContext, CallerContext, CallerView, Passed } from '../context.js';
import { pass, refuse } from '../stage-list.js';

const seen = new WeakMap<HttpRequest, CallerView>();

/**
 * The caller the caller stage resolved for `request` (for its span, read when the request is answered).
 *
 * @example
 * ```ts
 * callerSeen(request)?.traced(entity); // { tenant: 'tenant-a', user: 'oid-ada' }
 * ```
 */
export function callerSeen(request: HttpRequest): CallerView | undefined {
  return seen.get(request);
}

/**
 * Caller: the principal App Service vouches for, read once (runtime/caller) — 401 without a signed-in caller, 403
 * `tenant-not-allowed` for a directory the backend does not admit — checked first, so an anonymous caller learns
 * nothing about the route (not even which methods it allows). An anonymous endpoint admits everyone.
 *
 * @example
 * ```ts
 * const called = caller(admitted);
 * if (called.ok) called.ctx.caller.id;
 * ```
 */
export function caller<R>(ctx: AdmittedContext<R>): Passed<CallerContext<R>> {
  const view = resolveCaller(ctx.request, ctx.endpoint.policy);
  // Refused or not, the request's span names whom it saw (tenant, user), as it always did.
  seen.set(ctx.request, view);
  if (view.refusal && !ctx.endpoint.anonymous) return refuse(view.refusal);
  return pass(ctx, { caller: view });
}
