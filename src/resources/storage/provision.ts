import type {
  StorageAccount,
  StorageContainer as StorageContainerT,
} from '../../kit/cdktf/azurerm-types.js';
import { named, regional, type ProvisionContext } from '../../kit/cdktf/provision-context.js';
import type { TypedPlannedResource } from '../../kit/pure/resources/resource-type.js';
import { tfName } from '../../kit/pure/names/terraform-names.js';
import type { FilesRetention, MergedStorageConfig } from './type.js';
import { azurerm } from '../../kit/cdktf/cdk-modules.js';
import { SECURE_STORAGE_ACCOUNT } from '../../kit/cdktf/secure-storage.js';
import { corsOriginsFor } from '../../kit/pure/cors-origins.js';
import { blobPropertiesFor } from './blob-properties.js';
import { lifecycleRules } from './lifecycle.js';
import { storageIpRules } from '../../kit/pure/ip-ranges.js';
import { componentIdentityOf } from '../../kit/cdktf/component-identity.js';
import { appWaitsFor } from '../../kit/cdktf/app-waits-for.js';
import type { FunctionAppOf } from '../../kit/cdktf/provisioner.js';
import { blobAccessTfNames, FILES_DATA_ROLE, FILES_DELEGATOR_ROLE } from './type.js';

/** Key under which a container is kept in `ctx.constructs` (not a resource key: it has a `|`). */
const containerKey = (resourceKey: string, name: string) => `${resourceKey}|container|${name}`;

/**
 * The storage account, secure by default and written out for scanners: TLS 1.2, HTTPS only, no public
 * nested items, no shared keys (the Functions host and components connect by identity).
 */
export function provisionStorage(
  ctx: ProvisionContext,
  resource: TypedPlannedResource<MergedStorageConfig>,
): StorageAccount {
  const { StorageAccount } = azurerm('storage-account');
  const { StorageContainer } = azurerm('storage-container');
  const c = resource.config;
  const base = tfName(ctx.config.backendId, resource.key);
  const isolated = ctx.config.networking.mode === 'isolated';
  const account = named(
    new StorageAccount(ctx.scope, base, {
      ...regional(ctx, resource.name),
      accountTier: c.tier,
      accountReplicationType: c.replication,
      ...SECURE_STORAGE_ACCOUNT,
      // The whole block, once: retention, versioning and the files account's CORS (blob-properties.ts).
      blobProperties: blobPropertiesFor(
        c,
        c.retention ? corsOriginsFor(ctx.plan, ctx.config, []) : [],
      ),
      // Isolated: reached only through its private endpoints (and trusted Azure services), plus, for a files
      // account with allowedIpRanges, the listed ranges through the public endpoint (type.ts refuses ranges on a
      // public backend: its app could not pass the firewall).
      publicNetworkAccessEnabled: !isolated || c.ipRules !== undefined,
      ...(isolated
        ? {
            networkRules: {
              defaultAction: 'Deny',
              bypass: ['AzureServices'],
              ...(c.ipRules ? { ipRules: storageIpRules(c.ipRules) } : {}),
            },
          }
        : {}),
    }),
    base,
  );
  for (const name of c.containers) {
    const id = tfName(base, 'container', name);
    ctx.constructs.set(
      containerKey(resource.key, name),
      named(
        new StorageContainer(ctx.scope, id, {
          name,
          storageAccountId: account.id,
          containerAccessType: 'private',
        }),
        id,
      ),
    );
  }
  if (c.retention) provisionRetention(ctx, account, base, c.retention);
  for (const name of c.queues) {
    const { StorageQueue } = azurerm('storage-queue');
    const id = tfName(base, 'queue', name);
    named(new StorageQueue(ctx.scope, id, { name, storageAccountId: account.id }), id);
  }
  return account;
}

/**
 * Each FileStore's identity gets exactly its two roles on the files account (type.ts FILES_DATA_ROLE): data on
 * its own container, delegation on the account. The app waits for both, as it does for a Cosmos DB role.
 */
export function grantStorageAccess(
  ctx: ProvisionContext,
  resource: TypedPlannedResource<MergedStorageConfig>,
  functionAppOf: FunctionAppOf,
): void {
  const access = resource.config.blobAccess;
  if (!access) return;
  const { RoleAssignment } = azurerm('role-assignment');
  const account = ctx.constructs.get(resource.key) as StorageAccount;
  const base = tfName(ctx.config.backendId, resource.key);
  for (const [componentId, container] of Object.entries(access)) {
    const identity = componentIdentityOf(ctx, componentId);
    if (!identity) continue;
    const names = blobAccessTfNames(base, componentId);
    // The container is made with storage_account_id, so its `id` is the Resource Manager id a role is scoped to;
    // resource_manager_id is deprecated in favour of it (storage_container_resource.go@v4.55.0).
    const scope = (ctx.constructs.get(containerKey(resource.key, container)) as StorageContainerT)
      .id;
    const principalId = identity.principalId;
    for (const [id, role, at] of [
      [names.data, FILES_DATA_ROLE, scope],
      [names.delegator, FILES_DELEGATOR_ROLE, account.id],
    ] as const) {
      const assignment = named(
        new RoleAssignment(ctx.scope, id, {
          scope: at,
          roleDefinitionName: role,
          principalId,
          principalType: 'ServicePrincipal',
        }),
        id,
      );
      appWaitsFor(functionAppOf(componentId), assignment);
    }
  }
}

/**
 * The files account's lifecycle policy: its rules as lifecycle.ts composes them (at most ten prefixes each), on block
 * blobs under the named prefixes only (azurerm storage_management_policy_resource.go@v4.55.0: `prefix_match`,
 * `base_blob`, `version`).
 */
function provisionRetention(
  ctx: ProvisionContext,
  account: StorageAccount,
  base: string,
  retention: FilesRetention,
): void {
  const { StorageManagementPolicy } = azurerm('storage-management-policy');
  const id = tfName(base, 'lifecycle');
  named(
    new StorageManagementPolicy(ctx.scope, id, {
      storageAccountId: account.id,
      rule: lifecycleRules(retention).map((r) => ({
        name: r.name,
        enabled: true,
        filters: { blobTypes: ['blockBlob'], prefixMatch: [...r.prefixes] },
        actions:
          r.action.kind === 'base'
            ? { baseBlob: { deleteAfterDaysSinceCreationGreaterThan: r.action.daysAfterCreation } }
            : { version: { deleteAfterDaysSinceCreation: r.action.daysAfterCreation } },
      })),
    }),
    id,
  );
}
