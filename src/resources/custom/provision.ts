import type { Construct } from '../../kit/cdktf/engine.js';
import { AtakoraError } from '../../model/errors.js';
import type { PlannedResource } from '../../model/plan.js';
import type { ResourceRequirement } from '../../model/requirements.js';
import { resourceName } from '../../kit/pure/names/naming.js';
import { tfName } from '../../kit/pure/names/terraform-names.js';
import { factsOf } from '../facts.js';
import { customMergedConfig, requirementOf } from './type.js';
import type { ProvisionContext } from '../../kit/cdktf/provision-context.js';

/**
 * The cdktf half of the seeds' `IResourceProvider`: what apply needs of a custom provider to create a
 * planned resource of one of its `supportedTypes`. `provideResource` gets the merged requirement and returns
 * the main construct, which `AppliedBackend.getResource` then returns.
 *
 * @example
 * ```ts
 * import { ServicebusNamespace } from '@cdktf/provider-azurerm/lib/servicebus-namespace/index.js';
 * const provider: CdktfProvider = {
 *   providerId: 'queue-provider', supportedTypes: ['myqueue'],
 *   provideResource: (req, scope, ctx) => new ServicebusNamespace(scope, ctx.logicalPrefix, {
 *     name: ctx.resourceName, location: ctx.location, resourceGroupName: ctx.resourceGroupName, sku: 'Standard',
 *   }),
 * };
 * ```
 */
export interface CdktfProvider {
  readonly providerId: string;
  readonly supportedTypes: readonly string[];
  provideResource(
    requirement: ResourceRequirement,
    scope: Construct,
    context: CustomProviderContext,
  ): unknown;
}

/**
 * The seeds' `ProviderContext`, plus `location` and `resourceGroupName` that their example reads: what a
 * custom provider gets to name, tag and place its resources like the built-in ones.
 *
 * @example
 * ```ts
 * import { ServicebusNamespace } from '@cdktf/provider-azurerm/lib/servicebus-namespace/index.js';
 * const provider: CdktfProvider = {
 *   providerId: 'queue-provider',
 *   supportedTypes: ['myqueue'],
 *   provideResource(req, scope, ctx: CustomProviderContext) {
 *     return new ServicebusNamespace(scope, `${ctx.logicalPrefix}_ns`, {
 *       name: ctx.resourceName,
 *       location: ctx.location,
 *       resourceGroupName: ctx.resourceGroupName,
 *       sku: 'Standard',
 *       tags: ctx.tags,
 *     });
 *   },
 * };
 * ```
 */
export interface CustomProviderContext {
  readonly backend: { readonly backendId: string };
  /**
   * The backend's `naming.formatResourceName`, or by default the planner's own naming: asked for this
   * resource's type it returns the planned name (`resourceName`, target token included), so the name a
   * provider deploys is the name in the plan; for another type, that type's rule-made name.
   */
  readonly naming: {
    formatResourceName(resourceType: string, backendId: string, suffix?: string): string;
  };
  /** The backend's tags. */
  readonly tags: Record<string, string>;
  /** Constructs created so far, by planned resource key (e.g. `storage:shared`). */
  readonly existingResources: ReadonlyMap<string, unknown>;
  /** The plan's (backend's) location. */
  readonly location: string;
  /** The stack's resource group (also set as the `resourceGroupName` construct context). */
  readonly resourceGroupName: string;
  /** The Azure name the planner chose for this resource. */
  readonly resourceName: string;
  /** Prefix of Terraform logical names for this resource: what `plannedDeploys` receives too. */
  readonly logicalPrefix: string;
}

/** Hand a custom provider its merged requirement; it creates what it creates in the backend's scope. */
export function provisionCustom(
  ctx: ProvisionContext,
  resource: PlannedResource,
  providers: readonly CdktfProvider[],
): Construct {
  const provider = providers.find((p) => p.supportedTypes?.includes(resource.type));
  if (!provider)
    throw new AtakoraError('NO_PROVIDER', `No provider for planned resource ${resource.key}.`, {
      path: ['resources', resource.key],
    });
  // The merged config is what `customProviderType` wrote for this type (JSON by contract).
  const requirement = requirementOf(resource.type, customMergedConfig(resource.config));
  // The seeds' example reads the resource group from the construct context.
  if (ctx.scope.node.tryGetContext('resourceGroupName') !== ctx.resourceGroupName)
    ctx.scope.node.setContext('resourceGroupName', ctx.resourceGroupName);
  const userNaming = ctx.config.naming;
  const userFormat = userNaming?.formatResourceName?.bind(userNaming);
  const naming: CustomProviderContext['naming'] = userFormat
    ? {
        formatResourceName: (type, backendId, suffix) => userFormat(type, backendId, suffix),
      }
    : {
        // The seeds' example passes its requirement key as the suffix: the planned name already
        // stands for the merged resource.
        formatResourceName: (type, backendId, suffix) =>
          type === resource.type && backendId === ctx.config.backendId
            ? resource.name
            : resourceName(type, type, suffix, { ...ctx.config, backendId }, factsOf(type).name)
                .name,
      };
  const made = provider.provideResource(requirement, ctx.scope, {
    backend: { backendId: ctx.config.backendId },
    naming,
    tags: { ...ctx.tags },
    existingResources: ctx.constructs,
    location: ctx.plan.location,
    resourceGroupName: ctx.resourceGroupName,
    resourceName: resource.name,
    logicalPrefix: tfName(ctx.config.backendId, resource.key),
  });
  return made as Construct;
}
