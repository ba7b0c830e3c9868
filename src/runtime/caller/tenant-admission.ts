import type { HttpResponseInit } from '@azure/functions';
import type { RuntimeAuth } from '../../model/runtime-manifest.js';
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
 * (`auth.allowedTenants`), before anything is read: a multi-tenant registration lets any directory's users get
 * tokens, so the runtime, not App Service, decides which customers are onboarded. `undefined` to go on.
 *
 * @example
 * ```ts
 * const refused = directoryRefusal(policy, caller.directory);
 * ```
 */
export function directoryRefusal(
  policy: RuntimeAuth,
  tid: string | undefined,
): HttpResponseInit | undefined {
  if (!policy.required || policy.allowedTenants === undefined || policy.allowedTenants === 'any')
    return undefined;
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
