import { named, type ProvisionContext } from './provision-context.js';
import type { FunctionAppConstruct, FunctionAppOf } from './provisioner.js';
import { tfName } from '../pure/names/terraform-names.js';
import { azurerm } from './cdk-modules.js';
import { appWaitsFor } from './app-waits-for.js';
import { hostIdentityOf } from './host-identity-lookup.js';

/** One data-plane role a consumer's Function App gets on a resource (its Terraform name, its role). */
export interface AppRoleGrant {
  readonly name: string;
  readonly functionsKey: string;
  readonly roleDefinitionName: string;
}

/**
 * The Function App each consumer component runs in, by the plan's functions resource key: what a data service's
 * grants (planned per Function App, not per component) are given to.
 *
 * @example
 * ```ts
 * const apps = consumerApps(ctx, Object.keys(resource.config.access), functionAppOf);
 * ```
 */
export function consumerApps(
  ctx: ProvisionContext,
  componentIds: readonly string[],
  functionAppOf: FunctionAppOf,
): {
  functionsKeyOf: (componentId: string) => string | undefined;
  appOfKey: ReadonlyMap<string, FunctionAppConstruct>;
} {
  const functionsKeyOf = (id: string) =>
    ctx.plan.components.find((x) => x.id === id)?.resources['functions'];
  const appOfKey = new Map<string, FunctionAppConstruct>();
  for (const id of componentIds) {
    const key = functionsKeyOf(id);
    const app = functionAppOf(id);
    if (key && app) appOfKey.set(key, app);
  }
  return { functionsKeyOf, appOfKey };
}

/**
 * Grants each planned role on `scopeId` to its Function App. Premium/Dedicated apps act with their host identity,
 * which exists before the app, so the role goes to it and the app waits for the role (Key Vault references and
 * triggers work at first start). Flex: azurerm 4.55 has no `key_vault_reference_identity_id` on
 * `azurerm_function_app_flex_consumption` (function_app_flex_consumption_resource.go@v4.55.0;
 * hashicorp/terraform-provider-azurerm#31439 is open), so the app's system identity gets the role, which exists
 * only with the app (docs/deploying.md, Key Vault on Flex).
 *
 * @example
 * ```ts
 * grantToApps(
 *   ctx,
 *   vault.id,
 *   grants.map((g) => ({ ...g, roleDefinitionName: KEYVAULT_SECRET_ROLES[g.access] })),
 *   appOfKey,
 * );
 * ```
 */
export function grantToApps(
  ctx: ProvisionContext,
  scopeId: string,
  grants: readonly AppRoleGrant[],
  appOfKey: ReadonlyMap<string, FunctionAppConstruct>,
): void {
  const { RoleAssignment } = azurerm('role-assignment');
  const { LinuxFunctionApp } = azurerm('linux-function-app');
  for (const g of grants) {
    const app = appOfKey.get(g.functionsKey);
    if (!app) continue;
    const host =
      app instanceof LinuxFunctionApp
        ? hostIdentityOf(ctx, tfName(ctx.config.backendId, g.functionsKey))
        : undefined;
    const assignment = named(
      new RoleAssignment(ctx.scope, g.name, {
        scope: scopeId,
        roleDefinitionName: g.roleDefinitionName,
        principalId: host ? host.principalId : app.identity.principalId,
        principalType: 'ServicePrincipal',
      }),
      g.name,
    );
    if (host) appWaitsFor(app, assignment);
  }
}
