import type { Construct } from 'constructs';
import { AtakoraError } from '../model/errors.js';
import type { PlannedResource } from '../model/plan.js';
import type { ResourceRequirement } from '../model/requirements.js';
import type { NamingConvention } from '../model/config.js';
import { tfName } from '../plan/terraform-names.js';
import type { ProvisionContext } from './provision-context.js';

/** The cdktf half of the seeds' `IResourceProvider`. */
export interface CdktfProvider {
  readonly providerId: string;
  readonly supportedTypes: readonly string[];
  provideResource(requirement: ResourceRequirement, scope: Construct, context: CustomProviderContext): unknown;
}

/** The seeds' `ProviderContext`, plus `location` and `resourceGroupName` that their example reads. */
export interface CustomProviderContext {
  readonly backend: { readonly backendId: string };
  readonly naming: NamingConvention;
  readonly tags: Record<string, string>;
  readonly existingResources: ReadonlyMap<string, unknown>;
  readonly location: string;
  readonly resourceGroupName: string;
  /** The Azure name the planner chose for this resource. */
  readonly resourceName: string;
  /** Prefix of Terraform logical names for this resource: what `plannedDeploys` receives too. */
  readonly logicalPrefix: string;
}

/** Hand a custom provider its merged requirement; it creates what it creates in the backend's scope. */
export function provisionCustom(ctx: ProvisionContext, resource: PlannedResource, providers: readonly CdktfProvider[]): Construct {
  const provider = providers.find((p) => p.supportedTypes?.includes(resource.type));
  if (!provider) throw new AtakoraError('NO_PROVIDER', `No provider for planned resource ${resource.key}.`, { path: ['resources', resource.key] });
  const requirement: ResourceRequirement = {
    resourceType: resource.type,
    requirementKey: String(resource.config['requirementKey']),
    priority: Number(resource.config['priority'] ?? 10),
    config: resource.config['config'] as Record<string, unknown>,
  };
  // The seeds' example reads the resource group from the construct context.
  if (ctx.scope.node.tryGetContext('resourceGroupName') !== ctx.resourceGroupName) ctx.scope.node.setContext('resourceGroupName', ctx.resourceGroupName);
  const naming: NamingConvention = ctx.config.naming ?? {
    formatResourceName: (type, backendId, suffix) => [type, backendId, ctx.config.environment, suffix].filter(Boolean).join('-').toLowerCase(),
  };
  const made = provider.provideResource(requirement, ctx.scope, {
    backend: { backendId: ctx.config.backendId }, naming, tags: { ...ctx.tags }, existingResources: ctx.constructs,
    location: ctx.plan.location, resourceGroupName: ctx.resourceGroupName, resourceName: resource.name,
    logicalPrefix: tfName(ctx.config.backendId, resource.key),
  });
  return made as Construct;
}
