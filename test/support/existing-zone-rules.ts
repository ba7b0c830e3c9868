/**
 * Existing private DNS zones (hub-spoke): a VNet can be linked to only one zone of a name ("A virtual network
 * cannot be linked to multiple zones with overlapping namespaces", Learn, "Azure Private DNS zone virtual network
 * link"), so a stack whose VNet already resolves through a hub's `privatelink.*` zone must neither create that
 * zone nor link the VNet to a new one, and its private endpoints must register their records in the hub's zone
 * (azurerm 4.55, internal/services/network/private_endpoint_resource.go@v4.55.0:
 * `private_dns_zone_group.private_dns_zone_ids`).
 */
type Attrs = Readonly<Record<string, unknown>>;
type Json = { resource?: Readonly<Record<string, Readonly<Record<string, Attrs>>>> };

const SOURCE =
  'Learn: private DNS zone virtual network link; azurerm private_endpoint_resource.go@v4.55.0';

/**
 * What breaks for a stack configured with existing zones (zone name → zone id), one line per problem.
 *
 * @example
 * ```ts
 * existingZoneProblems(json, { 'privatelink.documents.azure.com': hubZoneId }); // [] when the stack reuses it
 * ```
 */
export function existingZoneProblems(json: Json, ids: Readonly<Record<string, string>>): string[] {
  const problems: string[] = [];
  const zones = Object.entries(json.resource?.['azurerm_private_dns_zone'] ?? {});
  const links = Object.values(
    json.resource?.['azurerm_private_dns_zone_virtual_network_link'] ?? {},
  );
  const endpoints = Object.entries(json.resource?.['azurerm_private_endpoint'] ?? {});
  const groupIds = (e: Attrs) =>
    ((e['private_dns_zone_group'] as Attrs | undefined)?.['private_dns_zone_ids'] ??
      []) as string[];
  for (const [zone, id] of Object.entries(ids)) {
    for (const [n, z] of zones) {
      if (z['name'] !== zone) continue;
      problems.push(
        `azurerm_private_dns_zone.${n}: creates ${zone}, which exists already (${SOURCE})`,
      );
      for (const l of links)
        if (l['private_dns_zone_name'] === `\${azurerm_private_dns_zone.${n}.name}`)
          problems.push(`a VNet link to the duplicate ${zone} (${SOURCE})`);
      for (const [en, e] of endpoints)
        if (groupIds(e).includes(`\${azurerm_private_dns_zone.${n}.id}`))
          problems.push(
            `azurerm_private_endpoint.${en}: registers in the duplicate ${zone}, not ${id} (${SOURCE})`,
          );
    }
    if (!endpoints.some(([, e]) => groupIds(e).includes(id)))
      problems.push(`no private endpoint registers in the existing ${zone} (${SOURCE})`);
  }
  return problems;
}
