import type { TerraformStack } from '../kit/cdktf/engine.js';
import type { AzurermProvider } from '../kit/cdktf/azurerm-types.js';
import type { ResourcePlan } from '../model/plan.js';
import { defaultProvider } from '../kit/cdktf/default-provider.js';
import { deploysType, providersToRegister } from '../kit/pure/resources/resource-providers.js';

/**
 * Fit the stack's azurerm provider block to what this plan creates (once per backend; idempotent):
 * - `resource_providers_to_register` gains `providersToRegister(plan)`
 *   (kit/pure/resources/resource-providers.ts) (the provider registers them before
 *   its first call: internal/provider/provider.go@v4.55.0, `resource_providers_to_register`).
 * - With monitoring in a resource group the stack creates,
 *   `features.resource_group.prevent_deletion_if_contains_resources`
 *   is false. Application Insights makes Azure add a "Failure Anomalies" smart detector rule and an
 *   "Application Insights Smart Detection" action group to the group, which Terraform does not manage; azurerm
 *   refuses to delete a group that still holds resources
 *   (internal/services/resource/resource_group_resource.go@v4.55.0,
 *   Delete; default true in internal/provider/features.go@v4.55.0; provider PR #29678 met this on a Flex test).
 *   `application_insights.disable_generated_rule` alone would not do: it disables (and on destroy deletes) the
 *   rule, but the action group stays (internal/services/applicationinsights/application_insights_resource.go@v4.55.0),
 *   and the rule is a useful default. The trade-off: destroying the stack deletes anything else placed in its
 *   group by hand (docs/deploying.md#destroy).
 *
 * @example
 * ```ts
 * fitProvider(stack, applied.plan, true);
 * ```
 */
export function fitProvider(
  stack: TerraformStack,
  plan: ResourcePlan,
  createsGroup: boolean,
): void {
  const provider = defaultProvider(stack, 'azurerm') as AzurermProvider | undefined;
  if (!provider) return;
  const register = providersToRegister(plan);
  if (register.length > 0) {
    const current = provider.resourceProvidersToRegister ?? [];
    provider.resourceProvidersToRegister = [...new Set([...current, ...register])].sort();
  }
  const monitored = deploysType(plan, 'azurerm_application_insights');
  const features = provider.features;
  if (monitored && createsGroup && Array.isArray(features)) {
    const [first, ...rest] = features;
    provider.features = [
      { ...first, resourceGroup: [{ preventDeletionIfContainsResources: false }] },
      ...rest,
    ];
  }
}
