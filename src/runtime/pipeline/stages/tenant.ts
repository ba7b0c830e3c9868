import type { Tenant } from '../../values/tenancy.js';
import type { Passed, RoutedContext } from '../context.js';
import { pass, refuse } from '../stage-list.js';

/**
 * Tenant: the tenant the request is confined to — the resource's, from the caller resolved once (403
 * `tenant-required` when an isolated resource has none), or the route's own rule; none for shared data.
 *
 * @example
 * ```ts
 * const confined = tenant(routed);
 * ```
 */
export function tenant(ctx: RoutedContext): Passed<{ tenant: Tenant | undefined }> {
  const { endpoint } = ctx;
  const t = endpoint.tenant
    ? endpoint.tenant(ctx)
    : endpoint.resource
      ? ctx.caller.tenantFor(endpoint.resource)
      : { ok: true as const, value: undefined };
  return t.ok ? pass({ tenant: t.value }) : refuse(t.response);
}
