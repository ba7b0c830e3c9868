import type { RuntimeTenantRegistry } from '../../model/runtime-manifest.js';
import { tenantSources } from '../caller/tenant-source.js';
import { boundTenantRegistry } from '../tenants/registry-binding.js';
import { boundUsageMeter } from '../usage/usage-binding.js';
import type { MembersApi } from './members-api.js';
import { membershipTenants } from './membership-tenants.js';

/**
 * Bind the members store, its cache and the organizations' registry for `registry` in this process, for what is
 * built apart from the route registration (a FunctionsApp's gate, handlers a host builds alone): their tenant
 * source becomes the organizations of the caller's memberships, read through `api` and the registry cache bound
 * for `registry` now (bind the registry first). The route registration makes its own at start
 * (routes/app-services.ts).
 *
 * @example
 * ```ts
 * bindMembers(manifest.auth.registry, api);
 * ```
 */
export function bindMembers(registry: RuntimeTenantRegistry, api: MembersApi): MembersApi {
  tenantSources.bind(
    registry,
    membershipTenants(registry, api, boundTenantRegistry(registry), boundUsageMeter(registry)),
  );
  return api;
}
