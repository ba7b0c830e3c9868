/**
 * Seeds, best practices "Apply Least Privilege Principle": a read-only API and an admin API on the same data.
 * The read-only one gets Cosmos DB's built-in Data Reader role, the admin one the Data Contributor role,
 * each scoped to the container. Two APIs over one entity would both serve /api/datas — a plan error
 * (ROUTE_CONFLICT: the host answers one route once) — so the admin API gets its own `route`.
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
      route: 'admin/data', // Served at /api/admin/data and /api/admin/data/{id}; the read-only API keeps /api/datas
      schema: { id: 'string', value: 'string' },
      partitionKey: '/id',
    }),
  });
}

export function synthLeastPrivilege(outdir = 'cdktf.out') {
  const app = new App({ outdir });
  const backend = leastPrivilegeBackend();
  const stack = new ResourceGroupStack(app, 'LeastPrivilegeStack', {
    resourceGroupName: 'rg-lp',
    location: 'eastus',
  });
  backend.addToStack(stack);
  app.synth();
  return { app, stack, backend };
}

if (import.meta.url === `file://${process.argv[1]}`) synthLeastPrivilege();
