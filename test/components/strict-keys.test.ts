import { describe, expect, it } from 'vitest';
import { defineComponent } from '../../src/components/custom/define.js';
import { CrudApi } from '../../src/components/crud/index.js';
import { FunctionsApp } from '../../src/components/functions/index.js';
import { StaticSite, StaticSiteWithCdn } from '../../src/components/web/index.js';
import { closest } from '../../src/components/check-keys.js';
import { AtakoraError } from '../../src/model/errors.js';

const errorOf = (f: () => unknown): AtakoraError => {
  try {
    f();
  } catch (e) {
    if (e instanceof AtakoraError) return e;
    throw new Error(`not an AtakoraError: ${String(e)}`);
  }
  throw new Error('no error');
};
const crud = (extra: object) => () =>
  CrudApi.define('UserApi', { entityName: 'User', schema: { id: 'string' }, ...extra } as never);

describe('Cosmos DB TTL on a CrudApi: -1 or 1..2147483647', () => {
  it.each([-1, 1, 86400, 2_147_483_647])(
    'accepts ttl %s and plans it as the container default TTL',
    (ttl) => {
      const def = crud({ ttl })() as ReturnType<typeof CrudApi.define>;
      const cosmos = def
        .requirements({ componentId: 'UserApi', config: {} as never })
        .find((r) => r.resourceType === 'cosmos')!;
      expect(
        (cosmos.config as { databases: { containers: { ttl?: number }[] }[] }).databases[0]!
          .containers[0]!.ttl,
      ).toBe(ttl);
    },
  );

  it.each([0, -5, -2, 2_147_483_648, 1.5, Number.NaN, '3600'])(
    'rejects ttl %s with the path and a resolution citing the Cosmos DB TTL doc',
    (ttl) => {
      const e = errorOf(crud({ ttl }));
      expect(e.code).toBe('CONFIG_INVALID');
      expect(e.path).toEqual(['components', 'UserApi', 'config', 'ttl']);
      expect(e.message).toContain('-1 or a whole number of seconds from 1 to 2147483647');
      expect(e.resolution).toContain('https://learn.microsoft.com/azure/cosmos-db/time-to-live');
    },
  );
});

describe('unknown keys in definitions → CONFIG_UNKNOWN_KEY with the path', () => {
  it.each([
    [
      'CrudApi',
      crud({ partitonKey: '/id' }),
      ['components', 'UserApi', 'config', 'partitonKey'],
      'partitionKey',
    ],
    [
      'CrudApi TTL in capitals',
      crud({ TTL: 60 }),
      ['components', 'UserApi', 'config', 'TTL'],
      'ttl',
    ],
    [
      'CrudApi schema field',
      () =>
        CrudApi.define('UserApi', {
          entityName: 'User',
          schema: { id: 'string', email: { type: 'string', requird: true } },
        } as never),
      ['components', 'UserApi', 'config', 'schema', 'email', 'requird'],
      'required',
    ],
    [
      'CrudApi cache',
      crud({ cache: { enabled: true, tll: 5 } }),
      ['components', 'UserApi', 'config', 'cache', 'tll'],
      'ttl',
    ],
    [
      'CrudApi healthCheck',
      crud({ healthCheck: { intervall: 30 } }),
      ['components', 'UserApi', 'config', 'healthCheck', 'intervall'],
      'interval',
    ],
    [
      'FunctionsApp',
      () =>
        FunctionsApp.define('Jobs', {
          runtime: 'node',
          functions: { a: { trigger: 'http' } },
          enviromentVariables: {},
        } as never),
      ['components', 'Jobs', 'config', 'enviromentVariables'],
      'environmentVariables',
    ],
    [
      'FunctionsApp function',
      () =>
        FunctionsApp.define('Jobs', {
          runtime: 'node',
          functions: { nightly: { trigger: 'timer', schedule: '0 0 2 * * *', cron: 'x' } },
        } as never),
      ['components', 'Jobs', 'config', 'functions', 'nightly', 'cron'],
      undefined,
    ],
    [
      'FunctionsApp function near miss',
      () =>
        FunctionsApp.define('Jobs', {
          runtime: 'node',
          functions: { q: { trigger: 'queue', queueName: 'orders', queuename: 'x' } },
        } as never),
      ['components', 'Jobs', 'config', 'functions', 'q', 'queuename'],
      'queueName',
    ],
    [
      'StaticSite',
      () => StaticSite.define('Admin', { sourceDir: './admin' } as never),
      ['components', 'Admin', 'config', 'sourceDir'],
      undefined,
    ],
    [
      'StaticSite takes no CDN keys',
      () => StaticSite.define('Admin', { cacheMaxAge: 60 } as never),
      ['components', 'Admin', 'config', 'cacheMaxAge'],
      undefined,
    ],
    [
      'StaticSiteWithCdn',
      () => StaticSiteWithCdn.define('Web', { enableSpaMod: true } as never),
      ['components', 'Web', 'config', 'enableSpaMod'],
      'enableSpaMode',
    ],
    [
      'StaticSiteWithCdn cors',
      () =>
        StaticSiteWithCdn.define('Web', {
          cors: { allowedOrigins: ['*'], allowCredentials: true },
        } as never),
      ['components', 'Web', 'config', 'cors', 'allowCredentials'],
      undefined,
    ],
    [
      'defineComponent',
      () =>
        defineComponent({
          type: 'X',
          id: 'X',
          config: {},
          requirements: () => [],
          output: () => ({}),
        } as never),
      ['components', 'X', 'output'],
      'outputs',
    ],
  ])('%s', (_name, f, path, guess) => {
    const e = errorOf(f);
    expect(e.code).toBe('CONFIG_UNKNOWN_KEY');
    expect(e.path).toEqual(path);
    if (guess) {
      expect(e.message).toContain(`did you mean "${guess}"?`);
      expect(e.resolution).toContain(`Rename it to "${guess}"`);
    } else {
      expect(e.message).not.toContain('did you mean');
    }
  });

  it('accepts every documented key of each kind', () => {
    expect(() =>
      CrudApi.define('A', {
        entityName: 'A',
        schema: { id: 'string', n: { type: 'string', required: true, maxLength: 5 } },
        partitionKey: '/id',
        ttl: -1,
        enableServerless: false,
        throughput: 400,
        operations: ['read'],
        databaseName: 'd',
        containerName: 'c',
        uniqueKeys: ['/n'],
        indexingPolicy: {},
        consistency: 'Session',
        cache: { enabled: true, ttl: 60 },
        healthCheck: { path: '/health', interval: 30, timeout: 5, unhealthyThreshold: 3 },
        unknownFields: 'keep',
        priority: 5,
      }),
    ).not.toThrow();
    expect(() =>
      FunctionsApp.define('F', {
        runtime: 'node',
        version: '22',
        sku: 'EP1',
        alwaysOn: true,
        priority: 1,
        environmentVariables: { A: 'b' },
        functions: {
          h: { trigger: 'http', route: 'r', methods: ['GET'] },
          q: { trigger: 'queue', queueName: 'orders' },
          t: { trigger: 'timer', schedule: '0 0 * * * *' },
        },
      }),
    ).not.toThrow();
    expect(() =>
      StaticSiteWithCdn.define('W', {
        sourceDirectory: './w',
        buildCommand: 'b',
        indexDocument: 'index.html',
        errorDocument: '404.html',
        enableSpaMode: true,
        sku: 'Standard',
        customDomain: 'app.example.com',
        dnsZoneName: 'example.com',
        dnsZoneResourceGroupName: 'rg',
        enableCompression: true,
        cacheMaxAge: 60,
        cors: { allowedOrigins: ['*'] },
        priority: 1,
      }),
    ).not.toThrow();
    expect(() =>
      defineComponent({
        type: 'X',
        id: 'X',
        config: {},
        priority: 1,
        requirements: () => [],
        outputs: () => ({}),
        provision: () => undefined,
      }),
    ).not.toThrow();
  });

  it('guesses only a near miss', () => {
    expect(closest('partitonKey', ['partitionKey', 'entityName'])).toBe('partitionKey');
    expect(closest('shcema', ['schema', 'ttl'])).toBe('schema');
    expect(closest('banana', ['schema', 'ttl'])).toBeUndefined();
    expect(closest('x', ['ttl'])).toBeUndefined();
  });
});
