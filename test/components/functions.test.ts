import { Testing } from '../support/engine.js';
import { ResourceGroupStack } from '../../src/apply/resource-group-stack.js';
import { AtakoraError } from '../../src/model/errors.js';
import type { SynthesizedStack } from '../../src/testing/synth-backend.js';

type Synth = SynthesizedStack & { resource: NonNullable<SynthesizedStack['resource']> };
import { describe, expect, it } from 'vitest';
import { defineBackend } from '../../src/backend/define-backend.js';
import { CrudApi } from '../../src/components/crud/index.js';
import {
  FunctionsApp,
  ncrontabProblem,
  type FunctionsAppConfig,
} from '../../src/components/functions/index.js';
import { codeOf, expectHonest, synth } from '../support/synth.js';

const userApi = () =>
  CrudApi.define('UserApi', { entityName: 'User', schema: { id: 'string', name: 'string' } });
const orderProcessor = () =>
  FunctionsApp.define('OrderProcessor', {
    runtime: 'node',
    version: '20',
    functions: {
      'process-order': {
        trigger: 'queue',
        queueName: 'orders',
        handler: './examples/order-processing/process-order.ts',
      },
    },
  });

describe('FunctionsApp: grouping', () => {
  it('a node 22 FunctionsApp shares the CrudApi Function App', () => {
    const plan = defineBackend({
      userApi: userApi(),
      hooks: FunctionsApp.define('Hooks', {
        runtime: 'node',
        functions: { ping: { trigger: 'http' } },
      }),
    }).plan();
    const funcs = plan.resources.filter((r) => r.type === 'functions');
    expect(funcs.map((r) => r.key)).toEqual(['functions:shared']);
    expect(funcs[0]!.consumers).toEqual(['Hooks', 'UserApi']);
    expect(funcs[0]!.config['functionCount']).toBe(3);
    const hooks = plan.components.find((c) => c.key === 'hooks')!;
    expect(hooks.outputs['functionAppName']).toBe(funcs[0]!.name);
    expect(hooks.outputs['httpRoutes']).toEqual(['api/ping']);
  });

  it('node 20 and python get Function Apps of their own; node 20 carries the end-of-support warning', () => {
    const plan = defineBackend({
      userApi: userApi(),
      orders: orderProcessor(),
      reports: FunctionsApp.define('Reports', {
        runtime: 'python',
        functions: { nightly: { trigger: 'timer', schedule: '0 0 2 * * *' } },
      }),
    }).plan();
    const funcs = plan.resources.filter((r) => r.type === 'functions');
    expect(funcs.map((r) => r.key)).toEqual([
      'functions:node-20',
      'functions:python-3-12',
      'functions:shared',
    ]);
    expect(funcs.map((r) => r.consumers)).toEqual([['OrderProcessor'], ['Reports'], ['UserApi']]);
    expect(
      plan.issues.some(
        (i) =>
          i.code === 'RUNTIME_END_OF_SUPPORT' &&
          i.severity === 'warning' &&
          i.components?.includes('OrderProcessor'),
      ),
    ).toBe(true);
    expect(plan.issues.filter((i) => i.severity === 'error')).toEqual([]);
  });

  it('queue triggers put their queues on the shared storage account and namespace their settings', () => {
    const plan = defineBackend({ userApi: userApi(), orders: orderProcessor() }).plan();
    const storage = plan.resources.filter((r) => r.type === 'storage');
    expect(storage.map((r) => r.key)).toEqual(['storage:shared']);
    expect(storage[0]!.config['queues']).toEqual(['orders']);
    expect(storage[0]!.deploys).toContainEqual({
      terraformType: 'azurerm_storage_queue',
      name: 'backend_storage_shared_queue_orders',
    });
    const func = plan.resources.find((r) => r.key === 'functions:node-20')!;
    const settings = func.config['appSettings'] as Record<string, string>;
    expect(settings['ORDER_PROCESSOR_QUEUE_PROCESS_ORDER']).toBe('orders');
    expect(settings['ORDER_PROCESSOR_STORAGE__queueServiceUri']).toBe(
      `https://${storage[0]!.name}.queue.core.windows.net/`,
    );
    expect(func.config['hostStorage']).toBe('storage:shared');
    const handle = defineBackend({ userApi: userApi(), orders: orderProcessor() }).components
      .orders;
    expect(handle.queues).toEqual(['orders']);
    expect(handle.functionNames).toEqual(['process-order']);
    expect(handle.endpoint).toBe(`https://${func.name}.azurewebsites.net`);
    expect(handle.defaultHostname).toBe(`${func.name}.azurewebsites.net`);
    expect(handle.storageAccountName).toBe(storage[0]!.name);
  });

  it('is stable: adding a FunctionsApp renames nothing the CrudApi uses', () => {
    const before = defineBackend({ userApi: userApi() }).plan();
    const after = defineBackend({ orders: orderProcessor(), userApi: userApi() }).plan();
    for (const r of before.resources)
      expect(after.resources.find((x) => x.key === r.key)?.name).toBe(r.name);
  });
});

describe('FunctionsApp: synth', () => {
  it('creates the storage queue and a second Function App, and the plan is honest', () => {
    const backend = defineBackend(
      { userApi: userApi(), orders: orderProcessor() },
      { environment: 'prod' },
    );
    const json = synth(backend);
    expect(Object.keys(json.resource['azurerm_storage_queue'] ?? {})).toEqual([
      'backend_storage_shared_queue_orders',
    ]);
    expect(
      json.resource['azurerm_storage_queue']!['backend_storage_shared_queue_orders']!['name'],
    ).toBe('orders');
    const apps = json.resource['azurerm_function_app_flex_consumption']!;
    expect(Object.keys(apps).sort()).toEqual([
      'backend_functions_node-20',
      'backend_functions_shared',
    ]);
    const node20 = apps['backend_functions_node-20']!;
    expect([node20['runtime_name'], node20['runtime_version']]).toEqual(['node', '20']);
    expect(node20['https_only']).toBe(true);
    expectHonest(backend.plan(), json);
  });

  it("the seeds' Example 4 builder (CrudApis + queue and timer FunctionsApps) plans and synthesizes", () => {
    let b = defineBackend({ environment: 'production', location: 'eastus' });
    b = b.addComponent(
      CrudApi.define('UserApi', {
        entityName: 'User',
        schema: { id: 'string', name: 'string', email: 'string' },
        partitionKey: '/id',
      }),
    );
    b = b.addComponent(
      CrudApi.define('ProductApi', {
        entityName: 'Product',
        schema: { id: 'string', name: 'string', price: 'number' },
        partitionKey: '/id',
      }),
    );
    b = b
      .addComponent(
        CrudApi.define('OrderApi', {
          entityName: 'Order',
          schema: { id: 'string', userId: 'string', total: 'number' },
          partitionKey: '/userId',
        }),
      )
      .addComponent(orderProcessor());
    b = b.addComponent(
      FunctionsApp.define('AnalyticsProcessor', {
        runtime: 'node',
        version: '20',
        functions: {
          'aggregate-metrics': {
            trigger: 'timer',
            schedule: '0 0 * * * *',
            handler: './examples/order-processing/aggregate-metrics.ts#aggregateMetrics',
          },
        },
      }),
    );
    b = b.withMonitoring({ enabled: true, retentionDays: 90, samplingPercentage: 100 }).withTags({
      environment: 'production',
      project: 'myapp',
      managedBy: 'atakora',
      configDriven: 'true',
    });
    const backend = b.build();
    const plan = backend.plan();
    expect(plan.issues.filter((i) => i.severity === 'error')).toEqual([]);
    const node20 = plan.resources.find((r) => r.key === 'functions:node-20')!;
    expect(node20.consumers).toEqual(['AnalyticsProcessor', 'OrderProcessor']);
    expect(
      (node20.config['appSettings'] as Record<string, string>)[
        'ANALYTICS_PROCESSOR_SCHEDULE_AGGREGATE_METRICS'
      ],
    ).toBe('0 0 * * * *');
    expect(plan.resources.find((r) => r.key === 'functions:shared')!.consumers).toEqual([
      'OrderApi',
      'ProductApi',
      'UserApi',
    ]);
    const json = synth(backend);
    expect(json.resource['azurerm_storage_queue']).toBeDefined();
    expectHonest(plan, json);
  });

  it('the stand-alone form creates its own Function App and storage', () => {
    const app = Testing.app();
    const stack = new ResourceGroupStack(app, 'S', { resourceGroupName: 'rg', location: 'eastus' });
    const fa = new FunctionsApp(stack, 'Reports', {
      runtime: 'python',
      functions: { nightly: { trigger: 'timer', schedule: '0 0 2 * * *' } },
    });
    expect(fa.functionAppName).toMatch(/^func-reports-dev-python-3-12-[a-z0-9]{6}$/);
    const json = JSON.parse(Testing.synth(stack)) as Synth;
    expect(Object.keys(json.resource['azurerm_function_app_flex_consumption']!)).toHaveLength(1);
    expect(Object.keys(json.resource['azurerm_storage_account']!)).toHaveLength(1);
    expectHonest(fa.backend.plan(), json);
  });
});

describe('FunctionsApp: validation at define time', () => {
  const define = (config: unknown) => () => FunctionsApp.define('Fx', config as FunctionsAppConfig);
  const fns = (f: Record<string, unknown>) => ({ runtime: 'node', functions: f });

  it.each([
    ['unknown trigger', fns({ a: { trigger: 'blob' } }), 'FUNCTIONS_TRIGGER_INVALID'],
    [
      'queueName on an http trigger',
      fns({ a: { trigger: 'http', queueName: 'x' } }),
      'FUNCTIONS_TRIGGER_INVALID',
    ],
    [
      'bad http method',
      fns({ a: { trigger: 'http', methods: ['FETCH'] } }),
      'FUNCTIONS_TRIGGER_INVALID',
    ],
    ['queue without queueName', fns({ a: { trigger: 'queue' } }), 'FUNCTIONS_QUEUE_INVALID'],
    [
      'invalid queue name',
      fns({ a: { trigger: 'queue', queueName: 'Orders_Q' } }),
      'FUNCTIONS_QUEUE_INVALID',
    ],
    ['timer without schedule', fns({ a: { trigger: 'timer' } }), 'FUNCTIONS_SCHEDULE_INVALID'],
    [
      '5-field cron',
      fns({ a: { trigger: 'timer', schedule: '0 * * * *' } }),
      'FUNCTIONS_SCHEDULE_INVALID',
    ],
    [
      'hour out of range',
      fns({ a: { trigger: 'timer', schedule: '0 0 25 * * *' } }),
      'FUNCTIONS_SCHEDULE_INVALID',
    ],
    ['empty functions', fns({}), 'FUNCTIONS_EMPTY'],
    ['no functions', { runtime: 'node' }, 'FUNCTIONS_EMPTY'],
    ['bad function name', fns({ '1st': { trigger: 'http' } }), 'FUNCTIONS_NAME_INVALID'],
    [
      'function name with a space',
      fns({ 'process order': { trigger: 'http' } }),
      'FUNCTIONS_NAME_INVALID',
    ],
    [
      'unknown runtime',
      { runtime: 'ruby', functions: { a: { trigger: 'http' } } },
      'FUNCTIONS_RUNTIME_INVALID',
    ],
    [
      'bad version',
      { runtime: 'node', version: 'latest', functions: { a: { trigger: 'http' } } },
      'FUNCTIONS_RUNTIME_INVALID',
    ],
    [
      'bad sku',
      { runtime: 'node', sku: 'XL', functions: { a: { trigger: 'http' } } },
      'FUNCTIONS_RUNTIME_INVALID',
    ],
    [
      'bad env var name',
      {
        runtime: 'node',
        environmentVariables: { 'a-b': 'x' },
        functions: { a: { trigger: 'http' } },
      },
      'CONFIG_INVALID',
    ],
    ['config not an object', null, 'CONFIG_NOT_OBJECT'],
  ])('%s → %s', (_what, config, code) => {
    expect(codeOf(define(config))).toBe(code);
  });

  it('points at the offending field', () => {
    try {
      FunctionsApp.define('Fx', { runtime: 'node', functions: { a: { trigger: 'queue' } } });
      expect.unreachable();
    } catch (e) {
      expect((e as AtakoraError).path).toEqual([
        'components',
        'Fx',
        'config',
        'functions',
        'a',
        'queueName',
      ]);
    }
  });

  it('a bad component id → COMPONENT_ID_INVALID', () => {
    expect(
      codeOf(() =>
        FunctionsApp.define('1x', { runtime: 'node', functions: { a: { trigger: 'http' } } }),
      ),
    ).toBe('COMPONENT_ID_INVALID');
  });

  it('accepts NCRONTAB ranges, steps, lists and names', () => {
    for (const s of [
      '0 */5 * * * *',
      '0 30 9 * * MON-FRI',
      '0 0 0 1,15 JAN-MAR *',
      '*/10 * * * * 0',
    ])
      expect(ncrontabProblem(s)).toBeUndefined();
    for (const s of ['0 0 * * *', '60 * * * * *', '0 0 0 0 * *', '0 0 0 * 13 *', '0 */0 * * * *'])
      expect(ncrontabProblem(s)).toBeDefined();
  });
});
