import type { DataAzurermClientConfig } from '@cdktf/provider-azurerm/lib/data-azurerm-client-config/index.js';
import { tfName } from '../pure/names/terraform-names.js';
import { named, type ProvisionContext } from './provision-context.js';
import { azurerm } from './cdk-modules.js';

/**
 * The identity Terraform deploys with (its tenant id), read once per backend scope: a data source, so
 * not a planned deploy. Shared by the Key Vault (its tenant) and App Service authentication (the token issuer).
 *
 * @example
 * ```ts
 * const tenantId = clientConfig(ctx).tenantId;
 * ```
 */
export function clientConfig(ctx: ProvisionContext): DataAzurermClientConfig {
  const { DataAzurermClientConfig } = azurerm('data-azurerm-client-config');
  const id = tfName(ctx.config.backendId, 'client_config');
  const existing = ctx.scope.node.tryFindChild(id);
  if (existing instanceof DataAzurermClientConfig) return existing;
  return named(new DataAzurermClientConfig(ctx.scope, id, {}), id);
}
