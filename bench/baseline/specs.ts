/**
 * The literal data of the baseline programs (see crud-apis-stack.ts): the names Atakora derives for the two
 * benchmark backends, typed out as a person writing the cdktf program by hand would. Each spec is the twin
 * of one Atakora backend, noted on it; test/bench/baseline.test.ts checks that the two synthesize the same.
 */
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { BaselineApi, BaselineSpec } from './crud-apis-stack.js';

const ROOT = resolve(import.meta.dirname, '../..');

/** The CRUD runtime package `npm run build` zips (dist/runtime-package), the file a CRUD-only app deploys. */
export function runtimePackageFile(root: string = ROOT): string {
  const dir = join(root, 'dist/runtime-package');
  const { file } = JSON.parse(readFileSync(join(dir, 'runtime-package.json'), 'utf8')) as {
    file: string;
  };
  return join(dir, file);
}

/**
 * Twin of bench/run.ts's backend of n CrudApis: `defineBackend({ api<i>: CrudApi.define('Api<i>', { entityName:
 * 'Entity<i>', schema: { id: 'string', name: 'string', price: 'number' } }) … }, { environment: 'bench',
 * location: 'eastus' })` applied to `new ResourceGroupStack(app, 'Bench', { resourceGroupName: 'rg-bench',
 * location: 'eastus' })`.
 */
export function benchBackendSpec(
  n: number,
  packageFile: string = runtimePackageFile(),
): BaselineSpec {
  const apis: BaselineApi[] = [];
  for (let i = 0; i < n; i++) {
    apis.push({
      key: `api${i}`,
      componentId: `Api${i}`,
      entityName: `Entity${i}`,
      route: `entity${i}s`,
      database: `entity${i}-db`,
      container: `entity${i}`,
      partitionKey: '/id',
      schema: { id: 'string', name: 'string', price: 'number' },
      settingPrefix: `API${i}`,
      identityName: `id-backend-bench-api${i}`,
    });
  }
  return {
    stackId: 'Bench',
    resourceGroupName: 'rg-bench',
    location: 'eastus',
    backendId: 'backend',
    environment: 'bench',
    scopeId: '2014b410-620f-4093-8214-0ff26260929d',
    names: {
      cosmos: 'cosmos-backend-bench-1p3fke',
      functionApp: 'func-backend-bench-1p3fke',
      storage: 'stbackendbench1p3fke',
    },
    apis,
    packageFile,
  };
}

/**
 * Twin of bench/cli-start.ts's entry, as `atakora synth` applies it: `defineBackend({ users: CrudApi.define('UserApi',
 * { entityName: 'User', schema: { id: 'string', email: 'string' } }), orders: CrudApi.define('OrderApi', { entityName:
 * 'Order', schema: { id: 'string', total: 'number' }, partitionKey: '/id' }) }, { backendId: 'bench', environment: 'dev',
 * location: 'eastus' })` in the stack `bench-dev` with the resource group `rg-bench-dev`.
 */
export function cliBackendSpec(packageFile: string = runtimePackageFile()): BaselineSpec {
  return {
    stackId: 'bench-dev',
    resourceGroupName: 'rg-bench-dev',
    location: 'eastus',
    backendId: 'bench',
    environment: 'dev',
    scopeId: '64b86c82-9058-4475-83ea-67087eb08c4b',
    names: {
      cosmos: 'cosmos-bench-dev-1plrvo',
      functionApp: 'func-bench-dev-1plrvo',
      storage: 'stbenchdev1plrvo',
    },
    apis: [
      {
        key: 'users',
        componentId: 'UserApi',
        entityName: 'User',
        route: 'users',
        database: 'user-db',
        container: 'user',
        partitionKey: '/id',
        schema: { id: 'string', email: 'string' },
        settingPrefix: 'USER_API',
        identityName: 'id-bench-dev-user-api',
      },
      {
        key: 'orders',
        componentId: 'OrderApi',
        entityName: 'Order',
        route: 'orders',
        database: 'order-db',
        container: 'order',
        partitionKey: '/id',
        schema: { id: 'string', total: 'number' },
        settingPrefix: 'ORDER_API',
        identityName: 'id-bench-dev-order-api',
      },
    ],
    packageFile,
  };
}
