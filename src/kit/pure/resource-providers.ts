import type { ResourcePlan } from '../../model/plan.js';

/**
 * Whether the plan deploys any resource of a Terraform type.
 *
 * @example
 * ```ts
 * deploysType(plan, 'azuread_application'); // true when sign-in registers an app
 * ```
 */
export const deploysType = (plan: ResourcePlan, terraformType: string): boolean => plan.resources.some((r) => r.deploys.some((d) => d.terraformType === terraformType));

/**
 * Resource providers a plan needs that azurerm 4.55 registers in none of its sets (`legacy`, the default, nor
 * `core`/`extended`/`all`: internal/resourceproviders/required.go@v4.55.0). Flex Consumption VNet integration
 * delegates its subnet to `Microsoft.App/environments` (Learn, "Flex Consumption plan", virtual network
 * considerations), which a fresh subscription refuses until `Microsoft.App` is registered. Pure: the plan's
 * "before you deploy" block and the stack's provider block read the same list.
 *
 * @example
 * ```ts
 * providersToRegister(plan); // ['Microsoft.App'] for an isolated backend on Flex
 * ```
 */
export function providersToRegister(plan: ResourcePlan): string[] {
  const isolated = plan.resources.some((r) => r.type === 'network');
  return isolated && deploysType(plan, 'azurerm_function_app_flex_consumption') ? ['Microsoft.App'] : [];
}

/**
 * Resource providers the stack's resources live in (what a fresh subscription must have registered, by the
 * provider block or beforehand), from the Terraform types the plan deploys. Pure, sorted.
 *
 * @example
 * ```ts
 * resourceProvidersOf(plan); // ['Microsoft.DocumentDB', 'Microsoft.ManagedIdentity', 'Microsoft.Storage', 'Microsoft.Web']
 * ```
 */
export function resourceProvidersOf(plan: ResourcePlan): string[] {
  const out = new Set<string>(providersToRegister(plan));
  for (const r of plan.resources) {
    for (const d of r.deploys) {
      const ns = NAMESPACE_OF.find(([prefix]) => d.terraformType.startsWith(prefix))?.[1];
      if (ns) out.add(ns);
    }
  }
  return [...out].sort();
}

/** Terraform type prefix → the resource provider namespace (Learn, "Resource providers for Azure services"). */
const NAMESPACE_OF: readonly (readonly [string, string])[] = [
  ['azurerm_cosmosdb_', 'Microsoft.DocumentDB'], ['azurerm_function_app_', 'Microsoft.Web'], ['azurerm_linux_function_app', 'Microsoft.Web'],
  ['azurerm_service_plan', 'Microsoft.Web'], ['azurerm_static_web_app', 'Microsoft.Web'], ['azurerm_storage_', 'Microsoft.Storage'],
  ['azurerm_user_assigned_identity', 'Microsoft.ManagedIdentity'], ['azurerm_key_vault', 'Microsoft.KeyVault'],
  ['azurerm_servicebus_', 'Microsoft.ServiceBus'], ['azurerm_application_insights', 'microsoft.insights'], ['azurerm_monitor_', 'microsoft.insights'],
  ['azurerm_log_analytics_', 'Microsoft.OperationalInsights'], ['azurerm_cdn_', 'Microsoft.Cdn'], ['azurerm_dns_', 'Microsoft.Network'],
  ['azurerm_private_', 'Microsoft.Network'], ['azurerm_virtual_network', 'Microsoft.Network'], ['azurerm_subnet', 'Microsoft.Network'],
  ['azurerm_network_security_group', 'Microsoft.Network'],
];
