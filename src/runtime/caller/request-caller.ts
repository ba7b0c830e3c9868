import type { HttpRequest } from '@azure/functions';
import { DEFAULT_RUNTIME_AUTH } from '../../model/runtime-manifest.js';
import { AtakoraError } from '../../model/errors.js';
import { ALL_FEATURES } from '../../model/plans/plan-features.js';
import { Caller, type RequestCaller } from './caller-view.js';
import { withFeatures } from './caller-features.js';

export type { RequestCaller } from './caller-view.js';

/**
 * Where the gate leaves its verdict on the request. A registry symbol, not a module-level map: a handler's
 * bundle may hold its own copy of this module, and both copies must see the one verdict.
 */
const CALLER_KEY = Symbol.for('@atakora/component.caller');

/** What the gate found: the admitted caller, or nobody (an anonymous function's caller without a principal). */
type Verdict = { readonly caller: RequestCaller | undefined };

/**
 * Record the gate's verdict on the request before user code runs ({@link callerOf} reads it).
 *
 * @example
 * ```ts
 * admitCallerOn(request, caller.admitted ? caller.requestCaller() : undefined);
 * ```
 */
export function admitCallerOn(request: HttpRequest, caller: RequestCaller | undefined): void {
  const verdict: Verdict = Object.freeze({
    caller: caller
      ? Object.freeze(
          withFeatures(
            { ...caller, roles: Object.freeze([...caller.roles]) },
            caller.features ?? ALL_FEATURES,
          ),
        )
      : undefined,
  });
  Object.defineProperty(request, CALLER_KEY, {
    value: verdict,
    enumerable: false,
    configurable: false,
    writable: false,
  });
}

/**
 * The signed-in caller of an HTTP function (or a CRUD request): who they are, their directory, roles and the
 * tenant the runtime confines to — the same in Azure and under `atakora dev`. A function of a FunctionsApp runs
 * only after the runtime's gate admitted its caller (signed in, allowed directory, its `access` rules), which
 * records them on the request; called on a request the gate did not see, it reads App Service's
 * `x-ms-client-principal` as the deployed runtime would (tenant from `tid`).
 *
 * Throws `AtakoraError` `CALLER_ANONYMOUS` when nobody signed in (only possible in an `anonymous` function, or
 * with `auth: 'none'`); the gate turns that into a 401, so `callerOf` in an anonymous function means "this
 * part needs a signed-in caller".
 *
 * @example
 * ```ts
 * import type { HttpRequest } from '@azure/functions';
 * import { callerOf } from '@atakora/component/runtime';
 *
 * export default async function whoAmI(request: HttpRequest) {
 *   const { oid, tid, name, roles, tenant } = callerOf(request);
 *   return { jsonBody: { oid, tid, name, roles, tenant } };
 * }
 * ```
 */
export function callerOf(request: HttpRequest): RequestCaller {
  const verdict = Reflect.get(request, CALLER_KEY) as Verdict | undefined;
  const caller = verdict
    ? verdict.caller
    : Caller.of(request, DEFAULT_RUNTIME_AUTH).requestCaller();
  if (caller) return caller;
  throw new AtakoraError(
    'CALLER_ANONYMOUS',
    'No signed-in caller: the request carries no principal with an identity and a directory.',
    { path: ['request', 'x-ms-client-principal'] },
  );
}
