import { describe, expect, it } from 'vitest';
import { defineBackend } from '../../src/backend/define-backend.js';
import { Backend } from '../../src/backend/backend.js';
import { BackendBuilder } from '../../src/backend/backend-builder.js';
import { CrudApi } from '../../src/components/crud/index.js';
import { AtakoraError } from '../../src/model/errors.js';
import { backendConfigJsonSchema } from '../../src/backend/config-schema.js';

const user = () =>
  CrudApi.define('UserApi', {
    entityName: 'User',
    schema: { id: 'string', name: 'string' },
    partitionKey: '/id',
  });
const product = () =>
  CrudApi.define('ProductApi', {
    entityName: 'Product',
    schema: { id: 'string', price: 'number' },
  });
const codeOf = (f: () => unknown) => {
  try {
    f();
  } catch (e) {
    return e instanceof AtakoraError ? e.code : `not AtakoraError: ${String(e)}`;
  }
  return 'no error';
};

describe('defineBackend forms', () => {
  it('object form with definitions → Backend; config only → builder', () => {
    expect(defineBackend({ userApi: user() })).toBeInstanceOf(Backend);
    expect(defineBackend({ environment: 'prod', location: 'eastus' })).toBeInstanceOf(
      BackendBuilder,
    );
  });

  it('accepts config mixed into the first object (the seeds spec form)', () => {
    const b = defineBackend({
      userApi: user(),
      environment: 'staging',
      tags: { Team: 'Platform' },
    });
    expect(b.environment).toBe('staging');
    expect(Object.keys(b.components)).toEqual(['userApi']);
    expect(b.config.tags).toEqual({ Team: 'Platform' });
  });

  it('defaults: backend, dev, eastus', () => {
    const b = defineBackend({ userApi: user() });
    expect([b.backendId, b.environment, b.location]).toEqual(['backend', 'dev', 'eastus']);
  });

  it('accepts the seeds factory-only component shape', () => {
    const legacy = {
      componentId: 'Legacy',
      componentType: 'Legacy',
      config: {},
      factory: () => ({
        getRequirements: () => [
          {
            resourceType: 'storage',
            requirementKey: 'legacy-storage',
            config: { containers: ['uploads'] },
          },
        ],
      }),
    };
    const plan = defineBackend({ legacy }).plan();
    expect(plan.resources.map((r) => r.key)).toEqual(['storage:shared']);
    expect(plan.resources[0]!.config['containers']).toEqual(['uploads']);
  });
});

describe('the immutable builder', () => {
  it('every method returns a new builder; the old one never sees later additions', () => {
    const b0 = defineBackend({ environment: 'prod' });
    const b1 = b0.addComponent(user());
    const b2 = b1.addComponent(product()).withTags({ a: '1' }).withMonitoring(true);
    expect(b1).not.toBe(b0);
    expect(codeOf(() => b0.build())).toBe('BACKEND_EMPTY');
    expect(Object.keys(b1.build().components)).toEqual(['UserApi']);
    expect(Object.keys(b2.build().components).sort()).toEqual(['ProductApi', 'UserApi']);
    expect(b1.build().config.tags).toEqual({});
    expect(b2.build().config.monitoring.enabled).toBe(true);
  });

  it('a branched builder keeps each branch to itself (keys, ids and order)', () => {
    const base = defineBackend({}).addComponent(user());
    const left = base.addComponent('left', product());
    const right = base.addComponent(
      'right',
      CrudApi.define('ProductApi', { entityName: 'Item', schema: { id: 'string' } }),
    );
    expect(Object.keys(left.build().components)).toEqual(['UserApi', 'left']);
    expect(Object.keys(right.build().components)).toEqual(['UserApi', 'right']);
    // Each branch may reuse a key or id the other branch took, but not one of its own.
    expect(
      codeOf(() =>
        left.addComponent(
          'right',
          CrudApi.define('Other', { entityName: 'Other', schema: { id: 'string' } }),
        ),
      ),
    ).toBe('no error');
    expect(codeOf(() => right.addComponent('left' as never, user() as never))).toBe(
      'DUPLICATE_COMPONENT_ID',
    );
    expect(
      codeOf(() =>
        right.addComponent(
          'right' as never,
          CrudApi.define('Z', { entityName: 'Z', schema: { id: 'string' } }),
        ),
      ),
    ).toBe('DUPLICATE_COMPONENT_KEY');
    expect(codeOf(() => base.addComponent('again', product()))).toBe('no error');
    expect(codeOf(() => base.build())).toBe('no error');
    expect(Object.keys(base.build().components)).toEqual(['UserApi']);
  });

  it('keeps every component of a long chain and detects duplicates deep in it', () => {
    let b = defineBackend({}) as unknown as {
      addComponent(d: unknown): typeof b;
      build(): { components: object };
    };
    for (let i = 0; i < 2000; i++)
      b = b.addComponent(
        CrudApi.define(`Api${i}`, { entityName: `E${i}`, schema: { id: 'string' } }),
      );
    expect(new Set(Object.keys(b.build().components))).toEqual(
      new Set(Array.from({ length: 2000 }, (_, i) => `Api${i}`)),
    );
    expect(
      codeOf(() =>
        b.addComponent(CrudApi.define('Api7', { entityName: 'Other', schema: { id: 'string' } })),
      ),
    ).toBe('DUPLICATE_COMPONENT_KEY');
  });

  it('when(condition, add) runs add only for true, and its additions keep their keys taken', () => {
    let calls = 0;
    const add = (b: ReturnType<typeof defineBackend<{}>>) => {
      calls++;
      return b.addComponent(user());
    };
    const off = defineBackend({}).when(false, add).addComponent(product()).build();
    expect(calls).toBe(0);
    expect(Object.keys(off.components)).toEqual(['ProductApi']);
    const on = defineBackend({}).when(true, add).addComponent(product()).build();
    expect(calls).toBe(1);
    expect(Object.keys(on.components).sort()).toEqual(['ProductApi', 'UserApi']);
    expect(on.components.UserApi?.apiEndpoint).toMatch(/\/api\/users$/);
    expect(
      codeOf(() =>
        defineBackend({})
          .when(true, add)
          .addComponent(user() as never),
      ),
    ).toBe('DUPLICATE_COMPONENT_KEY');
    expect(
      codeOf(() =>
        defineBackend({})
          .when(true, (b) => b.withTags({ a: 'b' }))
          .addComponent(user())
          .build(),
      ),
    ).toBe('no error');
  });

  it('when() takes a boolean only: "false" from a flags file, 0, undefined (a misspelt flag) are WHEN_CONDITION_INVALID', () => {
    let calls = 0;
    const add = (b: ReturnType<typeof defineBackend<{}>>) => {
      calls++;
      return b.addComponent(user());
    };
    for (const value of ['false', 'true', 0, 1, '', undefined, null, {}]) {
      let error: unknown;
      try {
        defineBackend({}).when(value as never, add);
      } catch (e) {
        error = e;
      }
      expect(error, String(value)).toBeInstanceOf(AtakoraError);
      expect((error as AtakoraError).code).toBe('WHEN_CONDITION_INVALID');
      expect((error as AtakoraError).path).toEqual(['when']);
    }
    expect(calls).toBe(0);
    let error: AtakoraError | undefined;
    try {
      defineBackend({}).when('false' as never, add);
    } catch (e) {
      error = e as AtakoraError;
    }
    expect(error?.message).toBe('when(condition, add) takes a boolean; got the string "false".');
    expect(error?.resolution).toMatch(/parseFlags/);
  });

  it('when() rejects a missing callback or one that returns no builder', () => {
    expect(codeOf(() => defineBackend({}).when(true, undefined as never))).toBe('CONFIG_INVALID');
    expect(codeOf(() => defineBackend({}).when(true, (() => undefined) as never))).toBe(
      'CONFIG_INVALID',
    );
  });

  it('withTags and withLimits merge; withProviders adds', () => {
    const b = defineBackend({})
      .withTags({ a: '1' })
      .withTags({ b: '2' })
      .withLimits({ maxCosmosAccounts: 1 })
      .withLimits({ maxFunctionApps: 2 })
      .withEnvironment('prod')
      .withLocation('westeurope')
      .addComponent('users', user())
      .build();
    expect(b.config.tags).toEqual({ a: '1', b: '2' });
    expect(b.config.limits).toEqual({ maxCosmosAccounts: 1, maxFunctionApps: 2 });
    expect([b.environment, b.location]).toEqual(['prod', 'westeurope']);
    expect(b.components.users.apiEndpoint).toMatch(/\/api\/users$/);
  });

  it('plan() is a shortcut for build().plan()', () => {
    const b = defineBackend({}).addComponent(user());
    expect(JSON.stringify(b.plan())).toBe(JSON.stringify(b.build().plan()));
  });

  it('does not change immer global settings or freeze the caller objects', async () => {
    const { produce } = await import('immer');
    const tags = { a: '1' };
    defineBackend({}).withTags(tags).addComponent(user()).build().plan();
    expect(Object.isFrozen(tags)).toBe(false);
    const base = { x: { y: 1 } };
    const next = produce(base, (d) => {
      d.x.y = 2;
    });
    // immer's global default (auto-freeze on) is untouched by our private instance
    expect(Object.isFrozen(next)).toBe(true);
  });
});

describe('bad input → AtakoraError with a code', () => {
  it.each([
    [
      'missing entityName',
      () => CrudApi.define('A', { schema: { id: 'string' } } as never),
      'CRUD_ENTITY_NAME_MISSING',
    ],
    [
      'partition key without /',
      () => CrudApi.define('A', { entityName: 'A', schema: { id: 'string' }, partitionKey: 'id' }),
      'CRUD_PARTITION_KEY_INVALID',
    ],
    [
      'unknown field type',
      () => CrudApi.define('A', { entityName: 'A', schema: { id: 'strng' as never } }),
      'CRUD_FIELD_TYPE_UNKNOWN',
    ],
    [
      'empty schema',
      () => CrudApi.define('A', { entityName: 'A', schema: {} }),
      'CRUD_SCHEMA_INVALID',
    ],
    [
      'bad operations',
      () =>
        CrudApi.define('A', {
          entityName: 'A',
          schema: { id: 'string' },
          operations: ['drop' as never],
        }),
      'CRUD_OPERATIONS_INVALID',
    ],
    [
      'duplicate key in builder',
      () =>
        defineBackend({})
          .addComponent(user())
          .addComponent(user() as never),
      'DUPLICATE_COMPONENT_KEY',
    ],
    [
      'duplicate explicit key',
      () =>
        defineBackend({})
          .addComponent('x', user())
          .addComponent('x' as never, product()),
      'DUPLICATE_COMPONENT_KEY',
    ],
    [
      'duplicate id in object form',
      () => defineBackend({ a: user(), b: user() }),
      'DUPLICATE_COMPONENT_ID',
    ],
    [
      'duplicate id under two keys',
      () => defineBackend({}).addComponent('a', user()).addComponent('b', user()),
      'DUPLICATE_COMPONENT_ID',
    ],
    ['empty backend', () => defineBackend({}).build(), 'BACKEND_EMPTY'],
    ['config not an object', () => defineBackend(42 as never), 'CONFIG_NOT_OBJECT'],
    [
      'second argument not an object',
      () => defineBackend({ a: user() }, 'prod' as never),
      'CONFIG_NOT_OBJECT',
    ],
    ['null config', () => defineBackend(null as never), 'CONFIG_NOT_OBJECT'],
    [
      'unknown config key',
      () => defineBackend({ a: user() }, { enviroment: 'x' } as never),
      'CONFIG_UNKNOWN_KEY',
    ],
    [
      'unknown top-level key',
      () => defineBackend({ a: user(), monitorin: true } as never),
      'CONFIG_UNKNOWN_KEY',
    ],
    [
      'wrong type',
      () => defineBackend({ a: user() }, { monitoring: { samplingPercentage: 500 } }),
      'CONFIG_INVALID',
    ],
    [
      'a retention Application Insights refuses',
      () => defineBackend({ a: user() }, { monitoring: { retentionDays: 45 } }),
      'MONITORING_RETENTION_INVALID',
    ],
    [
      'bad networking',
      () => defineBackend({ a: user() }, { networking: 'isolatd' as never }),
      'CONFIG_INVALID',
    ],
    ['builder setter validates', () => defineBackend({}).withLocation('East US'), 'CONFIG_INVALID'],
    ['not a definition', () => defineBackend({}).addComponent({} as never), 'COMPONENT_INVALID'],
  ])('%s', (_name, f, code) => {
    expect(codeOf(f)).toBe(code);
  });

  it('errors carry the path and a resolution', () => {
    try {
      defineBackend({ a: user() }, { monitoring: { samplingPercentage: 500 } });
      expect.unreachable();
    } catch (e) {
      const err = e as AtakoraError;
      expect(err.path).toEqual(['config', 'monitoring', 'samplingPercentage']);
      expect(err.resolution.length).toBeGreaterThan(10);
      expect(err.format()).toContain('CONFIG_INVALID');
    }
  });
});

describe('monitoring.retentionDays: only what Application Insights accepts', () => {
  const refusal = (days: number) => {
    try {
      defineBackend({ a: user() }, { monitoring: { retentionDays: days } });
    } catch (e) {
      return e as AtakoraError;
    }
    throw new Error(`retentionDays ${String(days)} was accepted`);
  };

  it.each([
    [45, '30 or 60'],
    [29, '30'],
    [100, '90 or 120'],
    [400, '365 or 550'],
    [731, '730'],
  ])('%i is refused at config time, the resolution naming %s', (days, nearest) => {
    const err = refusal(days);
    expect(err.code).toBe('MONITORING_RETENTION_INVALID');
    expect(err.path).toEqual(['config', 'monitoring', 'retentionDays']);
    expect(err.resolution).toContain(`Set retentionDays to ${nearest} (the nearest allowed)`);
  });

  it.each([30, 60, 90, 120, 180, 270, 365, 550, 730])('%i is accepted', (days) => {
    expect(
      defineBackend({ a: user() }, { monitoring: { retentionDays: days } }).config.monitoring
        .retentionDays,
    ).toBe(days);
  });

  it('the JSON Schema lists the allowed values, so editors offer them', () => {
    const schema = JSON.stringify(backendConfigJsonSchema());
    expect(schema).toContain('"enum":[30,60,90,120,180,270,365,550,730]');
  });
});

describe('config values the azurerm provider refuses are refused at config time', () => {
  const codeAt = (config: object) => {
    try {
      defineBackend({ a: user() }, config);
    } catch (e) {
      return `${(e as AtakoraError).code} ${(e as AtakoraError).path.join('.')}`;
    }
    return 'accepted';
  };

  it.each([
    // log_analytics_workspace_name.go: letters, digits and '-', not at either end, 4-63 long.
    [
      { monitoring: { workspaceName: 'logs_team' } },
      'CONFIG_INVALID config.monitoring.workspaceName',
    ],
    [
      { monitoring: { workspaceName: '-logs-team' } },
      'CONFIG_INVALID config.monitoring.workspaceName',
    ],
    [{ monitoring: { workspaceName: 'logs-team-2' } }, 'accepted'],
    // tags.Validate: 50 tags, keys up to 512 characters, values up to 256.
    [{ tags: { team: 'x'.repeat(257) } }, 'CONFIG_INVALID config.tags.team'],
    [{ tags: { ['k'.repeat(513)]: 'x' } }, `CONFIG_INVALID config.tags.${'k'.repeat(513)}`],
    [
      { tags: Object.fromEntries(Array.from({ length: 51 }, (_, i) => [`t${String(i)}`, 'x'])) },
      'CONFIG_INVALID config.tags',
    ],
    [
      { tags: Object.fromEntries(Array.from({ length: 50 }, (_, i) => [`t${String(i)}`, 'x'])) },
      'accepted',
    ],
  ])('%j: %s', (config, verdict) => {
    expect(codeAt(config)).toBe(verdict);
  });
});

describe('config from JSON (config-driven feature flags)', () => {
  it('a JSON config validates with the exported schema and drives the builder; its JSON Schema is exported', async () => {
    const { backendConfigSchema, backendConfigJsonSchema } = await import(
      '../../src/backend/config-schema.js'
    );
    const json =
      '{"environment":"staging","location":"westeurope","monitoring":{"enabled":true,"retentionDays":90},"networking":"public","tags":{"team":"x"},"limits":{"maxCosmosAccounts":1}}';
    const config = backendConfigSchema.parse(JSON.parse(json));
    const b = defineBackend(config).addComponent(user()).build();
    expect([
      b.environment,
      b.location,
      b.config.monitoring.retentionDays,
      b.config.limits.maxCosmosAccounts,
    ]).toEqual(['staging', 'westeurope', 90, 1]);
    const bad = backendConfigSchema.safeParse(JSON.parse('{"networking":"isolatd"}'));
    expect(bad.success).toBe(false);
    const schema = backendConfigJsonSchema() as {
      properties: Record<string, unknown>;
      additionalProperties: unknown;
    };
    expect(Object.keys(schema.properties)).toEqual(
      expect.arrayContaining([
        'environment',
        'location',
        'monitoring',
        'networking',
        'tags',
        'limits',
        'cosmosConfig',
      ]),
    );
    expect(schema.additionalProperties).toBe(false);
  });
});

describe('typed feature flags in the example', () => {
  it('buildTypedFromConfig adds only the enabled components and reads the optional handle', async () => {
    const { buildTypedFromConfig, defaultConfig } = await import(
      '../../examples/builder-feature-flags.js'
    );
    const on = buildTypedFromConfig(defaultConfig);
    expect(Object.keys(on.backend.components).sort()).toEqual(['ProductApi', 'UserApi']);
    expect(on.userApiUrl).toMatch(/^https:\/\/.+\/api\/users$/);
    const off = buildTypedFromConfig({
      ...defaultConfig,
      features: { ...defaultConfig.features, userManagement: false },
    });
    expect(Object.keys(off.backend.components)).toEqual(['ProductApi']);
    expect(off.userApiUrl).toBeUndefined();
  });
});
