import { describe, expect, it } from 'vitest';
import { defineBackend } from '../../src/backend/define-backend.js';
import { CrudApi } from '../../src/components/crud/index.js';
import { FunctionsApp } from '../../src/components/functions/index.js';
import { componentIdentitySetting } from '../../src/kit/pure/names/component-identity.js';
import { isAppliedSetting } from '../../src/resources/functions/applied-settings.js';
import { QUEUE_CONNECTION_IDENTITY } from '../../src/resources/functions/queue-connections.js';
import { settingName } from '../../src/kit/pure/names/terraform-names.js';
import { synth } from '../support/synth.js';

// The plan's merge refuses a component setting that apply would replace (APP_SETTING_COLLISION): that holds only
// while resources/functions/applied-settings.ts knows every setting apply adds. So: each setting of a synthesized
// Function App that the plan does not list must be one the module names, a consumer's identity setting, or a
// queue owner's connection setting.
const handler = './examples/order-processing/process-order.ts';

function backend(sku: 'FC1' | 'EP1') {
  return defineBackend(
    {
      users: CrudApi.define('UserApi', { entityName: 'User', schema: { id: 'string' } }),
      orders: FunctionsApp.define('OrderWorker', {
        runtime: 'node',
        version: '22',
        sku,
        functions: { work: { trigger: 'queue', queueName: 'orders', handler } },
      }),
    },
    { environment: 'test', monitoring: true },
  );
}

describe('app settings apply adds (resources/functions/applied-settings.ts)', () => {
  for (const sku of ['FC1', 'EP1'] as const) {
    it(`are all known to the plan's merge (${sku === 'FC1' ? 'Flex Consumption' : 'Elastic Premium, run from package'})`, () => {
      const b = backend(sku);
      const plan = b.plan();
      expect(plan.issues.filter((i) => i.severity === 'error')).toEqual([]);
      const json = synth(b);
      const apps = [
        ...Object.values(json.resource['azurerm_function_app_flex_consumption'] ?? {}),
        ...Object.values(json.resource['azurerm_linux_function_app'] ?? {}),
      ] as Record<string, unknown>[];
      expect(apps.length).toBeGreaterThan(0);
      const planned = new Set(
        plan.resources
          .filter((r) => r.type === 'functions')
          .flatMap((r) => Object.keys(r.config['appSettings'] as object)),
      );
      const consumers = plan.resources
        .filter((r) => r.type === 'functions')
        .flatMap((r) => r.consumers);
      const known = (name: string) =>
        isAppliedSetting(name) ||
        consumers.some(
          (id) =>
            name === componentIdentitySetting(id) ||
            QUEUE_CONNECTION_IDENTITY.some((k) => name === settingName(id, k)),
        );
      const added = apps
        .flatMap((a) => Object.keys(a['app_settings'] as object))
        .filter((n) => !planned.has(n));
      expect(added.length).toBeGreaterThan(5);
      expect(added.filter((n) => !known(n))).toEqual([]);
    });
  }

  it('a component setting apply would replace is an error in the plan', () => {
    // A FunctionsApp's variables keep their names: one named like the runtime's manifest, or like another
    // component's queue connection setting that apply writes, would be replaced by apply's value.
    const issues = defineBackend(
      {
        atakora: FunctionsApp.define('Atakora', {
          runtime: 'node',
          environmentVariables: { ATAKORA_MANIFEST: 'mine' },
          functions: { f: { trigger: 'http', handler } },
        }),
        users: CrudApi.define('UserApi', { entityName: 'User', schema: { id: 'string' } }),
        worker: FunctionsApp.define('OrderWorker', {
          runtime: 'node',
          environmentVariables: { ORDER_WORKER_STORAGE__clientId: 'mine' },
          functions: { work: { trigger: 'queue', queueName: 'orders', handler } },
        }),
      },
      { environment: 'test' },
    )
      .plan()
      .issues.filter((i) => i.code === 'APP_SETTING_COLLISION');
    expect(issues.map((i) => i.message)).toEqual([
      "App setting ORDER_WORKER_STORAGE__clientId is part of OrderWorker's queue connection, which apply sets: " +
        "OrderWorker's environment variable ORDER_WORKER_STORAGE__clientId would be replaced by it.",
      'Environment variable ATAKORA_MANIFEST of Atakora is a name the Functions host, App Service or the ' +
        'backend sets or reads as its own configuration.',
    ]);
  });
});
