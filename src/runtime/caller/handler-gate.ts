import type { HttpRequest, HttpResponseInit } from '@azure/functions';
import {
  AUTH_SETTING,
  HOME_TENANT_SETTING,
  type FunctionAccessRule,
  type RuntimeAuth,
} from '../../model/runtime-manifest.js';
import { problemResponse } from '../http/response.js';
import { admitCallerOn, type RequestCaller, vouchedCaller } from './request-caller.js';
import { admitDirectory } from './tenant-admission.js';
import { authenticate, callerPolicyOf } from './tenant-source.js';
import { TENANT_HEADER } from './tenant-header.js';

/**
 * The caller policy of a Function App's HTTP functions, from its `ATAKORA_AUTH` app setting (apply and `atakora
 * dev` write it for every app hosting HTTP functions); absent or malformed → the secure default (signed in, tenant
 * from `tid`), never an open API.
 *
 * @example
 * ```ts
 * const policy = callerPolicyFromEnv(process.env);
 * ```
 */
export function callerPolicyFromEnv(
  env: Readonly<Record<string, string | undefined>>,
): RuntimeAuth {
  let auth: unknown;
  try {
    auth = JSON.parse(env[AUTH_SETTING] ?? 'null');
  } catch {
    auth = undefined;
  }
  const policy = callerPolicyOf({
    version: 1,
    backendId: '-',
    entities: [],
    ...(auth && typeof auth === 'object' ? { auth: auth as RuntimeAuth } : {}),
  });
  // The home directory is a deploy-time app setting, as for the CRUD routes (start-runtime.ts): the registry stage
  // admits it without a record, on handlers too.
  const home = env[HOME_TENANT_SETTING]?.trim();
  return home && policy.homeTenant === undefined ? { ...policy, homeTenant: home } : policy;
}

/** A rule as the FunctionsApp config writes it, for messages. */
function describe(rule: FunctionAccessRule): string {
  return rule.allow === 'role'
    ? `{ allow: 'role', role: '${rule.role}' }`
    : `{ allow: '${rule.allow}' }`;
}

/**
 * The admission of one HTTP function's request, before its code runs — the CRUD routes' own: 401 without a
 * signed-in caller, 403 `tenant-not-allowed` for a directory `auth.allowedTenants` does not list (App Service
 * authentication of a multi-tenant registration admits every directory's token), 403 `tenant-required` without a
 * tenant, then the function's `access` rules (403 `access-denied` naming them). `anonymous` admits everyone.
 * Returns the refusal, or `undefined` with the caller recorded on the request for `callerOf`.
 *
 * @example
 * ```ts
 * import type { HttpRequest } from '@azure/functions';
 * export async function refund(request: HttpRequest) {
 *   const refused = admitFunctionCall(
 *     request,
 *     callerPolicyFromEnv(process.env),
 *     [{ allow: 'role', role: 'OrderAdmin' }],
 *     'Orders-refund',
 *   );
 *   return refused ?? { status: 202 };
 * }
 * ```
 */
export function admitFunctionCall(
  request: HttpRequest,
  policy: RuntimeAuth,
  access: readonly FunctionAccessRule[] | undefined,
  name: string,
): HttpResponseInit | undefined {
  const rules = functionRules(access);
  if (rules.some((r) => r.allow === 'anonymous')) {
    // Open to everyone; a signed-in caller of an allowed directory is still known to callerOf.
    const caller =
      (authenticate(request, policy) ?? admitDirectory(request, policy))
        ? undefined
        : vouchedCaller(request, policy);
    admitCallerOn(request, caller);
    return undefined;
  }
  const refused = authenticate(request, policy) ?? admitDirectory(request, policy);
  if (refused) return refused;
  const caller = vouchedCaller(request, policy);
  const denied =
    functionTenantRefusal(policy, caller, name) ?? functionAccessRefusal(rules, caller, name);
  if (denied) return denied;
  admitCallerOn(request, caller);
  return undefined;
}

/**
 * A function's access rules as the gate applies them: none given → signed-in callers.
 *
 * @example
 * ```ts
 * functionRules(undefined); // [{ allow: 'authenticated' }]
 * ```
 */
export function functionRules(
  access: readonly FunctionAccessRule[] | undefined,
): readonly FunctionAccessRule[] {
  return access && access.length > 0 ? access : [{ allow: 'authenticated' as const }];
}

/**
 * The 403 `tenant-required` of a function whose signed-in caller names no tenant (authentication on), else
 * `undefined`.
 *
 * @example
 * ```ts
 * const refused = functionTenantRefusal(policy, vouchedCaller(request, policy), 'Orders-refund');
 * ```
 */
export function functionTenantRefusal(
  policy: RuntimeAuth,
  caller: RequestCaller | undefined,
  name: string,
): HttpResponseInit | undefined {
  if (!policy.required || caller) return undefined;
  const where = policy.trustTenantHeader
    ? ` and the request has no ${TENANT_HEADER} header your trusted gateway sets`
    : '';
  return problemResponse(
    'tenant-required',
    `${name} serves callers of a tenant: your token has no tid or ${policy.tenantClaim} claim${where}.`,
  );
}

/**
 * The 403 `access-denied` naming a function's rules when none admits the caller, else `undefined`.
 *
 * @example
 * ```ts
 * const refused = functionAccessRefusal([{ allow: 'role', role: 'OrderAdmin' }], caller, 'Orders-refund');
 * ```
 */
export function functionAccessRefusal(
  rules: readonly FunctionAccessRule[],
  caller: RequestCaller | undefined,
  name: string,
): HttpResponseInit | undefined {
  if (
    rules.some(
      (r) =>
        r.allow === 'authenticated' ||
        (r.allow === 'role' && caller?.roles.includes(r.role) === true),
    )
  )
    return undefined;
  const roles = rules
    .filter((r) => r.allow === 'role')
    .map((r) => (r.allow === 'role' ? r.role : ''));
  return problemResponse(
    'access-denied',
    `You may not call ${name}: it is allowed by ${rules.map(describe).join(' or ')} (ask an administrator ` +
      `to assign you the app role ${roles.join(' or ')} of the API registration).`,
    {
      rules: rules.map(describe),
    },
  );
}

/**
 * `callerOf`'s refusal, from whichever copy of this package the handler's bundle holds (so by shape, not class).
 *
 * @example
 * ```ts
 * if (isCallerAnonymous(e)) return anonymousCaller('Orders-refund');
 * ```
 */
export function isCallerAnonymous(e: unknown): boolean {
  return (
    e instanceof Error &&
    e.name === 'AtakoraError' &&
    (e as { code?: unknown }).code === 'CALLER_ANONYMOUS'
  );
}

/**
 * `dataOf`'s refusal of a request without an admitted caller (an anonymous function's anonymous caller), by shape.
 *
 * @example
 * ```ts
 * if (isNoDataCaller(e)) return anonymousCaller('Reports-stats');
 * ```
 */
export function isNoDataCaller(e: unknown): boolean {
  return (
    e instanceof Error &&
    e.name === 'AtakoraError' &&
    (e as { code?: unknown }).code === 'DATA_NO_CALLER'
  );
}

/**
 * The 401 of a function whose code needed a signed-in caller (`callerOf` in an anonymous function).
 *
 * @example
 * ```ts
 * return anonymousCaller('Orders-refund');
 * ```
 */
export function anonymousCaller(name: string): HttpResponseInit {
  return problemResponse(
    'unauthenticated',
    `${name} needs a signed-in caller for this request: call it with an Entra ID bearer token.`,
    { headers: { 'WWW-Authenticate': 'Bearer' } },
  );
}
