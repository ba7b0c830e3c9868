import type { NormalizedConfig } from '../../../model/config.js';
import type { PlannedDeploy } from '../../../model/plan.js';
import { compare } from '../resources/merge-strategies.js';
import { settingPrefix, tfName } from './terraform-names.js';

/**
 * One user-assigned managed identity per component hosted on a Function App, so each component's data
 * roles sit on its own principal (a read-only API's Reader grant never shares a principal with another's
 * Contributor). Pure names, shared by the plan's `deploys` and apply.
 *
 * @example
 * ```ts
 * componentIdentityTfName('backend', 'UserApi');   // 'backend_identity_UserApi'
 * componentIdentitySetting('UserApi');             // 'USER_API_AZURE_CLIENT_ID'
 * ```
 */
export function componentIdentityTfName(backendId: string, componentId: string): string {
  return tfName(backendId, 'identity', componentId);
}

/**
 * The app setting that tells the runtime the client id of a component's identity.
 *
 * @example
 * ```ts
 * componentIdentitySetting('CatalogApi'); // 'CATALOG_API_AZURE_CLIENT_ID'
 * ```
 */
export function componentIdentitySetting(componentId: string): string {
  return `${settingPrefix(componentId)}_${IDENTITY_CLIENT_ID}`;
}

/**
 * The name, under a component's setting prefix, of its identity's client id (see {@link componentIdentitySetting}):
 * apply sets it, so a component's own setting of that name would be replaced.
 *
 * @example
 * ```ts
 * IDENTITY_CLIENT_ID; // 'AZURE_CLIENT_ID'
 * ```
 */
export const IDENTITY_CLIENT_ID = 'AZURE_CLIENT_ID';

/**
 * Azure name of a component's identity: `id-{backendId}-{env}-{component}`, fitted to the rule for
 * `Microsoft.ManagedIdentity/userAssignedIdentities` (3–128 characters; letters, digits, `-`, `_`; starts
 * with a letter or digit —
 * https://learn.microsoft.com/azure/azure-resource-manager/management/resource-name-rules#microsoftmanagedidentity).
 *
 * @example
 * ```ts
 * componentIdentityName(config, 'UserApi'); // 'id-backend-dev-user-api'
 * ```
 */
export function componentIdentityName(
  config: Pick<NormalizedConfig, 'backendId' | 'environment'>,
  componentId: string,
): string {
  const slug = (s: string) =>
    s
      .replace(/([a-z0-9])([A-Z])/g, '$1-$2')
      .replace(/[^A-Za-z0-9_-]+/g, '-')
      .toLowerCase();
  return `id-${slug(config.backendId)}-${slug(config.environment)}-${slug(componentId)}`
    .replace(/-+/g, '-')
    .slice(0, 128);
}

/**
 * The identities a Function App's consumers get, as planned deploys (sorted by component id).
 *
 * @example
 * ```ts
 * componentIdentityDeploys('backend', ['UserApi']); // [{ terraformType: 'azurerm_user_assigned_identity', name: 'backend_identity_UserApi' }]
 * ```
 */
export function componentIdentityDeploys(
  backendId: string,
  componentIds: readonly string[],
): PlannedDeploy[] {
  return [...componentIds].sort(compare).map((id) => ({
    terraformType: 'azurerm_user_assigned_identity',
    name: componentIdentityTfName(backendId, id),
  }));
}
