import { Caller } from '../../caller/caller-view.js';
import type { AdmittedContext, Passed } from '../context.js';
import { pass, refuse } from '../stage-list.js';

/**
 * Caller: the principal App Service vouches for, decoded once into the request's {@link Caller} (runtime/caller) —
 * 401 without a signed-in caller, 403 `tenant-not-allowed` for a directory the backend does not admit — checked
 * first, so an anonymous caller learns nothing about the route (not even which methods it allows). An anonymous
 * endpoint admits everyone. Refused or not, the caller is on the context, so the request's span names whom it saw.
 *
 * @example
 * ```ts
 * const called = caller(admitted);
 * if (called.ok) called.adds.caller.id;
 * ```
 */
export function caller(ctx: AdmittedContext): Passed<{ caller: Caller }> {
  const decoded = Caller.of(ctx.request, ctx.endpoint.policy);
  const refusal = ctx.endpoint.anonymous ? undefined : decoded.refusal;
  return refusal ? refuse(refusal, { caller: decoded }) : pass({ caller: decoded });
}
