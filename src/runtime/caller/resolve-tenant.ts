import type { HttpRequest } from '@azure/functions';
import type { GuardedResource, RuntimeAuth } from '../../model/runtime-manifest.js';
import type { Resolved } from '../http/scope.js';
import type { Tenant } from '../values/tenancy.js';
import { Caller } from './caller-view.js';

/**
 * Who may call, and the tenant every request of an isolated entity is confined to — the caller of `request`
 * decoded as the request pipeline decodes it (`Caller.of`), asked once. With a policy: no principal (or one
 * without `oid`/`sub`) while authentication is required → **401**; the tenant is `x-tenant-id` only if the policy
 * trusts a gateway to set it, else the principal's claim — and with `auth: 'none'` never a principal, which
 * nothing vouches for then; none → **403** `tenant-required`. Without a policy `x-tenant-id` names the tenant.
 *
 * @example
 * ```ts
 * const tenant = resolveTenant(entity, request, callerPolicyOf(manifest));
 * if (!tenant.ok) console.log(tenant.response.status); // 401: no signed-in caller
 * ```
 */
export function resolveTenant(
  entity: GuardedResource,
  request: Pick<HttpRequest, 'headers'>,
  policy: RuntimeAuth | undefined,
): Resolved<Tenant | undefined> {
  return Caller.of(request, policy).tenantFor(entity);
}
