import type {
  RoleAssignment as RoleAssignmentT,
  StorageAccount,
} from '../../kit/cdktf/azurerm-types.js';
import { named, regional, type ProvisionContext } from '../../kit/cdktf/provision-context.js';
import type { HostIdentity } from './host-identity.js';
import { deploymentStorageName, deploymentStorageRole, functionsNames } from './hosting.js';
import { azurerm } from '../../kit/cdktf/cdk-modules.js';
import { SECURE_STORAGE_ACCOUNT } from '../../kit/cdktf/secure-storage.js';
import { deployerIpRules } from '../../kit/cdktf/deployer-admission.js';

/** Where an isolated app's package lives, and the role its host identity reads it with. */
export interface DeploymentStorage {
  readonly account: StorageAccount;
  readonly role: RoleAssignmentT;
}

/**
 * Line of sight for the deployer. Terraform writes the package blob (and refreshes it on every plan) through
 * the storage *data plane* (`azurerm_storage_blob`, internal/services/storage/storage_blob_resource.go@v4.55.0;
 * the stack already keeps every other storage call on the management plane with
 * `features.storage.data_plane_available = false`). In isolated mode the host storage account is reachable
 * only through private endpoints in a VNet this same stack creates, so no runner can be inside it for the
 * first apply. The package therefore goes to a deployment storage account of its own:
 * - code only (no queues, tables or data), shared keys off, Entra ID only, no anonymous blobs, TLS 1.2;
 * - its firewall denies by default and admits `networking.deployerAddresses` (IP rules; plus, for one run, the
 *   address `atakora deploy --admit-address` admits: kit/cdktf/deployer-admission.ts) and the app's
 *   integration subnet (a virtual network rule over the subnet's `Microsoft.Storage` service endpoint), plus
 *   trusted Azure services; without deployer addresses it admits every network (identity still required) and
 *   the plan warns (DEPLOYER_ADDRESSES_MISSING). Learn, "Configure Azure Storage firewalls and virtual
 *   networks" (https://learn.microsoft.com/azure/storage/common/storage-network-security): IP rules apply only
 *   with public network access "enabled from selected networks", hence `public_network_access_enabled = true`.
 * The host identity gets the read role it needs there, and the app waits for that role.
 *
 * @example
 * ```ts
 * const deployment = deploymentStorage(ctx, base, 'func-backend-prod-k3x9a1', identity, 'flex', subnetId);
 * ```
 */
export function deploymentStorage(
  ctx: ProvisionContext,
  base: string,
  appName: string,
  host: HostIdentity,
  hosting: 'flex' | 'package-url',
  subnetId: string | undefined,
): DeploymentStorage {
  const { StorageAccount } = azurerm('storage-account');
  const { RoleAssignment } = azurerm('role-assignment');
  // deployerAddresses, plus the address `atakora deploy --admit-address` admits for one run (deployer-admission.ts).
  const { defaultAction, ipRules } = deployerIpRules(
    ctx.scope,
    ctx.config.networking.deployerAddresses,
  );
  const id = functionsNames.deploymentStorage(base);
  const account = named(
    new StorageAccount(ctx.scope, id, {
      ...regional(ctx, deploymentStorageName(appName)),
      accountTier: 'Standard',
      accountReplicationType: 'LRS',
      ...SECURE_STORAGE_ACCOUNT,
      publicNetworkAccessEnabled: true,
      networkRules: {
        defaultAction,
        bypass: ['AzureServices'],
        ipRules,
        virtualNetworkSubnetIds: subnetId ? [subnetId] : [],
      },
    }),
    id,
  );
  const roleId = functionsNames.deploymentRole(base);
  const role = named(
    new RoleAssignment(ctx.scope, roleId, {
      scope: account.id,
      roleDefinitionName: deploymentStorageRole(hosting),
      principalId: host.identity.principalId,
      principalType: 'ServicePrincipal',
    }),
    roleId,
  );
  return { account, role };
}
