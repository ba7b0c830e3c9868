import type { PlanIssue } from '../../model/plan.js';
import { at } from '../../model/at.js';

/**
 * A private DNS zone's resource id as azurerm 4.55 accepts it in a private endpoint's
 * `private_dns_zone_group.private_dns_zone_ids`: validated by go-azure-sdk's `privatezones.ValidatePrivateDnsZoneID`
 * (case-sensitive parse; internal/services/network/private_endpoint_resource.go@v4.55.0, the schema of
 * `private_dns_zone_ids`), and the zone's name taken from its last segment (`ParsePrivateDnsZoneID`, same file,
 * where the zone group is expanded). A Terraform reference (`${azurerm_private_dns_zone.hub.id}`) is taken as is.
 */
const ZONE_ID =
  /^\/subscriptions\/([^/]+)\/resourceGroups\/([^/]+)\/providers\/Microsoft\.Network\/privateDnsZones\/([^/]+)$/;

const isReference = (s: string) => s.includes('${');

/**
 * The plan issues of `networking.privateDnsZoneIds` (pure): an id azurerm would refuse, an id naming another zone
 * than its key, a zone the plan's private endpoints do not use; and, when the stack creates its VNet, a warning
 * that nothing links that new VNet to the reused zones.
 *
 * @example
 * ```ts
 * zoneIdIssues(
 *   {
 *     'privatelink.documents.azure.com':
 *       '/subscriptions/…/privateDnsZones/privatelink.blob.core.windows.net',
 *   },
 *   ['privatelink.documents.azure.com'],
 *   false,
 * );
 * // [{ severity: 'error', code: 'PRIVATE_DNS_ZONE_ID_INVALID', … }]
 * ```
 */
export function zoneIdIssues(
  ids: Readonly<Record<string, string>>,
  used: readonly string[],
  createsVnet: boolean,
): PlanIssue[] {
  const issues: PlanIssue[] = [];
  const path = (zone: string) => ['config', 'networking', 'privateDnsZoneIds', zone];
  for (const [zone, id] of Object.entries(ids)) {
    if (!used.includes(zone)) {
      issues.push({
        severity: 'error',
        code: 'PRIVATE_DNS_ZONE_UNUSED',
        path: path(zone),
        message: `networking.privateDnsZoneIds names "${zone}", which no private endpoint of this backend uses (${used.length ? `it uses ${used.join(', ')}` : 'it has no private endpoints: networking must be isolated with privateEndpoints on'}).`,
        resolution: used.length
          ? `Give ids for ${used.join(', ')} only (keys are zone names, e.g. privatelink.documents.azure.com).`
          : "Use networking: { mode: 'isolated' } with private endpoints, or remove privateDnsZoneIds.",
      });
      continue;
    }
    if (isReference(id)) continue;
    const m = ZONE_ID.exec(id);
    if (!m || at(m, 3).toLowerCase() !== zone.toLowerCase()) {
      issues.push({
        severity: 'error',
        code: 'PRIVATE_DNS_ZONE_ID_INVALID',
        path: path(zone),
        message: m
          ? `networking.privateDnsZoneIds["${zone}"] is the id of zone "${m[3]}", not "${zone}": the private ` +
            `endpoints would register their records in the wrong zone.`
          : `networking.privateDnsZoneIds["${zone}"] is not a private DNS zone resource id azurerm accepts: "${id}".`,
        resolution:
          `Use the zone's id as az network private-dns zone show --name ${zone} --resource-group <group> ` +
          `--query id -o tsv prints: ` +
          `/subscriptions/<id>/resourceGroups/<group>/providers/Microsoft.Network/privateDnsZones/${zone}.`,
      });
    }
  }
  const reused = Object.keys(ids).filter((z) => used.includes(z));
  if (createsVnet && reused.length > 0) {
    issues.push({
      severity: 'warning',
      code: 'PRIVATE_DNS_ZONE_LINK_MISSING',
      path: ['config', 'networking', 'privateDnsZoneIds'],
      message:
        `networking.privateDnsZoneIds reuses ${reused.join(', ')}, but the stack creates its own VNet and ` +
        `links no reused zone to it: inside that VNet the private endpoints' names would not resolve to their ` +
        `private addresses.`,
      resolution:
        'Name the spoke VNet already linked to those zones (networking.vnetName with vnetResourceGroupName), ' +
        'or link the created VNet to them yourself (azurerm_private_dns_zone_virtual_network_link in the ' +
        "zones' resource group).",
    });
  }
  return issues;
}
