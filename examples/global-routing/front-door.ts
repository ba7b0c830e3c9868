/**
 * Global routing in front of Flex Consumption Function Apps, shared by the blue-green and multi-region examples.
 *
 * Why Front Door and not Traffic Manager: Traffic Manager answers DNS only, so a caller would open TLS to the
 * Function App with the Traffic Manager name, which the app's `*.azurewebsites.net` certificate does not cover
 * and a Flex Consumption app cannot add a certificate or custom domain for (Learn, "Traffic Manager FAQ",
 * HTTPS; "Flex Consumption plan", considerations) — probes pass while users reach nothing. Front Door ends TLS
 * on its own `*.azurefd.net` host and calls each app by the app's own host name (`origin_host_header`), as
 * Learn, "Integrate Azure Front Door with Azure App Service", describes. Weighted origins give blue-green;
 * latency-based selection among healthy origins (Front Door's default) gives multi-region.
 *
 * The endpoint name is a global DNS name (`<name>-<hash>.z01.azurefd.net`): it carries the deployment token
 * of the backends it fronts, like every global name the library makes.
 */
import type { TerraformStack } from 'cdktf';
import { CdnFrontdoorProfile } from '@cdktf/provider-azurerm/lib/cdn-frontdoor-profile/index.js';
import { CdnFrontdoorEndpoint } from '@cdktf/provider-azurerm/lib/cdn-frontdoor-endpoint/index.js';
import { CdnFrontdoorOriginGroup } from '@cdktf/provider-azurerm/lib/cdn-frontdoor-origin-group/index.js';
import { CdnFrontdoorOrigin } from '@cdktf/provider-azurerm/lib/cdn-frontdoor-origin/index.js';
import { CdnFrontdoorRoute } from '@cdktf/provider-azurerm/lib/cdn-frontdoor-route/index.js';

/** One Function App behind the Front Door endpoint. */
export interface ApiOrigin {
  /** Origin name (letters, digits, hyphens). */
  readonly name: string;
  /** The app's URL as deployed (a handle's `apiEndpoint` after `addToStack`). */
  readonly url: string;
  /** 1–1000: the share of traffic among origins of one priority. */
  readonly weight?: number;
  /** 1–5: lower is preferred; a higher one serves only when every lower one is unhealthy. */
  readonly priority?: number;
  /**
   * The client id of the API registration the app validates tokens for (a handle's `auth.clientId`). Every
   * origin of the route must name the same one: see {@link frontDoorForApis}.
   */
  readonly apiClientId?: string;
}

/**
 * A Front Door (Standard) profile with one endpoint routing `/*` over HTTPS to the given Function Apps,
 * probing `/api/health` (anonymous on every Atakora backend). Returns the endpoint host once deployed.
 *
 * @example
 * ```ts
 * const endpoint = frontDoorForApis(stack, { name: `myapp-${token}`, origins: [{ name: 'blue', url: blue.components.userApi.apiEndpoint }] });
 * ```
 */
export function frontDoorForApis(
  stack: TerraformStack & { readonly resourceGroupName: string },
  options: { readonly name: string; readonly origins: readonly ApiOrigin[] },
): CdnFrontdoorEndpoint {
  // One route, one audience: Front Door sends a request to any healthy origin, and App Service authentication
  // accepts tokens for its own registration only (its client id is the audience, Learn "Configure Microsoft Entra
  // authentication", Allowed Token Audiences). Apps validating different registrations would take a caller's
  // token on one origin and answer 401 on the others.
  const registrations = new Set(
    options.origins.map((o) => o.apiClientId).filter((c) => c !== undefined),
  );
  if (registrations.size > 1) {
    throw new Error(
      `Front Door ${options.name}: its origins validate tokens for ${String(registrations.size)} API registrations; share one (auth: { clientId } of the first backend's handle) so every caller's token works on every origin.`,
    );
  }
  const profile = new CdnFrontdoorProfile(stack, 'front-door', {
    name: `afd-${options.name}`,
    resourceGroupName: stack.resourceGroupName,
    skuName: 'Standard_AzureFrontDoor',
  });
  const endpoint = new CdnFrontdoorEndpoint(stack, 'front-door-endpoint', {
    name: options.name,
    cdnFrontdoorProfileId: profile.id,
  });
  const group = new CdnFrontdoorOriginGroup(stack, 'api-origins', {
    name: 'api',
    cdnFrontdoorProfileId: profile.id,
    sessionAffinityEnabled: false,
    loadBalancing: {
      sampleSize: 4,
      successfulSamplesRequired: 3,
      additionalLatencyInMilliseconds: 50,
    },
    healthProbe: {
      protocol: 'Https',
      path: '/api/health',
      requestType: 'GET',
      intervalInSeconds: 30,
    },
  });
  const origins = options.origins.map((o) => {
    const host = new URL(o.url).host;
    return new CdnFrontdoorOrigin(stack, `origin-${o.name}`, {
      name: o.name,
      cdnFrontdoorOriginGroupId: group.id,
      hostName: host,
      // The app answers only to its own host name (and its certificate is for it): Front Door sends it.
      originHostHeader: host,
      httpsPort: 443,
      httpPort: 80,
      certificateNameCheckEnabled: true,
      enabled: true,
      weight: o.weight ?? 1000,
      priority: o.priority ?? 1,
    });
  });
  new CdnFrontdoorRoute(stack, 'api-route', {
    name: 'api',
    cdnFrontdoorEndpointId: endpoint.id,
    cdnFrontdoorOriginGroupId: group.id,
    cdnFrontdoorOriginIds: origins.map((o) => o.id),
    patternsToMatch: ['/*'],
    supportedProtocols: ['Http', 'Https'],
    httpsRedirectEnabled: true,
    forwardingProtocol: 'HttpsOnly',
    linkToDefaultDomain: true,
  });
  return endpoint;
}
