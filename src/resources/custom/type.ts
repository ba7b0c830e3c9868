import type { JsonValue, PlanIssue, PlannedDeploy } from '../../model/plan.js';
import type { ResourceRequirement } from '../../model/requirements.js';
import type { ResourceType } from '../../kit/pure/resources/resource-type.js';
import { frozenPlainData } from '../../kit/pure/plain-data.js';
import { tfName } from '../../kit/pure/names/terraform-names.js';
import { at } from '../../model/at.js';

/** The pure half of the seeds' `IResourceProvider` (the cdktf half, `provideResource`, runs at apply). */
export interface PureProvider {
  readonly providerId: string;
  readonly supportedTypes: readonly string[];
  canProvide?(requirement: ResourceRequirement): boolean;
  mergeRequirements?(requirements: readonly ResourceRequirement[]): ResourceRequirement;
  validateMerged?(requirement: ResourceRequirement): {
    valid: boolean;
    errors?: readonly string[];
    warnings?: readonly string[];
  };
  /** Optional: the Terraform resources `provideResource` creates, so the plan can list them. */
  plannedDeploys?(
    requirement: ResourceRequirement,
    logicalPrefix: string,
  ): readonly PlannedDeploy[];
  estimateMonthlyUsd?(requirement: ResourceRequirement): number;
}

/** The merged config of a custom provider's resource in the plan: its merged requirement, as JSON. */
export interface CustomMergedConfig {
  requirementKey: string;
  priority: number;
  config: { [k: string]: JsonValue };
}

/**
 * The requirement a custom provider's hooks receive back from a planned resource's merged config.
 *
 * @example
 * ```ts
 * provider.estimateMonthlyUsd?.(requirementOf('eventgrid', customMergedConfig(resource.config)));
 * ```
 */
export function requirementOf(type: string, merged: CustomMergedConfig): ResourceRequirement {
  return {
    resourceType: type,
    requirementKey: merged.requirementKey,
    priority: merged.priority,
    config: merged.config,
  };
}

/**
 * A custom provider's planned config read back: what {@link customProviderType}'s merge wrote, checked field
 * by field rather than cast (a saved plan may have been edited).
 *
 * @example
 * ```ts
 * customMergedConfig({ requirementKey: 'shared-bus', priority: 20, config: { sku: 'Standard' } }).priority; // 20
 * ```
 */
export function customMergedConfig(config: {
  readonly [k: string]: JsonValue;
}): CustomMergedConfig {
  const inner = config['config'];
  return {
    requirementKey: typeof config['requirementKey'] === 'string' ? config['requirementKey'] : '',
    priority: typeof config['priority'] === 'number' ? config['priority'] : 10,
    config:
      inner !== null && typeof inner === 'object' && !Array.isArray(inner)
        ? { ...(inner as { [k: string]: JsonValue }) }
        : {},
  };
}

/**
 * Wrap a custom provider as a resource type (the one place `BaseProvider` meets the built-ins'
 * contract): all requirements of its type share one resource (the
 * provider's `mergeRequirements` decides how), and `validateMerged` errors become plan errors.
 */
export function customProviderType(
  provider: PureProvider,
  type: string,
): ResourceType<Record<string, unknown>, CustomMergedConfig> {
  const mergedOf = (reqs: readonly ResourceRequirement[]): ResourceRequirement =>
    reqs.length === 1 || !provider.mergeRequirements
      ? at(reqs, 0)
      : provider.mergeRequirements(reqs);
  return {
    type,
    namePrefix: type,
    compatibility: () => ({ key: 'default', isDefault: true }),
    merge(reqs) {
      const issues: PlanIssue[] = [];
      const ids = [...new Set(reqs.map((r) => r.componentId))];
      // The planner's requirements are frozen; the provider gets copies of its own, as it always had objects
      // it could change (BaseProvider subclasses may build on them).
      const merged = mergedOf(
        reqs.map((r) => JSON.parse(JSON.stringify(r.requirement)) as ResourceRequirement),
      );
      const v = provider.validateMerged?.(merged);
      for (const m of v?.errors ?? [])
        issues.push({
          severity: 'error',
          code: 'PROVIDER_VALIDATION_FAILED',
          components: ids,
          message: `${provider.providerId}: ${m}`,
        });
      for (const m of v?.warnings ?? [])
        issues.push({
          severity: 'warning',
          code: 'PROVIDER_VALIDATION_WARNING',
          components: ids,
          message: `${provider.providerId}: ${m}`,
        });
      if (!provider.plannedDeploys) {
        issues.push({
          severity: 'warning',
          code: 'PROVIDER_DEPLOYS_UNDECLARED',
          components: ids,
          message:
            `${provider.providerId} does not declare plannedDeploys(), so the plan cannot list the Terraform ` +
            `resources it creates for "${type}".`,
        });
      }
      const config = JSON.parse(
        JSON.stringify({
          requirementKey: merged.requirementKey,
          priority: merged.priority ?? 10,
          config: merged.config,
        }),
      ) as CustomMergedConfig;
      return { config, issues };
    },
    deploys(group, ctx) {
      // Copied: the provider may keep the objects it returns, and the plan is frozen in place.
      return frozenPlainData([
        ...(provider.plannedDeploys?.(
          requirementOf(type, group.config),
          tfName(ctx.backendId, group.key),
        ) ?? []),
      ]);
    },
    monthlyUsd(config) {
      return provider.estimateMonthlyUsd?.(requirementOf(type, config)) ?? 0;
    },
  };
}
