import { createRequire as __atakoraCreateRequire } from 'node:module'; const require = __atakoraCreateRequire(import.meta.url);
var __defProp = Object.defineProperty;
var __name = (target, value) => __defProp(target, "name", { value, configurable: true });

// blue-green.ts
import { App } from "cdktf";
import { defineBackend } from "@atakora/component/backend";
import { CrudApi } from "@atakora/component/crud";
import { ResourceGroupStack } from "@atakora/component/cdk";

// global-routing/front-door.ts
import { CdnFrontdoorProfile } from "@cdktf/provider-azurerm/lib/cdn-frontdoor-profile/index.js";
import { CdnFrontdoorEndpoint } from "@cdktf/provider-azurerm/lib/cdn-frontdoor-endpoint/index.js";
import { CdnFrontdoorOriginGroup } from "@cdktf/provider-azurerm/lib/cdn-frontdoor-origin-group/index.js";
import { CdnFrontdoorOrigin } from "@cdktf/provider-azurerm/lib/cdn-frontdoor-origin/index.js";
import { CdnFrontdoorRoute } from "@cdktf/provider-azurerm/lib/cdn-frontdoor-route/index.js";
function frontDoorForApis(stack, options) {
  const registrations = new Set(
    options.origins.map((o) => o.apiClientId).filter((c) => c !== void 0)
  );
  if (registrations.size > 1) {
    throw new Error(
      `Front Door ${options.name}: its origins validate tokens for ${String(registrations.size)} API registrations; share one (auth: { clientId } of the first backend's handle) so every caller's token works on every origin.`
    );
  }
  const profile = new CdnFrontdoorProfile(stack, "front-door", {
    name: `afd-${options.name}`,
    resourceGroupName: stack.resourceGroupName,
    skuName: "Standard_AzureFrontDoor"
  });
  const endpoint = new CdnFrontdoorEndpoint(stack, "front-door-endpoint", {
    name: options.name,
    cdnFrontdoorProfileId: profile.id
  });
  const group = new CdnFrontdoorOriginGroup(stack, "api-origins", {
    name: "api",
    cdnFrontdoorProfileId: profile.id,
    sessionAffinityEnabled: false,
    loadBalancing: {
      sampleSize: 4,
      successfulSamplesRequired: 3,
      additionalLatencyInMilliseconds: 50
    },
    healthProbe: {
      protocol: "Https",
      path: "/api/health",
      requestType: "GET",
      intervalInSeconds: 30
    }
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
      weight: o.weight ?? 1e3,
      priority: o.priority ?? 1
    });
  });
  new CdnFrontdoorRoute(stack, "api-route", {
    name: "api",
    cdnFrontdoorEndpointId: endpoint.id,
    cdnFrontdoorOriginGroupId: group.id,
    cdnFrontdoorOriginIds: origins.map((o) => o.id),
    patternsToMatch: ["/*"],
    supportedProtocols: ["Http", "Https"],
    httpsRedirectEnabled: true,
    forwardingProtocol: "HttpsOnly",
    linkToDefaultDomain: true
  });
  return endpoint;
}
__name(frontDoorForApis, "frontDoorForApis");

// blue-green.ts
var COLORS = ["blue", "green"];
function activeColorFromEnv(value = process.env["DEPLOY_COLOR"]) {
  if (value === void 0 || value === "") return "blue";
  if (value === "blue" || value === "green") return value;
  throw new Error(`DEPLOY_COLOR must be blue or green (got ${value}).`);
}
__name(activeColorFromEnv, "activeColorFromEnv");
function blueGreenBackends(activeColor = activeColorFromEnv()) {
  return COLORS.map((color) => colorBackend(color, activeColor));
}
__name(blueGreenBackends, "blueGreenBackends");
function colorBackend(color, activeColor, apiClientId) {
  return defineBackend(
    {
      userApi: CrudApi.define("UserApi", {
        entityName: "User",
        schema: { id: "string", name: "string", email: "string" },
        partitionKey: "/id"
      }),
      productApi: CrudApi.define("ProductApi", {
        entityName: "Product",
        schema: { id: "string", name: "string", price: "number" },
        partitionKey: "/id"
      })
    },
    {
      backendId: `app-${color}`,
      // one id per color: same definitions, distinct resources
      environment: "production",
      location: "eastus",
      tags: {
        deployment: color,
        active: color === activeColor ? "true" : "false",
        version: process.env["VERSION"] || "1.0.0"
      },
      ...apiClientId ? { auth: { clientId: apiClientId } } : {}
    }
  );
}
__name(colorBackend, "colorBackend");
function synthBlueGreen(outdir = "cdktf.out", activeColor = activeColorFromEnv()) {
  const app = new App({ outdir });
  const appStack = new ResourceGroupStack(app, "AppStack", {
    resourceGroupName: "rg-app-prod",
    location: "eastus"
  });
  let sharedClientId;
  const deployments = COLORS.map((color) => {
    const backend = colorBackend(color, activeColor, sharedClientId);
    const applied = backend.addToStack(appStack);
    sharedClientId ??= backend.components.userApi.auth.clientId;
    return {
      color,
      backend,
      token: applied.plan.naming.token,
      endpoints: {
        userApi: backend.components.userApi.apiEndpoint,
        productApi: backend.components.productApi.apiEndpoint
      }
    };
  });
  const stack = new ResourceGroupStack(app, "GlobalRoutingStack", {
    resourceGroupName: "rg-app-routing",
    location: "eastus"
  });
  const frontDoor = frontDoorForApis(stack, {
    name: `myapp-prod-${deployments[0].token}`,
    origins: deployments.map(({ color, backend, endpoints }) => ({
      name: `api-${color}`,
      url: endpoints.userApi,
      weight: color === activeColor ? 1e3 : 1,
      apiClientId: backend.components.userApi.auth.clientId
    }))
  });
  app.synth();
  return { app, deployments, frontDoor };
}
__name(synthBlueGreen, "synthBlueGreen");
if ("file:///work/wt-config/examples/blue-green.ts" === `file://${process.argv[1]}`) {
  for (const { color, endpoints } of synthBlueGreen().deployments)
    console.log(color, endpoints.userApi);
}
export {
  activeColorFromEnv,
  colorBackend,
  blueGreenBackends as default,
  synthBlueGreen
};
