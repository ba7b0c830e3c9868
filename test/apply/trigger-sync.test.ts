import { Testing } from '../support/engine.js';
import { describe, expect, it } from 'vitest';
import { ResourceGroupStack } from '../../src/apply/resource-group-stack.js';
import { defineBackend } from '../../src/backend/define-backend.js';
import { CrudApi } from '../../src/components/crud/index.js';
import { FunctionsApp } from '../../src/components/functions/index.js';
import {
  SYNC_TRIGGERS_API_VERSION,
  syncTriggersUrl,
  triggerSyncRequests,
} from '../../src/entry/backend.js';

const TICK = `${import.meta.dirname}/../packaging/fixtures/tick.ts`;

describe('trigger sync after a package change (management plane, made by atakora deploy)', () => {
  const backend = defineBackend({
    userApi: CrudApi.define('UserApi', { entityName: 'User', schema: { id: 'string' } }),
    jobs: FunctionsApp.define('Jobs', {
      runtime: 'node',
      version: '20',
      functions: { nightly: { trigger: 'timer', schedule: '0 0 2 * * *', handler: TICK } },
    }),
  });
  const stack = new ResourceGroupStack(Testing.app(), 'S', {
    resourceGroupName: 'rg',
    location: 'eastus',
  });
  backend.apply(stack);
  const json = JSON.parse(Testing.synth(stack)) as {
    output: Record<string, { value: unknown }>;
    resource: Record<string, Record<string, Record<string, unknown>>>;
  };

  it('outputs, per Function App, its ARM id and the package hash its settings carry', () => {
    const apps = Object.entries(json.resource['azurerm_function_app_flex_consumption']!);
    expect(apps).toHaveLength(2);
    for (const [name, app] of apps) {
      expect(json.output[`atakora_sync_triggers_${name}`]!.value).toEqual({
        resource_id: `\${azurerm_function_app_flex_consumption.${name}.id}`,
        package_md5: (app['app_settings'] as Record<string, string>)['ATAKORA_PACKAGE_MD5'],
      });
    }
  });

  it('turns `terraform output -json` into one POST per app, ignoring other outputs', () => {
    const id = (app: string) =>
      `/subscriptions/0000/resourceGroups/rg/providers/Microsoft.Web/sites/${app}`;
    const outputs = {
      atakora_sync_triggers_b_functions_shared: {
        value: { resource_id: id('func-a'), package_md5: 'abc==' },
        type: 'object',
        sensitive: false,
      },
      atakora_sync_triggers_a_functions_node20: {
        value: { resource_id: id('func-b'), package_md5: '' },
        type: 'object',
        sensitive: false,
      },
      other_output: { value: 'x', type: 'string', sensitive: false },
      atakora_sync_triggers_broken: { value: { resource_id: 'not-an-app-id' } },
    };
    expect(triggerSyncRequests(outputs)).toEqual([
      {
        app: 'a_functions_node20',
        method: 'POST',
        url: `https://management.azure.com${id('func-b')}/syncfunctiontriggers?api-version=${SYNC_TRIGGERS_API_VERSION}`,
        packageMd5: '',
      },
      {
        app: 'b_functions_shared',
        method: 'POST',
        url: `https://management.azure.com${id('func-a')}/syncfunctiontriggers?api-version=${SYNC_TRIGGERS_API_VERSION}`,
        packageMd5: 'abc==',
      },
    ]);
    // A plain name → value map works too (e.g. outputs already unwrapped).
    expect(
      triggerSyncRequests({
        atakora_sync_triggers_x: { resource_id: id('func-x'), package_md5: 'h' },
      }),
    ).toHaveLength(1);
  });

  it('triggerSyncRequests takes another cloud endpoint (atakora deploy passes ATAKORA_ARM_ENDPOINT)', () => {
    const id = '/subscriptions/s/resourceGroups/rg/providers/Microsoft.Web/sites/f';
    expect(
      triggerSyncRequests(
        { atakora_sync_triggers_f: { value: { resource_id: id, package_md5: 'h' } } },
        'http://127.0.0.1:9/',
      ).map((r) => r.url),
    ).toEqual([
      `http://127.0.0.1:9${id}/syncfunctiontriggers?api-version=${SYNC_TRIGGERS_API_VERSION}`,
    ]);
  });

  it('syncTriggersUrl takes another cloud endpoint', () => {
    expect(
      syncTriggersUrl(
        'subscriptions/s/resourceGroups/rg/providers/Microsoft.Web/sites/f',
        'https://management.usgovcloudapi.net/',
      ),
    ).toBe(
      `https://management.usgovcloudapi.net/subscriptions/s/resourceGroups/rg/providers/Microsoft.Web/sites/f/syncfunctiontriggers?api-version=${SYNC_TRIGGERS_API_VERSION}`,
    );
  });
});
