import type { HttpHandler, HttpRequest, InvocationContext } from '@azure/functions';
import type { FunctionAccessRule, RuntimeAuth } from '../../model/runtime-manifest.js';
import {
  anonymousCaller,
  functionGate,
  isCallerAnonymous,
  isNoDataCaller,
} from '../caller/handler-gate.js';
import { admitCallerOn } from '../caller/request-caller.js';
import type { Caller, Endpoint, RuntimeServices, TraceFrame } from './context.js';
import { serve } from './serve.js';
import { boundServices } from './services.js';

/**
 * Wrap an HTTP function's handler in the gate: the request pipeline's stages with a function's rules (caller/
 * handler-gate.ts `functionGate`) — 401 without a signed-in caller, 403 `tenant-not-allowed` for a directory
 * `auth.allowedTenants` does not list (caller), the tenant registry's verdict (registry), 403 `tenant-required`
 * without a tenant (tenant), the function's `access` rules (authorize) — then its code, with the admitted caller
 * recorded for `callerOf`. `anonymous` admits everyone (a signed-in, admitted caller is still known to `callerOf`).
 * A `callerOf` that finds nobody (in an anonymous function) answers 401 instead of a 500. The registry and the usage
 * ledger are the ones this process's CRUD routes bound (`boundServices`), read once at the first request, unless `options` names
 * them; `options.trace` gives the request its server span (the package's functions: packaging/register-hosted.ts).
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
    readonly services?: RuntimeServices;
    readonly trace?: TraceFrame;
    /** Open the function's data door for an admitted caller (`data: [...]`: runtime/in-process/data-door.ts). */
    readonly door?: (
      request: HttpRequest,
      caller: Caller,
      invocation: InvocationContext | undefined,
    ) => void;
  } = {},
): HttpHandler {
  const gate = functionGate(policy, access, name);
  const endpoint: Endpoint<null> = {
    policy,
    anonymous: gate.anonymous,
    // A function's own access rules decide what an organization's API key may do there, as for a member.
    apiKeys: true,
    // A function's methods are its own registration's: the host routes only those.
    route: () => ({ ok: true, value: null }),
    tenant: (ctx) => {
      const refused = gate.tenant(ctx.caller);
      return refused ? { ok: false, response: refused } : { ok: true, value: undefined };
    },
    authorize: (ctx) => {
      const refused = gate.access(ctx.caller);
      return refused ? { ok: false, response: refused } : { ok: true, value: undefined };
    },
    handle: async (ctx) => {
      // An anonymous function's caller is known only when admitted (signed in, an allowed or registered directory).
      const vouched = ctx.caller.admitted ? ctx.caller.requestCaller() : undefined;
      admitCallerOn(ctx.request, vouched);
      // dataOf acts as the caller: only a caller the gate admitted gets the door (an anonymous function's
      // anonymous caller does not, and its dataOf answers 401 as its callerOf does).
      if (vouched) options.door?.(ctx.request, ctx.caller, ctx.invocation);
      try {
        return await handler(ctx.request, ctx.invocation as InvocationContext);
      } catch (e) {
        if (isCallerAnonymous(e) || (!vouched && isNoDataCaller(e))) return anonymousCaller(name);
        throw e;
      }
    },
    ...(options.trace ? { trace: options.trace } : {}),
  };
  // The bound services are read once, at the first request rather than here: a handler module may wrap its
  // functions before the runtime's registration binds them (its imports run first), and by the first request every
  // registration of the start-up has run.
  let served: HttpHandler | undefined;
  return (request, invocation) => {
    served ??= serve(endpoint, options.services ?? boundServices(policy));
    return served(request, invocation);
  };
}
