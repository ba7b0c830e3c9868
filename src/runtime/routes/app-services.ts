import type { Container } from '@azure/cosmos';
import type { RuntimeManifest } from '../../model/runtime-manifest.js';
import { runtimeServices, type RuntimeServices } from '../pipeline/services.js';
import { bindTenantRegistry, cosmosRegistryStore } from '../tenants/registry-binding.js';
import type { RegistryCache } from '../tenants/registry-cache.js';
import { bindUsageMeter } from '../usage/usage-binding.js';
import { UsageMeter } from '../usage/usage-meter.js';
import { cosmosUsageStore } from '../usage/usage-store.js';
import type { RegisterDeps } from './register-deps.js';

/**
 * A container of the tenant registry's database (`auth.registry.database`: the registry, the usage ledger) through
 * the first entity's client — the identity the runtime reads that account with, which holds a data role on both
 * (resources/cosmos/tenant-registry.ts grants every component readwrite); undefined without a registry or an
 * entity.
 *
 * @example
 * ```ts
 * const usage = registryContainer(manifest, deps, reg.usage);
 * ```
 */
export function registryContainer(
  manifest: RuntimeManifest,
  deps: RegisterDeps,
  name: string,
): Container | undefined {
  const reg = deps.caller?.registry;
  const first = manifest.entities[0];
  if (!reg || reg.database === '' || !first) return undefined;
  return deps.containerFor(first).database.client.database(reg.database).container(name);
}

/**
 * The app's services, made once here and handed to every route it registers: with `auth.allowedTenants:
 * 'registry'`, the registry cache every route's registry stage reads and the usage meter beside it (every request
 * counted, the plans' limits enforced). Both are also bound in the process (tenants/registry-binding.ts,
 * usage/usage-binding.ts) for what is built apart from this registration: the FunctionsApps' gate of the same app.
 *
 * @example
 * ```ts
 * const { services } = appServices(manifest, deps);
 * ```
 */
export function appServices(
  manifest: RuntimeManifest,
  deps: RegisterDeps,
): { readonly services: RuntimeServices; readonly registry?: RegistryCache } {
  const reg = deps.caller?.registry;
  let registry: RegistryCache | undefined;
  let meter: UsageMeter | undefined;
  if (reg && reg.database !== '') {
    const records = registryContainer(manifest, deps, reg.container);
    const store =
      deps.tenantRegistry?.store ?? (records && cosmosRegistryStore(records, deps.cosmos));
    if (store) registry = bindTenantRegistry(reg, store, deps.tenantRegistry ?? {});
    const usage = registryContainer(manifest, deps, reg.usage);
    const ledger =
      deps.usageLedger?.store ??
      (usage && reg.usage ? cosmosUsageStore(usage, deps.cosmos) : undefined);
    if (ledger) meter = bindUsageMeter(reg, new UsageMeter(ledger, deps.usageLedger ?? {}));
  }
  return {
    services: runtimeServices(deps.caller, { registry, meter, logger: deps.logger }),
    ...(registry ? { registry } : {}),
  };
}
