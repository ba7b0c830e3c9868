import type { ResourcePlan } from '../../../model/plan.js';
import { compare } from './merge-strategies.js';
import type { ResourceFacts, ResourceProviderFact } from './resource-facts.js';

/**
 * Whether the plan deploys any resource of a Terraform type.
 *
 * @example
 * ```ts
 * deploysType(plan, 'azuread_application'); // true when sign-in registers an app
 * ```
 */
export const deploysType = (plan: ResourcePlan, terraformType: string): boolean =>
  plan.resources.some((r) => r.deploys.some((d) => d.terraformType === terraformType));

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
  return isolated && deploysType(plan, 'azurerm_function_app_flex_consumption')
    ? ['Microsoft.App']
    : [];
}

/**
 * A resource provider the azurerm provider registers itself at its first call: its default `legacy` set
 * (internal/resourceproviders/required.go@v4.55.0), with the type's Terraform types in it.
 *
 * @example
 * ```ts
 * registeredByAzurerm('Microsoft.KeyVault', 'azurerm_key_vault');
 * // { namespace: 'Microsoft.KeyVault', terraformTypes: ['azurerm_key_vault'], registeredByAzurerm: true }
 * ```
 */
export function registeredByAzurerm(
  namespace: string,
  ...terraformTypes: string[]
): ResourceProviderFact {
  return { namespace, terraformTypes, registeredByAzurerm: true };
}

/**
 * Resource providers of the Terraform types every kind of resource may deploy (role assignments for its
 * consumers, managed identities, diagnostic settings, the resource group): a type's own facts list only its own.
 * All are in azurerm's `legacy` set (internal/resourceproviders/required.go@v4.55.0).
 *
 * @example
 * ```ts
 * COMMON_RESOURCE_PROVIDERS.map((p) => p.namespace); // ['Microsoft.Authorization', 'Microsoft.ManagedIdentity', …]
 * ```
 */
export const COMMON_RESOURCE_PROVIDERS: readonly ResourceProviderFact[] = [
  registeredByAzurerm('Microsoft.Authorization', 'azurerm_role_assignment'),
  registeredByAzurerm('Microsoft.ManagedIdentity', 'azurerm_user_assigned_identity'),
  registeredByAzurerm('microsoft.insights', 'azurerm_monitor_diagnostic_setting'),
  registeredByAzurerm('Microsoft.Resources', 'azurerm_resource_group'),
];

/** Whether a provider fact covers a Terraform type (an exact name, or a prefix ending in `_`). */
export const coversTerraformType = (fact: ResourceProviderFact, terraformType: string): boolean =>
  fact.terraformTypes.some((t) =>
    t.endsWith('_') ? terraformType.startsWith(t) : terraformType === t,
  );

/**
 * The resource provider of one `azurerm_*` deploy of a resource of some type, from that type's facts (then the
 * common ones); undefined when neither declares it (the conformance suite fails such a type).
 *
 * @example
 * ```ts
 * providerOfDeploy(factsOf('cosmos'), 'azurerm_cosmosdb_sql_container')?.namespace; // 'Microsoft.DocumentDB'
 * ```
 */
export function providerOfDeploy(
  facts: ResourceFacts,
  terraformType: string,
): ResourceProviderFact | undefined {
  return [...(facts.resourceProviders ?? []), ...COMMON_RESOURCE_PROVIDERS].find((p) =>
    coversTerraformType(p, terraformType),
  );
}

/**
 * The resource providers a plan's resources live in, read from the facts of the types it actually plans, each
 * with whether azurerm registers it itself; plus {@link providersToRegister} (which the stack registers). Sorted.
 *
 * @example
 * ```ts
 * plannedResourceProviders(plan, factsOf).find((p) => p.namespace === 'Microsoft.App')
 *   ?.registeredByStack; // true when isolated on Flex
 * ```
 */
export function plannedResourceProviders(
  plan: ResourcePlan,
  factsOf: (type: string) => ResourceFacts,
): PlannedResourceProvider[] {
  const out = new Map<string, PlannedResourceProvider>();
  for (const ns of providersToRegister(plan))
    out.set(ns, { namespace: ns, registeredByAzurerm: false, registeredByStack: true });
  // A type's deploys repeat a few Terraform types thousands of times (a container per CrudApi): each looked up once
  // per resource type, kept as resource type → Terraform types (no key text written per deploy).
  const seenOf = new Map<string, Set<string>>();
  for (const r of plan.resources) {
    const facts = factsOf(r.type);
    let seen = seenOf.get(r.type);
    if (!seen) seenOf.set(r.type, (seen = new Set<string>()));
    for (const d of r.deploys) {
      if (seen.has(d.terraformType)) continue;
      seen.add(d.terraformType);
      const p = providerOfDeploy(facts, d.terraformType);
      if (p && !out.has(p.namespace))
        out.set(p.namespace, {
          namespace: p.namespace,
          registeredByAzurerm: p.registeredByAzurerm,
          registeredByStack: false,
        });
    }
  }
  return [...out.values()].sort((a, b) => compare(a.namespace, b.namespace));
}

/** One resource provider a plan needs, and who registers it when the subscription has not. */
export interface PlannedResourceProvider {
  readonly namespace: string;
  readonly registeredByAzurerm: boolean;
  /** In the stack's `resource_providers_to_register` ({@link providersToRegister}). */
  readonly registeredByStack: boolean;
}

/**
 * Resource providers the stack's resources live in (what a fresh subscription must have registered, by the
 * provider block or beforehand), from the facts of the types the plan deploys. Pure, sorted.
 *
 * @example
 * ```ts
 * resourceProvidersOf(plan, factsOf); // ['Microsoft.Authorization', 'Microsoft.DocumentDB', 'Microsoft.ManagedIdentity', 'Microsoft.Storage', 'Microsoft.Web']
 * ```
 */
export function resourceProvidersOf(
  plan: ResourcePlan,
  factsOf: (type: string) => ResourceFacts,
): string[] {
  return plannedResourceProviders(plan, factsOf).map((p) => p.namespace);
}
