import type { HttpRequest, HttpResponseInit } from '@azure/functions';
import type { RuntimeAuth } from '../../model/runtime-manifest.js';
import { claimOf, type ClientPrincipal, principalOf } from './client-principal.js';
import { problemResponse } from '../http/response.js';

/**
 * Whether a directory (the token's `tid`) may call: every one when the policy says `'any'` or names none (a
 * single-tenant registration: App Service authentication admits only its own directory), else those listed
 * (tenant ids compare case-insensitively, as GUIDs).
 *
 * @example
 * ```ts
 * directoryAllowed(
 *   { required: true, tenantClaim: 'tid', trustTenantHeader: false, allowedTenants: ['t1'] },
 *   'T1',
 * ); // true
 * ```
 */
export function directoryAllowed(policy: RuntimeAuth, tid: string | undefined): boolean {
  const allowed = policy.allowedTenants;
  if (allowed === undefined || allowed === 'any') return true;
  if (tid === undefined) return false;
  const t = tid.toLowerCase();
  return allowed.some((a) => a.toLowerCase() === t);
}

/**
 * The 403 `tenant-not-allowed` for a signed-in caller of a directory the backend does not admit
 * (`auth.allowedTenants`), before anything is read: a multi-tenant registration lets any directory's users
 * get tokens, so the runtime, not App Service, decides which customers are onboarded. `undefined` to go on.
 *
 * @example
 * ```ts
 * const refused = authenticate(request, policy) ?? admitDirectory(request, policy);
 * if (refused) return refused;
 * ```
 */
export function admitDirectory(
  request: HttpRequest,
  policy: RuntimeAuth | undefined,
): HttpResponseInit | undefined {
  if (!policy?.required || policy.allowedTenants === undefined || policy.allowedTenants === 'any')
    return undefined;
  return directoryRefusal(policy, principalOf(request));
}

/**
 * {@link admitDirectory} over a principal already decoded (the pipeline's caller stage): the 403 for a directory
 * `auth.allowedTenants` does not list, else `undefined`.
 *
 * @example
 * ```ts
 * const refused = directoryRefusal(policy, principalOf(request));
 * ```
 */
export function directoryRefusal(
  policy: RuntimeAuth,
  principal: ClientPrincipal | undefined,
): HttpResponseInit | undefined {
  if (!policy.required || policy.allowedTenants === undefined || policy.allowedTenants === 'any')
    return undefined;
  const tid = principal ? claimOf(principal, 'tid') : undefined;
  if (directoryAllowed(policy, tid)) return undefined;
  const who =
    tid === undefined
      ? 'Your token names no directory (no tid claim)'
      : `Your directory (tenant ${tid}) is not onboarded`;
  return problemResponse(
    'tenant-not-allowed',
    `${who}: this API admits only the tenants listed in its auth.allowedTenants. The operator adds your ` +
      `tenant id there (and redeploys); your directory's administrator grants consent with the admin consent ` +
      `URL the deployment outputs.`,
  );
}
