/**
 * `tenants: { by: 'membership', … }` in the config (DESIGN §2, "Tenants by membership"): its defaults, the rules
 * that refuse it with TENANTS_MEMBERSHIP_INVALID (naming the key), the plan's `members` container beside the
 * registry, the manifest's membership, and role rules naming a role no membership holds.
 */
import { describe, expect, it } from 'vitest';
import { defineBackend } from '../../src/backend/define-backend.js';
import { normalizeConfig } from '../../src/backend/normalize-config.js';
import { CrudApi } from '../../src/components/crud/index.js';
import type { BackendConfig } from '../../src/model/config.js';
import {
  type AccessRule,
  MANIFEST_SETTING,
  type RuntimeManifest,
} from '../../src/model/runtime-manifest.js';
import { parseManifest } from '../../src/runtime/manifest-loader.js';
import { synth } from '../support/synth.js';
import { thrown } from '../support/errors.js';

const membership = {
  tenants: {
    by: 'membership',
    plans: { free: { requestsPerMinute: 60 }, pro: { storageMb: 10_000 } },
    defaultPlan: 'free',
  },
} as const satisfies BackendConfig;
const notes = (access?: readonly AccessRule[]) =>
  CrudApi.define('NoteApi', {
    entityName: 'Note',
    schema: { id: 'string' },
    ...(access ? { access } : {}),
  });

describe('tenants by membership: the config', () => {
  it('defaults the roles to Admin and Member and organizations to the operator', () => {
    const c = normalizeConfig(membership);
    expect(c.tenants).toEqual({
      plans: { free: { requestsPerMinute: 60 }, pro: { storageMb: 10_000 } },
      defaultPlan: 'free',
      signUp: 'invite',
      membership: { roles: ['Admin', 'Member'], createTenants: 'operator' },
    });
    const open = normalizeConfig({
      auth: { signInAudience: 'AzureADMultipleOrgs', allowedTenants: 'any' },
      tenants: {
        ...membership.tenants,
        roles: ['Editor'],
        createTenants: 'any-user',
        perUser: { requestsPerMinute: 30 },
      },
    });
    expect(open.tenants?.membership).toEqual({ roles: ['Editor'], createTenants: 'any-user' });
    // How many organizations one user may own (default 10 at run time): given, the manifest carries it.
    const bounded = normalizeConfig({
      tenants: { ...membership.tenants, createTenants: 'any-user', maxOrganizationsPerUser: 25 },
    });
    expect(bounded.tenants?.membership).toEqual({
      roles: ['Admin', 'Member'],
      createTenants: 'any-user',
      maxOrganizationsPerUser: 25,
    });
    // How long an Owner's deleted organization stays restorable (default 30 at run time): given, carried.
    const kept = normalizeConfig({ tenants: { ...membership.tenants, deleteAfterDays: 7 } });
    expect(kept.tenants?.membership?.deleteAfterDays).toBe(7);
    expect(open.tenants?.perUser).toEqual({ requestsPerMinute: 30 });
    expect(open.auth.allowedTenants).toBe('any');
  });

  it('refuses what membership cannot mean, naming the key', () => {
    const cases: [BackendConfig, readonly (string | number)[]][] = [
      [{ ...membership, auth: 'none' }, ['config', 'auth']],
      [
        {
          ...membership,
          auth: { signInAudience: 'AzureADMultipleOrgs', allowedTenants: 'registry' },
        },
        ['config', 'auth', 'allowedTenants'],
      ],
      [{ tenants: { ...membership.tenants, signUp: 'open' } }, ['config', 'tenants', 'signUp']],
      [
        { tenants: { ...membership.tenants, roles: ['Admin', 'Owner'] } },
        ['config', 'tenants', 'roles', 1],
      ],
      [
        { tenants: { ...membership.tenants, roles: ['TenantAdmin'] } },
        ['config', 'tenants', 'roles', 0],
      ],
      [
        { tenants: { ...membership.tenants, roles: ['Admin', 'Admin'] } },
        ['config', 'tenants', 'roles', 1],
      ],
      [
        {
          auth: { signInAudience: 'AzureADMultipleOrgs', allowedTenants: 'registry' },
          tenants: { plans: { free: {} }, defaultPlan: 'free', createTenants: 'any-user' },
        },
        ['config', 'tenants', 'createTenants'],
      ],
    ];
    for (const bad of [0, -1, 1.5, 100_001])
      cases.push([
        { tenants: { ...membership.tenants, maxOrganizationsPerUser: bad } },
        ['config', 'tenants', 'maxOrganizationsPerUser'],
      ]);
    for (const bad of [0, -3, 2.5, 366])
      cases.push([
        { tenants: { ...membership.tenants, deleteAfterDays: bad } },
        ['config', 'tenants', 'deleteAfterDays'],
      ]);
    cases.push([
      {
        auth: { signInAudience: 'AzureADMultipleOrgs', allowedTenants: 'registry' },
        tenants: { plans: { free: {} }, defaultPlan: 'free', deleteAfterDays: 5 },
      },
      ['config', 'tenants', 'deleteAfterDays'],
    ]);
    cases.push([
      {
        auth: { signInAudience: 'AzureADMultipleOrgs', allowedTenants: 'registry' },
        tenants: { plans: { free: {} }, defaultPlan: 'free', maxOrganizationsPerUser: 5 },
      },
      ['config', 'tenants', 'maxOrganizationsPerUser'],
    ]);
    for (const [config, path] of cases) {
      const e = thrown(() => normalizeConfig(config));
      expect(e.code).toBe('TENANTS_MEMBERSHIP_INVALID');
      expect(e.path).toEqual(path);
      expect(e.resolution).toBeTruthy();
    }
    // The plans' own rules hold as for a registry of directories.
    expect(
      thrown(() => normalizeConfig({ tenants: { ...membership.tenants, defaultPlan: 'gold' } }))
        .code,
    ).toBe('TENANTS_DEFAULT_PLAN_UNKNOWN');
    expect(
      thrown(() =>
        normalizeConfig({ tenants: { by: 'membership', plans: {}, defaultPlan: 'free' } }),
      ).code,
    ).toBe('TENANTS_NO_PLANS');
    expect(
      thrown(() => normalizeConfig({ tenants: { ...membership.tenants, roles: ['has space'] } }))
        .code,
    ).toBe('CONFIG_INVALID');
    expect(
      thrown(() => normalizeConfig({ tenants: { ...membership.tenants, by: 'people' as never } }))
        .code,
    ).toBe('CONFIG_INVALID');
  });

  it('plans the members container (/tenant) beside the registry and the ledger, granted to the CrudApis', () => {
    const plan = defineBackend(
      { notes: notes() },
      { naming: { uniqueSeed: 'sub/rg' }, ...membership },
    ).plan();
    expect(plan.issues.filter((i) => i.severity === 'error')).toEqual([]);
    const cosmos = plan.resources.find((r) => r.key === 'cosmos:shared');
    const dbs = cosmos?.config['databases'] as {
      name: string;
      containers: { name: string; partitionKey: string; access: unknown }[];
    }[];
    const atakora = dbs.find((d) => d.name === 'atakora');
    expect(atakora?.containers.map((c) => [c.name, c.partitionKey])).toEqual([
      ['audit', '/tenant'],
      ['members', '/tenant'],
      ['tenants', '/id'],
      ['usage', '/tenant'],
    ]);
    expect(atakora?.containers[1]?.access).toEqual({ NoteApi: 'readwrite' });
    expect(cosmos?.deploys.map((d) => d.name)).toContain(
      'backend_cosmos_shared_db_atakora_c_members',
    );
  });

  it('carries the membership in the runtime manifest, the audience’s directories admitted as configured', () => {
    const json = synth(defineBackend({ notes: notes() }, membership));
    const app = Object.values(json.resource['azurerm_function_app_flex_consumption'] ?? {})[0] as {
      app_settings: Record<string, string>;
    };
    const manifest: RuntimeManifest = parseManifest(app.app_settings[MANIFEST_SETTING]);
    expect(manifest.auth?.allowedTenants).toBeUndefined();
    expect(manifest.auth?.registry).toMatchObject({
      database: 'atakora',
      container: 'tenants',
      usage: 'usage',
      defaultPlan: 'free',
      membership: {
        container: 'members',
        audit: 'audit',
        roles: ['Admin', 'Member'],
        createTenants: 'operator',
      },
    });
    expect(
      json.resource['azurerm_cosmosdb_sql_container']?.[
        'backend_cosmos_shared_db_atakora_c_members'
      ],
    ).toMatchObject({ name: 'members', partition_key_paths: ['/tenant'] });
  });

  it('refuses a role rule naming a role no membership holds (MEMBERSHIP_ROLE_UNKNOWN); Owner and declared roles pass', () => {
    const plan = (access: readonly AccessRule[]) =>
      defineBackend({ notes: notes(access) }, membership).plan();
    const bad = plan([{ allow: 'role', role: 'NoteAdmin' }]).issues.filter(
      (i) => i.code === 'MEMBERSHIP_ROLE_UNKNOWN',
    );
    expect(bad).toHaveLength(1);
    expect(bad[0]).toMatchObject({ severity: 'error', components: ['NoteApi'] });
    expect(bad[0]?.message).toMatch(/"NoteAdmin".*Owner, Admin, Member/);
    for (const role of ['Owner', 'Admin', 'Member'])
      expect(plan([{ allow: 'role', role }]).issues.filter((i) => i.severity === 'error')).toEqual(
        [],
      );
  });
});
