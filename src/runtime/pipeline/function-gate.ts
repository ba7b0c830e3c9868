import type { HttpHandler, HttpRequest, InvocationContext } from '@azure/functions';
import type { FunctionAccessRule, RuntimeAuth } from '../../model/runtime-manifest.js';
import {
  anonymousCaller,
  functionAccessRefusal,
  functionRules,
  functionTenantRefusal,
  isCallerAnonymous,
  isNoDataCaller,
} from '../caller/handler-gate.js';
import { admitCallerOn } from '../caller/request-caller.js';
import type { Endpoint } from './context.js';
import { serve } from './serve.js';

/**
 * Wrap an HTTP function's handler in the gate: the request pipeline's stages with a function's rules — 401 without
 * a signed-in caller, 403 `tenant-not-allowed` for a directory `auth.allowedTenants` does not list (caller), 403
 * `tenant-required` without a tenant (tenant), the function's `access` rules (authorize) — then its code, with the
 * admitted caller recorded for `callerOf`. `anonymous` admits everyone (a signed-in caller is still known to
 * `callerOf`). A `callerOf` that finds nobody (in an anonymous function) answers 401 instead of a 500.
 *
 * @example
 * ```ts
 * const refund = gateHandler(
 *   async () => ({ status: 202 }),
 *   callerPolicyFromEnv(process.env),
 *   [{ allow: 'role', role: 'OrderAdmin' }],
 *   'Orders-refund',
 * );
 * // app.http('Orders-refund', { route: 'orders/refund', methods: ['POST'], authLevel: 'anonymous', handler: refund });
 * ```
 */
export function gateHandler(
  handler: HttpHandler,
  policy: RuntimeAuth,
  access: readonly FunctionAccessRule[] | undefined,
  name: string,
  options: {
    /** Open the function's data door for an admitted caller (`data: [...]`: runtime/in-process/data-door.ts). */
    readonly door?: (request: HttpRequest, invocation: InvocationContext | undefined) => void;
  } = {},
): HttpHandler {
  const rules = functionRules(access);
  const anonymous = rules.some((r) => r.allow === 'anonymous');
  const endpoint: Endpoint<null> = {
    policy,
    anonymous,
    // A function's methods are its own registration's: the host routes only those.
    route: () => ({ ok: true, value: null }),
    tenant: (ctx) => {
      const refused = anonymous
        ? undefined
        : functionTenantRefusal(policy, ctx.caller.vouched(), name);
      return refused ? { ok: false, response: refused } : { ok: true, value: undefined };
    },
    authorize: (ctx) => {
      const refused = anonymous
        ? undefined
        : functionAccessRefusal(rules, ctx.caller.vouched(), name);
      return refused ? { ok: false, response: refused } : { ok: true, value: undefined };
    },
    handle: async (ctx) => {
      // An anonymous function's caller is known only when signed in from an allowed directory.
      // With a tenant registry, only a directory the registry stage admitted (ctx.registered) is known.
      const admitted = !ctx.caller.refusal && (!policy.registry || ctx.registered !== undefined);
      const vouched = admitted ? ctx.caller.vouched() : undefined;
      admitCallerOn(ctx.request, vouched);
      // dataOf acts as the caller: only a caller the gate admitted gets the door (an anonymous function's
      // anonymous caller does not, and its dataOf answers 401 as its callerOf does).
      if (vouched) options.door?.(ctx.request, ctx.invocation);
      try {
        return await handler(ctx.request, ctx.invocation as InvocationContext);
      } catch (e) {
        if (isCallerAnonymous(e) || (!vouched && isNoDataCaller(e))) return anonymousCaller(name);
        throw e;
      }
    },
  };
  return serve(endpoint);
}
