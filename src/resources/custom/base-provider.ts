import type { PlannedDeploy } from '../../model/plan.js';
import type { ResourceRequirement } from '../../model/requirements.js';
import { at } from '../../model/at.js';

/**
 * The seeds' `ValidationResult` of a provider's `validateMerged`. Each error becomes a
 * `PROVIDER_VALIDATION_FAILED` error in the plan (blocking apply), each warning a warning of that code.
 *
 * @example
 * ```ts
 * class SkuCheckedProvider extends BaseProvider {
 *   readonly providerId = 'queue-provider';
 *   readonly supportedTypes = ['myqueue'];
 *   provideResource() { return undefined; }
 *   override validateMerged(req: IResourceRequirement): ProviderValidationResult {
 *     return req.config['sku'] ? { valid: true } : { valid: false, errors: ['sku is required'] };
 *   }
 * }
 * ```
 */
export interface ProviderValidationResult {
  readonly valid: boolean;
  readonly errors?: readonly string[];
  readonly warnings?: readonly string[];
}

/**
 * The seeds' `IResourceProvider`: a custom resource type's merge rules and its cdktf provisioning. Every
 * requirement of a supported type is merged by `mergeRequirements` into one resource per backend; extend
 * {@link BaseProvider} rather than implementing it from scratch.
 *
 * @example
 * ```ts
 * class QueueProvider extends BaseProvider {
 *   readonly providerId = 'queue-provider';
 *   readonly supportedTypes = ['myqueue'];
 *   provideResource() {
 *     return undefined;
 *   } // creates the queue at apply
 * }
 * const provider: IResourceProvider = new QueueProvider();
 * const jobs = defineComponent({
 *   type: 'Jobs',
 *   id: 'Jobs',
 *   config: {},
 *   requirements: () => [{ resourceType: 'myqueue', requirementKey: 'jobs', config: {} }],
 *   outputs: () => ({}),
 * });
 * defineBackend({ jobs }, { providers: [provider] });
 * ```
 */
export interface IResourceProvider {
  readonly providerId: string;
  readonly supportedTypes: readonly string[];
  canProvide(requirement: ResourceRequirement): boolean;
  provideResource(requirement: ResourceRequirement, scope: any, context: any): unknown; // eslint-disable-line @typescript-eslint/no-explicit-any
  mergeRequirements(requirements: readonly ResourceRequirement[]): ResourceRequirement;
  validateMerged?(requirement: ResourceRequirement): ProviderValidationResult;
  /**
   * The Terraform resources `provideResource` will create, named from `logicalPrefix`. Optional, but without it
   * the plan cannot list them (`PROVIDER_DEPLOYS_UNDECLARED` warning) and diffs cannot see them.
   */
  plannedDeploys?(
    requirement: ResourceRequirement,
    logicalPrefix: string,
  ): readonly PlannedDeploy[];
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
 * import type { Construct } from 'constructs';
 * import { ServicebusNamespace } from '@cdktf/provider-azurerm/lib/servicebus-namespace/index.js';
 * class QueueProvider extends BaseProvider {
 *   readonly providerId = 'queue-provider';
 *   readonly supportedTypes = ['myqueue'];
 *   provideResource(req: IResourceRequirement, scope: Construct, ctx: CustomProviderContext) {
 *     return new ServicebusNamespace(scope, `${ctx.logicalPrefix}_ns`, {
 *       name: ctx.resourceName,
 *       location: ctx.location,
 *       resourceGroupName: ctx.resourceGroupName,
 *       sku: 'Standard',
 *       tags: ctx.tags,
 *     });
 *   }
 * }
 * const jobs = defineComponent({
 *   type: 'Jobs',
 *   id: 'Jobs',
 *   config: {},
 *   requirements: () => [{ resourceType: 'myqueue', requirementKey: 'jobs', config: {} }],
 *   outputs: () => ({}),
 * });
 * defineBackend({ jobs }, { providers: [new QueueProvider()] });
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
    const first = at(sorted, 0);
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
