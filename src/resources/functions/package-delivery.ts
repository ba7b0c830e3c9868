import type { ITerraformDependable } from '../../kit/cdktf/engine.js';
import type { StorageAccount } from '../../kit/cdktf/azurerm-types.js';
import { named, type ProvisionContext } from '../../kit/cdktf/provision-context.js';
import type { FunctionAppPackage } from './package.js';
import type { HostIdentity } from './host-identity.js';
import { FLEX_PACKAGE_BLOB, PACKAGE_HASH_SETTING, functionsNames, packageContainerName } from './hosting.js';
import { azurerm, cdktf } from '../../kit/cdktf/cdk-modules.js';
import { RUN_FROM_PACKAGE_IDENTITY_SETTING, RUN_FROM_PACKAGE_SETTING } from './applied-settings.js';

/** What the app needs to find its package: settings, the container name, and what it must wait for. */
export interface PackageDelivery {
  readonly appSettings: Record<string, string>;
  /** The container's name (a Terraform reference once the container exists). */
  readonly containerName: string;
  readonly dependsOn: readonly ITerraformDependable[];
}

/**
 * Put the package where the app's plan reads it, by Terraform alone and never through the SCM site:
 * - Flex: blob `released-package.zip` in the app's deployment container (see FLEX_PACKAGE_BLOB). The app
 *   reads it with its host identity (`storage_authentication_type = UserAssignedIdentity`).
 * - Premium / Dedicated: the same upload, and `WEBSITE_RUN_FROM_PACKAGE = <blob URL>` read by the host
 *   identity (`WEBSITE_RUN_FROM_PACKAGE_BLOB_MI_RESOURCE_ID`; Learn, "Run your functions from a package
 *   file", "Fetch a package from Azure Blob Storage using a managed identity").
 * `content_md5` replaces the blob when the zip changes, and the package hash as an app setting restarts the
 * app so it loads the new package (an app settings change restarts an App Service app).
 */
export function deliverPackage(
  ctx: ProvisionContext, base: string, appName: string, storage: StorageAccount, host: HostIdentity,
  hosting: 'flex' | 'package-url', pkg: FunctionAppPackage | undefined,
): PackageDelivery {
  const { StorageBlob } = azurerm('storage-blob');
  const { StorageContainer } = azurerm('storage-container');
  const containerName = packageContainerName(appName);
  if (!pkg && hosting !== 'flex') return { appSettings: {}, containerName, dependsOn: [] };
  // Flex needs its deployment container even before there is code to put in it.
  const container = named(new StorageContainer(ctx.scope, functionsNames.container(base), {
    name: containerName, storageAccountId: storage.id, containerAccessType: 'private',
  }), functionsNames.container(base));
  // The app names its container by reference, so Terraform orders them without being told.
  if (!pkg) return { appSettings: {}, containerName: container.name, dependsOn: [container] };
  const md5 = cdktf.Fn.filemd5(pkg.path);
  const blob = named(new StorageBlob(ctx.scope, functionsNames.blob(base), {
    name: hosting === 'flex' ? FLEX_PACKAGE_BLOB : `${appName}.zip`,
    storageAccountName: storage.name,
    storageContainerName: container.name,
    type: 'Block',
    contentType: 'application/zip',
    source: pkg.path,
    contentMd5: md5,
  }), functionsNames.blob(base));
  const appSettings: Record<string, string> = { [PACKAGE_HASH_SETTING]: md5 };
  if (hosting === 'package-url') {
    appSettings[RUN_FROM_PACKAGE_SETTING] = blob.url;
    appSettings[RUN_FROM_PACKAGE_IDENTITY_SETTING] = host.identity.id;
  }
  return { appSettings, containerName: container.name, dependsOn: [container, blob] };
}
