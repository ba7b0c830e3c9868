import type { Construct } from 'constructs';
import type { FunctionAppFlexConsumption } from '@cdktf/provider-azurerm/lib/function-app-flex-consumption/index.js';
import type { LinuxFunctionApp } from '@cdktf/provider-azurerm/lib/linux-function-app/index.js';
import type { PlannedResource } from '../../model/plan.js';
import type { TypedPlannedResource } from '../pure/resources/resource-type.js';
import type { ProvisionContext } from './provision-context.js';

/** A Function App as apply creates it: Flex Consumption or, on Premium/Dedicated plans, a Linux app. */
export type FunctionAppConstruct = LinuxFunctionApp | FunctionAppFlexConsumption;

/** Finds the Function App construct a component runs in (for identity-based grants). */
export type FunctionAppOf = (componentId: string) => FunctionAppConstruct | undefined;

/**
 * The cdktf half of a component resource type (`src/resources/<type>/provision.ts`): `provision` creates it
 * from its typed merged config, `grant` (after every resource exists) gives the consumers' Function App
 * identities their data roles on it.
 *
 * @example
 * ```ts
 * export const storageProvisioner: ResourceProvisioner<MergedStorageConfig> = { provision: provisionStorage };
 * ```
 */
export interface ResourceProvisioner<TMerged> {
  provision(ctx: ProvisionContext, resource: TypedPlannedResource<TMerged>): Construct;
  grant?(
    ctx: ProvisionContext,
    resource: TypedPlannedResource<TMerged>,
    functionAppOf: FunctionAppOf,
  ): void;
}

/**
 * The cdktf half of a backend-level type (monitoring, networking). `provision` runs before the component
 * resources (so a Function App can join the VNet and report to Application Insights); `finalize` runs after
 * them (private endpoints and alerts need the resources they point at).
 *
 * @example
 * ```ts
 * export const monitoringProvisioner: BackendProvisioner = { provision: (ctx, r) => new Construct(ctx.scope, r.key) };
 * ```
 */
export interface BackendProvisioner {
  provision(ctx: ProvisionContext, resource: PlannedResource): Construct;
  finalize?(ctx: ProvisionContext, resource: PlannedResource): void;
}
