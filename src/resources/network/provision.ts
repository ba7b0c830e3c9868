import type { ITerraformDependable } from '../../kit/cdktf/engine.js';
import type { PrivateDnsZone } from '../../kit/cdktf/azurerm-types.js';
import { AtakoraFault } from '../../model/fault.js';
import type { PlannedResource } from '../../model/plan.js';
import type { BackendProvisioner } from '../../kit/cdktf/provisioner.js';
import type { SubnetSource } from '../../kit/cdktf/network-lookup.js';
import { named, type ProvisionContext } from '../../kit/cdktf/provision-context.js';
import {
  endpointFollowerKey,
  endpointReadyKey,
  followEndpoint,
  type EndpointFollower,
} from '../../kit/cdktf/endpoint-ready.js';
import {
  FLEX_DELEGATION,
  networkNames,
  nsgName,
  type MergedNetworkConfig,
  type NetworkSubnet,
} from './type.js';
import { stackPrivateDnsZones } from './shared-zones.js';
import { azurerm, cdktf, constructs } from '../../kit/cdktf/cdk-modules.js';
import { mergedConfigOf } from '../types.js';

/**
 * The backend's network as built in a stack: the VNet (created or read) and its subnets by key. Private DNS
 * zones and endpoints hang off it too; other types look it up with `networkFor` (kit/cdktf/network-lookup.ts).
 *
 * @example
 * ```ts
 * const net = applied.getResource('network') as BackendNetwork;
 * net.integrationSubnetIds.get('functions:shared'); // '${azurerm_subnet.backend_network_shared_subnet_integration.id}'
 * ```
 */
export class BackendNetwork extends constructs.Construct implements SubnetSource {
  /** `id` of the VNet (resource or data source); set by `provision`. */
  virtualNetworkId = '';
  virtualNetworkName = '';
  /** Subnet key (`pe`, `integration`, …) → subnet id. */
  readonly subnetIds = new Map<string, string>();
  /** `functions` resource key → the id of the subnet it integrates with. */
  readonly integrationSubnetIds = new Map<string, string>();
  privateEndpointSubnetId: string | undefined;
  /**
   * Subnet id → its NSG association: whatever else changes that subnet (private endpoints, VNet integration)
   * waits for it, so two operations never update one subnet at once (the association locks only the subnet and
   * VNet names inside azurerm, subnet_network_security_group_association_resource.go@v4.55.0; a private endpoint
   * and an app's VNet integration take no such lock, and Azure refuses concurrent subnet updates).
   */
  readonly subnetReady = new Map<string, ITerraformDependable>();
  /** Zone name → zone, filled by `provision`, used by the endpoints in `finalize`. */
  readonly zones = new Map<string, PrivateDnsZone>();
  /** Zone name → the id the endpoints' zone groups use: a created zone's `id`, or a reused zone's given id. */
  readonly zoneIds = new Map<string, string>();
}

/**
 * `provision`: the VNet (or the existing one, read), the subnets, the private DNS zones and their VNet
 * links — before the components' resources, so Function Apps can join. `finalize`: one private endpoint
 * per planned target, pointing at the construct apply made for it.
 *
 * @example
 * ```ts
 * const BACKEND_PROVISIONERS = [networkProvisioner];
 * ```
 */
export const networkProvisioner: BackendProvisioner = {
  provision(ctx, resource) {
    const c = mergedNetwork(resource);
    const where: NetworkAt = {
      ctx,
      c,
      net: new BackendNetwork(ctx.scope, networkNames.base(ctx.config.backendId)),
      tags: { ...ctx.tags },
      // An existing VNet and the subnets added to it live in the VNet's resource group.
      vnetGroup: c.vnetResourceGroupName ?? ctx.resourceGroupName,
    };
    const { net } = where;
    const { vnet, addressSpace } = virtualNetwork(where);
    net.virtualNetworkId = vnet.id;
    net.virtualNetworkName = vnet.name;
    for (const s of c.subnets) {
      const subnetId = s.existing
        ? existingSubnet(where, s, vnet.name)
        : createdSubnet(where, s, vnet.name, addressSpace);
      net.subnetIds.set(s.key, subnetId);
      if (s.role === 'privateEndpoints') net.privateEndpointSubnetId = subnetId;
      if (s.functionsKey) net.integrationSubnetIds.set(s.functionsKey, subnetId);
    }
    privateDnsZones(where, vnet.id);
    return net;
  },

  finalize(ctx: ProvisionContext, resource: PlannedResource) {
    const { PrivateEndpoint } = azurerm('private-endpoint');
    const c = mergedNetwork(resource);
    const id = ctx.config.backendId;
    const net = ctx.constructs.get(resource.key) as BackendNetwork;
    for (const p of c.privateEndpoints) {
      const target = ctx.constructs.get(p.target) as { id?: unknown } | undefined;
      const zoneId = net.zoneIds.get(p.zone);
      if (!target || typeof target.id !== 'string' || !zoneId || !net.privateEndpointSubnetId) {
        throw new AtakoraFault(
          `the private endpoint for ${p.target} (${p.subresource}) has no target resource id, DNS zone or ` +
            `subnet in the stack.`,
          { details: { path: ['resources', resource.key] } },
        );
      }
      const name = networkNames.endpoint(id, p.target, p.subresource);
      const endpoint = named(
        new PrivateEndpoint(net, name, {
          name: p.name,
          resourceGroupName: ctx.resourceGroupName,
          location: ctx.plan.location,
          subnetId: net.privateEndpointSubnetId,
          privateServiceConnection: {
            name: `${p.name}-connection`,
            isManualConnection: false,
            privateConnectionResourceId: target.id,
            subresourceNames: [p.subresource],
          },
          // internal/services/network/private_endpoint_resource.go@v4.55.0: private_dns_zone_group.private_dns_zone_ids
          // takes any zone's id (ValidatePrivateDnsZoneID), a reused hub zone's as well as one created here.
          privateDnsZoneGroup: { name: 'default', privateDnsZoneIds: [zoneId] },
          tags: { ...ctx.tags },
          ...dependsOnAll([
            net.subnetReady.get(net.privateEndpointSubnetId),
            // The target's last own change (kit/cdktf/endpoint-ready.ts): Azure updates a service one change at a time.
            ctx.constructs.get(endpointReadyKey(p.target)) as ITerraformDependable | undefined,
          ]),
        }),
        name,
      );
      // What must follow the endpoint and list it (the Web PubSub network ACL; kit/cdktf/endpoint-ready.ts).
      const follower = ctx.constructs.get(endpointFollowerKey(p.target)) as
        | EndpointFollower
        | undefined;
      if (follower) followEndpoint(follower, endpoint);
    }
  },
};

/** A `dependsOn` of the given constructs that exist, or nothing. */
function dependsOnAll(of: readonly (ITerraformDependable | undefined)[]): {
  dependsOn?: ITerraformDependable[];
} {
  const present = of.filter((d): d is ITerraformDependable => d !== undefined);
  return present.length ? { dependsOn: present } : {};
}

/** Where the network is built: the stack, the merged config, the construct, its tags and its VNet's group. */
interface NetworkAt {
  readonly ctx: ProvisionContext;
  readonly c: MergedNetworkConfig;
  readonly net: BackendNetwork;
  readonly tags: Record<string, string>;
  readonly vnetGroup: string;
}

/** The VNet: created, or an existing one read. */
function virtualNetwork({ ctx, c, net, tags, vnetGroup }: NetworkAt): {
  vnet: { id: string; name: string };
  addressSpace: string[];
} {
  const id = ctx.config.backendId;
  if (c.existingVnet) {
    const { DataAzurermVirtualNetwork } = azurerm('data-azurerm-virtual-network');
    const data = named(
      new DataAzurermVirtualNetwork(net, networkNames.vnet(id), {
        name: c.vnetName,
        resourceGroupName: vnetGroup,
        dependsOn: [...ctx.dependsOn],
      }),
      networkNames.vnet(id),
    );
    return { vnet: { id: data.id, name: data.name }, addressSpace: data.addressSpace };
  }
  const { VirtualNetwork } = azurerm('virtual-network');
  const created = named(
    new VirtualNetwork(net, networkNames.vnet(id), {
      name: c.vnetName,
      resourceGroupName: ctx.resourceGroupName,
      location: ctx.plan.location,
      addressSpace: [c.addressSpace ?? '10.0.0.0/16'],
      tags,
      dependsOn: [...ctx.dependsOn],
    }),
    networkNames.vnet(id),
  );
  return { vnet: { id: created.id, name: created.name }, addressSpace: created.addressSpace };
}

function existingSubnet(
  { ctx, net, vnetGroup }: NetworkAt,
  s: NetworkSubnet,
  vnetName: string,
): string {
  const { DataAzurermSubnet } = azurerm('data-azurerm-subnet');
  const name = networkNames.subnet(ctx.config.backendId, s.key);
  return named(
    new DataAzurermSubnet(net, name, {
      name: s.name,
      virtualNetworkName: vnetName,
      resourceGroupName: vnetGroup,
    }),
    name,
  ).id;
}

/** A subnet the stack creates, with its NSG and their association; returns the subnet's id. */
function createdSubnet(
  where: NetworkAt,
  s: NetworkSubnet,
  vnetName: string,
  addressSpace: string[],
): string {
  const { Subnet } = azurerm('subnet');
  const { ctx, net, vnetGroup } = where;
  const name = networkNames.subnet(ctx.config.backendId, s.key);
  const subnet = named(
    new Subnet(net, name, {
      name: s.name,
      resourceGroupName: vnetGroup,
      virtualNetworkName: vnetName,
      addressPrefixes: [
        s.addressPrefix ??
          cdktf.Fn.cidrsubnet(cdktf.Fn.element(addressSpace, 0) as string, s.newbits, s.netnum),
      ],
      ...(s.role === 'privateEndpoints' ? { privateEndpointNetworkPolicies: 'Disabled' } : {}),
      // The app reaches its deployment storage account (firewalled, no private endpoint) over this service
      // endpoint, which its virtual network rule admits (functions/deployment-storage.ts).
      ...(s.role === 'integration' ? { serviceEndpoints: ['Microsoft.Storage'] } : {}),
      ...(s.delegation
        ? {
            delegation: [
              {
                name: 'app-service-delegation',
                serviceDelegation: {
                  name: s.delegation,
                  actions: delegationActions(s.delegation),
                },
              },
            ],
          }
        : {}),
    }),
    name,
  );
  // One token for the map key and the id handed on: each read of `id` makes a new token string.
  const subnetId = subnet.id;
  subnetNsg(where, s, subnetId);
  return subnetId;
}

/** Every subnet we create carries an NSG (see nsgName in type.ts); the subnet is ready once associated. */
function subnetNsg(
  { ctx, net, tags, vnetGroup }: NetworkAt,
  s: NetworkSubnet,
  subnetId: string,
): void {
  const { NetworkSecurityGroup } = azurerm('network-security-group');
  const { SubnetNetworkSecurityGroupAssociation } = azurerm(
    'subnet-network-security-group-association',
  );
  const id = ctx.config.backendId;
  const nsg = named(
    new NetworkSecurityGroup(net, networkNames.nsg(id, s.key), {
      name: nsgName(s.name),
      resourceGroupName: vnetGroup,
      location: ctx.plan.location,
      tags,
      dependsOn: [...ctx.dependsOn],
    }),
    networkNames.nsg(id, s.key),
  );
  net.subnetReady.set(
    subnetId,
    named(
      new SubnetNetworkSecurityGroupAssociation(net, networkNames.nsgLink(id, s.key), {
        subnetId,
        networkSecurityGroupId: nsg.id,
      }),
      networkNames.nsgLink(id, s.key),
    ),
  );
}

/** The private DNS zones (made once per stack, or reused from config) and their links to the VNet. */
function privateDnsZones({ ctx, c, net, tags }: NetworkAt, vnetId: string): void {
  const { PrivateDnsZone } = azurerm('private-dns-zone');
  const { PrivateDnsZoneVirtualNetworkLink } = azurerm('private-dns-zone-virtual-network-link');
  const id = ctx.config.backendId;
  const stackZones = stackPrivateDnsZones(ctx.scope);
  const existingZones = c.existingDnsZones ?? {};
  for (const zoneName of c.dnsZones) {
    // A reused zone (networking.privateDnsZoneIds, e.g. a hub's) already resolves in the VNet: no zone, no link.
    const existing = Object.hasOwn(existingZones, zoneName) ? existingZones[zoneName] : undefined;
    if (existing !== undefined) {
      net.zoneIds.set(zoneName, existing);
      continue;
    }
    // One zone per name in the stack's resource group: reuse one an earlier backend made, link our VNet to it.
    const zone =
      stackZones.get(zoneName) ??
      named(
        new PrivateDnsZone(net, networkNames.zone(id, zoneName), {
          name: zoneName,
          resourceGroupName: ctx.resourceGroupName,
          tags,
          dependsOn: [...ctx.dependsOn],
        }),
        networkNames.zone(id, zoneName),
      );
    stackZones.set(zoneName, zone);
    named(
      new PrivateDnsZoneVirtualNetworkLink(net, networkNames.link(id, zoneName), {
        name: c.dnsLinkName,
        resourceGroupName: ctx.resourceGroupName,
        privateDnsZoneName: zone.name,
        virtualNetworkId: vnetId,
        registrationEnabled: false,
        tags,
      }),
      networkNames.link(id, zoneName),
    );
    net.zones.set(zoneName, zone);
    net.zoneIds.set(zoneName, zone.id);
  }
}

/** The actions Azure records for each delegation (else every plan shows a diff on the subnet). */
function delegationActions(delegation: string): string[] {
  return delegation === FLEX_DELEGATION
    ? ['Microsoft.Network/virtualNetworks/subnets/join/action']
    : ['Microsoft.Network/virtualNetworks/subnets/action'];
}

/** A backend-level resource's config is the one its own type wrote into the plan (JSON by contract). */
function mergedNetwork(resource: PlannedResource): MergedNetworkConfig {
  return mergedConfigOf('network', resource);
}
