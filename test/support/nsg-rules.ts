/**
 * Every workload subnet the stack creates has a network security group (Checkov CKV2_AZURE_31, "Ensure VNET
 * subnet is configured with a Network Security Group (NSG)": an `azurerm_subnet` connected to an
 * `azurerm_subnet_network_security_group_association`). Azure's own special subnets refuse NSGs and are not
 * workload subnets (Learn, "Network security groups": GatewaySubnet; Azure Firewall and Route Server subnets).
 */
type Attrs = Readonly<Record<string, unknown>>;
type Json = { resource?: Readonly<Record<string, Readonly<Record<string, Attrs>>>> };
type Add = (address: string, problem: string, source: string) => void;

const SPECIAL = new Set([
  'GatewaySubnet',
  'AzureFirewallSubnet',
  'AzureFirewallManagementSubnet',
  'RouteServerSubnet',
]);

/** Subnets without an NSG, reported through `add`. */
export function nsgProblems(json: Json, add: Add): void {
  const associated = new Set(
    Object.values(json.resource?.['azurerm_subnet_network_security_group_association'] ?? {}).map(
      (a) => String(a['subnet_id']),
    ),
  );
  for (const [n, s] of Object.entries(json.resource?.['azurerm_subnet'] ?? {})) {
    if (SPECIAL.has(String(s['name']))) continue;
    if (!associated.has(`\${azurerm_subnet.${n}.id}`))
      add(`azurerm_subnet.${n}`, 'has no network security group', 'Checkov CKV2_AZURE_31');
  }
}
