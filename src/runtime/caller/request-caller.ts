import type { HttpRequest } from '@azure/functions';
import { DEFAULT_RUNTIME_AUTH, type RuntimeAuth } from '../../model/runtime-manifest.js';
import { AtakoraError } from '../../model/errors.js';
import {
  claimOf,
  type ClientPrincipal,
  identityOf,
  nameOf,
  principalOf,
  rolesOf,
} from './client-principal.js';
import { tenantOf } from './tenant-header.js';
import { isWellFormed } from '../values/text-checks.js';

/**
 * Who calls a handler, as the runtime admitted them: `oid` (the identity claim: Entra's object id, else `sub`),
 * `tid` (their directory), `name` (display name, when the token has one), `roles` (app roles of the API
 * registration), and `tenant` — the tenant the runtime confines their data to (the tenant claim, `tid` unless
 * `tenancy.claim` says otherwise, or the header a trusted gateway sets).
 *
 * @example
 * ```ts
 * const caller: RequestCaller = {
 *   oid: '00000000-0000-0000-0000-00000000000a',
 *   tid: 'contoso-tid',
 *   name: 'Alice',
 *   roles: ['OrderAdmin'],
 *   tenant: 'contoso-tid',
 * };
 * ```
 */
export interface RequestCaller {
  readonly oid: string;
  readonly tid: string;
  readonly name?: string;
  readonly roles: readonly string[];
  readonly tenant: string;
}

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
 * admitCallerOn(request, resolveCaller(request, policy).caller);
 * ```
 */
export function admitCallerOn(request: HttpRequest, caller: RequestCaller | undefined): void {
  const verdict: Verdict = Object.freeze({
    caller: caller
      ? Object.freeze({ ...caller, roles: Object.freeze([...caller.roles]) })
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
 * The caller the policy vouches for: `undefined` without a principal naming someone (or with authentication
 * off, when nothing strips a client-sent principal), or without a tenant. The tenant is the trusted gateway's
 * `x-tenant-id` when the policy trusts one, else the policy's tenant claim.
 *
 * @example
 * ```ts
 * const caller = vouchedCaller(request, callerPolicyOf(manifest));
 * ```
 */
export function vouchedCaller(
  request: HttpRequest,
  policy: RuntimeAuth,
): RequestCaller | undefined {
  return callerFrom(request, policy.required ? principalOf(request) : undefined, policy);
}

/**
 * {@link vouchedCaller} over the vouched principal already decoded (the pipeline's caller stage).
 *
 * @example
 * ```ts
 * const caller = callerFrom(request, principalOf(request), policy);
 * ```
 */
export function callerFrom(
  request: HttpRequest,
  principal: ClientPrincipal | undefined,
  policy: RuntimeAuth,
): RequestCaller | undefined {
  if (!principal) return undefined;
  const oid = identityOf(principal);
  const tid = claimOf(principal, 'tid');
  const fromHeader = policy.trustTenantHeader ? tenantOf(request) : undefined;
  const claimed = claimOf(principal, policy.tenantClaim);
  const tenant =
    fromHeader ??
    (claimed !== undefined && claimed.length <= 2048 && isWellFormed(claimed)
      ? claimed
      : undefined);
  if (oid === undefined || tid === undefined || tenant === undefined) return undefined;
  const name = nameOf(principal);
  return { oid, tid, ...(name !== undefined ? { name } : {}), roles: rolesOf(principal), tenant };
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
  const caller = verdict ? verdict.caller : vouchedCaller(request, DEFAULT_RUNTIME_AUTH);
  if (caller) return caller;
  throw new AtakoraError(
    'CALLER_ANONYMOUS',
    'No signed-in caller: the request carries no principal with an identity and a directory.',
    { path: ['request', 'x-ms-client-principal'] },
  );
}
