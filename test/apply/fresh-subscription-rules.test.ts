import { Testing } from '../support/engine.js';
import { describe, expect, it } from 'vitest';
import { ResourceGroupStack } from '../../src/apply/resource-group-stack.js';
import { defineBackend } from '../../src/backend/define-backend.js';
import { CrudApi } from '../../src/components/crud/index.js';
import { deployabilityProblems, type TfJson } from '../support/deployability.js';
import { crossStackProblems } from '../support/cross-stack-rules.js';
import { providersToRegister } from '../../src/kit/pure/resources/resource-providers.js';
import type { BackendConfig } from '../../src/model/config.js';

type Mutable = {
  resource: Record<string, Record<string, Record<string, unknown>>>;
  data?: Record<string, Record<string, Record<string, unknown>>>;
  provider: { azurerm: Record<string, unknown>[] };
};

const userApi = () => CrudApi.define('UserApi', { entityName: 'User', schema: { id: 'string' } });
function synth(config: BackendConfig, rg = 'rg'): Mutable {
  const stack = new ResourceGroupStack(Testing.app(), 'S', {
    resourceGroupName: rg,
    location: 'eastus',
    subscriptionId: '00000000-0000-4000-8000-000000000003',
  });
  defineBackend({ userApi: userApi() }, config).apply(stack);
  return JSON.parse(Testing.synth(stack)) as Mutable;
}

// Each fresh-subscription rule (test/support/fresh-subscription-rules.ts, cross-stack-rules.ts) holds on what apply
// writes today and reports the stack as it was before these rules.
describe('fresh-subscription rules', () => {
  it('a Cosmos DB data role waits for its new principal (time_sleep keyed on it); without the wait it is reported', () => {
    const json = synth({});
    expect(deployabilityProblems(json as TfJson)).toEqual([]);
    const [sleepName, sleep] = Object.entries(json.resource['time_sleep']!)[0]!;
    expect(sleep['create_duration']).toBe('60s');
    expect(sleep['triggers']).toEqual({
      principal_id: expect.stringMatching(
        /^\$\{azurerm_user_assigned_identity\.[^.]+\.principal_id\}$/,
      ),
    });
    const [raName, ra] = Object.entries(json.resource['azurerm_cosmosdb_sql_role_assignment']!)[0]!;
    expect(ra['depends_on']).toContain(`time_sleep.${sleepName}`);
    ra['depends_on'] = (ra['depends_on'] as string[]).filter((d) => !d.startsWith('time_sleep.'));
    expect(
      deployabilityProblems(json as TfJson).filter((p) =>
        p.startsWith(
          `azurerm_cosmosdb_sql_role_assignment.${raName}: does not wait for its new principal`,
        ),
      ),
    ).toHaveLength(1);
    // An azurerm_role_assignment of the same principal (which retries PrincipalNotFound) would do as well.
    json.resource['azurerm_role_assignment'] = {
      ...json.resource['azurerm_role_assignment'],
      q: { principal_id: ra['principal_id'], scope: 'x', role_definition_name: 'r' },
    };
    ra['depends_on'] = [...(ra['depends_on'] as string[]), 'azurerm_role_assignment.q'];
    expect(
      deployabilityProblems(json as TfJson).filter((p) =>
        p.includes('does not wait for its new principal'),
      ),
    ).toHaveLength(0);
  });

  it('an isolated Flex stack registers Microsoft.App; without it the stack is reported', () => {
    const json = synth({ networking: 'isolated' });
    expect(json.provider.azurerm[0]!['resource_providers_to_register']).toEqual(['Microsoft.App']);
    expect(deployabilityProblems(json as TfJson)).toEqual([]);
    delete json.provider.azurerm[0]!['resource_providers_to_register'];
    expect(
      deployabilityProblems(json as TfJson).filter((p) =>
        p.includes('Microsoft.App is not in resource_providers_to_register'),
      ),
    ).toHaveLength(1);
    // A public stack needs nothing beyond the provider's default set.
    expect(synth({}).provider.azurerm[0]!['resource_providers_to_register']).toBeUndefined();
    expect(
      providersToRegister(defineBackend({ userApi: userApi() }, { networking: 'isolated' }).plan()),
    ).toEqual(['Microsoft.App']);
  });

  it('a monitored stack lets destroy delete its group with what Azure added; without it the stack is reported', () => {
    const json = synth({ monitoring: true });
    const features = json.provider.azurerm[0]!['features'] as Record<string, unknown>[];
    expect(features[0]).toEqual({
      storage: [{ data_plane_available: false }],
      resource_group: [{ prevent_deletion_if_contains_resources: false }],
    });
    expect(deployabilityProblems(json as TfJson)).toEqual([]);
    delete features[0]!['resource_group'];
    expect(
      deployabilityProblems(json as TfJson).filter((p) =>
        p.includes('prevent_deletion_if_contains_resources left on'),
      ),
    ).toHaveLength(1);
    // Without monitoring the provider keeps azurerm's default (a group with resources left in it is not deleted).
    expect(
      (synth({}).provider.azurerm[0]!['features'] as Record<string, unknown>[])[0]![
        'resource_group'
      ],
    ).toBeUndefined();
  });

  it('Traffic Manager to a Flex host, a relative name without the token, a DR read in the wrong group and a Front Door origin without its host header are reported', () => {
    const primary = synth({ environment: 'production' }, 'rg-backend-production');
    const app = Object.values(primary.resource['azurerm_function_app_flex_consumption']!)[0]!;
    const account = String(
      Object.values(primary.resource['azurerm_cosmosdb_account']!)[0]!['name'],
    );
    const routing = {
      resource: {
        azurerm_traffic_manager_profile: {
          tm: { name: 'tm', dns_config: [{ relative_name: 'myapp-prod', ttl: 30 }] },
        },
        azurerm_traffic_manager_external_endpoint: {
          e: { name: 'e', target: `${String(app['name'])}.azurewebsites.net` },
        },
        azurerm_cdn_frontdoor_origin: {
          o: { name: 'o', host_name: `${String(app['name'])}.azurewebsites.net` },
        },
      },
      data: {
        azurerm_cosmosdb_account: {
          primary: { name: account, resource_group_name: 'rg-app-primary' },
        },
      },
    };
    const problems = crossStackProblems({ primary, routing });
    expect(
      problems.filter((p) =>
        p.startsWith('routing data.azurerm_cosmosdb_account.primary: reads account'),
      ),
    ).toHaveLength(1);
    expect(
      problems.filter((p) =>
        p.startsWith(
          'routing azurerm_traffic_manager_external_endpoint.e: routes to the Function App host',
        ),
      ),
    ).toHaveLength(1);
    expect(
      problems.filter((p) =>
        p.startsWith('routing azurerm_traffic_manager_profile.tm: relative_name "myapp-prod"'),
      ),
    ).toHaveLength(1);
    expect(
      deployabilityProblems(routing as TfJson).filter((p) =>
        p.startsWith(
          'azurerm_cdn_frontdoor_origin.o: App Service origin without origin_host_header',
        ),
      ),
    ).toHaveLength(1);
    // Fixed the way the examples do it: the data source reads the primary's group, the name carries the token.
    const token = /-([a-z0-9]{6})$/.exec(account)![1]!;
    routing.data.azurerm_cosmosdb_account.primary.resource_group_name = 'rg-backend-production';
    routing.resource.azurerm_traffic_manager_profile.tm.dns_config[0]!.relative_name =
      `myapp-prod-${token}`;
    delete (routing.resource as Record<string, unknown>)[
      'azurerm_traffic_manager_external_endpoint'
    ];
    expect(crossStackProblems({ primary, routing })).toEqual([]);
  });
});
