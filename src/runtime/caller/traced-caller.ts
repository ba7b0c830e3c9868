import type { HttpRequest } from '@azure/functions';
import type { GuardedResource, RuntimeAuth } from '../../model/runtime-manifest.js';
import { SHARED_TENANT } from '../telemetry/attributes.js';
import type { TracedCaller } from '../telemetry/request-span.js';
import { identityOf, principalOf } from './client-principal.js';
import { vouchedCaller } from './request-caller.js';
import { resolveTenant } from './tenant-source.js';

/**
 * The caller of a CRUD, children or files request as its span records them, read with the admission's own rules
 * (`resolveTenant`): the tenant the request was confined to (`shared` on shared data; none when it was refused
 * before a tenant was known) and the `oid` of the principal App Service vouches for — never with `auth: 'none'`,
 * when nothing strips a client-sent principal. Pure: nothing is looked up.
 *
 * @example
 * ```ts
 * traceRequests({ route: 'notes', component: 'NoteApi', operationOf, callerOf: tracedCaller(entity, policy) }, handler);
 * ```
 */
export function tracedCaller(
  resource: GuardedResource,
  policy: RuntimeAuth | undefined,
): (request: HttpRequest) => TracedCaller {
  return (request) => {
    const tenant = resolveTenant(resource, request, policy);
    const principal = policy?.required ? principalOf(request) : undefined;
    const user = principal ? identityOf(principal) : undefined;
    return {
      ...(tenant.ok ? { tenant: tenant.value?.id ?? SHARED_TENANT } : {}),
      ...(user !== undefined ? { user } : {}),
    };
  };
}

/**
 * The caller of a FunctionsApp HTTP function as its span records them: the admitted caller's tenant and `oid`
 * (`vouchedCaller`, what `callerOf` gives the handler), nothing for an anonymous caller.
 *
 * @example
 * ```ts
 * traceRequests({ route: 'orders/refund', component: 'Orders', operationOf: () => 'handler', callerOf: tracedFunctionCaller(policy) }, gated);
 * ```
 */
export function tracedFunctionCaller(policy: RuntimeAuth): (request: HttpRequest) => TracedCaller {
  return (request) => {
    const caller = vouchedCaller(request, policy);
    return caller ? { tenant: caller.tenant, user: caller.oid } : {};
  };
}
