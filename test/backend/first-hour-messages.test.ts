/**
 * The messages a new user meets in the first hour — each with its own code, the path, and a
 * resolution that fits the mistake.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Testing } from '../support/engine.js';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { configKeysAt } from '../../src/backend/config-schema.js';
import { defineBackend } from '../../src/backend/define-backend.js';
import { ResourceGroupStack } from '../../src/apply/resource-group-stack.js';
import { CrudApi } from '../../src/components/crud/index.js';
import { FunctionsApp } from '../../src/components/functions/index.js';
import { defineComponent } from '../../src/components/custom/define.js';
import { thrown } from '../support/errors.js';
import { ENGINE_PACKAGES } from '../support/engine-names.js';
import { HANG_MS } from '../support/patience.js';

const users = CrudApi.define('UserApi', { entityName: 'User', schema: { id: 'string' } });

describe('config keys: did you mean, and the accepted keys', () => {
  it('{ enviroment } in the config argument suggests "environment" and lists every top-level key', () => {
    const e = thrown(() => defineBackend({ users }, { enviroment: 'prod' } as never));
    expect(e.code).toBe('CONFIG_UNKNOWN_KEY');
    expect(e.path).toEqual(['config', 'enviroment']);
    expect(e.message).toBe(
      'Unknown config key "enviroment" at config (did you mean "environment"?).',
    );
    expect(e.resolution).toMatch(
      /^Rename it to "environment"; the accepted keys here are: backendId, environment, location, /,
    );
    for (const key of ['auth', 'tenancy', 'corsOrigins', 'preventDestroy'])
      expect(e.resolution).toContain(key);
  });

  it('the object form suggests too ({ enviroment: "prod", users })', () => {
    const e = thrown(() => defineBackend({ users, enviroment: 'prod' } as never));
    expect(e.code).toBe('CONFIG_UNKNOWN_KEY');
    expect(e.message).toBe(
      '"enviroment" is neither a config key nor a component definition (did you mean "environment"?).',
    );
    expect(e.resolution).toContain('preventDestroy');
  });

  it('nested keys are checked against their own object (monitoring.alerting, tenancy)', () => {
    const e = thrown(() =>
      defineBackend({ users }, { monitoring: { alerting: { latencyTreshold: 500 } } } as never),
    );
    expect(e.path).toEqual(['config', 'monitoring', 'alerting', 'latencyTreshold']);
    expect(e.message).toContain('(did you mean "latencyThreshold"?)');
    expect(configKeysAt(['tenancy'])).toEqual(['claim', 'trustGatewayHeader']);
    expect(configKeysAt(['auth'])).toEqual([
      'clientId',
      'tenantId',
      'audiences',
      'appRegistration',
      'scope',
      'devOrigins',
      'signInAudience',
      'externalTenant',
      'emailSignIn',
      'identityProviders',
      'allowedTenants',
    ]);
    expect(configKeysAt(['cosmosConfig', 'failoverPolicies'])).toEqual([
      'locationName',
      'priority',
    ]);
    // No near key: no guess, the list still helps.
    expect(thrown(() => defineBackend({ users }, { zzzzzz: 1 } as never)).message).not.toContain(
      'did you mean',
    );
  });
});

describe('component ids and entity names get their own codes', () => {
  it('an invalid component id is COMPONENT_ID_INVALID, whose resolution is about the id (not "pass a definition")', () => {
    const cases = [
      () => CrudApi.define('1st-api', { entityName: 'User', schema: { id: 'string' } }),
      () =>
        FunctionsApp.define('bad id', { runtime: 'python', functions: { a: { trigger: 'http' } } }),
      () => defineComponent({ type: 'X', id: '9x', config: {}, requirements: () => [] }),
    ];
    for (const c of cases) {
      const e = thrown(c);
      expect(e.code).toBe('COMPONENT_ID_INVALID');
      expect(e.resolution).toMatch(/starts with a letter/);
      expect(e.resolution).not.toMatch(/Pass a definition/);
    }
  });

  it('an invalid entityName is CRUD_ENTITY_NAME_INVALID; a missing one stays CRUD_ENTITY_NAME_MISSING', () => {
    const e = thrown(() =>
      CrudApi.define('ProfileApi', { entityName: 'user-profile', schema: { id: 'string' } }),
    );
    expect(e.code).toBe('CRUD_ENTITY_NAME_INVALID');
    expect(e.path).toEqual(['components', 'ProfileApi', 'config', 'entityName']);
    expect(e.resolution).toMatch(/letters and digits/);
    expect(
      thrown(() => CrudApi.define('ProfileApi', { entityName: '', schema: { id: 'string' } })).code,
    ).toBe('CRUD_ENTITY_NAME_MISSING');
  });
});

describe('ARM_SUBSCRIPTION_ID and the stack subscription id are GUIDs', () => {
  let saved: string | undefined;
  beforeEach(() => {
    saved = process.env['ARM_SUBSCRIPTION_ID'];
  });
  afterEach(() => {
    if (saved === undefined) delete process.env['ARM_SUBSCRIPTION_ID'];
    else process.env['ARM_SUBSCRIPTION_ID'] = saved;
  });
  const stack = (subscriptionId?: string) =>
    new ResourceGroupStack(Testing.app(), 'S', {
      resourceGroupName: 'rg-x',
      location: 'eastus',
      ...(subscriptionId ? { subscriptionId } : {}),
    });

  it('ARM_SUBSCRIPTION_ID=my-subscription is SUBSCRIPTION_ID_INVALID at apply, naming the variable', () => {
    process.env['ARM_SUBSCRIPTION_ID'] = 'my-subscription';
    const e = thrown(() => defineBackend({ users }).apply(stack()));
    expect(e.code).toBe('SUBSCRIPTION_ID_INVALID');
    expect(e.path).toEqual(['ARM_SUBSCRIPTION_ID']);
    expect(e.message).toContain('"my-subscription"');
    // Checked with a naming.uniqueSeed too: the azurerm provider deploys with it.
    expect(
      thrown(() => defineBackend({ users }, { naming: { uniqueSeed: 'x' } }).apply(stack())).code,
    ).toBe('SUBSCRIPTION_ID_INVALID');
  });

  it('a stack subscriptionId that is not a GUID is SUBSCRIPTION_ID_INVALID at stack.subscriptionId; a GUID applies', () => {
    delete process.env['ARM_SUBSCRIPTION_ID'];
    expect(thrown(() => defineBackend({ users }).apply(stack('Pay-As-You-Go'))).path).toEqual([
      'stack',
      'subscriptionId',
    ]);
    expect(() =>
      defineBackend({ users }).apply(stack('5F1C2E3D-0000-4000-8000-000000000001')),
    ).not.toThrow();
    process.env['ARM_SUBSCRIPTION_ID'] = '5f1c2e3d-0000-4000-8000-000000000001';
    expect(() => defineBackend({ users }).apply(stack())).not.toThrow();
  });
});

describe('the provisional-names warning in a plain cdktf program', () => {
  const root = resolve(import.meta.dirname, '../..');
  const work = mkdtempSync(join(root, '.tmp-warn-'));
  afterAll(() => rmSync(work, { recursive: true, force: true }));

  it('is written once on stderr (two backends, two stacks, one line), with no subscription id', () => {
    // The built package, as a user's program imports it (the work folder is inside this package, so its name
    // resolves to dist/): plain Node loads it in ~0.9 CPU-s, where tsx compiling src/ took ~2.6.
    const main = join(work, 'main.mjs');
    writeFileSync(
      main,
      `
      import { App } from '${ENGINE_PACKAGES.cdktf}';
      import { defineBackend } from '@atakora/component/backend';
      import { CrudApi } from '@atakora/component/crud';
      import { ResourceGroupStack } from '@atakora/component/cdk';
      const app = new App({ outdir: ${JSON.stringify(join(work, 'out'))} });
      const users = CrudApi.define('UserApi', { entityName: 'User', schema: { id: 'string' } });
      defineBackend({ users }, { backendId: 'one' }).apply(new ResourceGroupStack(app, 'A', { resourceGroupName: 'rg-a', location: 'eastus' }));
      defineBackend({ users }, { backendId: 'two' }).apply(new ResourceGroupStack(app, 'A2', { resourceGroupName: 'rg-a', location: 'eastus' }));
      console.log('applied');
    `,
    );
    const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1' };
    delete env['ARM_SUBSCRIPTION_ID'];
    const r = spawnSync(process.execPath, [main], {
      cwd: root,
      env,
      encoding: 'utf8',
      // spawnSync blocks the worker: this bound, not vitest's, ends a hung child (a hang only).
      timeout: HANG_MS,
    });
    expect(r.stdout, r.stderr).toContain('applied');
    const lines = r.stderr.split('\n').filter((l) => l.includes('no subscription id at synth'));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(
      /^warning: atakora: no subscription id at synth .* resource group "rg-a" .*docs\/deploying\.md#names/,
    );
  });
});
