import type { WebPubsub, WebPubsubHubEventHandler } from '../../kit/cdktf/azurerm-types.js';
import { named, regional, type ProvisionContext } from '../../kit/cdktf/provision-context.js';
import type { FunctionAppOf } from '../../kit/cdktf/provisioner.js';
import { componentIdentityOf } from '../../kit/cdktf/component-identity.js';
import { appWaitsFor } from '../../kit/cdktf/app-waits-for.js';
import type { TypedPlannedResource } from '../../kit/pure/resources/resource-type.js';
import { tfName } from '../../kit/pure/names/terraform-names.js';
import { endpointFollowerKey, endpointReadyKey } from '../../kit/cdktf/endpoint-ready.js';
import { azurerm } from '../../kit/cdktf/cdk-modules.js';
import { realtimeServiceKey } from '../../kit/cdktf/realtime-service.js';
import { eventHandlerOf, HUB_SYSTEM_EVENTS, type HubEventHandler } from './event-handler.js';
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
 * default, written out); clients only receive. Where the runtime counts live connections (event-handler.ts), the
 * hub posts each connection's `connect`, `connected` and `disconnected` to `api/realtime/events` (hubEventHandler),
 * authenticated by the service's own system-assigned identity (`identity`: web_pubsub_resource.go takes
 * commonschema.SystemOrUserAssignedIdentityOptional; Learn, "Managed identities for Azure Web PubSub Service": one
 * identity per service). A system-assigned one, not a component's user-assigned identity: a component identity
 * holds data roles, and the runtime admits connection events from this principal alone.
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
  const handler = eventHandlerOf(ctx.plan, ctx.config, c.publishers);
  const service = named(
    new WebPubsub(ctx.scope, names.service, {
      ...regional(ctx, resource.name),
      sku: c.sku,
      capacity: c.units,
      localAuthEnabled: false,
      aadAuthEnabled: true,
      publicNetworkAccessEnabled: true,
      tlsClientCertEnabled: false,
      ...(handler ? { identity: { type: 'SystemAssigned' } } : {}),
    }),
    names.service,
  );
  const hub = named(
    new WebPubsubHub(ctx.scope, names.hub, {
      name: c.hub,
      webPubsubId: service.id,
      anonymousConnectionsEnabled: false,
      ...(handler ? { eventHandler: [hubEventHandler(handler)] } : {}),
    }),
    names.hub,
  );
  if (handler) ctx.constructs.set(realtimeServiceKey(handler.appKey), service);
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
 * The hub's one event handler (azurerm v4.55.0 internal/services/signalr/web_pubsub_hub_resource.go, expandEventHandler
 * and expandAuth):
 * - `url_template` sent as `UrlTemplate` as written: a fixed URL (no `{event}`), so the service's abuse-protection
 *   `OPTIONS` goes to the same route, which answers it (Learn, "Event handler in Azure Web PubSub service", "Upstream
 *   and Validation"). The provider's acceptance tests create hubs whose URL answers no handshake
 *   (`https://test.com/api/{hub}/{event}`), so creating the hub does not wait for the app to answer.
 * - `system_events` sent as `SystemEvents`; `user_event_pattern` left out (sent as ""): no client message is
 *   forwarded, the route handles connection events only and refuses any other `ce-type`.
 * - `auth.managed_identity_id` is sent as `ManagedIdentitySettings.Resource` with type ManagedIdentity: the
 *   resource the service asks Entra for a token for with its identity, the token's `aud` — not an identity id
 *   (the provider's test `usingAuthTokenAudience` writes `api://AzureADTokenExchange` there). It is the API's client
 *   id, an audience App Service authentication accepts (auth-settings.ts), so App Service validates the token and
 *   passes the service's principal to the runtime, which admits that principal only (service-events-auth.ts).
 */
function hubEventHandler(h: HubEventHandler): WebPubsubHubEventHandler {
  return {
    urlTemplate: h.url,
    systemEvents: [...HUB_SYSTEM_EVENTS],
    auth: { managedIdentityId: h.audience },
  };
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
