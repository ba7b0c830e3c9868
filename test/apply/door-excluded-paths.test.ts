/**
 * The paths App Service authentication lets through for the runtime's door (resources/functions/door/door-paths.ts), as the
 * synthesized stack writes them: `/api/mcp` with `mcp.authorization`, the data routes with `tenants.apiKeys`, both
 * with both — and not one of them with neither (a backend without the features keeps exactly today's auth settings,
 * nothing exposed by surprise). Every excluded door path is named in the `ATAKORA_DOOR` setting the runtime reads, so
 * nothing is let through that the runtime does not check; the setting's issuer and audiences are the provider's.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { defineBackend } from '../../src/backend/define-backend.js';
import { CrudApi } from '../../src/components/crud/index.js';
import type { BackendConfig } from '../../src/model/config.js';
import { DOOR_SETTING, type RuntimeDoor } from '../../src/model/door/runtime-door.js';
import { synth } from '../support/synth.js';
import { functionApps } from '../support/app-packages.js';

type Attrs = {
  auth_settings_v2?: { excluded_paths?: string[]; active_directory_v2?: Record<string, unknown> };
  app_settings: Record<string, string>;
};
const components = () => ({
  notes: CrudApi.define('NoteApi', {
    entityName: 'Note',
    schema: { id: 'string', title: 'string' },
    access: [{ allow: 'role', role: 'Member' }],
    mcp: 'read',
  }),
  orders: CrudApi.define('OrderApi', {
    entityName: 'Order',
    route: 'orders',
    schema: { id: 'string', total: 'number' },
    access: [{ allow: 'role', role: 'Member' }],
  }),
});
const tenants = {
  by: 'membership',
  roles: ['Admin', 'Member'],
  plans: { team: { features: ['api-keys', 'mcp'] } },
  defaultPlan: 'team',
} as const;
const CLIENT = '11111111-2222-3333-4444-555555555555';
const TENANT = '99999999-8888-7777-6666-555555555555';
const KEY_PATHS = ['/api/notes', '/api/notes/*', '/api/orders', '/api/orders/*'];

function shared(config: Partial<BackendConfig>): Attrs {
  const apps = functionApps(synth(defineBackend(components(), config)).resource) as Attrs[];
  const app = apps.find((a) => a.app_settings['ATAKORA_MANIFEST'] !== undefined);
  expect(app).toBeDefined();
  return app as Attrs;
}
const doorOf = (a: Attrs) =>
  a.app_settings[DOOR_SETTING] === undefined
    ? undefined
    : (JSON.parse(a.app_settings[DOOR_SETTING]) as RuntimeDoor);
const DOOR_PATHS = ['/api/mcp', ...KEY_PATHS];

describe('excludedPaths of the door', () => {
  it('mcp.authorization alone: /api/mcp, told to the runtime with the provider’s issuer and audiences', () => {
    const a = shared({
      mcp: { authorization: true },
      auth: { clientId: CLIENT, tenantId: TENANT },
    });
    const excluded = a.auth_settings_v2?.excluded_paths ?? [];
    expect(excluded).toContain('/api/mcp');
    for (const p of KEY_PATHS) expect(excluded).not.toContain(p);
    expect(doorOf(a)).toEqual({
      paths: ['/api/mcp'],
      issuer: `https://login.microsoftonline.com/${TENANT}/v2.0`,
      audiences: [CLIENT, `api://${CLIENT}`],
    });
    expect(a.auth_settings_v2?.active_directory_v2).toMatchObject({
      tenant_auth_endpoint: doorOf(a)?.issuer,
    });
  });

  it('tenants.apiKeys alone: each CrudApi route and what lies below it, never /api/mcp nor the people routes', () => {
    const a = shared({ tenants: { ...tenants, apiKeys: {} } });
    const excluded = a.auth_settings_v2?.excluded_paths ?? [];
    for (const p of KEY_PATHS) expect(excluded).toContain(p);
    expect(excluded).not.toContain('/api/mcp');
    expect(excluded.filter((p) => /^\/api\/(tenant|me|tenants)(\/|$)/.test(p))).toEqual([]);
    expect(doorOf(a)?.paths).toEqual(KEY_PATHS);
    // The registration the stack creates: its client id (a reference until apply) is an audience.
    expect(doorOf(a)?.audiences).toEqual([
      '${azuread_application.backend_entra_api.client_id}',
      'api://${azuread_application.backend_entra_api.client_id}',
    ]);
  });

  it('fast-check: a door path is excluded exactly when its feature is declared, and every one is told to the runtime', () => {
    fc.assert(
      fc.property(fc.boolean(), fc.boolean(), fc.boolean(), (agents, keys, multi) => {
        const config: Partial<BackendConfig> = {
          auth: multi
            ? { clientId: CLIENT, signInAudience: 'AzureADMultipleOrgs', allowedTenants: 'any' }
            : { clientId: CLIENT, tenantId: TENANT },
          ...(agents ? { mcp: { authorization: true } } : {}),
          tenants: { ...tenants, ...(keys ? { apiKeys: {} } : {}) },
        };
        const a = shared(config);
        const excluded = a.auth_settings_v2?.excluded_paths ?? [];
        const expected = [...(agents ? ['/api/mcp'] : []), ...(keys ? KEY_PATHS : [])];
        expect(excluded.filter((p) => DOOR_PATHS.includes(p))).toEqual(expected);
        const door = doorOf(a);
        if (expected.length === 0) expect(door).toBeUndefined();
        else {
          expect(door?.paths).toEqual(expected);
          expect(door?.issuer).toBe(
            multi
              ? 'https://login.microsoftonline.com/common/v2.0'
              : `https://login.microsoftonline.com/${TENANT}/v2.0`,
          );
        }
      }),
      { numRuns: 12 },
    );
  });
});
