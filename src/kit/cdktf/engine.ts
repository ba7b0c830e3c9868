// The engine seam (docs/architecture.md, "The engine seam"): the one place outside which no file names cdktf
// or constructs (`.dependency-cruiser.cjs`, rule engine-through-kit-cdktf). Moving to another engine (cdktn,
// cdktf's maintained fork) changes kit/cdktf only.
//
// Types are re-exported type-only, so a file that names them loads nothing. The one value here, `Construct`,
// is the base class of the stand-alone components (`new CrudApi(stack, id, props)`), which the root import
// evaluates: constructs is five small modules, while cdktf's values (`cdktf.TerraformOutput`, `cdktf.Token`,
// `cdktf.Testing`, …) come from cdk-modules.ts, loaded only by the apply layer.
export type {
  ITerraformDependable,
  TerraformDataSource,
  TerraformResource,
  TerraformStack,
} from 'cdktf';
export type { IConstruct } from 'constructs';
export { Construct } from 'constructs';
