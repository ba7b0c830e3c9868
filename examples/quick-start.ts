/** Seeds, overview "Quick Start": two APIs, then typed access to endpoints and the shared resources. */
import { App } from 'cdktf';
import { defineBackend } from '@atakora/component/backend';
import { CrudApi } from '@atakora/component/crud';
import { ResourceGroupStack } from '@atakora/component/cdk';

/** The two APIs (what `atakora synth examples/quick-start.ts` synthesizes). */
export default function quickStartBackend() {
  return defineBackend({
    userApi: CrudApi.define('UserApi', {
      entityName: 'User',
      schema: { id: 'string', name: 'string', email: 'string' },
      partitionKey: '/id',
    }),
    productApi: CrudApi.define('ProductApi', {
      entityName: 'Product',
      schema: { id: 'string', name: 'string', price: 'number', category: 'string' },
      partitionKey: '/category',
    }),
  });
}

export function synthQuickStart(outdir = 'cdktf.out') {
  const app = new App({ outdir });
  const backend = quickStartBackend();

  const stack = new ResourceGroupStack(app, 'MyStack', {
    resourceGroupName: 'rg-myapp-prod',
    location: 'eastus',
  });
  // Add backend to stack (creates resources)
  backend.addToStack(stack);
  // Type-safe component access
  const userEndpoint = backend.components.userApi.apiEndpoint;
  const productEndpoint = backend.components.productApi.apiEndpoint;
  // Access shared resources (planned resources; the cdktf constructs come from addToStack's result)
  const cosmosDb = backend.getResource('cosmos', 'shared');
  const functions = backend.getResource('functions', 'shared');
  app.synth();
  return { app, stack, backend, userEndpoint, productEndpoint, cosmosDb, functions };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const r = synthQuickStart();
  console.log('User API:', r.userEndpoint);
  console.log('Product API:', r.productEndpoint);
  console.log('Cosmos DB:', r.cosmosDb?.name, '— Function App:', r.functions?.name);
}
