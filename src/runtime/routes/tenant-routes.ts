import type { RuntimeManifest } from '../../model/runtime-manifest.js';
import { TENANT_FUNCTION, TENANT_ROUTE } from '../../contract/routes.js';
import { TENANTS_FUNCTIONS, TENANTS_ROUTE } from '../../contract/tenants.js';
import type { RuntimeServices } from '../pipeline/context.js';
import { cosmosRegistryAdmin } from '../tenants/registry-admin-store.js';
import type { RegistryCache } from '../tenants/registry-cache.js';
import type { AddRoute, RegisterDeps } from './register-deps.js';
import { registryContainer } from './app-services.js';
import { createTenantHandler } from './tenant-route.js';
import { createTenantsHandlers } from './tenants-route.js';

/**
 * Where a registry admits callers: the caller's own tenant record (`GET api/tenant`, tenant-route.ts) and the
 * TenantAdmin API (`api/tenants`, `api/tenants/{id}`: the home directory's TenantAdmin role, tenants-route.ts).
 *
 * @example
 * ```ts
 * registerTenantRoutes(manifest, deps, services, registry, add);
 * ```
 */
export function registerTenantRoutes(
  manifest: RuntimeManifest,
  deps: RegisterDeps,
  services: RuntimeServices,
  records: RegistryCache | undefined,
  add: AddRoute,
): void {
  const policy = deps.caller;
  const registry = policy?.registry;
  if (!policy || !registry) return;
  add(TENANT_FUNCTION, TENANT_ROUTE, createTenantHandler(policy, services));
  // The registry container as the TenantAdmin API writes it (the registry stage's identity), when there is one.
  const container =
    registry.database === '' ? undefined : registryContainer(manifest, deps, registry.container);
  const store =
    registry.database === ''
      ? undefined
      : (deps.tenantRegistry?.admin ?? (container && cosmosRegistryAdmin(container, deps.cosmos)));
  if (!store) return;
  const handlers = createTenantsHandlers(
    policy,
    { store, registry, ...(records ? { records } : {}) },
    services,
  );
  add(TENANTS_FUNCTIONS.collection, TENANTS_ROUTE, handlers.collection);
  add(TENANTS_FUNCTIONS.item, `${TENANTS_ROUTE}/{id}`, handlers.item);
}
