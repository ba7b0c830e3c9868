import { named, type ProvisionContext } from '../kit/cdktf/provision-context.js';
import { azurerm } from '../kit/cdktf/cdk-modules.js';
import { componentIdentityOf } from '../kit/cdktf/component-identity.js';
import { appWaitsFor } from '../kit/cdktf/app-waits-for.js';

/** One role for some components' identities at one resource's scope. */
export interface ComponentGrant {
  /** The resource id the role is held at (never wider). */
  readonly scope: string;
  /** The built-in role's name, as Learn names it. */
  readonly role: string;
  /** The components whose managed identities hold it. */
  readonly componentIds: Iterable<string>;
  /** The role assignment's construct id and Terraform name for a component. */
  readonly nameOf: (componentId: string) => string;
}

/**
 * Each component's identity holds `role` at `scope` only, and the component's Function App waits for the assignment
 * (so the identity holds its role when the app first starts). A component without an identity is skipped.
 *
 * @example
 * ```ts
 * grantComponents(ctx, { scope: account.id, role: 'Cognitive Services OpenAI User', componentIds: ['TicketApi'], nameOf: names.grant });
 * ```
 */
export function grantComponents(ctx: ProvisionContext, grant: ComponentGrant): void {
  const { RoleAssignment } = azurerm('role-assignment');
  for (const componentId of grant.componentIds) {
    const identity = componentIdentityOf(ctx, componentId);
    if (!identity) continue;
    const name = grant.nameOf(componentId);
    const assignment = named(
      new RoleAssignment(ctx.scope, name, {
        scope: grant.scope,
        roleDefinitionName: grant.role,
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
