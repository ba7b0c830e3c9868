/**
 * Give the stack's resource group the backend's tags (`BackendConfig.tags`), so that it is not the one untagged
 * resource of the deployment. Tags the resource group already has (`ResourceGroupStack`'s `tags`, or an earlier
 * backend's in the same stack) keep their values. A stack whose `resourceGroup` is not an azurerm resource
 * group construct (a user's own stack) is left alone. The resource group is the stack's, not the plan's, so the
 * plan's `deploys` do not change.
 *
 * @example
 * ```ts
 * tagResourceGroup(stack.resourceGroup, { team: 'shop' }); // resource group tags: { team: 'shop', ...its own }
 * ```
 */
export function tagResourceGroup(
  resourceGroup: unknown,
  tags: Readonly<Record<string, string>>,
): void {
  if (Object.keys(tags).length === 0) return;
  // The binding's raw input is `tagsInput` (its `tags` getter returns a token); `tags` sets it.
  const rg = resourceGroup as
    | { tagsInput?: unknown; tags?: unknown; terraformResourceType?: unknown }
    | undefined;
  if (rg?.terraformResourceType !== 'azurerm_resource_group') return;
  const own = (
    typeof rg.tagsInput === 'object' && rg.tagsInput !== null ? rg.tagsInput : {}
  ) as Record<string, string>;
  rg.tags = { ...tags, ...own };
}
