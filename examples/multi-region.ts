/**
 * Seeds, advanced Example 2: the same backend in three regions (one stack each; names differ by region
 * through the deterministic token, so nothing collides), a global CDN front end, and global routing in front
 * of the regional APIs. Once a backend is added to its stack, its handles give the deployed hosts, so the
 * routing targets the Function Apps Terraform creates.
 *
 * One deliberate change from the seeds: their Traffic Manager would send callers to the Flex apps'
 * `*.azurewebsites.net` hosts under its own name, which the apps' certificate does not cover (and Flex cannot
 * add one): probes healthy, users served nothing. Front Door routes each caller to the fastest healthy region
 * and calls the app by its own host name (global-routing/front-door.ts says why).
 *
 * Behind that one Front Door every region accepts the same tokens: a token is issued for one API registration
 * (its audience), and an app validating another registration answers 401 — so a caller would be served by one
 * region only. synthMultiRegion puts the regional backends in one stack (a backend id per region): the first
 * creates the API registration, the others validate tokens for it (`auth: { clientId }` of its handle). The
 * resource group holds only metadata: each backend's resources stay in its own region (Learn, "What is a
 * resource group": resources in a group may be in other regions; if the group's region is unavailable, they
 * keep running but cannot be updated until it returns). The CLI form (the default export, one stack per region,
 * no Front Door) gives each region its own registration.
 */
import { App } from 'cdktf';
import { frontDoorForApis } from './global-routing/front-door.js';
import { defineBackend } from '@atakora/component/backend';
import { CrudApi } from '@atakora/component/crud';
import { StaticSiteWithCdn } from '@atakora/component/web';
import { ResourceGroupStack } from '@atakora/component/cdk';

export const regions = [
  { name: 'eastus', displayName: 'US East' },
  { name: 'westeurope', displayName: 'West Europe' },
  { name: 'southeastasia', displayName: 'Southeast Asia' },
];

/** One backend per region (`apiClientId`: validate tokens for that API registration instead of creating one). */
export function buildRegionalBackends() {
  return regions.map((region) => regionalBackend(region));
}

/** The backend of one region; its own backend id, so several regions fit in one stack. */
export function regionalBackend(region: (typeof regions)[number], apiClientId?: string) {
  return defineBackend(
    {
      userApi: CrudApi.define('UserApi', {
        entityName: 'User',
        schema: { id: 'string', email: 'string', name: 'string', region: 'string' },
        partitionKey: '/region', // Partition by region for geo-distribution
      }),
      productApi: CrudApi.define('ProductApi', {
        entityName: 'Product',
        schema: { id: 'string', name: 'string', price: 'number', region: 'string' },
        partitionKey: '/region',
      }),
    },
    {
      backendId: `global-${region.name}`,
      environment: 'production',
      location: region.name,
      monitoring: {
        enabled: true,
        retentionDays: 90,
        workspaceName: `myapp-workspace-${region.name}`,
      },
      tags: {
        region: region.name,
        regionDisplay: region.displayName,
        multiRegion: 'true',
        project: 'global-app',
      },
      ...(apiClientId ? { auth: { clientId: apiClientId } } : {}),
    },
  );
}

/** The global frontend: a static site behind a CDN. */
export function buildGlobalFrontend() {
  return defineBackend(
    {
      website: StaticSiteWithCdn.define('GlobalWebsite', {
        indexDocument: 'index.html',
        enableSpaMode: true,
        customDomain: 'app.example.com',
        // No dnsZoneResourceGroupName: the frontend stack creates the zone (a lookup in its own, not yet existing,
        // resource group would fail the first plan) and outputs its name servers to delegate example.com to.
        dnsZoneName: 'example.com',
        enableCompression: true,
        cacheMaxAge: 3600,
        cors: { allowedOrigins: ['*'] },
      }),
    },
    {
      environment: 'production',
      location: 'eastus',
      tags: { tier: 'frontend', multiRegion: 'true' },
    },
  );
}

/** Every regional backend and the frontend (what `atakora synth examples/multi-region.ts` synthesizes). */
export default function multiRegionBackends() {
  return [...buildRegionalBackends(), buildGlobalFrontend()];
}

export function synthMultiRegion(outdir = 'cdktf.out') {
  const app = new App({ outdir });
  // The regional backends share one stack and one API registration (the first region's; see above).
  const apiStack = new ResourceGroupStack(app, 'GlobalApiStack', {
    resourceGroupName: 'rg-global-api',
    location: regions[0]!.name,
  });
  let sharedClientId: string | undefined;
  const backends = regions.map((region) => {
    const backend = regionalBackend(region, sharedClientId);
    const applied = backend.addToStack(apiStack);
    sharedClientId ??= backend.components.userApi.auth!.clientId;
    return {
      region: region.name,
      backend,
      token: applied.plan.naming.token,
      endpoints: {
        userApi: backend.components.userApi.apiEndpoint,
        productApi: backend.components.productApi.apiEndpoint,
      },
    };
  });

  const globalFrontend = buildGlobalFrontend();
  globalFrontend.addToStack(
    new ResourceGroupStack(app, 'GlobalFrontendStack', {
      resourceGroupName: 'rg-global-frontend',
      location: 'eastus',
    }),
  );

  const routingConfig = {
    regions: backends.map(({ region, endpoints }) => ({ region, endpoints })),
    routingStrategy: 'geo-proximity',
  };

  // Route each caller to the fastest healthy region (Front Door picks among healthy origins by latency). The
  // endpoint name is global DNS: it carries the first region's deployment token.
  const routingStack = new ResourceGroupStack(app, 'GlobalRoutingStack', {
    resourceGroupName: 'rg-global-routing',
    location: 'eastus',
  });
  const frontDoor = frontDoorForApis(routingStack, {
    name: `global-app-${backends[0]!.token}`,
    origins: backends.map(({ region, backend, endpoints }) => ({
      name: `api-${region}`,
      url: endpoints.userApi,
      apiClientId: backend.components.userApi.auth!.clientId,
    })),
  });
  app.synth();
  return { app, backends, globalFrontend, routingConfig, frontDoor };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { backends, globalFrontend, routingConfig } = synthMultiRegion();
  console.log('\n=== Multi-Region Deployment ===');
  for (const { region, endpoints } of backends)
    console.log(
      `${region.toUpperCase()}:\n  User API: ${endpoints.userApi}\n  Product API: ${endpoints.productApi}`,
    );
  console.log('\nGlobal Frontend:', globalFrontend.components.website.cdnEndpoint);
  console.log('\nRouting Configuration:', JSON.stringify(routingConfig, null, 2));
}
