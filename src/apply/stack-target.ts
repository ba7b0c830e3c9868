import type { TerraformStack } from '../kit/cdktf/engine.js';
import type { TargetStack } from './deployment-target.js';
import { cdktf } from '../kit/cdktf/cdk-modules.js';

// Apart from deployment-target.ts, which stays free of cdktf: the stand-alone CrudApi construct (reachable
// from the root import, which must not load cdktf) uses its targetSeed.

/**
 * What apply knows of a stack's target: its resource group, and its subscription — the stack's own
 * `subscriptionId` (ResourceGroupStack), else the literal `subscription_id` of an azurerm provider configured
 * in the stack (a user's own TerraformStack with its own AzurermProvider). Found by its Terraform type, not
 * by class: the provider may come from another copy of the bindings. A Terraform token is no literal and is
 * skipped (targetSeed then falls back to ARM_SUBSCRIPTION_ID).
 *
 * @example
 * ```ts
 * stackTarget(stack); // { resourceGroupName: 'rg-myapp-prod', subscriptionId: '0000…' }
 * ```
 */
export function stackTarget(
  stack: TerraformStack & { readonly resourceGroupName: string; readonly subscriptionId?: unknown },
): TargetStack {
  const literal = (v: unknown): string | undefined =>
    typeof v === 'string' && v !== '' && !cdktf.Token.isUnresolved(v) ? v : undefined;
  const own = literal(stack.subscriptionId);
  if (own) return { resourceGroupName: stack.resourceGroupName, subscriptionId: own };
  for (const child of stack.node.children) {
    const p = child as { terraformResourceType?: unknown; subscriptionId?: unknown };
    const fromProvider =
      p.terraformResourceType === 'azurerm' ? literal(p.subscriptionId) : undefined;
    if (fromProvider)
      return { resourceGroupName: stack.resourceGroupName, subscriptionId: fromProvider };
  }
  return { resourceGroupName: stack.resourceGroupName };
}
