import type { KeyVault } from '../../kit/cdktf/azurerm-types.js';
import { named, regional, type ProvisionContext } from '../../kit/cdktf/provision-context.js';
import { clientConfig } from '../../kit/cdktf/client-config.js';
import type { FunctionAppOf } from '../../kit/cdktf/provisioner.js';
import { consumerApps, grantToApps } from '../../kit/cdktf/app-role-grants.js';
import type { TypedPlannedResource } from '../../kit/pure/resources/resource-type.js';
import { tfName } from '../../kit/pure/names/terraform-names.js';
import {
  KEYVAULT_SECRET_ROLES,
  keyVaultGrants,
  type MergedKeyVaultConfig,
  readingApp,
} from './type.js';
import { azurerm } from '../../kit/cdktf/cdk-modules.js';
import { provisionSigningKeys } from './signing-keys-provision.js';

/**
 * The Key Vault, secure by default and written out for scanners: RBAC authorisation (no access policies),
 * purge protection, soft-delete retention from the plan, public network access off and ACLs denying by
 * default in isolated mode (the network kind adds its private endpoint). No secrets are created: their
 * values never pass through config or Terraform state.
 *
 * @example
 * ```ts
 * const vault = provisionKeyVault(ctx, plan.resources.find((r) => r.key === 'keyvault:shared')!);
 * ```
 */
export function provisionKeyVault(
  ctx: ProvisionContext,
  resource: TypedPlannedResource<MergedKeyVaultConfig>,
): KeyVault {
  const { KeyVault } = azurerm('key-vault');
  const c = resource.config;
  const base = tfName(ctx.config.backendId, resource.key);
  const isolated = ctx.config.networking.mode === 'isolated';
  return named(
    new KeyVault(ctx.scope, base, {
      ...regional(ctx, resource.name),
      tenantId: clientConfig(ctx).tenantId,
      skuName: c.sku,
      rbacAuthorizationEnabled: true,
      purgeProtectionEnabled: true,
      softDeleteRetentionDays: c.softDeleteRetentionDays,
      publicNetworkAccessEnabled: !isolated,
      networkAcls: { defaultAction: isolated ? 'Deny' : 'Allow', bypass: 'AzureServices' },
    }),
    base,
  );
}

/**
 * Each consumer's Function App identity gets a secrets role scoped to the vault: Key Vault Secrets User
 * (read) or Secrets Officer (readwrite) — one assignment per app, as the plan lists; and the vault's signing keys
 * with their users' roles (signing-keys-provision.ts). Runs after the apps exist.
 *
 * @example
 * ```ts
 * for (const r of plan.resources) if (r.type === 'keyvault') grantKeyVaultAccess(ctx, r, functionAppOf);
 * ```
 */
export function grantKeyVaultAccess(
  ctx: ProvisionContext,
  resource: TypedPlannedResource<MergedKeyVaultConfig>,
  functionAppOf: FunctionAppOf,
): void {
  const c = resource.config;
  const base = tfName(ctx.config.backendId, resource.key);
  const vault = ctx.constructs.get(resource.key) as KeyVault;
  // A consumer that is no component (the runtime's billing) reads in the app of the component it names.
  const readers = Object.keys(c.access).map((id) => c.readsIn?.[id] ?? id);
  const { functionsKeyOf, appOfKey } = consumerApps(ctx, readers, functionAppOf);
  const grants = keyVaultGrants(base, c.access, readingApp(c.readsIn, functionsKeyOf)).map((g) => ({
    ...g,
    roleDefinitionName: KEYVAULT_SECRET_ROLES[g.access],
  }));
  grantToApps(ctx, vault.id, grants, appOfKey);
  provisionSigningKeys(ctx, vault, base, c.signingKeys, functionAppOf);
}
