import type { ITerraformDependable, TerraformDataSource, TerraformResource } from 'cdktf';
import type { Construct } from 'constructs';
import type { ComponentDefinition } from '../../model/component.js';
import type { NormalizedConfig } from '../../model/config.js';
import type { ResourcePlan } from '../../model/plan.js';
import type { HostedFunction } from '../../model/requirements.js';

/**
 * What a Function App's package holds, as the plan says it (see `resources/functions/package.ts`).
 *
 * @example
 * ```ts
 * const request: AppPackageRequest = { appName: 'func-shop-dev-x1', crudRuntime: true, functions: [] };
 * ```
 */
export interface AppPackageRequest {
  readonly appName: string;
  readonly crudRuntime: boolean;
  readonly functions: readonly HostedFunction[];
  /** The queues the app declares: a handler's `queueClient('name')` literal must name one (QUEUE_UNDECLARED). */
  readonly queues?: readonly string[];
  readonly codePath?: string;
  /** The component whose codePath it is (for error paths). */
  readonly codeOwner?: string;
}

/** What every provisioner gets: where to create, what the plan says, and what exists so far. */
export interface ProvisionContext {
  /** Parent of every construct this backend creates. */
  readonly scope: Construct;
  readonly resourceGroupName: string;
  /** Construct the resources depend on (the stack's resource group), when there is one. */
  readonly dependsOn: readonly ITerraformDependable[];
  readonly plan: ResourcePlan;
  readonly config: NormalizedConfig;
  readonly definitions: ReadonlyMap<string, ComponentDefinition>;
  readonly tags: Readonly<Record<string, string>>;
  /** Planned resource key → its main construct; filled as provisioning goes. */
  readonly constructs: Map<string, Construct>;
  /**
   * The zip file a Function App runs (prebuilt CRUD runtime, bundled handlers, or a codePath folder), or
   * undefined when it ships none. Given by apply (which owns the packages' files), so a resource type never
   * reaches into apply for it.
   */
  readonly appPackage: (request: AppPackageRequest) => string | undefined;
}

/**
 * Create a resource under its planned logical name: the construct id and the Terraform name are the
 * same string the plan's `deploys` lists (both come from `tfName`).
 *
 * @example
 * ```ts
 * const account = named(new StorageAccount(ctx.scope, base, { ... }), base);
 * ```
 */
export function named<T extends TerraformResource | TerraformDataSource>(
  resource: T,
  name: string,
): T {
  resource.overrideLogicalId(name);
  return resource;
}

/**
 * The arguments every top-level resource of the backend takes: its name, the backend's resource group, the
 * backend's tags (every taggable resource carries them) and the wait for the resource group the stack creates.
 *
 * @example
 * ```ts
 * new CdnFrontdoorProfile(ctx.scope, base, { ...topLevel(ctx, resource.name), skuName: c.sku });
 * ```
 */
export function topLevel(ctx: ProvisionContext, name: string) {
  return {
    name,
    resourceGroupName: ctx.resourceGroupName,
    tags: { ...ctx.tags },
    dependsOn: [...ctx.dependsOn],
  };
}

/**
 * {@link topLevel} for a regional resource: in the plan's location unless it has its own (a Static Web App's, a
 * Cosmos DB account's).
 *
 * @example
 * ```ts
 * new KeyVault(ctx.scope, base, { ...regional(ctx, resource.name), skuName: c.sku });
 * ```
 */
export function regional(ctx: ProvisionContext, name: string, location = ctx.plan.location) {
  return { ...topLevel(ctx, name), location };
}
