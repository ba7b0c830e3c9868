import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { Testing } from '../support/engine.js';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ResourceGroupStack } from '../../src/apply/resource-group-stack.js';
import { defineBackend } from '../../src/backend/define-backend.js';
import { CrudApi } from '../../src/components/crud/index.js';
import { FunctionsApp } from '../../src/components/functions/index.js';
import { deployabilityProblems, type TfJson } from '../support/deployability.js';
import { crossStackProblems } from '../support/cross-stack-rules.js';
import { expectHonest } from '../support/synth.js';
import { propertyRuns } from '../plan/support/budget.js';
import { stacks, synthOnce } from '../examples/support.js';

/** A Node function needs its handler: apply bundles it into the app's package. */
const TICK = `${import.meta.dirname}/../packaging/fixtures/tick.ts`;

// The deployability rules of test/support/deployability.ts (each rule cites its Learn page or provider issue)
// over every example's synthesized stacks and over generated backends: hosting plan × deployment method ×
// storage auth × network access, names, host ids and depends_on.

const EXAMPLES = join(import.meta.dirname, '../../examples');

describe('deployability rules: every example', () => {
  const files = readdirSync(EXAMPLES)
    .filter((f) => f.endsWith('.ts'))
    .sort();

  it('finds the examples', () => {
    expect(files.length).toBeGreaterThanOrEqual(14);
  });

  for (const file of files) {
    it(`${file}: every synthesized stack passes every rule`, async () => {
      const mod = (await import(join(EXAMPLES, file))) as Record<string, unknown>;
      const synth = Object.entries(mod).find(
        ([k, v]) => k.startsWith('synth') && typeof v === 'function',
      )?.[1] as ((dir: string) => unknown) | undefined;
      expect(synth, `${file} exports a synth function`).toBeDefined();
      // The example's one synth in this worker, shared with test/examples/examples.test.ts.
      const all = stacks(synthOnce(file, (dir) => synth!(dir) as object).outdir);
      expect(Object.keys(all).length).toBeGreaterThan(0);
      for (const [name, json] of Object.entries(all))
        expect(deployabilityProblems(json as TfJson), `${file} ${name}`).toEqual([]);
      expect(crossStackProblems(all), file).toEqual([]);
    });
  }
});

describe('deployability rules: generated backends', () => {
  const shape = fc.record({
    sku: fc.constantFrom(undefined, 'FC1', 'EP1', 'EP2', 'P0v3', 'S1', 'B1'),
    secondApp: fc.constantFrom(undefined, '20'),
    networking: fc.constantFrom('public' as const, 'isolated' as const),
    backendId: fc.constantFrom(
      'backend',
      'customer-portal-backend',
      'x',
      'a-very-long-backend-identifier-for-naming',
    ),
    environment: fc.constantFrom('dev', 'production', 'qa-eu-west'),
    monitoring: fc.boolean(),
    resourceGroupName: fc.constantFrom('rg', 'rg-team-a', 'rg-customer-portal-production-weu'),
    seeded: fc.boolean(),
  });

  it('plan × deployment method × storage auth × network access: every rule holds and the plan is honest', () => {
    fc.assert(
      fc.property(shape, (s) => {
        const jobs = FunctionsApp.define('Jobs', {
          runtime: 'node',
          ...(s.sku ? { sku: s.sku } : {}),
          functions: { nightly: { trigger: 'timer', schedule: '0 0 2 * * *', handler: TICK } },
        });
        const reports = FunctionsApp.define('Reports', {
          runtime: 'node',
          version: s.secondApp ?? '22',
          functions: { hourly: { trigger: 'timer', schedule: '0 0 * * * *', handler: TICK } },
        });
        const backend = defineBackend(
          {
            userApi: CrudApi.define('UserApi', { entityName: 'User', schema: { id: 'string' } }),
            jobs,
            ...(s.secondApp ? { reports } : {}),
          },
          {
            backendId: s.backendId,
            environment: s.environment,
            networking: s.networking,
            monitoring: s.monitoring,
            ...(s.seeded ? { naming: { uniqueSeed: `sub/${s.resourceGroupName}` } } : {}),
          },
        );
        const plan = backend.plan();
        expect(plan.issues.filter((i) => i.severity === 'error')).toEqual([]);
        const stack = new ResourceGroupStack(Testing.app(), 'S', {
          resourceGroupName: s.resourceGroupName,
          location: 'eastus',
          subscriptionId: '00000000-0000-4000-8000-000000000003',
        });
        const applied = backend.apply(stack);
        const json = JSON.parse(Testing.synth(stack)) as TfJson;
        expect(deployabilityProblems(json)).toEqual([]);
        expectHonest(applied.plan, json);
        // Seeded with the same target, the plan already holds the deployed names.
        if (s.seeded)
          expect(applied.plan.resources.map((r) => r.name)).toEqual(
            plan.resources.map((r) => r.name),
          );
      }),
      // The first runs of seed 10's long run (25) under the suite's budget (test/plan/support/budget.ts).
      { numRuns: propertyRuns(25), seed: 10 },
    );
  });

  it('the rules can fail: a weakened stack is reported', () => {
    const backend = defineBackend({
      userApi: CrudApi.define('UserApi', { entityName: 'User', schema: { id: 'string' } }),
    });
    const stack = new ResourceGroupStack(Testing.app(), 'S', {
      resourceGroupName: 'rg',
      location: 'eastus',
    });
    backend.apply(stack);
    const json = JSON.parse(Testing.synth(stack)) as {
      resource: Record<string, Record<string, Record<string, unknown>>>;
    };
    const app = Object.values(json.resource['azurerm_function_app_flex_consumption']!)[0]!;
    (app['app_settings'] as Record<string, string>)['WEBSITE_RUN_FROM_PACKAGE'] = '1';
    app['zip_deploy_file'] = 'archive.zip';
    app['depends_on'] = [];
    const problems = deployabilityProblems(json);
    expect(problems.some((p) => p.includes('sets WEBSITE_RUN_FROM_PACKAGE'))).toBe(true);
    expect(problems.some((p) => p.includes('zip_deploy_file'))).toBe(true);
    expect(problems.filter((p) => p.includes('does not depend on'))).toHaveLength(4);
  });

  it('the read-back and data-source rules can fail: a setting dropped on read, a destination type never returned, a lookup in the new group', () => {
    const backend = defineBackend(
      { userApi: CrudApi.define('UserApi', { entityName: 'User', schema: { id: 'string' } }) },
      { monitoring: true },
    );
    const stack = new ResourceGroupStack(Testing.app(), 'S', {
      resourceGroupName: 'rg',
      location: 'eastus',
    });
    backend.apply(stack);
    const json = JSON.parse(Testing.synth(stack)) as {
      resource: Record<string, Record<string, Record<string, unknown>>>;
      data: Record<string, Record<string, Record<string, unknown>>>;
    };
    expect(deployabilityProblems(json as TfJson)).toEqual([]);
    const [appName, app] = Object.entries(
      json.resource['azurerm_function_app_flex_consumption']!,
    )[0]!;
    const settings = app['app_settings'] as Record<string, string>;
    delete settings['AZUREWEBJOBSSTORAGE'];
    settings['AzureWebJobsStorage'] = '';
    const diag = Object.values(json.resource['azurerm_monitor_diagnostic_setting']!).find(
      (d) => d['target_resource_id'] === `\${azurerm_function_app_flex_consumption.${appName}.id}`,
    )!;
    diag['log_analytics_destination_type'] = 'Dedicated';
    json.data['azurerm_dns_zone'] = { zone: { name: 'example.com', resource_group_name: 'rg' } };
    const problems = deployabilityProblems(json as TfJson);
    expect(
      problems.filter((p) => p.includes('app setting AzureWebJobsStorage is dropped on read')),
    ).toHaveLength(1);
    expect(
      problems.filter((p) => p.includes('keeps the provider-injected AzureWebJobsStorage')),
    ).toHaveLength(0);
    expect(
      problems.filter((p) => p.includes('log_analytics_destination_type on an App Service site')),
    ).toHaveLength(1);
    expect(
      problems.filter((p) =>
        p.startsWith('data.azurerm_dns_zone.zone: looks up "example.com" in resource group rg'),
      ),
    ).toHaveLength(1);
  });

  it('the line-of-sight rule can fail: the package written into an account closed to the deployer', () => {
    const backend = defineBackend(
      { userApi: CrudApi.define('UserApi', { entityName: 'User', schema: { id: 'string' } }) },
      { networking: 'isolated' },
    );
    const stack = new ResourceGroupStack(Testing.app(), 'S', {
      resourceGroupName: 'rg',
      location: 'eastus',
    });
    backend.apply(stack);
    const json = JSON.parse(Testing.synth(stack)) as {
      resource: Record<string, Record<string, Record<string, unknown>>>;
    };
    expect(deployabilityProblems(json as TfJson)).toEqual([]);
    const blob = Object.values(json.resource['azurerm_storage_blob']!)[0]!;
    const account = /^\$\{azurerm_storage_account\.([^.]+)\.name\}$/.exec(
      String(blob['storage_account_name']),
    )![1]!;
    json.resource['azurerm_storage_account']![account]!['network_rules'] = {
      default_action: 'Deny',
      ip_rules: [],
    };
    expect(
      deployabilityProblems(json as TfJson).filter((p) =>
        p.includes('whose firewall denies every address'),
      ),
    ).toHaveLength(1);
    json.resource['azurerm_storage_account']![account]!['public_network_access_enabled'] = false;
    expect(
      deployabilityProblems(json as TfJson).filter((p) =>
        p.includes('whose public network access is off'),
      ),
    ).toHaveLength(1);
    // And the NSG rule: a subnet whose association is gone.
    delete json.resource['azurerm_subnet_network_security_group_association'];
    expect(
      deployabilityProblems(json as TfJson).filter((p) =>
        p.endsWith('has no network security group (Checkov CKV2_AZURE_31)'),
      ),
    ).toHaveLength(2);
  });

  it('the ordering rule can fail: a role assignment beside its container, an app before its component roles', () => {
    const backend = defineBackend({
      userApi: CrudApi.define('UserApi', { entityName: 'User', schema: { id: 'string' } }),
    });
    const stack = new ResourceGroupStack(Testing.app(), 'S', {
      resourceGroupName: 'rg',
      location: 'eastus',
    });
    backend.apply(stack);
    const json = JSON.parse(Testing.synth(stack)) as {
      resource: Record<string, Record<string, Record<string, unknown>>>;
    };
    expect(deployabilityProblems(json as TfJson)).toEqual([]);
    const [raName, ra] = Object.entries(json.resource['azurerm_cosmosdb_sql_role_assignment']!)[0]!;
    delete ra['depends_on'];
    const app = Object.values(json.resource['azurerm_function_app_flex_consumption']!)[0]!;
    app['depends_on'] = (app['depends_on'] as string[]).filter(
      (d) => !d.startsWith('azurerm_cosmosdb_sql_role_assignment.'),
    );
    const problems = deployabilityProblems(json as TfJson);
    expect(
      problems.filter((p) =>
        p.startsWith(
          `azurerm_cosmosdb_sql_role_assignment.${raName}: does not wait for its container`,
        ),
      ),
    ).toHaveLength(1);
    expect(
      problems.filter((p) =>
        p.includes(`starts before azurerm_cosmosdb_sql_role_assignment.${raName}`),
      ),
    ).toHaveLength(1);
  });
});
