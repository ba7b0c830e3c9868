/**
 * Seeds, advanced Example 3: network isolation. The user creates the VNet, subnets and NSG; the backend
 * joins the Function App to the backend subnet, puts private endpoints (with private DNS) in front of
 * Cosmos DB, Storage and the Function App, and turns public network access off everywhere.
 *
 * Adjusted from the seeds: azurerm v4 replaced `privateEndpointNetworkPoliciesEnabled: false` with
 * `privateEndpointNetworkPolicies: 'Disabled'`; resource group names come from the stack.
 */
import { App } from 'cdktf';
import { defineBackend } from '@atakora/component/backend';
import { CrudApi } from '@atakora/component/crud';
import { ResourceGroupStack } from '@atakora/component/cdk';
import { VirtualNetwork } from '@cdktf/provider-azurerm/lib/virtual-network/index.js';
import { Subnet } from '@cdktf/provider-azurerm/lib/subnet/index.js';
import { NetworkSecurityGroup } from '@cdktf/provider-azurerm/lib/network-security-group/index.js';
import { NetworkSecurityRule } from '@cdktf/provider-azurerm/lib/network-security-rule/index.js';
import { SubnetNetworkSecurityGroupAssociation } from '@cdktf/provider-azurerm/lib/subnet-network-security-group-association/index.js';

/**
 * The isolated backend in the given VNet, its resource group and subnets. `synthNetworkIsolation` passes the
 * ones it creates (by reference, so the lookups wait for them); `atakora synth examples/network-isolation.ts`
 * uses the default names, as for a VNet that already exists in resource group `rg-network-prod`.
 */
export default function networkIsolationBackend(
  vnetName = 'vnet-secure-prod',
  subnetName = 'backend-subnet',
  vnetResourceGroupName = 'rg-network-prod',
  privateEndpointSubnetName = 'private-endpoint-subnet',
) {
  return defineBackend(
    {
      userApi: CrudApi.define('UserApi', {
        entityName: 'User',
        schema: { id: 'string', email: 'string', name: 'string', sensitiveData: 'string' },
        partitionKey: '/id',
      }),
      auditApi: CrudApi.define('AuditApi', {
        entityName: 'AuditLog',
        schema: {
          id: 'string',
          action: 'string',
          userId: 'string',
          timestamp: 'timestamp',
          ipAddress: 'string',
        },
        partitionKey: '/userId',
      }),
    },
    {
      environment: 'production',
      location: 'eastus',
      // Full network isolation
      networking: {
        mode: 'isolated',
        vnetName,
        subnetName,
        vnetResourceGroupName,
        // The endpoints go into the user's endpoint subnet (policies disabled) instead of one the backend adds.
        privateEndpointSubnetName,
        privateEndpoints: true,
        serviceTags: ['AzureCosmosDB', 'Storage', 'AzureFunctions'],
      },
      // Monitoring (still works with network isolation)
      monitoring: { enabled: true, retentionDays: 180 },
      tags: {
        security: 'high',
        compliance: 'pci-dss',
        dataClassification: 'confidential',
        networkIsolation: 'full',
      },
    },
  );
}

export function synthNetworkIsolation(outdir = 'cdktf.out') {
  const app = new App({ outdir });
  // Create network infrastructure first
  const resourceGroupName = 'rg-secure-prod';
  const stack = new ResourceGroupStack(app, 'SecureStack', {
    resourceGroupName,
    location: 'eastus',
  });
  const rg = stack.resourceGroup.name;
  const vnet = new VirtualNetwork(stack, 'vnet', {
    name: 'vnet-secure-prod',
    resourceGroupName: rg,
    location: 'eastus',
    addressSpace: ['10.0.0.0/16'],
  });
  // Create subnet for backend services
  const backendSubnet = new Subnet(stack, 'backend-subnet', {
    name: 'backend-subnet',
    resourceGroupName: rg,
    virtualNetworkName: vnet.name,
    addressPrefixes: ['10.0.1.0/24'],
    serviceEndpoints: ['Microsoft.AzureCosmosDB', 'Microsoft.Storage', 'Microsoft.Web'],
    // The Function App runs on Flex Consumption (the default), which joins a subnet delegated to Microsoft.App/environments.
    delegation: [
      {
        name: 'flex-delegation',
        serviceDelegation: {
          name: 'Microsoft.App/environments',
          actions: ['Microsoft.Network/virtualNetworks/subnets/join/action'],
        },
      },
    ],
  });
  // Create private endpoint subnet
  const privateEndpointSubnet = new Subnet(stack, 'private-endpoint-subnet', {
    name: 'private-endpoint-subnet',
    resourceGroupName: rg,
    virtualNetworkName: vnet.name,
    addressPrefixes: ['10.0.2.0/24'],
    privateEndpointNetworkPolicies: 'Disabled',
  });
  // Create NSG with strict rules
  const nsg = new NetworkSecurityGroup(stack, 'backend-nsg', {
    name: 'nsg-backend-prod',
    resourceGroupName: rg,
    location: 'eastus',
  });
  new NetworkSecurityRule(stack, 'allow-internal', {
    name: 'allow-internal',
    networkSecurityGroupName: nsg.name,
    resourceGroupName: rg,
    priority: 100,
    direction: 'Inbound',
    access: 'Allow',
    protocol: 'Tcp',
    sourcePortRange: '*',
    destinationPortRange: '443',
    sourceAddressPrefix: 'VirtualNetwork',
    destinationAddressPrefix: 'VirtualNetwork',
  });
  new NetworkSecurityRule(stack, 'deny-internet', {
    name: 'deny-internet',
    networkSecurityGroupName: nsg.name,
    resourceGroupName: rg,
    priority: 200,
    direction: 'Inbound',
    access: 'Deny',
    protocol: '*',
    sourcePortRange: '*',
    destinationPortRange: '*',
    sourceAddressPrefix: 'Internet',
    destinationAddressPrefix: '*',
  });

  // Attach the NSG to both subnets (Checkov CKV2_AZURE_31: no subnet without an NSG)
  new SubnetNetworkSecurityGroupAssociation(stack, 'backend-subnet-nsg', {
    subnetId: backendSubnet.id,
    networkSecurityGroupId: nsg.id,
  });
  new SubnetNetworkSecurityGroupAssociation(stack, 'private-endpoint-subnet-nsg', {
    subnetId: privateEndpointSubnet.id,
    networkSecurityGroupId: nsg.id,
  });

  // Create backend with network isolation
  // The VNet is in the stack's resource group; its name, by reference, makes every lookup wait for it.
  const backend = networkIsolationBackend(
    vnet.name,
    backendSubnet.name,
    resourceGroupName,
    privateEndpointSubnet.name,
  );
  backend.addToStack(stack);
  app.synth();
  return { app, stack, backend, vnet, backendSubnet, privateEndpointSubnet, nsg };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  synthNetworkIsolation();
  console.log(
    '\n=== Secure Network Configuration ===\nAll data resources behind private endpoints; public network access off.',
  );
}
