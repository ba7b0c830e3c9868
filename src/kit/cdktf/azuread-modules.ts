import { createRequire } from 'node:module';
import { loadOnce } from './cdk-modules.js';

/**
 * The azuread binding modules the Entra provisioner uses, by folder name under `@cdktf/provider-azuread/lib/`:
 * the types {@link azuread} returns. Add a line here to use another binding.
 */
export interface AzureadModules {
  application: typeof import('@cdktf/provider-azuread/lib/application/index.js');
  'application-identifier-uri': typeof import('@cdktf/provider-azuread/lib/application-identifier-uri/index.js');
  'application-pre-authorized': typeof import('@cdktf/provider-azuread/lib/application-pre-authorized/index.js');
  'data-azuread-client-config': typeof import('@cdktf/provider-azuread/lib/data-azuread-client-config/index.js');
  provider: typeof import('@cdktf/provider-azuread/lib/provider/index.js');
  'service-principal': typeof import('@cdktf/provider-azuread/lib/service-principal/index.js');
}

// CommonJS bindings, required like the azurerm ones (cdk-modules.ts says why).
const requireCjs = createRequire(import.meta.url);

/**
 * One azuread binding module, loaded on first use: only a backend that creates app registrations loads them.
 *
 * @example
 * ```ts
 * const { Application } = azuread('application');
 * new Application(scope, id, { displayName: 'orders-api' });
 * ```
 */
export function azuread<K extends keyof AzureadModules>(name: K): AzureadModules[K] {
  return loadOnce(loaded, name, () =>
    requireCjs(`@cdktf/provider-azuread/lib/${name}/index.js`),
  ) as AzureadModules[K];
}

const loaded = new Map<string, unknown>();
