/**
 * Seeds, advanced Example 5: resource limits. Within limits the backend applies; with a second, Strong
 * consistency API it needs two Cosmos DB accounts, and `maxCosmosAccounts: 1` stops it with the seeds'
 * ResourceLimitError message before anything is added to the stack.
 */
import { App } from 'cdktf';
import { defineBackend, ResourceLimitError } from '@atakora/component/backend';
import { CrudApi } from '@atakora/component/crud';
import { ResourceGroupStack } from '@atakora/component/cdk';

const limits = {
  maxCosmosAccounts: 1, // Maximum Cosmos DB accounts (default: unlimited)
  maxFunctionApps: 1, // Maximum Function Apps (default: unlimited)
  maxStorageAccounts: 2, // Maximum Storage Accounts (default: unlimited)
  maxFunctionsPerApp: 50, // Maximum functions per Function App (default: unlimited)
  maxContainersPerStorage: 10, // Maximum containers per Storage Account (default: unlimited)
};

export function buildLimitedBackend(strongOrders = false) {
  return defineBackend(
    {
      userApi: CrudApi.define('UserApi', {
        entityName: 'User',
        schema: { id: 'string', name: 'string' },
        partitionKey: '/id',
      }),
      productApi: CrudApi.define('ProductApi', {
        entityName: 'Product',
        schema: { id: 'string', name: 'string' },
        partitionKey: '/id',
      }),
      orderApi: CrudApi.define('OrderApi', {
        entityName: 'Order',
        schema: { id: 'string', userId: 'string' },
        partitionKey: '/userId',
        ...(strongOrders ? { consistency: 'Strong' as const } : {}),
      }),
    },
    {
      environment: 'production',
      location: 'eastus',
      limits,
      tags: { resourceLimits: 'enforced', quotaManagement: 'enabled' },
    },
  );
}

export function synthLimits(outdir = 'cdktf.out') {
  const app = new App({ outdir });
  const within = buildLimitedBackend();
  within.addToStack(
    new ResourceGroupStack(app, 'LimitedResourceStack', {
      resourceGroupName: 'rg-limited-prod',
      location: 'eastus',
    }),
  );
  const over = buildLimitedBackend(true);
  let error: ResourceLimitError | undefined;
  try {
    over.addToStack(
      new ResourceGroupStack(app, 'OverLimitStack', {
        resourceGroupName: 'rg-limited-over',
        location: 'eastus',
      }),
    );
  } catch (e) {
    if (!(e instanceof ResourceLimitError)) throw e;
    error = e;
  }
  app.synth();
  return { app, within, over, error, validation: over.validate() };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { within, error, validation } = synthLimits();
  console.log(
    within.validate().valid ? '✓ Backend deployed within resource limits' : '✗ unexpected',
  );
  console.error('✗ Resource limit exceeded:', error?.message);
  console.error('Validation errors:', validation.errors);
}
