import { named, type ProvisionContext } from '../kit/cdktf/provision-context.js';
import { azurerm } from '../kit/cdktf/cdk-modules.js';
import { componentIdentityOf } from '../kit/cdktf/component-identity.js';
import { appWaitsFor } from '../kit/cdktf/app-waits-for.js';

/**
 * Each component's identity holds `role` (the built-in role's name, as Learn names it) at the resource provisioned
 * under `resourceKey` only — never wider —, and the component's Function App waits for the assignment (so the
 * identity holds its role when the app first starts). A component without an identity is skipped; `nameOf` gives
 * each assignment's construct id and Terraform name.
 *
 * @example
 * ```ts
 * grantComponents(ctx, resource.key, 'Cognitive Services OpenAI User', ['TicketApi'], names.grant);
 * ```
 */
export function grantComponents(
  ctx: ProvisionContext,
  resourceKey: string,
  role: string,
  componentIds: Iterable<string>,
  nameOf: (componentId: string) => string,
): void {
  const target = ctx.constructs.get(resourceKey);
  // A provisioned resource's `id` (a token of its Azure resource id): the library's fault when there is none.
  if (!target || !('id' in target) || typeof target.id !== 'string')
    throw new Error(`No resource provisioned under ${resourceKey} to grant a role at`);
  const scope = target.id;
  const { RoleAssignment } = azurerm('role-assignment');
  for (const componentId of componentIds) {
    const identity = componentIdentityOf(ctx, componentId);
    if (!identity) continue;
    const name = nameOf(componentId);
    const assignment = named(
      new RoleAssignment(ctx.scope, name, {
        scope,
        roleDefinitionName: role,
        principalId: identity.principalId,
        principalType: 'ServicePrincipal',
      }),
      name,
    );
    const appKey = ctx.plan.components.find((c) => c.id === componentId)?.resources['functions'];
    appWaitsFor(
      appKey ? (ctx.constructs.get(appKey) as Parameters<typeof appWaitsFor>[0]) : undefined,
      assignment,
    );
  }
}
