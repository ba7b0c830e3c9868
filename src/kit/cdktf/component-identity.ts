import type { UserAssignedIdentity } from '@cdktf/provider-azurerm/lib/user-assigned-identity/index.js';
import {
  componentIdentityName,
  componentIdentitySetting,
  componentIdentityTfName,
} from '../pure/names/component-identity.js';
import { named, regional, type ProvisionContext } from './provision-context.js';
import { azurerm } from './cdk-modules.js';

/** Key under which a component's identity is kept in `ctx.constructs` (not a resource key: it has a `|`). */
const constructKey = (componentId: string) => `identity|${componentId}`;

/**
 * Create the user-assigned identity of each component a Function App hosts and return what the app needs:
 * the identity ids to attach and the app settings naming each component's client id.
 *
 * @example
 * ```ts
 * const ids = provisionComponentIdentities(ctx, resource.consumers);
 * new LinuxFunctionApp(scope, id, {
 *   identity: { type: 'SystemAssigned, UserAssigned', identityIds: ids.identityIds },
 *   appSettings: { ...ids.appSettings },
 * });
 * ```
 */
export function provisionComponentIdentities(
  ctx: ProvisionContext,
  componentIds: readonly string[],
): { identityIds: string[]; appSettings: Record<string, string> } {
  const { UserAssignedIdentity } = azurerm('user-assigned-identity');
  const identityIds: string[] = [];
  const appSettings: Record<string, string> = {};
  for (const componentId of [...componentIds].sort()) {
    const id = componentIdentityTfName(ctx.config.backendId, componentId);
    const identity = named(
      new UserAssignedIdentity(ctx.scope, id, {
        ...regional(ctx, componentIdentityName(ctx.config, componentId)),
      }),
      id,
    );
    ctx.constructs.set(constructKey(componentId), identity);
    identityIds.push(identity.id);
    appSettings[componentIdentitySetting(componentId)] = identity.clientId;
  }
  return { identityIds, appSettings };
}

/**
 * A component's own identity, once its Function App is provisioned; `undefined` for a component on no app.
 *
 * @example
 * ```ts
 * const principalId = componentIdentityOf(ctx, 'UserApi')?.principalId;
 * ```
 */
export function componentIdentityOf(
  ctx: ProvisionContext,
  componentId: string,
): UserAssignedIdentity | undefined {
  const { UserAssignedIdentity } = azurerm('user-assigned-identity');
  const c = ctx.constructs.get(constructKey(componentId));
  return c instanceof UserAssignedIdentity ? c : undefined;
}
