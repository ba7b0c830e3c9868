import { armRead, type ArmSession } from '../cosmos-accounts.js';

/**
 * The network API version of the calls here: the one azurerm v4.55.0 manages private endpoints and their DNS zone
 * groups with (internal/services/network/private_endpoint_resource.go imports go-azure-sdk
 * `network/2025-01-01/privateendpoints` and `network/2025-01-01/privatednszonegroups`).
 */
export const NETWORK_API_VERSION = '2025-01-01';

/** The private DNS zone of a Cosmos DB account's `Sql` private endpoint (Learn, "Azure Private Endpoint DNS"). */
export const COSMOS_PRIVATE_ZONE = 'privatelink.documents.azure.com';

/**
 * A private endpoint's URL under Resource Manager, with the API version.
 *
 * @example
 * ```ts
 * privateEndpointUrl(session, 'rg-app-prod', 'pe-cosmos-app-prod-r1a2b3c4d5e-sql');
 * ```
 */
export function privateEndpointUrl(s: ArmSession, resourceGroup: string, name: string): string {
  return (
    `${s.endpoint}/subscriptions/${s.subscriptionId}/resourceGroups/${resourceGroup}` +
    `/providers/Microsoft.Network/privateEndpoints/${name}?api-version=${NETWORK_API_VERSION}`
  );
}

/**
 * The URL of a private endpoint's DNS zone group, with the API version.
 *
 * @example
 * ```ts
 * dnsZoneGroupUrl(session, 'rg-app-prod', 'pe-cosmos-app-prod-r1a2b3c4d5e-sql', 'default');
 * ```
 */
export function dnsZoneGroupUrl(
  s: ArmSession,
  resourceGroup: string,
  endpoint: string,
  group: string,
): string {
  return privateEndpointUrl(s, resourceGroup, endpoint).replace(
    '?api-version=',
    `/privateDnsZoneGroups/${group}?api-version=`,
  );
}

/**
 * The body of Private Endpoints - Create Or Update
 * (https://learn.microsoft.com/rest/api/virtualnetwork/private-endpoints/create-or-update) for an automatically
 * approved connection to a Cosmos DB account's `Sql` sub-resource, in `subnetId` — what azurerm's
 * `azurerm_private_endpoint` sends for a `private_service_connection` with `is_manual_connection = false`.
 *
 * @example
 * ```ts
 * privateEndpointBody('West Europe', subnetId, temp.id, 'pe-…-sql', tags);
 * ```
 */
export function privateEndpointBody(
  location: string,
  subnetId: string,
  accountId: string,
  name: string,
  tags: Readonly<Record<string, string>>,
): Record<string, unknown> {
  return {
    location,
    tags,
    properties: {
      subnet: { id: subnetId },
      privateLinkServiceConnections: [
        {
          name: `${name}-connection`,
          properties: { privateLinkServiceId: accountId, groupIds: ['Sql'] },
        },
      ],
    },
  };
}

/**
 * The body of Private Dns Zone Groups - Create Or Update
 * (https://learn.microsoft.com/rest/api/virtualnetwork/private-dns-zone-groups/create-or-update): the endpoint's
 * address registered in `zoneId` (`privatelink.documents.azure.com`), as azurerm's `private_dns_zone_group` does.
 *
 * @example
 * ```ts
 * dnsZoneGroupBody('/subscriptions/…/privateDnsZones/privatelink.documents.azure.com');
 * ```
 */
export function dnsZoneGroupBody(zoneId: string): Record<string, unknown> {
  const zone = zoneId.slice(zoneId.lastIndexOf('/') + 1);
  return {
    properties: {
      privateDnsZoneConfigs: [
        { name: zone.replace(/\./g, '-'), properties: { privateDnsZoneId: zoneId } },
      ],
    },
  };
}

/** A private endpoint as Private Endpoints - Get reports it: its state and its connection's approval. */
export interface PrivateEndpointState {
  readonly provisioningState?: string;
  /** `Approved`, `Pending`, `Rejected`, `Disconnected` (privateLinkServiceConnectionState.status). */
  readonly connection?: string;
}

/**
 * Read a private endpoint (Private Endpoints - Get,
 * https://learn.microsoft.com/rest/api/virtualnetwork/private-endpoints/get); undefined on 404.
 *
 * @example
 * ```ts
 * (await readPrivateEndpoint(session, rg, name))?.connection; // 'Approved'
 * ```
 */
export async function readPrivateEndpoint(
  s: ArmSession,
  resourceGroup: string,
  name: string,
): Promise<PrivateEndpointState | undefined> {
  const found = await armRead(
    s,
    `reading private endpoint ${name}`,
    privateEndpointUrl(s, resourceGroup, name),
  );
  if (found === undefined) return undefined;
  const p: Record<string, unknown> =
    (found.json as { properties?: Record<string, unknown> } | undefined)?.properties ?? {};
  const [connection] = (p['privateLinkServiceConnections'] ?? []) as {
    properties?: { privateLinkServiceConnectionState?: { status?: unknown } };
  }[];
  const status = connection?.properties?.privateLinkServiceConnectionState?.status;
  return {
    ...(typeof p['provisioningState'] === 'string'
      ? { provisioningState: p['provisioningState'] }
      : {}),
    ...(typeof status === 'string' ? { connection: status } : {}),
  };
}
