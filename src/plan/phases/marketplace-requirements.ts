import type { NormalizedConfig } from '../../model/config.js';
import type { SourcedRequirement } from '../../model/requirements.js';
import { LANDING_SECRET, LANDING_SECRET_SETTING } from '../../model/marketplace.js';
import { hasTenantRegistry } from '../../kit/pure/tenant-registry.js';
import { createsLandingRegistration } from '../../kit/pure/marketplace-landing.js';
import { secretReferenceSetting, vaultSecretName } from '../../kit/pure/names/secret-names.js';
import { crudRuntimeHost, onHost } from './crud-host.js';

/**
 * What `tenants.billing.marketplace` asks of the plan (DESIGN §2, "Sold on Azure Marketplace beside Stripe"), as
 * `tenants.billing.stripe` does (billing-requirements.ts): the Function App that runs the CRUD runtime — where the
 * landing page, the webhook and the metering timer run — gets the fulfillment app's client secret as a Key Vault
 * reference under the secret's name (`MARKETPLACE_SECRET` → `@Microsoft.KeyVault(…;SecretName=MARKETPLACE-SECRET)`)
 * and, with the landing sign-in registered, App Service's provider secret (`MARKETPLACE_PROVIDER_AUTHENTICATION_SECRET`,
 * the setting azurerm names for the `marketplace` custom OpenID Connect provider) referring to
 * `MARKETPLACE_LANDING_SECRET`; three more functions (landing, webhook, timer); the backend's vault holds both
 * secrets, read by that app. Secret values never reach config, the plan or Terraform state: `atakora secret set`.
 *
 * @example
 * ```ts
 * const extra = marketplaceRequirements(config, collected); // [] without tenants.billing.marketplace
 * ```
 */
export function marketplaceRequirements(
  config: NormalizedConfig,
  collected: readonly SourcedRequirement[],
): SourcedRequirement[] {
  const marketplace = config.tenants?.billing?.marketplace;
  if (!marketplace || !hasTenantRegistry(config)) return [];
  const host = crudRuntimeHost(collected);
  if (!host) return [];
  const landing = createsLandingRegistration(config);
  const sharedSettings: Record<string, string> = {
    [marketplace.secret]: secretReferenceSetting(marketplace.secret),
    ...(landing ? { [LANDING_SECRET_SETTING]: secretReferenceSetting(LANDING_SECRET) } : {}),
  };
  const secrets = [marketplace.secret, ...(landing ? [LANDING_SECRET] : [])];
  const functions = { runtime: 'node', crudRuntime: true, functionCount: 3, sharedSettings };
  const vault = { secrets: secrets.map(vaultSecretName), access: 'read' };
  const of = onHost(host, collected, 'marketplace', 2);
  return [of('functions', functions, 0), of('keyvault', vault, 1)];
}
