/**
 * Seeds, advanced Example 6: blue-green. Two identical backends in two stacks, told apart by their
 * backend id (so their globally unique names never collide), behind weighted global routing. The
 * endpoints are read after `addToStack`, so they are the deployed Function Apps' hosts (before it, a handle
 * holds the plan's placeholder token `tgtxxx`).
 *
 * One deliberate change from the seeds: they put a Traffic Manager in front, whose external endpoints would
 * target the Flex apps' `*.azurewebsites.net` hosts — Traffic Manager answers DNS only, the apps' certificate
 * does not cover its name and Flex cannot add one, so probes say healthy while users reach nothing. Front Door
 * (weighted origins, TLS on its own host, each app called by its own host name) does what the seeds meant;
 * see global-routing/front-door.ts.
 *
 * Behind one Front Door both colors accept the same tokens: a caller's token is issued for one API registration
 * (its audience), and App Service authentication on an app validating another registration answers 401. So
 * synthBlueGreen puts both colors in one stack, blue creating the API registration and green validating tokens
 * for it (`auth: { clientId: <blue's> }`); switching colors never signs anyone out. The CLI form (the default
 * export, one stack per color, no Front Door) gives each color its own registration.
 */
import { App } from 'cdktf';
import { defineBackend } from '@atakora/component/backend';
import { CrudApi } from '@atakora/component/crud';
import { ResourceGroupStack } from '@atakora/component/cdk';
import { frontDoorForApis } from './global-routing/front-door.js';

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
  return COLORS.map((color) => colorBackend(color, activeColor));
}

/** One color's backend; `apiClientId` makes it validate tokens for that (another color's) API registration. */
export function colorBackend(
  color: 'blue' | 'green',
  activeColor: 'blue' | 'green',
  apiClientId?: string,
) {
  return defineBackend(
    {
      userApi: CrudApi.define('UserApi', {
        entityName: 'User',
        schema: { id: 'string', name: 'string', email: 'string' },
        partitionKey: '/id',
      }),
      productApi: CrudApi.define('ProductApi', {
        entityName: 'Product',
        schema: { id: 'string', name: 'string', price: 'number' },
        partitionKey: '/id',
      }),
    },
    {
      backendId: `app-${color}`, // one id per color: same definitions, distinct resources
      environment: 'production',
      location: 'eastus',
      tags: {
        deployment: color,
        active: color === activeColor ? 'true' : 'false',
        version: process.env['VERSION'] || '1.0.0',
      },
      ...(apiClientId ? { auth: { clientId: apiClientId } } : {}),
    },
  );
}

export function synthBlueGreen(
  outdir = 'cdktf.out',
  activeColor: 'blue' | 'green' = activeColorFromEnv(),
) {
  const app = new App({ outdir });
  // One stack for both colors: blue creates the API registration, green validates tokens for it (the handle's
  // client id, a reference within the stack). Each color keeps its own resources and names (its backend id).
  const appStack = new ResourceGroupStack(app, 'AppStack', {
    resourceGroupName: 'rg-app-prod',
    location: 'eastus',
  });
  let sharedClientId: string | undefined;
  const deployments = COLORS.map((color) => {
    const backend = colorBackend(color, activeColor, sharedClientId);
    const applied = backend.addToStack(appStack);
    sharedClientId ??= backend.components.userApi.auth!.clientId;
    return {
      color,
      backend,
      token: applied.plan.naming.token,
      endpoints: {
        userApi: backend.components.userApi.apiEndpoint,
        productApi: backend.components.productApi.apiEndpoint,
      },
    };
  });

  // Weighted routing: the active color takes 1000 of 1001 requests; the other stays warm and takes over when
  // the active one fails its health probe. The endpoint name is global DNS: it carries blue's deployment token.
  const stack = new ResourceGroupStack(app, 'GlobalRoutingStack', {
    resourceGroupName: 'rg-app-routing',
    location: 'eastus',
  });
  const frontDoor = frontDoorForApis(stack, {
    name: `myapp-prod-${deployments[0]!.token}`,
    origins: deployments.map(({ color, backend, endpoints }) => ({
      name: `api-${color}`,
      url: endpoints.userApi,
      weight: color === activeColor ? 1000 : 1,
      apiClientId: backend.components.userApi.auth!.clientId,
    })),
  });
  app.synth();
  return { app, deployments, frontDoor };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  for (const { color, endpoints } of synthBlueGreen().deployments)
    console.log(color, endpoints.userApi);
}
