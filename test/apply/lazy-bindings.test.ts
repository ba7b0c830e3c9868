import { execFileSync } from 'node:child_process';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { RESOLVE_LOG } from '../support/resolve-log.js';

const root = resolve(import.meta.dirname, '../..');

/**
 * Apply `backend` (JavaScript source) to a ResourceGroupStack in a fresh process, against the built package,
 * and return the azurerm binding folders Node loaded and whether the ESM loader saw cdktf or a binding.
 */
function loadedBindings(backend: string): { bindings: string[]; esm: string[] } {
  const out = execFileSync(
    process.execPath,
    [
      '--input-type=module',
      '-e',
      `
    import Module from 'node:module';
    ${RESOLVE_LOG}
    // The user's own ESM import of cdktf, as in a main.ts.
    const { Testing } = await import('cdktf');
    const { defineBackend } = await import('@atakora/component/backend');
    const { CrudApi } = await import('@atakora/component/crud');
    const { FunctionsApp } = await import('@atakora/component/functions');
    const { StaticSiteWithCdn } = await import('@atakora/component/web');
    const { ResourceGroupStack } = await import('@atakora/component/cdk');
    const app = Testing.app();
    const stack = new ResourceGroupStack(app, 'Lazy', { resourceGroupName: 'rg-lazy', location: 'eastus', subscriptionId: '00000000-0000-0000-0000-000000000000' });
    (${backend}).apply(stack);
    await settled();
    const bindings = [...new Set(Object.keys(Module._cache).map((k) => /provider-azurerm\\/lib\\/([^/]+)\\//.exec(k)?.[1]).filter(Boolean))].sort();
    console.log(JSON.stringify({ bindings, esm: [...resolved].filter((u) => /node_modules\\/(cdktf|@cdktf)\\//.test(u)) }));
  `,
    ],
    { cwd: root, encoding: 'utf8' },
  );
  return JSON.parse(out.trim()) as { bindings: string[]; esm: string[] };
}

// cdk-modules.ts: a backend loads the azurerm bindings of the resource types its plan holds, through Node's
// CommonJS loader. The default CrudApi backend (Flex Consumption) never needs the 1.2 MB Linux Function App
// binding, nor Front Door, networking, Key Vault or monitoring.
describe('apply loads only the azurerm bindings its plan uses', () => {
  it('a CrudApi backend: Cosmos DB, storage, the Flex app, identities and roles — nothing else', () => {
    const { bindings, esm } = loadedBindings(
      `defineBackend({ users: CrudApi.define('UserApi', { entityName: 'User', schema: { id: 'string' } }) })`,
    );
    expect(bindings).toEqual([
      'cosmosdb-account',
      'cosmosdb-sql-container',
      'cosmosdb-sql-database',
      'cosmosdb-sql-role-assignment',
      'data-azurerm-client-config',
      'function-app-flex-consumption',
      'provider',
      'resource-group',
      'role-assignment',
      'service-plan',
      'storage-account',
      'storage-blob',
      'storage-container',
      'user-assigned-identity',
    ]);
    // Only the test's own `import('cdktf')` went through the ES module loader; the library required it.
    expect(esm.filter((u) => u.includes('provider-azurerm'))).toEqual([]);
  });

  it('an Elastic Premium app loads the Linux Function App binding; a static site with CDN loads Front Door', () => {
    const { bindings } = loadedBindings(`defineBackend({
      jobs: FunctionsApp.define('Jobs', { runtime: 'node', sku: 'EP1', functions: { tick: { trigger: 'timer', schedule: '0 */5 * * * *', handler: './examples/order-processing/nightly-report.ts#nightlyReport' } } }),
      site: StaticSiteWithCdn.define('Site', { indexDocument: 'index.html' }),
    }, { monitoring: true })`);
    expect(bindings).toContain('linux-function-app');
    expect(bindings).not.toContain('function-app-flex-consumption');
    expect(bindings).toEqual(
      expect.arrayContaining([
        'cdn-frontdoor-profile',
        'application-insights',
        'log-analytics-workspace',
      ]),
    );
    expect(bindings).not.toContain('virtual-network');
  });
});
