import type { WebPubsub } from '../../kit/cdktf/azurerm-types.js';
import { named, type ProvisionContext } from '../../kit/cdktf/provision-context.js';
import type { FunctionAppOf } from '../../kit/cdktf/provisioner.js';
import { componentIdentityOf } from '../../kit/cdktf/component-identity.js';
import { appWaitsFor } from '../../kit/cdktf/app-waits-for.js';
import type { TypedPlannedResource } from '../../kit/pure/resources/resource-type.js';
import { tfName } from '../../kit/pure/names/terraform-names.js';
import { endpointFollowerKey, endpointReadyKey } from '../../kit/cdktf/endpoint-ready.js';
import { azurerm } from '../../kit/cdktf/cdk-modules.js';
import { WEBPUBSUB_SERVICE_OWNER, webPubSubNames, type MergedWebPubSubConfig } from './type.js';

/**
 * The backend's Web PubSub and its hub, Entra ID only. What azurerm v4.55.0 does with each attribute
 * (internal/services/signalr/web_pubsub_resource.go):
 * - `local_auth_enabled` defaults to true and is sent as `DisableLocalAuth = !local_auth_enabled`: written false, so
 *   no access key signs tokens or REST calls (the runtime uses its managed identity; Learn, "Disable local
 *   (access key) authentication with Azure Web PubSub").
 * - `aad_auth_enabled` defaults to true (`DisableAadAuth = !aad_auth_enabled`): written true, it is the one way in.
 * - `sku` one of Premium_P1, Premium_P2, Standard_S1, Free_F1; `capacity` 1-10, 20 … 100, 200 … 1000.
 * - `public_network_access_enabled` stays true: browsers connect to the service over the internet, with a token
 *   the API minted. In isolated mode the network ACL below (web_pubsub_network_acl_resource.go) denies the REST API,
 *   server connections and live trace from the internet, so publishing and minting go through the private endpoint
 *   only; with `default_action` Allow the endpoint needs no rule of its own, but is listed (`private_endpoint`) and
 *   waited for, as the provider's example does (website/docs/r/web_pubsub_network_acl.html.markdown).
 * - `live_trace` is left out (the provider's acceptance test `basic` does the same and plans clean after apply).
 *
 * The hub (web_pubsub_hub_resource.go) refuses anonymous connections (`anonymous_connections_enabled` false, its
 * default, written out) and has no event handler: clients only receive.
 *
 * @example
 * ```ts
 * const resource = plan.resources.find((r) => r.key === 'webpubsub:shared');
 * if (resource) provisionWebPubSub(ctx, resource);
 * ```
 */
export function provisionWebPubSub(
  ctx: ProvisionContext,
  resource: TypedPlannedResource<MergedWebPubSubConfig>,
): WebPubsub {
  const { WebPubsub } = azurerm('web-pubsub');
  const { WebPubsubHub } = azurerm('web-pubsub-hub');
  const c = resource.config;
  const names = webPubSubNames(tfName(ctx.config.backendId, resource.key));
  const service = named(
    new WebPubsub(ctx.scope, names.service, {
      name: resource.name,
      resourceGroupName: ctx.resourceGroupName,
      location: ctx.plan.location,
      sku: c.sku,
      capacity: c.units,
      localAuthEnabled: false,
      aadAuthEnabled: true,
      publicNetworkAccessEnabled: true,
      tlsClientCertEnabled: false,
      tags: { ...ctx.tags },
      dependsOn: [...ctx.dependsOn],
    }),
    names.service,
  );
  const hub = named(
    new WebPubsubHub(ctx.scope, names.hub, {
      name: c.hub,
      webPubsubId: service.id,
      anonymousConnectionsEnabled: false,
    }),
    names.hub,
  );
  // The hub, the private endpoint's connection and the ACL each update the service: one at a time, in that order.
  // The network's private endpoint for this service waits for the hub (kit/cdktf/endpoint-ready.ts).
  ctx.constructs.set(endpointReadyKey(resource.key), hub);
  if (c.privateServerAccess) {
    const { WebPubsubNetworkAcl } = azurerm('web-pubsub-network-acl');
    const acl = named(
      new WebPubsubNetworkAcl(ctx.scope, names.acl, {
        webPubsubId: service.id,
        defaultAction: 'Allow',
        publicNetwork: { deniedRequestTypes: ['RESTAPI', 'ServerConnection', 'Trace'] },
        dependsOn: [hub],
      }),
      names.acl,
    );
    // Comes after the private endpoint and lists it, as the provider's example does (endpointFollowerKey).
    ctx.constructs.set(endpointFollowerKey(resource.key), acl);
  }
  return service;
}

/**
 * Each realtime CrudApi's own identity gets Web PubSub Service Owner on the service (publish to groups, mint client
 * tokens through `:generateToken`), and its Function App waits for the role so the first negotiate succeeds.
 *
 * @example
 * ```ts
 * grantWebPubSubAccess(ctx, resource, functionAppOf);
 * ```
 */
export function grantWebPubSubAccess(
  ctx: ProvisionContext,
  resource: TypedPlannedResource<MergedWebPubSubConfig>,
  functionAppOf: FunctionAppOf,
): void {
  const { RoleAssignment } = azurerm('role-assignment');
  const names = webPubSubNames(tfName(ctx.config.backendId, resource.key));
  const service = ctx.constructs.get(resource.key) as WebPubsub;
  for (const componentId of resource.config.publishers) {
    const app = functionAppOf(componentId);
    const identity = app ? componentIdentityOf(ctx, componentId) : undefined;
    if (!identity) continue;
    const assignment = named(
      new RoleAssignment(ctx.scope, names.grant(componentId), {
        scope: service.id,
        roleDefinitionName: WEBPUBSUB_SERVICE_OWNER,
        principalId: identity.principalId,
        // A new user-assigned identity may not have replicated yet: the type lets ARM skip the lookup.
        principalType: 'ServicePrincipal',
      }),
      names.grant(componentId),
    );
    appWaitsFor(app, assignment);
  }
}
