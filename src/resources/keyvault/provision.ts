import type { KeyVault } from '@cdktf/provider-azurerm/lib/key-vault/index.js';
import { named, type ProvisionContext } from '../../kit/cdktf/provision-context.js';
import { clientConfig } from '../../kit/cdktf/client-config.js';
import type { FunctionAppConstruct, FunctionAppOf } from '../../kit/cdktf/provisioner.js';
import type { TypedPlannedResource } from '../../kit/pure/resource-type.js';
import { tfName } from '../../kit/pure/terraform-names.js';
import { KEYVAULT_SECRET_ROLES, keyVaultGrants, type MergedKeyVaultConfig } from './type.js';
import { azurerm } from '../../kit/cdktf/cdk-modules.js';
import { appWaitsFor } from '../../kit/cdktf/app-waits-for.js';
import { hostIdentityOf } from '../../kit/cdktf/host-identity-lookup.js';

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
export function provisionKeyVault(ctx: ProvisionContext, resource: TypedPlannedResource<MergedKeyVaultConfig>): KeyVault {
  const { KeyVault } = azurerm('key-vault');
  const c = resource.config;
  const base = tfName(ctx.config.backendId, resource.key);
  const isolated = ctx.config.networking.mode === 'isolated';
  return named(new KeyVault(ctx.scope, base, {
    name: resource.name,
    resourceGroupName: ctx.resourceGroupName,
    location: ctx.plan.location,
    tenantId: clientConfig(ctx).tenantId,
    skuName: c.sku,
    rbacAuthorizationEnabled: true,
    purgeProtectionEnabled: true,
    softDeleteRetentionDays: c.softDeleteRetentionDays,
    publicNetworkAccessEnabled: !isolated,
    networkAcls: { defaultAction: isolated ? 'Deny' : 'Allow', bypass: 'AzureServices' },
    tags: { ...ctx.tags },
    dependsOn: [...ctx.dependsOn],
  }), base);
}

/**
 * Each consumer's Function App identity gets a secrets role scoped to the vault: Key Vault Secrets User
 * (read) or Secrets Officer (readwrite) — one assignment per app, as the plan lists. Runs after the apps exist.
 *
 * @example
 * ```ts
 * for (const r of plan.resources) if (r.type === 'keyvault') grantKeyVaultAccess(ctx, r, functionAppOf);
 * ```
 */
export function grantKeyVaultAccess(ctx: ProvisionContext, resource: TypedPlannedResource<MergedKeyVaultConfig>, functionAppOf: FunctionAppOf): void {
  const { RoleAssignment } = azurerm('role-assignment');
  const { LinuxFunctionApp } = azurerm('linux-function-app');
  const c = resource.config;
  const base = tfName(ctx.config.backendId, resource.key);
  const vault = ctx.constructs.get(resource.key) as KeyVault;
  const functionsKeyOf = (id: string) => ctx.plan.components.find((x) => x.id === id)?.resources['functions'];
  const appOfKey = new Map<string, FunctionAppConstruct>();
  for (const id of Object.keys(c.access)) {
    const key = functionsKeyOf(id);
    const app = functionAppOf(id);
    if (key && app) appOfKey.set(key, app);
  }
  for (const g of keyVaultGrants(base, c.access, functionsKeyOf)) {
    const app = appOfKey.get(g.functionsKey);
    if (!app) continue;
    // Premium/Dedicated: the app resolves Key Vault references with its host identity (key_vault_reference_identity_id),
    // which exists before the app, so the role is granted to it and the app waits for it: references resolve at
    // first start. Flex: azurerm 4.55 has no key_vault_reference_identity_id on azurerm_function_app_flex_consumption
    // (function_app_flex_consumption_resource.go@v4.55.0; hashicorp/terraform-provider-azurerm#31439 is open), so
    // references use the system identity, which exists only with the app (docs/deploying.md, Key Vault on Flex).
    const host = app instanceof LinuxFunctionApp ? hostIdentityOf(ctx, tfName(ctx.config.backendId, g.functionsKey)) : undefined;
    const assignment = named(new RoleAssignment(ctx.scope, g.name, {
      scope: vault.id, roleDefinitionName: KEYVAULT_SECRET_ROLES[g.access], principalId: host ? host.principalId : app.identity.principalId, principalType: 'ServicePrincipal',
    }), g.name);
    if (host) appWaitsFor(app, assignment);
  }
}
