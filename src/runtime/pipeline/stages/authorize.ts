import type { AccessScope } from '../../data/access-scope.js';
import type { Passed, TenantContext } from '../context.js';
import { pass, refuse } from '../stage-list.js';

/**
 * Authorize: the resource's access rules for the route's operation, applied to the caller resolved once (403
 * naming the rules that would allow it), or the route's own check; the verdict (`ctx.access`) is what the
 * handler honours (owner-only or every item).
 *
 * @example
 * ```ts
 * const authorized = authorize(limited);
 * ```
 */
export function authorize(ctx: TenantContext): Passed<{ access: AccessScope | undefined }> {
  const { endpoint } = ctx;
  if (endpoint.authorize) {
    const own = endpoint.authorize(ctx);
    return own.ok ? pass({ access: own.value }) : refuse(own.response);
  }
  const op = endpoint.resource ? endpoint.operation?.(ctx.route) : undefined;
  if (!endpoint.resource || op === undefined) return pass({ access: undefined });
  const access = ctx.caller.accessFor(endpoint.resource, op);
  return access.ok ? pass({ access: access.value }) : refuse(access.response);
}
