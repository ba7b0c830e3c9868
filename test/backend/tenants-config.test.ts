import { describe, expect, it } from 'vitest';
import { defineBackend } from '../../src/backend/define-backend.js';
import { normalizeConfig } from '../../src/backend/normalize-config.js';
import { CrudApi } from '../../src/components/crud/index.js';
import type { BackendConfig } from '../../src/model/config.js';
import { MANIFEST_SETTING, type RuntimeManifest } from '../../src/model/runtime-manifest.js';
import { parseManifest } from '../../src/runtime/manifest-loader.js';
import { synth } from '../support/synth.js';
import { thrown } from '../support/errors.js';

const registry = {
  auth: { signInAudience: 'AzureADMultipleOrgs', allowedTenants: 'registry' },
  tenants: {
    plans: { pro: { requestsPerMinute: 6000, storageMb: 10_000 }, free: { requestsPerMinute: 60 } },
    defaultPlan: 'free',
    perUser: { requestsPerMinute: 120 },
  },
} as const satisfies BackendConfig;
const notes = () => CrudApi.define('NoteApi', { entityName: 'Note', schema: { id: 'string' } });

describe('tenants: the registry in the config', () => {
  it('accepts the registry with its plans and defaults signUp to invite', () => {
    const c = normalizeConfig(registry);
    expect(c.auth.allowedTenants).toBe('registry');
    expect(c.tenants).toEqual({
      plans: {
        free: { requestsPerMinute: 60 },
        pro: { requestsPerMinute: 6000, storageMb: 10_000 },
      },
      defaultPlan: 'free',
      signUp: 'invite',
      perUser: { requestsPerMinute: 120 },
    });
    expect(
      normalizeConfig({ ...registry, tenants: { ...registry.tenants, signUp: 'open' } }).tenants
        ?.signUp,
    ).toBe('open');
  });

  it('refuses a default plan that is not a plan, the registry without a multi-tenant sign-in, and bad bounds', () => {
    const e = thrown(() =>
      normalizeConfig({ ...registry, tenants: { ...registry.tenants, defaultPlan: 'gold' } }),
    );
    expect(e.code).toBe('TENANTS_DEFAULT_PLAN_UNKNOWN');
    expect(e.path).toEqual(['config', 'tenants', 'defaultPlan']);
    expect(e.message).toMatch(/"gold" is not one of tenants.plans \(free, pro\)/);
    expect(
      thrown(() => normalizeConfig({ ...registry, auth: { allowedTenants: 'registry' } })).code,
    ).toBe('TENANTS_REGISTRY_INVALID');
    expect(thrown(() => normalizeConfig({ auth: registry.auth })).code).toBe(
      'TENANTS_REGISTRY_INVALID',
    );
    expect(
      thrown(() =>
        normalizeConfig({
          auth: { signInAudience: 'AzureADMultipleOrgs', allowedTenants: 'any' },
          tenants: registry.tenants,
        }),
      ).code,
    ).toBe('TENANTS_REGISTRY_INVALID');
    expect(
      thrown(() => normalizeConfig({ ...registry, tenants: { plans: {}, defaultPlan: 'free' } }))
        .code,
    ).toBe('TENANTS_NO_PLANS');
    for (const bad of [0, -5, 1.5, Number.NaN, '10'])
      expect(
        thrown(() =>
          normalizeConfig({
            ...registry,
            tenants: { plans: { free: { storageMb: bad as never } }, defaultPlan: 'free' },
          }),
        ).code,
      ).toBe('CONFIG_INVALID');
    expect(
      thrown(() =>
        normalizeConfig({
          ...registry,
          tenants: { ...registry.tenants, signUp: 'anyone' as never },
        }),
      ).code,
    ).toBe('CONFIG_INVALID');
    expect(
      thrown(() =>
        normalizeConfig({
          ...registry,
          tenants: { ...registry.tenants, perUser: { storageMb: 1 } as never },
        }),
      ).code,
    ).toBe('CONFIG_UNKNOWN_KEY');
  });

  it('plans the shared tenants container (/id) in the backend’s own database, granted to its CrudApis', () => {
    const plan = defineBackend(
      { notes: notes() },
      { naming: { uniqueSeed: 'sub/rg' }, ...registry },
    ).plan();
    expect(plan.issues.filter((i) => i.severity === 'error')).toEqual([]);
    const cosmos = plan.resources.find((r) => r.key === 'cosmos:shared')!;
    const dbs = cosmos.config['databases'] as {
      name: string;
      containers: Record<string, unknown>[];
    }[];
    expect(dbs.find((d) => d.name === 'atakora')?.containers).toEqual([
      { name: 'tenants', partitionKey: '/id', uniqueKeys: [], access: { NoteApi: 'readwrite' } },
      {
        name: 'usage',
        partitionKey: '/tenant',
        uniqueKeys: [],
        ttl: 400 * 24 * 3600,
        access: { NoteApi: 'readwrite' },
      },
    ]);
    expect(cosmos.deploys.map((d) => d.name)).toContain('backend_cosmos_shared_db_atakora_c_usage');
    expect(cosmos.deploys.map((d) => d.name)).toContain(
      'backend_cosmos_shared_db_atakora_c_tenants',
    );
    const without = defineBackend({ notes: notes() }, { naming: { uniqueSeed: 'sub/rg' } }).plan();
    const plain = without.resources.find((r) => r.key === 'cosmos:shared')!;
    expect((plain.config['databases'] as { name: string }[]).map((d) => d.name)).toEqual([
      'note-db',
    ]);
  });

  it('carries the registry in the runtime manifest, with an empty allow-list until the runtime reads it', () => {
    const json = synth(defineBackend({ notes: notes() }, registry));
    const app = Object.values(json.resource['azurerm_function_app_flex_consumption']!)[0] as {
      app_settings: Record<string, string>;
    };
    const manifest: RuntimeManifest = parseManifest(app.app_settings[MANIFEST_SETTING]);
    expect(manifest.auth?.allowedTenants).toEqual([]);
    expect(manifest.auth?.registry).toEqual({
      database: 'atakora',
      container: 'tenants',
      usage: 'usage',
      plans: {
        free: { requestsPerMinute: 60 },
        pro: { requestsPerMinute: 6000, storageMb: 10_000 },
      },
      defaultPlan: 'free',
      signUp: 'invite',
      perUser: { requestsPerMinute: 120 },
    });
    expect(
      json.resource['azurerm_cosmosdb_sql_container']![
        'backend_cosmos_shared_db_atakora_c_tenants'
      ],
    ).toMatchObject({
      name: 'tenants',
      partition_key_paths: ['/id'],
    });
  });
});
