import type { HttpRequest } from '@azure/functions';
import type { RuntimeAuth } from '../../model/runtime-manifest.js';
import type { JobCaller } from '../pipeline/context.js';
import { plainRequest } from '../http/plain-request.js';
import {
  CLIENT_PRINCIPAL_HEADER,
  claimOf,
  type ClientPrincipal,
  identityOf,
  rolesOf,
} from './client-principal.js';
import { TENANT_HEADER } from './tenant-header.js';

/**
 * The caller a mark records (the job acts as it): identity, tenant, roles, from the request's vouched principal.
 *
 * @example
 * ```ts
 * cascadeCallerOf(request, principalOf(request), policy); // { oid: 'u1', tid: 't1', roles: [] }
 * ```
 */
export function cascadeCallerOf(
  request: HttpRequest,
  principal: ClientPrincipal | undefined,
  policy: RuntimeAuth | undefined,
): JobCaller {
  const tid = principal ? claimOf(principal, policy?.tenantClaim ?? 'tid') : undefined;
  const header = policy?.trustTenantHeader ? request.headers.get(TENANT_HEADER) : null;
  return {
    oid: (principal && identityOf(principal)) ?? '',
    ...(header ? { tid: header } : tid !== undefined ? { tid } : {}),
    roles: principal ? rolesOf(principal) : [],
  };
}

/**
 * A request as the recorded caller would send it, for the background job: the same principal claims (identity,
 * directory, roles) and, behind a trusted gateway, the same tenant header — so the job passes the very rules the
 * caller's delete passed.
 *
 * @example
 * ```ts
 * const request = requestAs({ oid: 'u1', tid: 't1', roles: [] }, policy);
 * ```
 */
export function requestAs(caller: JobCaller, policy: RuntimeAuth | undefined): HttpRequest {
  const claims = [
    { typ: 'oid', val: caller.oid },
    ...(caller.tid !== undefined
      ? [
          { typ: 'tid', val: caller.tid },
          { typ: policy?.tenantClaim ?? 'tid', val: caller.tid },
        ]
      : []),
    ...caller.roles.map((r) => ({ typ: 'roles', val: r })),
  ];
  const principal = Buffer.from(JSON.stringify({ auth_typ: 'aad', claims })).toString('base64');
  // What the rules and tenant resolution read of a request: its headers (a plain object, not the host's class:
  // @azure/functions is CommonJS and its classes are no named exports of an ES module bundle).
  const headers = new Headers({
    [CLIENT_PRINCIPAL_HEADER]: principal,
    ...(policy?.trustTenantHeader && caller.tid !== undefined
      ? { [TENANT_HEADER]: caller.tid }
      : {}),
  });
  return plainRequest('DELETE', 'https://cascade.invalid/api', headers, new URLSearchParams());
}
