import type { IConstruct } from 'constructs';
import type { TerraformStack } from 'cdktf';

/**
 * The stack's default configuration of a provider (`azurerm`, `azuread`, `time`): a provider construct of that
 * type directly in the stack with no `alias`. An aliased one serves only resources that name it, so it is not the
 * one the resources Atakora adds use. One lookup for every provider Atakora configures or adds.
 *
 * @example
 * ```ts
 * if (!defaultProvider(stack, 'time')) new TimeProvider(stack, 'time', {});
 * ```
 */
export function defaultProvider(stack: TerraformStack, type: string): IConstruct | undefined {
  return stack.node.children.find(
    (c) =>
      (c as { terraformResourceType?: unknown }).terraformResourceType === type &&
      (c as { alias?: unknown }).alias === undefined,
  );
}
