import { describe, expect, it } from 'vitest';
import { defineBackend } from '../../src/backend/define-backend.js';
import { CrudApi } from '../../src/components/crud/index.js';
import type { CrudApiConfig } from '../../src/components/crud/config.js';
import type { RuntimeManifest } from '../../src/model/runtime-manifest.js';
import { parseManifest } from '../../src/runtime/manifest-loader.js';
import { functionApps } from '../support/app-packages.js';
import { synth, thrown } from '../support/synth.js';

// CrudApi `tenancy` end to end: config → normalisation → the runtime manifest the app reads → plan issues.

const users = (extra: Partial<CrudApiConfig> = {}) =>
  CrudApi.define('UserApi', {
    entityName: 'User',
    schema: { id: 'string', name: 'string' },
    ...extra,
  });
const catalog = () =>
  CrudApi.define('CatalogApi', {
    entityName: 'Product',
    schema: { id: 'string', name: 'string' },
    tenancy: 'shared',
  });

function manifestOf(backend: Parameters<typeof synth>[0]): RuntimeManifest {
  const apps = functionApps(synth(backend).resource) as { app_settings: Record<string, string> }[];
  return JSON.parse(apps[0]!.app_settings['ATAKORA_MANIFEST']!) as RuntimeManifest;
}

describe('CrudApi tenancy', () => {
  it("isolated by default (nothing written to the manifest); 'shared' reaches the runtime manifest, and the app reads it back", () => {
    const backend = defineBackend(
      { users: users(), catalog: catalog() },
      { auth: { clientId: '11111111-2222-3333-4444-555555555555' } },
    );
    const manifest = manifestOf(backend);
    const byId = Object.fromEntries(manifest.entities.map((e) => [e.componentId, e]));
    expect(byId.UserApi!.tenancy).toBeUndefined();
    expect(byId.CatalogApi!.tenancy).toBe('shared');
    expect(parseManifest(JSON.stringify(manifest)).entities.map((e) => e.tenancy)).toEqual(
      manifest.entities.map((e) => e.tenancy),
    );
  });

  it('the plan warns CRUD_TENANCY_SHARED for each shared CrudApi, at its config path', () => {
    const issues = defineBackend({ users: users(), catalog: catalog() })
      .plan()
      .issues.filter((i) => i.code === 'CRUD_TENANCY_SHARED');
    expect(issues).toEqual([
      expect.objectContaining({
        severity: 'warning',
        components: ['CatalogApi'],
        path: ['components', 'CatalogApi', 'config', 'tenancy'],
      }),
    ]);
    expect(
      defineBackend({ users: users() })
        .plan()
        .issues.map((i) => i.code),
    ).not.toContain('CRUD_TENANCY_SHARED');
  });

  it("auth: 'none' without a trusted gateway: the isolated CrudApis can serve nobody, and the plan says so", () => {
    const open = defineBackend({ users: users(), catalog: catalog() }, { auth: 'none' })
      .plan()
      .issues.filter((i) => i.code === 'CRUD_TENANT_UNAVAILABLE');
    expect(open).toEqual([
      expect.objectContaining({ severity: 'warning', components: ['UserApi'] }),
    ]);
    const gateway = defineBackend(
      { users: users() },
      { auth: 'none', tenancy: { trustGatewayHeader: true } },
    ).plan();
    expect(gateway.issues.map((i) => i.code)).not.toContain('CRUD_TENANT_UNAVAILABLE');
    expect(
      defineBackend({ catalog: catalog() }, { auth: 'none' })
        .plan()
        .issues.map((i) => i.code),
    ).not.toContain('CRUD_TENANT_UNAVAILABLE');
  });

  it('a value other than isolated/shared, or shared with a /tenantId key, is CONFIG_INVALID at the tenancy path', () => {
    const bad = thrown(() => users({ tenancy: 'public' as 'shared' }));
    expect(bad.code).toBe('CONFIG_INVALID');
    expect(bad.path).toEqual(['components', 'UserApi', 'config', 'tenancy']);
    const contradiction = thrown(() =>
      users({
        tenancy: 'shared',
        partitionKey: '/tenantId',
        schema: { id: 'string', tenantId: 'string' },
      }),
    );
    expect(contradiction.code).toBe('CONFIG_INVALID');
    expect(contradiction.message).toContain('/tenantId');
    expect(users({ tenancy: 'isolated' }).componentId).toBe('UserApi');
  });

  it('the runtime refuses a manifest whose tenancy it would misread', () => {
    const entity = {
      componentId: 'UserApi',
      entityName: 'User',
      route: 'users',
      partitionKey: '/id',
      schema: {},
      operations: ['read'],
      unknownFields: 'reject',
      settings: { endpoint: 'E', database: 'D', container: 'C' },
    };
    for (const tenancy of ['public', true]) {
      const e = thrown(() =>
        parseManifest(
          JSON.stringify({ version: 1, backendId: 'x', entities: [{ ...entity, tenancy }] }),
        ),
      );
      expect(e.code).toBe('RUNTIME_CONFIG_INVALID');
      expect(e.path).toEqual(['ATAKORA_MANIFEST', 'entities', 0, 'tenancy']);
    }
    expect(
      thrown(() =>
        parseManifest(
          JSON.stringify({
            version: 1,
            backendId: 'x',
            entities: [{ ...entity, partitionKey: '/tenantId', tenancy: 'shared' }],
          }),
        ),
      ).code,
    ).toBe('RUNTIME_CONFIG_INVALID');
  });
});
