import type { ITerraformDependable } from '../../kit/cdktf/engine.js';
import type { StorageAccount } from '../../kit/cdktf/azurerm-types.js';
import { named, type ProvisionContext } from '../../kit/cdktf/provision-context.js';
import type { FunctionAppPackage } from './package.js';
import type { HostIdentity } from './host-identity.js';
import {
  PACKAGE_HASH_SETTING,
  functionsNames,
  packageContainerName,
  packageLocation,
} from './hosting.js';
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
 * The package hash as an app setting restarts the app so it loads the new package (an app settings change
 * restarts an App Service app).
 *
 * A new package never leaves the app without one. A blob's `name`, `storage_container_name`, `source` and
 * `content_md5` are ForceNew, and creating a blob that already exists is refused (`ImportAsExistsError`;
 * internal/services/storage/storage_blob_resource.go@v4.55.0), so a package under a fixed address is deleted
 * before its successor is uploaded — a window in which a starting instance finds nothing. Instead each version
 * gets an address of its own (the version in the blob's name; on Flex, whose blob name is fixed, in its
 * container's name) and `create_before_destroy`: Terraform uploads the new version, points the app at it
 * (`WEBSITE_RUN_FROM_PACKAGE`, or the Flex app's `storage_container_endpoint`, updated in place:
 * internal/services/appservice/function_app_flex_consumption_resource.go@v4.55.0, not ForceNew, written to
 * `functionAppConfig.deployment.storage.value` on update), and only then deletes the old one.
 */
export function deliverPackage(
  ctx: ProvisionContext,
  base: string,
  appName: string,
  storage: StorageAccount,
  host: HostIdentity,
  hosting: 'flex' | 'package-url',
  pkg: FunctionAppPackage | undefined,
): PackageDelivery {
  const { StorageBlob } = azurerm('storage-blob');
  const { StorageContainer } = azurerm('storage-container');
  const flex = hosting === 'flex';
  if (!pkg && !flex)
    return { appSettings: {}, containerName: packageContainerName(appName), dependsOn: [] };
  // Flex needs its deployment container even before there is code to put in it.
  const at = pkg ? packageLocation(appName, hosting, pkg.version) : undefined;
  const container = named(
    new StorageContainer(ctx.scope, functionsNames.container(base), {
      name: at?.container ?? packageContainerName(appName),
      storageAccountId: storage.id,
      containerAccessType: 'private',
      lifecycle: { createBeforeDestroy: true },
    }),
    functionsNames.container(base),
  );
  // The app names its container by reference, so Terraform orders them without being told.
  if (!pkg) return { appSettings: {}, containerName: container.name, dependsOn: [container] };
  const md5 = cdktf.Fn.filemd5(pkg.path);
  const blob = named(
    new StorageBlob(ctx.scope, functionsNames.blob(base), {
      name: packageLocation(appName, hosting, pkg.version).blob,
      storageAccountName: storage.name,
      storageContainerName: container.name,
      type: 'Block',
      contentType: 'application/zip',
      source: pkg.path,
      contentMd5: md5,
      lifecycle: { createBeforeDestroy: true },
    }),
    functionsNames.blob(base),
  );
  const appSettings: Record<string, string> = { [PACKAGE_HASH_SETTING]: md5 };
  if (hosting === 'package-url') {
    appSettings[RUN_FROM_PACKAGE_SETTING] = blob.url;
    appSettings[RUN_FROM_PACKAGE_IDENTITY_SETTING] = host.identity.id;
  }
  return { appSettings, containerName: container.name, dependsOn: [container, blob] };
}
