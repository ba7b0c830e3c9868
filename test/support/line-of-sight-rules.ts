/**
 * Line of sight for the deployer: nothing Terraform writes or refreshes through a storage data plane sits
 * only behind a private endpoint the stack creates. `azurerm_storage_blob` is a data-plane resource
 * (internal/services/storage/storage_blob_resource.go@v4.55.0 uses the blob endpoint on create, read and
 * every refresh); a runner outside the VNet reaches an account only through its public endpoint, which
 * `public_network_access_enabled = false` closes and a `Deny` firewall with no IP rule closes to it too
 * (Learn, "Configure Azure Storage firewalls and virtual networks").
 */
type Attrs = Readonly<Record<string, unknown>>;
type Json = { resource?: Readonly<Record<string, Readonly<Record<string, Attrs>>>> };
type Add = (address: string, problem: string, source: string) => void;

const first = (v: unknown): Attrs | undefined =>
  Array.isArray(v) ? (v[0] as Attrs | undefined) : (v as Attrs | undefined);

/** Problems with what the deployer must reach, reported through `add`. */
export function lineOfSightProblems(json: Json, add: Add): void {
  const accounts = json.resource?.['azurerm_storage_account'] ?? {};
  for (const [bn, b] of Object.entries(json.resource?.['azurerm_storage_blob'] ?? {})) {
    const account = /^\$\{azurerm_storage_account\.([A-Za-z0-9_-]+)\.name\}$/.exec(
      String(b['storage_account_name']),
    )?.[1];
    const a = account ? accounts[account] : undefined;
    if (!a) continue;
    const rules = first(a['network_rules']);
    const ips = (rules?.['ip_rules'] ?? []) as unknown[];
    if (a['public_network_access_enabled'] === false) {
      add(
        `azurerm_storage_blob.${bn}`,
        `is written into azurerm_storage_account.${account}, whose public network access is off (reachable only inside the VNet)`,
        'storage_blob_resource.go@v4.55.0 (data plane); Learn: storage-network-security',
      );
    } else if (rules?.['default_action'] === 'Deny' && ips.length === 0) {
      add(
        `azurerm_storage_blob.${bn}`,
        `is written into azurerm_storage_account.${account}, whose firewall denies every address`,
        'storage_blob_resource.go@v4.55.0 (data plane); Learn: storage-network-security, IP network rules',
      );
    }
  }
}
