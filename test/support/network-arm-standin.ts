import type { StandInRequest } from './cosmos-arm-standin.js';

const ENDPOINT =
  /^\/subscriptions\/[^/]+\/resourceGroups\/[^/]+\/providers\/Microsoft\.Network\/privateEndpoints\/([^/]+)(\/privateDnsZoneGroups\/([^/]+))?$/;
const SUBNET =
  /^\/subscriptions\/[^/]+\/resourceGroups\/[^/]+\/providers\/Microsoft\.Network\/virtualNetworks\/[^/]+\/subnets\/[^/]+$/;
const ZONE =
  /^\/subscriptions\/[^/]+\/resourceGroups\/[^/]+\/providers\/Microsoft\.Network\/privateDnsZones\/privatelink\.documents\.azure\.com$/;

/**
 * The stand-in's private endpoint routes (api-version 2025-01-01): Private Endpoints - Create Or Update (201 with
 * `Azure-AsyncOperation`; 400 unless the body names a subnet id and a `privateLinkServiceId` of a temporary account
 * that exists, with `groupIds: ['Sql']`), Get (`privateLinkServiceConnections[0].properties
 * .privateLinkServiceConnectionState.status` = `behaviour.endpointConnection`), Delete (202 with an operation; 404
 * when gone), and Private Dns Zone Groups - Create Or Update (201; 400 unless its one config names the
 * `privatelink.documents.azure.com` zone's id). True when the request was one of them.
 */
export function privateEndpointRoutes(r: StandInRequest): boolean {
  const m = ENDPOINT.exec(r.path);
  if (!m) return false;
  const { endpoints, accounts, behaviour } = r.standIn;
  const [, name, , group] = m as unknown as [string, string, string?, string?];
  if (r.query.get('api-version') !== '2025-01-01')
    return (r.send(400, { error: { code: 'InvalidApiVersion' } }), true);
  const e = endpoints.get(name);
  if (group) {
    const zone = r.body?.properties?.privateDnsZoneConfigs?.[0]?.properties?.privateDnsZoneId;
    if (r.method !== 'PUT' || !e) return (r.send(404), true);
    if (typeof zone !== 'string' || !ZONE.test(zone))
      return (
        r.send(400, { error: { code: 'InvalidPrivateDnsZoneId', message: String(zone) } }), true
      );
    e.zoneGroups.push(group);
    r.send(201, r.body, { 'azure-asyncoperation': r.operation(() => undefined) });
    return true;
  }
  if (r.method === 'PUT') {
    const p = r.body?.properties;
    const target = String(
      p?.privateLinkServiceConnections?.[0]?.properties?.privateLinkServiceId ?? '',
    );
    const groups = p?.privateLinkServiceConnections?.[0]?.properties?.groupIds;
    if (
      !SUBNET.test(String(p?.subnet?.id)) ||
      !accounts.has(target.split('/').pop() ?? '') ||
      JSON.stringify(groups) !== '["Sql"]'
    )
      return (
        r.send(400, { error: { code: 'InvalidPrivateEndpoint', message: JSON.stringify(p) } }), true
      );
    const made = { body: r.body, zoneGroups: [] as string[], state: 'Updating' };
    endpoints.set(name, made);
    r.send(201, r.body, {
      'azure-asyncoperation': r.operation(() => {
        made.state = 'Succeeded';
      }),
    });
    return true;
  }
  if (r.method === 'GET') {
    if (!e) return (r.send(404), true);
    r.send(200, {
      name,
      properties: {
        provisioningState: e.state,
        subnet: e.body.properties.subnet,
        privateLinkServiceConnections: [
          {
            ...e.body.properties.privateLinkServiceConnections[0],
            properties: {
              ...e.body.properties.privateLinkServiceConnections[0].properties,
              privateLinkServiceConnectionState: { status: behaviour.endpointConnection },
            },
          },
        ],
      },
    });
    return true;
  }
  if (r.method === 'DELETE') {
    if (!e) return (r.send(404), true);
    r.send(202, undefined, { 'azure-asyncoperation': r.operation(() => endpoints.delete(name)) });
    return true;
  }
  r.send(405);
  return true;
}
