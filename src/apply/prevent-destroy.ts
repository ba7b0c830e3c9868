import type { Construct } from '../kit/cdktf/engine.js';
import { cdktf } from '../kit/cdktf/cdk-modules.js';
import { STATEFUL_TERRAFORM_TYPES } from '../plan/diff/diff-types.js';

/**
 * Set Terraform's `lifecycle { prevent_destroy = true }` on every resource under `scope` whose type holds data
 * (`STATEFUL_TERRAFORM_TYPES`: Cosmos DB accounts, databases and containers, storage accounts, Key Vaults,
 * Service Bus namespaces), keeping whatever lifecycle a provisioner set. Terraform then "rejects operations to
 * destroy the resource and returns an error"
 * (https://developer.hashicorp.com/terraform/language/block/resource#prevent_destroy):
 * a replacement forced by a renamed account or a changed partition key, and `terraform destroy`, fail at plan
 * time instead of deleting data. It does not stop the destroy of a resource whose block is gone from the
 * configuration (a removed component's container): `atakora diff` reports those (`STATEFUL_REMOVAL`).
 *
 * @example
 * ```ts
 * if (config.preventDestroy) preventDestroyOfData(scope);
 * ```
 */
export function preventDestroyOfData(scope: Construct): void {
  for (const node of scope.node.findAll()) {
    if (
      cdktf.TerraformResource.isTerraformResource(node) &&
      STATEFUL_TERRAFORM_TYPES.includes(node.terraformResourceType)
    ) {
      node.lifecycle = { ...node.lifecycle, preventDestroy: true };
    }
  }
}
