import { TerraformAsset, AssetType } from 'cdktf';
import type { ProvisionContext } from '../../kit/cdktf/provision-context.js';
import type { TypedPlannedResource } from '../../kit/pure/resource-type.js';
import { tfName } from '../../kit/pure/terraform-names.js';
import type { MergedFunctionsConfig } from './type.js';

/** The code package one Function App runs: a zip file Terraform deploys, or nothing when the app ships no code. */
export interface FunctionAppPackage {
  /** Path of the zip as Terraform sees it (a cdktf asset path). */
  readonly path: string;
}

/**
 * The package of a Function App: the place where what the app runs is decided (the CRUD runtime, the
 * users' handlers), kept apart from how the hosting plan delivers it (`provision.ts`).
 */
export function functionAppPackage(ctx: ProvisionContext, resource: TypedPlannedResource<MergedFunctionsConfig>): FunctionAppPackage | undefined {
  if (!resource.config.crudRuntime) return undefined;
  const base = tfName(ctx.config.backendId, resource.key);
  const asset = new TerraformAsset(ctx.scope, tfName(base, 'runtime-asset'), { path: ctx.runtimeAppDir(), type: AssetType.ARCHIVE });
  return { path: asset.path };
}
