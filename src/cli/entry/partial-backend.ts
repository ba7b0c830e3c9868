import type { TerraformStack } from '../../kit/cdktf/engine.js';
import { cdktf } from '../../kit/cdktf/cdk-modules.js';

/**
 * Give `stack` a Terraform backend of `type` whose settings come at `terraform init` time (`-backend-config`):
 * Terraform's partial configuration (https://developer.hashicorp.com/terraform/language/backend#partial-configuration).
 * For `azurerm` the state key defaults to `<stack>.tfstate`, so the stacks of one entry never share a state
 * file; a `-backend-config key=…` overrides it.
 *
 * @example
 * ```ts
 * usePartialBackend(stack, 'azurerm'); // then: terraform init -backend-config=storage_account_name=sttfstate …
 * ```
 */
export function usePartialBackend(stack: TerraformStack, type: string): void {
  const settings: Record<string, string> =
    type === 'azurerm' ? { key: `${stack.node.id}.tfstate` } : {};
  class PartialBackend extends cdktf.TerraformBackend {
    override toTerraform(): unknown {
      return { terraform: { backend: { [this.name]: settings } } };
    }
    override toMetadata(): unknown {
      return { backend: this.name };
    }
    getRemoteStateDataSource(): never {
      throw new Error(
        `The partial ${type} backend of atakora deploy does not support cross-stack references.`,
      );
    }
  }
  new PartialBackend(stack, 'backend', type);
}
