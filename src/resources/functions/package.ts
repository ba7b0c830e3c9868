import type { ProvisionContext } from '../../kit/cdktf/provision-context.js';
import type { TypedPlannedResource } from '../../kit/pure/resources/resource-type.js';
import { tfName } from '../../kit/pure/names/terraform-names.js';
import { packageVersion } from '../../kit/node/package-version.js';
import type { MergedFunctionsConfig } from './type.js';
import { packageRequest } from './package-request.js';
import { cdktf } from '../../kit/cdktf/cdk-modules.js';

/** The code package one Function App runs: a zip file Terraform deploys, or nothing when the app ships no code. */
export interface FunctionAppPackage {
  /** Path of the zip as Terraform sees it (a cdktf asset path). */
  readonly path: string;
  /**
   * The package's version: 7 hex characters of the zip's SHA-256 (the portal's `app-package-<app>-<7 hex>`
   * length). It names where this version is uploaded, so a new package is a new blob beside the old one.
   */
  readonly version: string;
}

/**
 * The package of a Function App: the place where what the app runs is decided (the CRUD runtime, the
 * users' handlers, a prebuilt codePath folder), kept apart from how the hosting plan delivers it
 * (`provision.ts`). One package per app: the plan's `hostedFunctions`, `crudRuntime` and `codePath` say what
 * is in it. The zip is already built (deterministic, content-hashed), so the asset is a FILE: synth copies
 * it and never zips.
 */
export function functionAppPackage(
  ctx: ProvisionContext,
  resource: TypedPlannedResource<MergedFunctionsConfig>,
): FunctionAppPackage | undefined {
  const file = ctx.appPackage(packageRequest(resource.name, resource.config, resource.consumers));
  if (file === undefined) return undefined;
  const base = tfName(ctx.config.backendId, resource.key);
  const asset = new cdktf.TerraformAsset(ctx.scope, tfName(base, 'package'), {
    path: file,
    type: cdktf.AssetType.FILE,
  });
  return {
    path: asset.path,
    version: packageVersion(file),
  };
}
