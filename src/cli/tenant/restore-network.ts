import { AtakoraError } from '../../model/errors.js';
import type { ResourcePlan } from '../../model/plan.js';
import type { CosmosAccount } from '../azure/cosmos-accounts.js';
import { COSMOS_PRIVATE_ZONE } from '../azure/restore/private-endpoints.js';

// Who may reach the temporary account. It holds every tenant of the restored databases as at --at, and a restore
// brings back no network setting (Learn, "Continuous backup with point-in-time restore in Azure Cosmos DB", What
// isn't restored: "Firewall, Virtual Network, … private endpoint settings"; a restored account came back open to all
// networks in hashicorp/terraform-provider-azurerm#20552). So the command decides here, before anything is
// created, how the operator alone will reach it — and refuses when it cannot (TENANT_RESTORE_NETWORK).

/** How the temporary account is reached: through a private endpoint in the backend's network, or from addresses. */
export type NetworkLock =
  | {
      readonly kind: 'private';
      /** The backend's private endpoint subnet and zone (resource ids), and the region of its VNet. */
      readonly subnetId: string;
      readonly zoneId: string;
      readonly location: string;
    }
  | {
      readonly kind: 'addresses';
      readonly addresses: readonly string[];
      /** Where they came from (said in the progress). */
      readonly from: string;
    };

/** What the network of a planned isolated backend is, as far as the lock needs it. */
interface PlannedNetwork {
  readonly vnetName?: unknown;
  readonly vnetResourceGroupName?: unknown;
  readonly subnets?: readonly { readonly role?: unknown; readonly name?: unknown }[];
  readonly privateEndpoints?: readonly {
    readonly target?: unknown;
    readonly subresource?: unknown;
  }[];
  readonly existingDnsZones?: Readonly<Record<string, unknown>>;
}

/** Where the restore runs: the subscription and resource group of the deployment. */
export interface Deployment {
  readonly subscriptionId: string;
  readonly resourceGroup: string;
}

const plain = (v: unknown): v is string =>
  typeof v === 'string' && v !== '' && !v.includes('${') && !v.includes('TOKEN');

/**
 * The lock of the temporary account of live account `name`: on an isolated backend (the plan gives the account a
 * private endpoint), a private endpoint of its own in the backend's private endpoint subnet, registered in the
 * backend's Cosmos DB private DNS zone, and public access off; otherwise public access only from the
 * operator's addresses (`--operator-address`), else from the live account's own IP rules less `0.0.0.0` (Learn,
 * "Configure IP firewall in Azure Cosmos DB": that entry admits every Azure datacenter). Refused
 * (TENANT_RESTORE_NETWORK) when neither can be had: an isolated backend whose subnet or zone the plan names only as
 * a Terraform reference, a live account with public access off and no private endpoint in the plan, or a live
 * account open to every network and no operator address.
 *
 * @example
 * ```ts
 * networkLockFor(plan, live, ['203.0.113.7'], { subscriptionId, resourceGroup: 'rg-app-prod' });
 * // { kind: 'addresses', addresses: ['203.0.113.7'], from: '--operator-address' }
 * ```
 */
export function networkLockFor(
  plan: ResourcePlan,
  live: CosmosAccount,
  operator: readonly string[],
  at: Deployment,
): NetworkLock {
  const cosmos = plan.resources.find((r) => r.type === 'cosmos' && r.name === live.name);
  const network = plan.resources
    .filter((r) => r.type === 'network')
    .map((r) => r.config as PlannedNetwork)
    .find((c) =>
      (c.privateEndpoints ?? []).some((p) => p.target === cosmos?.key && p.subresource === 'Sql'),
    );
  if (network) return privateLock(network, plan.location, at, live.name);
  if (live.properties['publicNetworkAccess'] === 'Disabled')
    throw refused(
      `Cosmos DB account ${live.name} has public network access off and the plan gives it no private endpoint ` +
        'the restore could copy: the temporary account could not be reached.',
    );
  if (operator.length > 0)
    return { kind: 'addresses', addresses: [...operator].sort(), from: '--operator-address' };
  const rules = ((live.properties['ipRules'] ?? []) as { ipAddressOrRange?: unknown }[])
    .map((r) => r.ipAddressOrRange)
    .filter((a): a is string => typeof a === 'string' && a !== '0.0.0.0');
  if (rules.length > 0)
    return { kind: 'addresses', addresses: rules.sort(), from: `the IP rules of ${live.name}` };
  throw refused(
    `Cosmos DB account ${live.name} admits every network, and the temporary account must admit only you. Pass ` +
      '--operator-address with the public IPv4 address (or range) this machine reaches Azure from.',
  );
}

function privateLock(
  network: PlannedNetwork,
  location: string,
  at: Deployment,
  account: string,
): NetworkLock {
  const subnet = (network.subnets ?? []).find((s) => s.role === 'privateEndpoints')?.name;
  const vnetGroup = network.vnetResourceGroupName ?? at.resourceGroup;
  const zoneId =
    network.existingDnsZones?.[COSMOS_PRIVATE_ZONE] ??
    `/subscriptions/${at.subscriptionId}/resourceGroups/${at.resourceGroup}/providers/Microsoft.Network/` +
      `privateDnsZones/${COSMOS_PRIVATE_ZONE}`;
  if (!plain(network.vnetName) || !plain(subnet) || !plain(vnetGroup) || !plain(zoneId))
    throw refused(
      `${account} is reached through a private endpoint, and the plan names its VNet, subnet or ` +
        `${COSMOS_PRIVATE_ZONE} zone only as a Terraform reference: the temporary account's endpoint could not ` +
        'be placed beside it.',
    );
  return {
    kind: 'private',
    subnetId:
      `/subscriptions/${at.subscriptionId}/resourceGroups/${vnetGroup}/providers/Microsoft.Network/` +
      `virtualNetworks/${network.vnetName}/subnets/${subnet}`,
    zoneId,
    location,
  };
}

/**
 * The account properties of a lock (Database Accounts - Create Or Update and Update,
 * https://learn.microsoft.com/rest/api/cosmos-db-resource-provider/database-accounts/update): public access off, or
 * on for exactly the lock's addresses; no virtual network rule; no bypass for Azure services.
 *
 * @example
 * ```ts
 * lockedNetwork({ kind: 'addresses', addresses: ['203.0.113.7'], from: '--operator-address' }).ipRules;
 * // [{ ipAddressOrRange: '203.0.113.7' }]
 * ```
 */
export function lockedNetwork(lock: NetworkLock): Record<string, unknown> {
  return {
    publicNetworkAccess: lock.kind === 'private' ? 'Disabled' : 'Enabled',
    ipRules: lock.kind === 'private' ? [] : lock.addresses.map((a) => ({ ipAddressOrRange: a })),
    isVirtualNetworkFilterEnabled: false,
    virtualNetworkRules: [],
    networkAclBypass: 'None',
    networkAclBypassResourceIds: [],
  };
}

/**
 * Whom an account read back admits beyond the lock, in words; empty when it is locked. Public access off is locked
 * whatever the lock (nobody reaches it from outside).
 *
 * @example
 * ```ts
 * networkOpenings(restored, lock); // ['public network access from every network (no IP rule)']
 * ```
 */
export function networkOpenings(account: CosmosAccount, lock: NetworkLock): string[] {
  const p = account.properties;
  const out: string[] = [];
  const vnetRules = (p['virtualNetworkRules'] ?? []) as unknown[];
  if (p['isVirtualNetworkFilterEnabled'] === true && vnetRules.length > 0)
    out.push(`${String(vnetRules.length)} virtual network rule(s)`);
  if (p['networkAclBypass'] === 'AzureServices')
    out.push('trusted Azure services (networkAclBypass)');
  if (p['publicNetworkAccess'] === 'Disabled') return out;
  if (lock.kind === 'private') {
    const access = p['publicNetworkAccess'];
    out.push(`public network access (${typeof access === 'string' ? access : 'not set: Enabled'})`);
    return out;
  }
  const rules = ((p['ipRules'] ?? []) as { ipAddressOrRange?: unknown }[]).map((r) =>
    String(r.ipAddressOrRange),
  );
  if (rules.length === 0) out.push('public network access from every network (no IP rule)');
  for (const r of rules) if (!lock.addresses.includes(r)) out.push(`address ${r}`);
  return out;
}

/**
 * TENANT_RESTORE_NETWORK: the temporary account cannot be made reachable by the operator alone, or was not.
 *
 * @example
 * ```ts
 * throw refused('…', 'Nothing was created.');
 * ```
 */
export function refused(message: string, after = 'Nothing was created or changed.'): AtakoraError {
  return new AtakoraError('TENANT_RESTORE_NETWORK', `${message} ${after}`, {
    path: ['tenant', 'restore'],
  });
}

/**
 * An IPv4 address or CIDR range, as a Cosmos DB IP rule takes it (Learn, "Configure IP firewall in Azure Cosmos DB").
 *
 * @example
 * ```ts
 * IPV4_OR_RANGE.test('203.0.113.0/24'); // true
 * ```
 */
export const IPV4_OR_RANGE =
  /^(25[0-5]|2[0-4]\d|1?\d?\d)(\.(25[0-5]|2[0-4]\d|1?\d?\d)){3}(\/(3[0-2]|[12]?\d))?$/;
