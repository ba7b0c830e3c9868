import type { RoleAssignment as RoleAssignmentT } from '@cdktf/provider-azurerm/lib/role-assignment/index.js';
import type { StorageAccount } from '@cdktf/provider-azurerm/lib/storage-account/index.js';
import type { UserAssignedIdentity } from '@cdktf/provider-azurerm/lib/user-assigned-identity/index.js';
import { named, type ProvisionContext } from '../../kit/cdktf/provision-context.js';
import { HOST_STORAGE_ROLES, functionsNames } from './hosting.js';
import { azurerm } from '../../kit/cdktf/cdk-modules.js';

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
export function hostIdentity(ctx: ProvisionContext, base: string, appName: string, storage: StorageAccount): HostIdentity {
  const { RoleAssignment } = azurerm('role-assignment');
  const { UserAssignedIdentity } = azurerm('user-assigned-identity');
  const identity = named(new UserAssignedIdentity(ctx.scope, functionsNames.identity(base), {
    name: `id-${appName}`.slice(0, 128),
    resourceGroupName: ctx.resourceGroupName,
    location: ctx.plan.location,
    tags: { ...ctx.tags },
    dependsOn: [...ctx.dependsOn],
  }), functionsNames.identity(base));
  const roles = HOST_STORAGE_ROLES.map((r) => named(new RoleAssignment(ctx.scope, functionsNames.role(base, r.short), {
    scope: storage.id, roleDefinitionName: r.role, principalId: identity.principalId, principalType: 'ServicePrincipal',
  }), functionsNames.role(base, r.short)));
  return { identity, roles };
}

/**
 * App settings that point the host's `AzureWebJobsStorage` connection at the account by identity (Learn,
 * "Connecting to host storage with an identity": `__accountName`, and for a user-assigned identity
 * `__credential = managedidentity` and `__clientId`).
 *
 * On Flex, azurerm 4.55 writes `AzureWebJobsStorage = DefaultEndpointsProtocol=…;AccountKey=;…` (a connection
 * string with an empty key) whatever the authentication type (function_app_flex_consumption_resource.go at
 * v4.55.0; hashicorp/terraform-provider-azurerm#29693, #30732, #29149); the host would try that instead of the
 * identity. A user app setting of the same name replaces it (`MergeUserAppSettings` dedupes by name), so we
 * set it empty: an empty value is treated as absent and the `__` settings apply. The provider reads it back
 * apart from `app_settings`, so `terraform plan` shows this one setting as an in-place change on every run.
 */
export function hostStorageSettings(storage: StorageAccount, host: HostIdentity, hosting: 'flex' | 'package-url'): Record<string, string> {
  return {
    ...(hosting === 'flex' ? { AzureWebJobsStorage: '' } : {}),
    AzureWebJobsStorage__accountName: storage.name,
    AzureWebJobsStorage__credential: 'managedidentity',
    AzureWebJobsStorage__clientId: host.identity.clientId,
  };
}
