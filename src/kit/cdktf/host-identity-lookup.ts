import type { UserAssignedIdentity } from '@cdktf/provider-azurerm/lib/user-assigned-identity/index.js';
import type { ProvisionContext } from './provision-context.js';

/** Key under which an app's host identity is kept in `ctx.constructs` (by the app's logical name; has a `|`). */
const key = (appTfName: string) => `host-identity|${appTfName}`;

/**
 * Record a Function App's host identity, so other types' grants can find it without importing the functions type.
 *
 * @example
 * ```ts
 * rememberHostIdentity(ctx, 'backend_functions_shared', identity);
 * ```
 */
export function rememberHostIdentity(
  ctx: ProvisionContext,
  appTfName: string,
  identity: UserAssignedIdentity,
): void {
  ctx.constructs.set(key(appTfName), identity);
}

/**
 * The host identity of a Function App (by its Terraform logical name), once provisioned.
 *
 * @example
 * ```ts
 * const principalId = hostIdentityOf(ctx, 'backend_functions_shared')?.principalId;
 * ```
 */
export function hostIdentityOf(
  ctx: ProvisionContext,
  appTfName: string,
): UserAssignedIdentity | undefined {
  return ctx.constructs.get(key(appTfName)) as UserAssignedIdentity | undefined;
}
