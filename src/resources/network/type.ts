import type { NormalizedConfig } from '../../model/config.js';
import type { PlanIssue, PlannedDeploy, PlannedResource } from '../../model/plan.js';
import type { BackendResourceType } from '../../kit/pure/resources/backend-resource-type.js';
import { compare } from '../../kit/pure/resources/merge-strategies.js';
import { resourceName } from '../../kit/pure/names/naming.js';
import { HOURS_PER_MONTH } from '../../kit/pure/resources/prices.js';
import { tfName } from '../../kit/pure/names/terraform-names.js';
import { cidrSubnet, parseCidr } from './cidr.js';
import { networkFacts } from './facts.js';
import { asJsonObject } from '../../kit/pure/resources/resource-type.js';
import { zoneIdIssues } from './zone-ids.js';
import { endpointsRequiredIssues } from './endpoints-required.js';

/** The planned key of the backend's network. */
export const NETWORK_KEY = 'network:shared';

/**
 * Private Link list prices, USD, eastus, recorded 2026-11:
 * https://azure.microsoft.com/pricing/details/private-link/ (per endpoint-hour; data processing not modelled)
 * https://azure.microsoft.com/pricing/details/dns/ (per private zone-month, first 25 zones).
 */
export const NETWORK_PRICES = {
  privateEndpointPerHour: 0.01,
  privateDnsZonePerMonth: 0.5,
} as const;

/** The delegation Regional VNet integration needs on a Premium / Dedicated Function App's subnet. */
export const SERVER_FARMS_DELEGATION = 'Microsoft.Web/serverFarms';
/**
 * Flex Consumption integrates through a subnet delegated to `Microsoft.App/environments` (Learn, "Azure
 * Functions Flex Consumption plan hosting", "Virtual network integration"; "Configure Flex Consumption":
 * the subnet must be delegated to Microsoft.App/environments).
 */
export const FLEX_DELEGATION = 'Microsoft.App/environments';

/** The delegation a Function App's integration subnet needs, by its planned SKU. */
export function delegationFor(functions: PlannedResource | undefined): string {
  return functions?.config['sku'] === 'FC1' ? FLEX_DELEGATION : SERVER_FARMS_DELEGATION;
}
/** In an existing VNet (address space unknown to the plan), subnets are `cidrsubnet(space[0], 8, n)` from the top. */
export const EXISTING_VNET_NEWBITS = 8;

/** One subnet of the plan: created (with a prefix, or a `cidrsubnet` position in an existing VNet) or read. */
export interface NetworkSubnet {
  /** `pe`, `integration` or `integration-<group>`: part of its Terraform name. */
  key: string;
  role: 'integration' | 'privateEndpoints';
  name: string;
  /** Read with the `azurerm_subnet` data source instead of created. */
  existing: boolean;
  /** Known when the VNet is created by the plan. */
  addressPrefix?: string;
  /** `cidrsubnet(addressSpace[0], newbits, netnum)`: how apply carves it from an existing VNet. */
  newbits: number;
  netnum: number;
  delegation?: string;
  /** The `functions` resource that joins the VNet through it. */
  functionsKey?: string;
}

/** One private endpoint: the planned resource it points at, the subresource and its private DNS zone. */
export interface NetworkPrivateEndpoint {
  target: string;
  targetType: string;
  subresource: string;
  zone: string;
  name: string;
}

/** The merged `network` config in the plan. */
export interface MergedNetworkConfig {
  existingVnet: boolean;
  vnetName: string;
  /** Resource group of an existing VNet (and of the subnets added to it); null: the stack's. */
  vnetResourceGroupName: string | null;
  /** The created VNet's address space; null when the VNet exists already. */
  addressSpace: string | null;
  subnets: NetworkSubnet[];
  privateEndpoints: NetworkPrivateEndpoint[];
  /** One zone per name, shared by every endpoint that resolves through it. Sorted. */
  dnsZones: string[];
  /**
   * Zones of `dnsZones` that exist already (`networking.privateDnsZoneIds`): zone name → its resource id. Neither
   * the zone nor a VNet link is created for them; the endpoints' zone groups use the id. Costs nothing here.
   */
  existingDnsZones: Record<string, string>;
  dnsLinkName: string;
  /**
   * Recorded from the config; each created subnet gets an NSG with Azure's default rules (nsgName),
   * further rules stay the user's (seeds' Example 3).
   */
  serviceTags: string[];
}

/**
 * Terraform logical names of the network's parts: the plan's `deploys` and apply's ids both come from here.
 * They carry the backend id, so two backends in one stack never share a logical name.
 *
 * @example
 * ```ts
 * networkNames.endpoint('backend', 'cosmos:shared', 'Sql'); // 'backend_network_shared_pe_cosmos_shared_sql'
 * ```
 */
export const networkNames = {
  base: (backendId: string) => tfName(backendId, NETWORK_KEY),
  vnet: (backendId: string) => tfName(networkNames.base(backendId), 'vnet'),
  subnet: (backendId: string, key: string) => tfName(networkNames.base(backendId), 'subnet', key),
  zone: (backendId: string, zone: string) => tfName(networkNames.base(backendId), 'dns', zone),
  link: (backendId: string, zone: string) =>
    tfName(networkNames.base(backendId), 'dns', zone, 'link'),
  endpoint: (backendId: string, target: string, subresource: string) =>
    tfName(networkNames.base(backendId), 'pe', target, subresource.toLowerCase()),
  nsg: (backendId: string, key: string) => tfName(networkNames.base(backendId), 'nsg', key),
  nsgLink: (backendId: string, key: string) =>
    tfName(networkNames.base(backendId), 'nsg', key, 'link'),
};

/**
 * The network security group of a subnet the backend creates: `nsg-<subnet>` (Azure: 1-80 characters).
 * Every created subnet gets one (Checkov CKV2_AZURE_31, "Ensure VNET subnet is configured with a Network
 * Security Group"), holding only Azure's default rules — VNet and load-balancer traffic in, nothing else
 * from the internet, outbound open — which is what VNet integration and private endpoints need
 * (Learn, "Network security groups", default security rules). Your own rules go on it by name.
 *
 * @example
 * ```ts
 * nsgName('snet-backend-prod-integration'); // 'nsg-snet-backend-prod-integration'
 * ```
 */
export function nsgName(subnetName: string): string {
  return `nsg-${subnetName}`.slice(0, 80).replace(/[-.]+$/, '');
}

const isReference = (s: string) => s.includes('${');
const clean = (s: string) =>
  s
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');

/**
 * Networking for `networking: 'isolated'`: one `network:shared` resource holding the VNet (or the existing
 * one named by `vnetName`, read by a data source), an integration subnet per Function App plan — delegated to
 * `Microsoft.App/environments` for Flex Consumption, `Microsoft.Web/serverFarms` for Premium/Dedicated — (or
 * the existing `subnetName` for the first one), a private-endpoint subnet, an NSG on each subnet it creates, and — with
 * `privateEndpoints` — a private endpoint per Cosmos / Storage (blob, queue, table) / Key Vault / Service
 * Bus / Web PubSub / Azure OpenAI / Function App resource with one private DNS zone per zone name, linked to the VNet.
 *
 * Assumptions, kept simple on purpose:
 * - An existing VNet lives in `vnetResourceGroupName` (or, passed by reference, in the stack's group), and the
 *   subnets added to it go there too. The plan cannot see its address space, so the
 *   subnets it adds are carved from the top of its first address space (`cidrsubnet(space, 8, 255)` for
 *   endpoints, 254, 253, … for integration): with a /16 that is `x.y.255.0/24`, clear of the usual low
 *   subnets (the seeds' Example 3 uses 10.0.1.0/24 and 10.0.2.0/24). A VNet smaller than /24 needs the
 *   subnets made by hand.
 * - An existing `subnetName` must already be delegated: `Microsoft.App/environments` for Flex Consumption,
 *   `Microsoft.Web/serverFarms` for Premium/Dedicated. `privateEndpointSubnetName` names an existing endpoint subnet.
 * - Service Bus gets an endpoint only on the Premium tier (the only one with Private Link).
 * - Private DNS zone names are fixed by Azure: isolated backends in one stack share them (the first one
 *   applied creates a zone, the others link their VNet to it; see shared-zones.ts).
 *
 * @example
 * ```ts
 * const plan = defineBackend({ userApi }, { networking: 'isolated' }).plan();
 * plan.resources.find((r) => r.key === 'network:shared')?.deploys; // vnet, subnets, endpoints, zones, links
 * ```
 */
export const networkType: BackendResourceType = {
  type: 'network',
  facts: networkFacts,
  plan(resources, config, factsOf) {
    const net = config.networking;
    if (net.mode !== 'isolated' || resources.length === 0)
      return { resources: [], issues: zoneIdIssues(net.privateDnsZoneIds, [], false) };
    const issues: PlanIssue[] = [...endpointsRequiredIssues(resources, net, factsOf)];
    const existingVnet = net.vnetName !== undefined;
    const vnetName =
      net.vnetName ?? resourceName('network', 'vnet', undefined, config, networkFacts.name).name;
    // A literal name cannot be in the stack's own resource group: the stack creates that group. (A VNet made
    // in the same stack comes as a Terraform reference, `${…}`, which orders the lookup after it.)
    if (
      net.vnetName !== undefined &&
      net.vnetResourceGroupName === undefined &&
      !isReference(net.vnetName)
    ) {
      issues.push({
        severity: 'error',
        code: 'CONFIG_INVALID',
        path: ['config', 'networking', 'vnetResourceGroupName'],
        message:
          `networking.vnetName "${net.vnetName}" names an existing VNet but not its resource group; the ` +
          `stack's own resource group is created by the stack and holds no VNet yet.`,
        resolution:
          "Add networking.vnetResourceGroupName (the VNet's resource group), or pass a VNet made in the same " +
          'stack by reference (vnetName: vnet.name).',
      });
    }
    const prefix = `snet-${clean(config.backendId)}-${clean(config.environment)}`
      .slice(0, 60)
      .replace(/-+$/, '');
    if (net.deployerAddresses.length === 0 && resources.some((r) => r.type === 'functions')) {
      issues.push({
        severity: 'warning',
        code: 'DEPLOYER_ADDRESSES_MISSING',
        path: ['config', 'networking', 'deployerAddresses'],
        message:
          'Isolated Function Apps get their code from a deployment storage account Terraform writes from ' +
          'outside the VNet; with no networking.deployerAddresses its firewall admits every network (Entra ' +
          'ID sign-in still required, keys off).',
        resolution:
          'Add the public addresses of the machines that run terraform apply, e.g. networking: { mode: ' +
          "'isolated', deployerAddresses: ['203.0.113.7'] }; from CI, atakora deploy --admit-address auto " +
          'admits the runner for the run (the account then denies by default).',
      });
    }

    // Function Apps first by key, `functions:shared` first: a plan's subnet can serve only that plan.
    const functions = resources
      .filter((r) => r.type === 'functions')
      .map((r) => r.key)
      .sort((a, b) =>
        a === 'functions:shared' ? -1 : b === 'functions:shared' ? 1 : compare(a, b),
      );
    const wanted: Omit<NetworkSubnet, 'newbits' | 'netnum' | 'addressPrefix'>[] = [];
    if (net.privateEndpoints) {
      const own = existingVnet ? net.privateEndpointSubnetName : undefined;
      wanted.push({
        key: 'pe',
        role: 'privateEndpoints',
        name: own ?? `${prefix}-pe`,
        existing: own !== undefined,
      });
    }
    functions.forEach((key, i) => {
      const group = key.split(':')[1] ?? key;
      wanted.push({
        key: i === 0 ? 'integration' : `integration-${clean(group)}`,
        role: 'integration',
        functionsKey: key,
        name:
          i === 0 && net.subnetName
            ? net.subnetName
            : `${prefix}-${i === 0 ? 'integration' : clean(group)}`.slice(0, 80),
        existing: i === 0 && existingVnet && net.subnetName !== undefined,
        delegation: delegationFor(resources.find((r) => r.key === key)),
      });
    });
    const subnets = layout(wanted, existingVnet ? undefined : net.addressSpace, issues);

    const privateEndpoints: NetworkPrivateEndpoint[] = [];
    if (net.privateEndpoints) {
      for (const r of [...resources].sort((a, b) => compare(a.key, b.key))) {
        const link = factsOf(r.type).privateLink;
        if (!link || (link.when && !link.when(r.config))) continue;
        for (const t of link.targets) {
          const name = `pe-${r.name}-${t.subresource.toLowerCase()}`
            .slice(0, 64)
            .replace(/[^A-Za-z0-9_]+$/, '');
          privateEndpoints.push({
            target: r.key,
            targetType: r.type,
            subresource: t.subresource,
            zone: t.zone,
            name,
          });
        }
      }
    }
    const dnsZones = [...new Set(privateEndpoints.map((p) => p.zone))].sort(compare);
    issues.push(...zoneIdIssues(net.privateDnsZoneIds, dnsZones, !existingVnet));
    const existingDnsZones = Object.fromEntries(
      dnsZones.flatMap((z) => {
        const id = Object.hasOwn(net.privateDnsZoneIds, z) ? net.privateDnsZoneIds[z] : undefined;
        return id === undefined ? [] : [[z, id]];
      }),
    );
    const createdZones = dnsZones.filter((z) => !Object.hasOwn(existingDnsZones, z));
    const served = new Set([...privateEndpoints.map((p) => p.target), ...functions]);
    const consumers = [
      ...new Set(resources.filter((r) => served.has(r.key)).flatMap((r) => r.consumers)),
    ].sort(compare);
    const merged: MergedNetworkConfig = {
      existingVnet,
      vnetName,
      vnetResourceGroupName: existingVnet ? (net.vnetResourceGroupName ?? null) : null,
      addressSpace: existingVnet ? null : net.addressSpace,
      subnets,
      privateEndpoints,
      dnsZones,
      existingDnsZones,
      dnsLinkName: `pdnslink-${clean(config.backendId)}-${clean(config.environment)}`
        .slice(0, 80)
        .replace(/-+$/, ''),
      serviceTags: [...net.serviceTags].sort(compare),
    };
    const resource: PlannedResource = {
      key: NETWORK_KEY,
      type: 'network',
      name: vnetName,
      compatibility: 'isolated',
      config: asJsonObject(merged),
      consumers,
      deploys: networkDeploys(config, merged),
      estimatedMonthlyUsd:
        Math.round(
          (privateEndpoints.length * NETWORK_PRICES.privateEndpointPerHour * HOURS_PER_MONTH +
            createdZones.length * NETWORK_PRICES.privateDnsZonePerMonth) *
            100,
        ) / 100,
    };
    return { resources: [resource], issues };
  },
};

/** Every Terraform resource apply creates for the network (data sources for existing parts are not listed). */
function networkDeploys(config: NormalizedConfig, c: MergedNetworkConfig): PlannedDeploy[] {
  const id = config.backendId;
  return [
    ...(c.existingVnet
      ? []
      : [{ terraformType: 'azurerm_virtual_network', name: networkNames.vnet(id) }]),
    ...c.subnets
      .filter((s) => !s.existing)
      .flatMap((s) => [
        { terraformType: 'azurerm_subnet', name: networkNames.subnet(id, s.key) },
        { terraformType: 'azurerm_network_security_group', name: networkNames.nsg(id, s.key) },
        {
          terraformType: 'azurerm_subnet_network_security_group_association',
          name: networkNames.nsgLink(id, s.key),
        },
      ]),
    // A reused zone (networking.privateDnsZoneIds) is neither created nor linked: it is already linked to the VNet.
    ...c.dnsZones
      .filter((z) => !Object.hasOwn(c.existingDnsZones, z))
      .flatMap((z) => [
        { terraformType: 'azurerm_private_dns_zone', name: networkNames.zone(id, z) },
        {
          terraformType: 'azurerm_private_dns_zone_virtual_network_link',
          name: networkNames.link(id, z),
        },
      ]),
    ...c.privateEndpoints.map((p) => ({
      terraformType: 'azurerm_private_endpoint',
      name: networkNames.endpoint(id, p.target, p.subresource),
    })),
  ];
}

/**
 * Subnet positions. In a created VNet: /24s (or the halves, quarters … of a smaller space) from the bottom,
 * endpoints first; in an existing VNet: /24-sized `cidrsubnet(space, 8, n)` from the top, n = 255, 254, ….
 */
function layout(
  wanted: readonly Omit<NetworkSubnet, 'newbits' | 'netnum' | 'addressPrefix'>[],
  addressSpace: string | undefined,
  issues: PlanIssue[],
): NetworkSubnet[] {
  if (addressSpace === undefined) {
    return wanted.map((w, i) => ({
      ...w,
      newbits: EXISTING_VNET_NEWBITS,
      netnum: 2 ** EXISTING_VNET_NEWBITS - 1 - i,
    }));
  }
  const parsed = parseCidr(addressSpace);
  const need = Math.max(1, wanted.length);
  const newbits = parsed ? Math.max(24 - parsed.bits, Math.ceil(Math.log2(need))) : 0;
  // Regional VNet integration needs at least a /28
  // (https://learn.microsoft.com/azure/app-service/overview-vnet-integration).
  if (!parsed || parsed.bits + newbits > 28) {
    issues.push({
      severity: 'error',
      code: 'CONFIG_INVALID',
      path: ['config', 'networking', 'addressSpace'],
      message:
        `networking.addressSpace "${addressSpace}" must be an IPv4 CIDR with room for ${need} subnet(s) of at ` +
        `least /28 (e.g. 10.0.0.0/16).`,
    });
  }
  return wanted.map((w, i) => {
    const addressPrefix = parsed ? cidrSubnet(addressSpace, newbits, i) : undefined;
    return { ...w, newbits, netnum: i, ...(addressPrefix ? { addressPrefix } : {}) };
  });
}
