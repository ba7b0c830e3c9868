import type { TenantAdmission } from '../../caller/tenant-source.js';
import { requestUsage, type RequestUsage } from '../../usage/request-usage.js';
import type { CallerContext, Passed } from '../context.js';
import { pass, refuse } from '../stage-list.js';

type Registered = Passed<Pick<CallerContext, 'caller'> & { usage?: RequestUsage }>;

/**
 * Registry: the caller's tenant as the app's tenant source admits it (`RuntimeServices.tenants`, chosen at start:
 * the tenant registry with `auth.allowedTenants: 'registry'` — caller/registry-tenants.ts —, or the organizations of
 * the caller's memberships — members/membership-tenants.ts),
 * the caller completed with what the source knows (their tenant's record and plan) for every later stage, and the
 * tenant the usage ledger counts the request under. Without a source it passes everything on; an anonymous route
 * is served either way, its signed-in caller known to it only when admitted.
 *
 * @example
 * ```ts
 * const admitted = await registry(called);
 * if (admitted.ok) admitted.adds.caller?.registered?.record.plan; // 'free'
 * ```
 */
export function registry(ctx: CallerContext): Registered | Promise<Registered> {
  const source = ctx.services.tenants;
  if (!source || !ctx.endpoint.policy?.required) return pass({ caller: ctx.caller });
  // An anonymous route serves everyone; a signed-in caller's tenant is still looked up, so that only an admitted
  // one is known to the route (`callerOf` in an anonymous function).
  if (ctx.endpoint.anonymous) {
    const unknown = pass({ caller: ctx.caller });
    if (ctx.caller.id === undefined) return unknown;
    return Promise.resolve(source.admit(ctx.caller, ctx.request, ctx.endpoint)).then(
      (admission) =>
        admission.ok
          ? placed(ctx, admission)
          : pass({ caller: ctx.caller, ...usageOf(ctx, admission) }),
      () => unknown,
    );
  }
  const admission = source.admit(ctx.caller, ctx.request, ctx.endpoint);
  return admission instanceof Promise
    ? admission.then((a) => placed(ctx, a))
    : placed(ctx, admission);
}

function placed(ctx: CallerContext, admission: TenantAdmission): Registered {
  const usage = usageOf(ctx, admission);
  return admission.ok
    ? pass({ caller: admission.caller, ...usage })
    : refuse(admission.response, usage);
}

/** The request's entry in the usage ledger, under the tenant the source named (none: `anonymous`). */
function usageOf(ctx: CallerContext, admission: TenantAdmission): { usage?: RequestUsage } {
  const meter = ctx.services.meter;
  return meter && admission.ledgerTenant !== undefined
    ? { usage: requestUsage(meter, admission.ledgerTenant) }
    : {};
}
