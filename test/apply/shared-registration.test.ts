/**
 * One API audience behind one Front Door: backends routed by one Front Door must validate tokens for one API
 * registration (App Service authentication takes tokens for its own registration only: the client id is the
 * audience, Learn "Configure Microsoft Entra authentication", Allowed Token Audiences). A backend shares another's
 * registration with `auth: { clientId }` set to that backend's handle value, both in one stack.
 */
import { Testing } from '../support/engine.js';
import { describe, expect, it } from 'vitest';
import { ResourceGroupStack } from '../../src/apply/resource-group-stack.js';
import { defineBackend } from '../../src/backend/define-backend.js';
import { CrudApi } from '../../src/components/crud/index.js';
import { codeOf, thrown } from '../support/synth.js';
import { crossStackProblems } from '../support/cross-stack-rules.js';
import { frontDoorForApis } from '../../examples/global-routing/front-door.js';

type Json = { resource: Record<string, Record<string, Record<string, unknown>>> };
const users = () => ({
  users: CrudApi.define('UserApi', { entityName: 'User', schema: { id: 'string' } }),
});
const clientIdOf = (app: Record<string, unknown>) =>
  (
    app['auth_settings_v2'] as {
      active_directory_v2: { client_id: string; allowed_audiences: string[] };
    }
  ).active_directory_v2;

describe("auth.clientId naming another backend's API registration", () => {
  it('before or after apply (the handle expression or its token): one registration, validated by both apps of the stack', () => {
    for (const afterApply of [false, true]) {
      const stack = new ResourceGroupStack(Testing.app(), 'Apis', {
        resourceGroupName: 'rg-apis',
        location: 'eastus',
      });
      const east = defineBackend(users(), { backendId: 'east', location: 'eastus' });
      if (afterApply) east.addToStack(stack);
      const shared = east.components.users.auth!.clientId;
      const west = defineBackend(users(), {
        backendId: 'west',
        location: 'westeurope',
        auth: { clientId: shared },
      });
      if (!afterApply) east.addToStack(stack);
      west.addToStack(stack);
      expect(west.components.users.auth?.scope).toBe(
        `api://${west.components.users.auth!.clientId}/user_impersonation`,
      );
      const json = JSON.parse(Testing.synth(stack)) as Json;
      expect(Object.keys(json.resource['azuread_application'] ?? {})).toEqual(['east_entra_api']);
      const apps = Object.values(json.resource['azurerm_function_app_flex_consumption']!);
      expect(apps.map((a) => clientIdOf(a).client_id)).toEqual([
        '${azuread_application.east_entra_api.client_id}',
        '${azuread_application.east_entra_api.client_id}',
      ]);
      expect(apps.map((a) => clientIdOf(a).allowed_audiences)).toEqual([
        ['api://${azuread_application.east_entra_api.client_id}'],
        ['api://${azuread_application.east_entra_api.client_id}'],
      ]);
      // West plans no registration of its own; every deploy it plans is in the stack.
      const planned = west
        .plan()
        .resources.flatMap((r) => r.deploys.map((d) => `${d.terraformType}.${d.name}`));
      expect(planned.filter((a) => a.startsWith('azuread_'))).toEqual([]);
      const synthesized = new Set(
        Object.entries(json.resource).flatMap(([t, v]) => Object.keys(v).map((n) => `${t}.${n}`)),
      );
      expect(planned.filter((a) => !synthesized.has(a) && !a.startsWith('time_sleep'))).toEqual([]);
    }
  });

  it("a registration the stack does not create is refused at apply (CONFIG_INVALID, the path, what to do); a clientId that is neither a GUID nor a handle's is refused at plan", () => {
    const east = defineBackend(users(), { backendId: 'east' });
    const west = defineBackend(users(), {
      backendId: 'west',
      auth: { clientId: east.components.users.auth!.clientId },
    });
    const e = thrown(() =>
      west.addToStack(
        new ResourceGroupStack(Testing.app(), 'West', {
          resourceGroupName: 'rg-west',
          location: 'eastus',
        }),
      ),
    );
    expect(e.code).toBe('CONFIG_INVALID');
    expect(e.path).toEqual(['config', 'auth', 'clientId']);
    expect(e.message).toContain('azuread_application.east_entra_api');
    expect(e.resolution).toContain('same stack');
    expect(codeOf(() => defineBackend(users(), { auth: { clientId: 'not-a-guid' } }).plan())).toBe(
      'CONFIG_INVALID',
    );
    expect(
      codeOf(() =>
        defineBackend(users(), { auth: { clientId: '${azurerm_storage_account.x.id}' } }).plan(),
      ),
    ).toBe('CONFIG_INVALID');
  });
});

describe('the check: no Front Door route mixes API registrations (test/support/cross-stack-rules.ts)', () => {
  const route = (hosts: string[]) => ({
    resource: {
      azurerm_cdn_frontdoor_origin: Object.fromEntries(
        hosts.map((h, i) => [`o${String(i)}`, { host_name: h }]),
      ),
      azurerm_cdn_frontdoor_route: {
        api: {
          cdn_frontdoor_origin_ids: hosts.map(
            (_h, i) => `\${azurerm_cdn_frontdoor_origin.o${String(i)}.id}`,
          ),
        },
      },
    },
  });
  const app = (name: string, clientId: string) => ({
    resource: {
      azurerm_function_app_flex_consumption: {
        [name]: { name, auth_settings_v2: { active_directory_v2: { client_id: clientId } } },
      },
    },
  });

  it('flags two registrations behind one route, the same registration name in two stacks included; passes one', () => {
    const mixed = crossStackProblems({
      Blue: app('func-a', '${azuread_application.x_entra_api.client_id}'),
      Green: app('func-b', '${azuread_application.x_entra_api.client_id}'),
      Routing: route(['func-a.azurewebsites.net', 'func-b.azurewebsites.net']),
    });
    expect(mixed).toHaveLength(1);
    expect(mixed[0]).toContain('2 API registrations');
    const shared = crossStackProblems({
      Apis: { resource: { ...app('func-a', '11111111-2222-3333-4444-555555555555').resource } },
      Other: app('func-b', '11111111-2222-3333-4444-555555555555'),
      Routing: route(['func-a.azurewebsites.net', 'func-b.azurewebsites.net']),
    });
    expect(shared).toEqual([]);
  });
});

describe("the examples' Front Door helper", () => {
  it('refuses origins validating different API registrations, takes one shared', () => {
    const stack = () =>
      new ResourceGroupStack(Testing.app(), 'Routing', {
        resourceGroupName: 'rg-routing',
        location: 'eastus',
      });
    const origin = (name: string, apiClientId: string) => ({
      name,
      url: `https://func-${name}.azurewebsites.net/api/users`,
      apiClientId,
    });
    expect(() =>
      frontDoorForApis(stack(), {
        name: 'x-abc123',
        origins: [
          origin('a', '${azuread_application.a_entra_api.client_id}'),
          origin('b', '${azuread_application.b_entra_api.client_id}'),
        ],
      }),
    ).toThrow(/2 API registrations/);
    expect(() =>
      frontDoorForApis(stack(), {
        name: 'x-abc123',
        origins: [
          origin('a', '${azuread_application.a_entra_api.client_id}'),
          origin('b', '${azuread_application.a_entra_api.client_id}'),
        ],
      }),
    ).not.toThrow();
  });
});
