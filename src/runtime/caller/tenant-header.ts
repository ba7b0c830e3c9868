import type { HttpRequest } from '@azure/functions';
import type { RuntimeAuth } from '../../model/runtime-manifest.js';
import type { Tenant } from '../values/tenancy.js';
import { MAX_KEY_LENGTH } from '../values/partition.js';
import { isWellFormed } from '../values/text-checks.js';

/**
 * Header that names the caller's tenant for entities partitioned by `/tenantId`: every request of such an
 * entity is scoped to that tenant's partition (a body with another `tenantId` is refused).
 *
 * @example
 * ```ts
 * const apiEndpoint = 'https://func-backend-prod-k3x9a1.azurewebsites.net/api/users';
 * const request = new Request(`${apiEndpoint}/42`, { headers: { [TENANT_HEADER]: 'contoso' } }); // fetch(request): item 42 of contoso
 * ```
 */
export const TENANT_HEADER = 'x-tenant-id';

/**
 * The one tenant rule: a tenant id, wherever it comes from (a claim, the gateway's header, a job's record), is
 * its text trimmed, not blank, at most a partition key value long (2 KiB) and well-formed UTF-16; anything else
 * names no tenant.
 *
 * @example
 * ```ts
 * tenantValue(' contoso '); // 'contoso'
 * tenantValue('\ud800'); // undefined
 * ```
 */
export function tenantValue(raw: string | null | undefined): string | undefined {
  const value = raw?.trim();
  return value && value.length <= MAX_KEY_LENGTH && isWellFormed(value) ? value : undefined;
}

/**
 * The tenant named by the request, `undefined` when the header is missing or names no tenant ({@link tenantValue}).
 *
 * @example
 * ```ts
 * tenantOf(request); // 'contoso'
 * ```
 */
export function tenantOf(request: Pick<HttpRequest, 'headers'>): string | undefined {
  return tenantValue(request.headers.get(TENANT_HEADER));
}

/** A tenant claim's value under the one tenant rule, with where it came from. */
export function claimedTenant(value: string | undefined, policy: RuntimeAuth): Tenant | undefined {
  const id = tenantValue(value);
  return id === undefined
    ? undefined
    : { id, source: `the ${policy.tenantClaim} claim of your token` };
}
