import type { PlannedDeploy } from '../../model/plan.js';
import { shortToken } from '../../kit/pure/names/hash.js';
import { tfName } from '../../kit/pure/names/terraform-names.js';

/**
 * How a Function App gets its code, by hosting plan (Learn, "Package-based deployment for Azure Functions",
 * https://learn.microsoft.com/azure/azure-functions/deployment-zip-push, table "Package deployment by hosting plan"):
 * - `flex` (FC1): managed package deployment from the app's deployment blob container; WEBSITE_RUN_FROM_PACKAGE
 *   must not be set.
 * - `package-url` (Elastic Premium EP*, Dedicated B/S/P): run from a package URL in blob storage, read by a
 *   managed identity (Learn, "Run your functions from a package file": WEBSITE_RUN_FROM_PACKAGE=<URL> with
 *   WEBSITE_RUN_FROM_PACKAGE_BLOB_MI_RESOURCE_ID). No zip deploy, so nothing goes through the SCM site.
 * Linux Consumption (Y1) is refused by the plan. Not because it cannot fetch a package by identity — it
 * can run from a blob URL read by a managed identity (azure-functions-host #9097, validated 2024-07) — but
 * because it is retiring (Learn, "Azure Functions runtime versions overview": Linux Consumption retires on
 * 30 September 2028 and gets no new features or language versions), it has no VNet integration for isolated
 * networking, and Flex Consumption, its successor, is the default.
 *
 * @example
 * ```ts
 * hostingOf('FC1'); // 'flex'
 * hostingOf('EP1'); // 'package-url'
 * ```
 */
export function hostingOf(sku: string): 'flex' | 'package-url' | 'unsupported' {
  if (sku === 'FC1') return 'flex';
  if (sku === 'Y1') return 'unsupported';
  return 'package-url';
}

/**
 * The default hosting plan: Flex Consumption, the current serverless plan (VNet integration,
 * identity-based deployment storage).
 */
export const DEFAULT_FUNCTIONS_SKU = 'FC1';

/**
 * The blob name Flex Consumption deploys from. Learn, "Automate resource deployment for your function app"
 * (functions-infrastructure-as-code, Flex Consumption pivot, "Deployment package"): the package in the
 * deployment container must be named `released-package.zip`. We upload it with `azurerm_storage_blob`
 * before the app exists instead of `zip_deploy_file`, which in azurerm 4.55 posts to `/api/zipdeploy`, an
 * endpoint Flex does not have (hashicorp/terraform-provider-azurerm#29630; the fix, PR #31937, is not in
 * 4.55) and which needs the SCM site (closed when public access is off).
 */
export const FLEX_PACKAGE_BLOB = 'released-package.zip';

/** Terraform logical names of one Function App's parts: the plan's `deploys` and apply's ids both come from here. */
export const functionsNames = {
  plan: (base: string) => tfName(base, 'plan'),
  app: (base: string) => base,
  identity: (base: string) => tfName(base, 'host', 'identity'),
  role: (base: string, short: string) => tfName(base, 'host', short),
  container: (base: string) => tfName(base, 'package', 'container'),
  blob: (base: string) => tfName(base, 'package', 'blob'),
  deploymentStorage: (base: string) => tfName(base, 'deployment', 'storage'),
  deploymentRole: (base: string) => tfName(base, 'deployment', 'role'),
};

/**
 * The data role the host identity needs on the deployment storage account, by hosting plan: Flex reads its
 * deployment container as the platform's deployment identity (Learn, "Flex Consumption plan hosting",
 * deployment storage: Storage Blob Data Contributor); a run-from-package URL is only read (Storage Blob Data
 * Reader; Learn, "Run your functions from a package file", managed identity).
 */
export function deploymentStorageRole(hosting: 'flex' | 'package-url'): string {
  return hosting === 'flex' ? 'Storage Blob Data Contributor' : 'Storage Blob Data Reader';
}

/**
 * The Azure name of an isolated app's deployment storage account: `stpkg` and the app name's letters and
 * digits, cut to fit with a hash of the whole (globally unique) app name, 3-24 lowercase letters and digits
 * (Learn, resource-name-rules, Microsoft.Storage/storageAccounts).
 *
 * @example
 * ```ts
 * deploymentStorageName('func-backend-prod-k3x9a1'); // 'stpkgfuncbackendp' + 6 hash characters
 * ```
 */
export function deploymentStorageName(appName: string): string {
  const clean = appName.toLowerCase().replace(/[^a-z0-9]+/g, '');
  return `${`stpkg${clean}`.slice(0, 18)}${shortToken(`deployment/${appName}`, 6)}`;
}

/** The Terraform type of the app itself for a SKU. */
export function appTerraformType(sku: string): string {
  return hostingOf(sku) === 'flex'
    ? 'azurerm_function_app_flex_consumption'
    : 'azurerm_linux_function_app';
}

/**
 * The blob container holding an app's package: `app-package-<app>` like the portal's default, shortened with a
 * hash to Azure's 3-63 characters (lowercase letters, digits, single hyphens). A Flex app's container also
 * carries the package version (`-<7 hex>`, as the portal's own names do): Flex reads a fixed blob name in it
 * (FLEX_PACKAGE_BLOB), so a new version needs a new container for the old package to stay while the app
 * moves over (package-delivery.ts).
 *
 * @example
 * ```ts
 * packageContainerName('func-backend-prod-k3x9a1'); // 'app-package-func-backend-prod-k3x9a1'
 * packageContainerName('func-backend-prod-k3x9a1', '3f1c9a0'); // 'app-package-func-backend-prod-k3x9a1-3f1c9a0'
 * ```
 */
export function packageContainerName(appName: string, version?: string): string {
  const clean = appName
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, '-')
    .replace(/-{2,}/g, '-')
    .replace(/^-+|-+$/g, '');
  const tail = version === undefined ? '' : `-${version}`;
  const full = `app-package-${clean}${tail}`;
  if (full.length <= 63) return full;
  return `app-package-${clean.slice(0, 44 - tail.length).replace(/-+$/, '')}-${shortToken(appName, 6)}${tail}`;
}

/**
 * The blob a Premium / Dedicated app runs from: named by the package version, so each version is a blob of its
 * own and `WEBSITE_RUN_FROM_PACKAGE` moves from one to the next (package-delivery.ts).
 *
 * @example
 * ```ts
 * packageBlobName('func-backend-prod-k3x9a1', '3f1c9a0'); // 'func-backend-prod-k3x9a1-3f1c9a0.zip'
 * ```
 */
export function packageBlobName(appName: string, version: string): string {
  return `${appName}-${version}.zip`;
}

/**
 * Where one version of an app's package is uploaded and read: Flex reads the fixed blob FLEX_PACKAGE_BLOB in a
 * container named by the version (the app's `storage_container_endpoint`); Premium / Dedicated read a blob named
 * by the version in the app's one container (`WEBSITE_RUN_FROM_PACKAGE`). Apply's upload (package-delivery.ts)
 * and `atakora sandbox`'s code-only redeploy both take the address from here.
 *
 * @example
 * ```ts
 * packageLocation('func-backend-prod-k3x9a1', 'flex', '3f1c9a0');
 * // { container: 'app-package-func-backend-prod-k3x9a1-3f1c9a0', blob: 'released-package.zip' }
 * ```
 */
export function packageLocation(
  appName: string,
  hosting: 'flex' | 'package-url',
  version: string,
): { readonly container: string; readonly blob: string } {
  return hosting === 'flex'
    ? { container: packageContainerName(appName, version), blob: FLEX_PACKAGE_BLOB }
    : { container: packageContainerName(appName), blob: packageBlobName(appName, version) };
}

/**
 * The Functions host id of an app. By default the host takes the first 32 characters of the app name, so
 * two apps whose names share those characters and one storage account collide (Learn, "Storage
 * considerations for Azure Functions", "Host ID considerations":
 * https://learn.microsoft.com/azure/azure-functions/storage-considerations#host-id-considerations). We set
 * `AzureFunctionsWebHost__hostid` explicitly: the name when it fits, else 25 characters of it and a hash of
 * the whole (globally unique) name; lowercase letters, digits and single inner hyphens, 1-32 characters.
 *
 * @example
 * ```ts
 * hostIdFor('func-backend-prod-k3x9a1'); // 'func-backend-prod-k3x9a1'
 * ```
 */
export function hostIdFor(appName: string): string {
  const clean = appName
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, '-')
    .replace(/-{2,}/g, '-')
    .replace(/^-+|-+$/g, '');
  if (clean.length > 0 && clean.length <= 32) return clean;
  return `${clean.slice(0, 25).replace(/-+$/, '')}-${shortToken(appName, 6)}`.replace(/^-+/, '');
}

/** App setting holding the package's MD5: a new package changes it, which restarts the app onto the new code. */
export const PACKAGE_HASH_SETTING = 'ATAKORA_PACKAGE_MD5';

/** The app setting that overrides the host id (Learn, "Host ID considerations"). */
export const HOST_ID_SETTING = 'AzureFunctionsWebHost__hostid';

/**
 * Data roles the Functions host identity needs on its storage account (Learn, "Connecting to host
 * storage with an identity").
 */
export const HOST_STORAGE_ROLES = [
  { short: 'blob', role: 'Storage Blob Data Owner' },
  { short: 'queue', role: 'Storage Queue Data Contributor' },
  { short: 'table', role: 'Storage Table Data Contributor' },
] as const;

/**
 * Every Terraform resource apply creates for one Function App: the plan, the app, its host identity and
 * that identity's storage roles, and — when it ships code, or always on Flex, whose app needs its
 * deployment container — the package container and the package blob; isolated, also the deployment storage
 * account that holds them and the host identity's role on it.
 *
 * @example
 * ```ts
 * functionsDeploys('backend_functions_shared', 'FC1', true).map((d) => d.terraformType);
 * ```
 */
export function functionsDeploys(
  base: string,
  sku: string,
  shipsPackage: boolean,
  isolated = false,
): PlannedDeploy[] {
  const flex = hostingOf(sku) === 'flex';
  // Isolated: the package lives in a deployment storage account the deployer can reach (see deployment-storage.ts).
  const separate = isolated && (flex || shipsPackage);
  return [
    { terraformType: 'azurerm_service_plan', name: functionsNames.plan(base) },
    { terraformType: appTerraformType(sku), name: functionsNames.app(base) },
    { terraformType: 'azurerm_user_assigned_identity', name: functionsNames.identity(base) },
    ...HOST_STORAGE_ROLES.map(
      (r): PlannedDeploy => ({
        terraformType: 'azurerm_role_assignment',
        name: functionsNames.role(base, r.short),
      }),
    ),
    ...(flex || shipsPackage
      ? [{ terraformType: 'azurerm_storage_container', name: functionsNames.container(base) }]
      : []),
    ...(shipsPackage
      ? [{ terraformType: 'azurerm_storage_blob', name: functionsNames.blob(base) }]
      : []),
    ...(separate
      ? [
          {
            terraformType: 'azurerm_storage_account',
            name: functionsNames.deploymentStorage(base),
          },
          { terraformType: 'azurerm_role_assignment', name: functionsNames.deploymentRole(base) },
        ]
      : []),
  ];
}
