import type { PlannedDeploy } from '../model/plan.js';
import type { ResourceRequirement } from '../model/requirements.js';

/** The seeds' `ValidationResult` of a provider's `validateMerged`. */
export interface ProviderValidationResult {
  readonly valid: boolean;
  readonly errors?: readonly string[];
  readonly warnings?: readonly string[];
}

/** The seeds' `IResourceProvider`: a custom resource type's merge rules and its cdktf provisioning. */
export interface IResourceProvider {
  readonly providerId: string;
  readonly supportedTypes: readonly string[];
  canProvide(requirement: ResourceRequirement): boolean;
  provideResource(requirement: ResourceRequirement, scope: any, context: any): unknown; // eslint-disable-line @typescript-eslint/no-explicit-any
  mergeRequirements(requirements: readonly ResourceRequirement[]): ResourceRequirement;
  validateMerged?(requirement: ResourceRequirement): ProviderValidationResult;
  plannedDeploys?(requirement: ResourceRequirement, logicalPrefix: string): readonly PlannedDeploy[];
}

/**
 * Base class of custom providers (the seeds' `BaseProvider`): requirements of the provider's types are
 * merged into one resource per backend by `mergeRequirements` (default: union of config objects, highest
 * priority wins), checked by `validateMerged`, and created at apply by `provideResource`. Pass providers in
 * `config.providers`: they are added to the built-ins.
 *
 * Declare `plannedDeploys` to let the plan list the Terraform resources `provideResource` creates; without
 * it the plan warns that it cannot (PROVIDER_DEPLOYS_UNDECLARED).
 *
 * @example
 * ```ts
 * class QueueProvider extends BaseProvider {
 *   readonly providerId = 'queue-provider';
 *   readonly supportedTypes = ['myqueue'];
 *   provideResource(req: ResourceRequirement, scope: Construct, ctx: CustomProviderContext) { ... }
 * }
 * defineBackend({ ... }, { providers: [new QueueProvider()] });
 * ```
 */
export abstract class BaseProvider implements IResourceProvider {
  abstract readonly providerId: string;
  abstract readonly supportedTypes: readonly string[];
  abstract provideResource(requirement: ResourceRequirement, scope: any, context: any): unknown; // eslint-disable-line @typescript-eslint/no-explicit-any

  canProvide(requirement: ResourceRequirement): boolean {
    return this.supportedTypes.includes(requirement.resourceType);
  }

  mergeRequirements(requirements: readonly ResourceRequirement[]): ResourceRequirement {
    const sorted = [...requirements].sort((a, b) => (a.priority ?? 10) - (b.priority ?? 10));
    const first = sorted[0]!;
    return {
      resourceType: first.resourceType,
      requirementKey: `shared-${first.resourceType}`,
      priority: Math.max(...requirements.map((r) => r.priority ?? 10)),
      config: Object.assign({}, ...sorted.map((r) => r.config)) as Record<string, unknown>,
    };
  }

  validateMerged(_requirement: ResourceRequirement): ProviderValidationResult {
    return { valid: true };
  }
}
