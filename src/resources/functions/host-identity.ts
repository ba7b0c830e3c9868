import type {
  RoleAssignment as RoleAssignmentT,
  StorageAccount,
  UserAssignedIdentity,
} from '../../kit/cdktf/azurerm-types.js';
import { named, regional, type ProvisionContext } from '../../kit/cdktf/provision-context.js';
import { HOST_STORAGE_ROLES, functionsNames } from './hosting.js';
import { FLEX_WEBJOBS_STORAGE_OVERRIDE } from './applied-settings.js';
import { azurerm } from '../../kit/cdktf/cdk-modules.js';
import { rememberHostIdentity } from '../../kit/cdktf/host-identity-lookup.js';

/** A Function App's host identity and the storage roles granted to it. */
export interface HostIdentity {
  readonly identity: UserAssignedIdentity;
  readonly roles: readonly RoleAssignmentT[];
}

/**
 * The user-assigned identity the Functions host runs storage (and the package fetch) under, with exactly the
 * data roles Learn lists for host storage by identity ("Connecting to host storage with an identity":
 * Storage Blob Data Owner, Storage Queue Data Contributor, Storage Table Data Contributor
 * https://learn.microsoft.com/azure/azure-functions/functions-reference#connecting-to-host-storage-with-an-identity).
 * A user-assigned identity exists before the app, so its roles can be granted first and the app made to
 * depend on them: a system-assigned identity only exists once the app has started.
 */
export function hostIdentity(
  ctx: ProvisionContext,
  base: string,
  appName: string,
  storage: StorageAccount,
): HostIdentity {
  const { RoleAssignment } = azurerm('role-assignment');
  const { UserAssignedIdentity } = azurerm('user-assigned-identity');
  const identity = named(
    new UserAssignedIdentity(ctx.scope, functionsNames.identity(base), {
      ...regional(ctx, `id-${appName}`.slice(0, 128)),
    }),
    functionsNames.identity(base),
  );
  const roles = HOST_STORAGE_ROLES.map((r) =>
    named(
      new RoleAssignment(ctx.scope, functionsNames.role(base, r.short), {
        scope: storage.id,
        roleDefinitionName: r.role,
        principalId: identity.principalId,
        principalType: 'ServicePrincipal',
      }),
      functionsNames.role(base, r.short),
    ),
  );
  rememberHostIdentity(ctx, base, identity);
  return { identity, roles };
}

/**
 * App settings that point the host's `AzureWebJobsStorage` connection at the account by identity (Learn,
 * "Connecting to host storage with an identity": `__accountName`, and for a user-assigned identity
 * `__credential = managedidentity` and `__clientId`).
 *
 * - Flex: `__accountName` is ours to set, and the provider's injected key-based string is replaced by an empty
 *   value under `FLEX_WEBJOBS_STORAGE_OVERRIDE` (applied-settings.ts). The host reads configuration
 *   names ignoring case and
 *   takes an empty `AzureWebJobsStorage` as absent, so the `__` settings apply (the .NET 10 host briefly
 *   mapped the empty value in, azure-functions-host #11636; fixed by PR #11794, which treats it as absent).
 * - Premium/Dedicated (`azurerm_linux_function_app`): the provider writes `AzureWebJobsStorage__accountName`
 *   itself from `storage_account_name` with `storage_uses_managed_identity` and filters it out on read
 *   (linux_function_app_resource.go@v4.55.0, Create and `unpackLinuxFunctionAppSettings`); setting it here too
 *   would show as a change on every plan, so only `__credential` and `__clientId` are ours.
 */
export function hostStorageSettings(
  storage: StorageAccount,
  host: HostIdentity,
  hosting: 'flex' | 'package-url',
): Record<string, string> {
  return {
    ...(hosting === 'flex'
      ? { [FLEX_WEBJOBS_STORAGE_OVERRIDE]: '', AzureWebJobsStorage__accountName: storage.name }
      : {}),
    AzureWebJobsStorage__credential: 'managedidentity',
    AzureWebJobsStorage__clientId: host.identity.clientId,
  };
}
