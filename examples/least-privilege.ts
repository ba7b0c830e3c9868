/**
 * Seeds, best practices "Apply Least Privilege Principle": a read-only API and an admin API on the same data.
 * The read-only one gets Cosmos DB's built-in Data Reader role, the admin one the Data Contributor role,
 * each scoped to the container.
 */
import { App } from 'cdktf';
import { defineBackend } from '@atakora/component/backend';
import { CrudApi } from '@atakora/component/crud';
import { ResourceGroupStack } from '@atakora/component/cdk';

/** Two APIs on one container with different operations (what `atakora synth` synthesizes). */
export default function leastPrivilegeBackend() {
  return defineBackend({
    readOnlyApi: CrudApi.define('ReadOnlyApi', {
      entityName: 'Data',
      operations: ['read', 'list'], // No write permissions
      schema: { id: 'string', value: 'string' },
      partitionKey: '/id',
    }),
    adminApi: CrudApi.define('AdminApi', {
      entityName: 'Data',
      operations: ['create', 'read', 'update', 'delete', 'list'], // Full permissions
      schema: { id: 'string', value: 'string' },
      partitionKey: '/id',
    }),
  });
}

export function synthLeastPrivilege(outdir = 'cdktf.out') {
  const app = new App({ outdir });
  const backend = leastPrivilegeBackend();
  const stack = new ResourceGroupStack(app, 'LeastPrivilegeStack', { resourceGroupName: 'rg-lp', location: 'eastus' });
  backend.addToStack(stack);
  app.synth();
  return { app, stack, backend };
}

if (import.meta.url === `file://${process.argv[1]}`) synthLeastPrivilege();
