/**
 * Seeds, advanced Example 6: blue-green. Two identical backends in two stacks, told apart by their
 * backend id (so their globally unique names never collide), behind a weighted Traffic Manager. The
 * endpoints are read after `addToStack`, so they are the deployed Function Apps' hosts (before it, a handle
 * holds the plan's placeholder token `tgtxxx`).
 */
import { App } from 'cdktf';
import { defineBackend } from '@atakora/component/backend';
import { CrudApi } from '@atakora/component/crud';
import { ResourceGroupStack } from '@atakora/component/cdk';
import { TrafficManagerProfile } from '@cdktf/provider-azurerm/lib/traffic-manager-profile/index.js';
import { TrafficManagerExternalEndpoint } from '@cdktf/provider-azurerm/lib/traffic-manager-external-endpoint/index.js';

const COLORS = ['blue', 'green'] as const;

/**
 * The color that takes the traffic: DEPLOY_COLOR (the seeds' `DEPLOY_COLOR=green npx atakora deploy`), else blue.
 * Anything else is a mistake worth stopping for: a typo would otherwise tag (and route to) the wrong color.
 */
export function activeColorFromEnv(value = process.env['DEPLOY_COLOR']): 'blue' | 'green' {
  if (value === undefined || value === '') return 'blue';
  if (value === 'blue' || value === 'green') return value;
  throw new Error(`DEPLOY_COLOR must be blue or green (got ${value}).`);
}

/**
 * The two backends, blue then green (what `atakora synth|deploy examples/blue-green.ts` loads): stacks
 * app-blue-production and app-green-production. Deploy one color with
 * `DEPLOY_COLOR=green npx atakora deploy examples/blue-green.ts app-green-production`.
 */
export default function blueGreenBackends(activeColor: 'blue' | 'green' = activeColorFromEnv()) {
  return COLORS.map((color) => defineBackend({
    userApi: CrudApi.define('UserApi', { entityName: 'User', schema: { id: 'string', name: 'string', email: 'string' }, partitionKey: '/id' }),
    productApi: CrudApi.define('ProductApi', { entityName: 'Product', schema: { id: 'string', name: 'string', price: 'number' }, partitionKey: '/id' }),
    }, {
    backendId: `app-${color}`, // one id per color: same definitions, distinct resources
    environment: 'production',
    location: 'eastus',
    tags: { deployment: color, active: color === activeColor ? 'true' : 'false', version: process.env['VERSION'] || '1.0.0' },
  }));
}

export function synthBlueGreen(outdir = 'cdktf.out', activeColor: 'blue' | 'green' = activeColorFromEnv()) {
  const app = new App({ outdir });
  const deployments = blueGreenBackends(activeColor).map((backend, i) => {
    const color = COLORS[i]!;
    backend.addToStack(new ResourceGroupStack(app, `AppStack-${color}`, { resourceGroupName: `rg-app-${color}-prod`, location: 'eastus' }));
    return { color, backend, endpoints: { userApi: backend.components.userApi.apiEndpoint, productApi: backend.components.productApi.apiEndpoint } };
  });

  const stack = new ResourceGroupStack(app, 'TrafficManagerStack', { resourceGroupName: 'rg-app-routing', location: 'eastus' });
  const trafficManager = new TrafficManagerProfile(stack, 'traffic-manager', {
    name: 'tm-myapp-prod',
    resourceGroupName: stack.resourceGroupName,
    trafficRoutingMethod: 'Weighted',
    dnsConfig: { relativeName: 'myapp-prod', ttl: 30 },
    monitorConfig: { protocol: 'HTTPS', port: 443, path: '/api/health', intervalInSeconds: 30, timeoutInSeconds: 10, toleratedNumberOfFailures: 3 },
  });
  for (const { color, endpoints } of deployments) {
    new TrafficManagerExternalEndpoint(stack, `endpoint-${color}`, {
      name: `endpoint-${color}`,
      profileId: trafficManager.id,
      target: new URL(endpoints.userApi).host, // the Function App host
      weight: color === activeColor ? 1000 : 1,
      priority: color === 'blue' ? 1 : 2,
    });
  }
  app.synth();
  return { app, deployments, trafficManager };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  for (const { color, endpoints } of synthBlueGreen().deployments) console.log(color, endpoints.userApi);
}
