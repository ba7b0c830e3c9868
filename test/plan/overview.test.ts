import { Testing } from '../support/engine.js';
import { describe, expect, it } from 'vitest';
import { ResourceGroupStack } from '../../src/apply/resource-group-stack.js';
import { defineBackend } from '../../src/backend/define-backend.js';
import { CrudApi } from '../../src/components/crud/index.js';
import { planOverview } from '../../src/plan/overview.js';
import type { BackendConfig } from '../../src/model/config.js';
import { renderPlanMarkdown, renderPlanText } from '../../src/plan/render/index.js';

const backend = (config: BackendConfig) =>
  defineBackend(
    { userApi: CrudApi.define('UserApi', { entityName: 'User', schema: { id: 'string' } }) },
    config,
  );

// "The plan says what will happen": the count every format shows is the number of
// Terraform resources `cdk.tf.json` holds, by type on request, with the endpoints, registrations and the
// "before you deploy" block computed from the plan.
describe('plan overview', () => {
  for (const networking of ['public', 'isolated'] as const) {
    it(`${networking}: the Terraform resource count is what synth writes, type by type`, () => {
      const b = backend({ networking, monitoring: true });
      const stack = new ResourceGroupStack(Testing.app(), 'S', {
        resourceGroupName: 'rg',
        location: 'eastus',
        subscriptionId: '00000000-0000-4000-8000-000000000003',
      });
      const applied = b.apply(stack);
      const json = JSON.parse(Testing.synth(stack)) as {
        resource: Record<string, Record<string, unknown>>;
      };
      const synthesized: Record<string, number> = Object.fromEntries(
        Object.entries(json.resource)
          .map(([t, v]) => [t, Object.keys(v).length] as const)
          .sort(([a], [b2]) => (a < b2 ? -1 : 1)),
      );
      const o = planOverview(applied.plan);
      expect(o.terraformResources.byType).toEqual(synthesized);
      expect(o.terraformResources.total).toBe(
        Object.values(synthesized).reduce((a, n) => a + n, 0),
      );
      const text = renderPlanText(applied.plan);
      expect(text).toContain(
        `${o.terraformResources.total} Terraform resources of ${Object.keys(synthesized).length} types (${applied.plan.summary.resources} shared Azure resources; --by-type lists them)`,
      );
      const byType = renderPlanText(applied.plan, { byType: true });
      for (const [t, n] of Object.entries(synthesized))
        expect(byType).toMatch(new RegExp(`^ {4}${t} +${n}$`, 'm'));
      expect(renderPlanMarkdown(applied.plan, { byType: true })).toContain(
        `- \`time_sleep\`: ${synthesized['time_sleep']}`,
      );
    });
  }

  it('before you deploy: subscription, roles at subscription scope, directory permission, providers, deployer addresses', () => {
    const isolated = planOverview(backend({ networking: 'isolated' }).plan());
    expect(isolated.beforeYouDeploy.roles).toEqual([
      'Contributor',
      'User Access Administrator (or Role Based Access Control Administrator)',
    ]);
    expect(isolated.beforeYouDeploy.registeredByStack).toEqual(['Microsoft.App']);
    expect(isolated.beforeYouDeploy.resourceProviders).toEqual(
      expect.arrayContaining([
        'Microsoft.App',
        'Microsoft.DocumentDB',
        'Microsoft.Network',
        'Microsoft.Web',
      ]),
    );
    expect(isolated.beforeYouDeploy.deployerAddresses).toContain('networking.deployerAddresses');
    // The CI way and what it cannot do.
    expect(isolated.beforeYouDeploy.deployerAddresses).toContain('--admit-address auto');
    expect(isolated.beforeYouDeploy.deployerAddresses).toContain('same Azure region');
    expect(isolated.registrations).toEqual(['backend_entra_api']);
    expect(isolated.beforeYouDeploy.directoryPermission).toContain('Application Developer');
    expect(isolated.endpoints.map((e) => `${e.component}.${e.output}`)).toContain(
      'userApi.apiEndpoint',
    );
    const plain = planOverview(backend({ auth: { appRegistration: false } }).plan());
    expect(plain.beforeYouDeploy.deployerAddresses).toBeNull();
    expect(plain.beforeYouDeploy.directoryPermission).toBeNull();
    expect(plain.beforeYouDeploy.registeredByStack).toEqual([]);
    const text = renderPlanText(backend({ networking: 'isolated' }).plan());
    const md = renderPlanMarkdown(backend({ networking: 'isolated' }).plan());
    for (const out of [text, md]) {
      for (const s of [
        'Before you deploy',
        'subscription: ARM_SUBSCRIPTION_ID',
        'roles at subscription scope',
        'directory permission',
        'resource providers: Microsoft.App',
        'deployer addresses',
        'endpoint userApi.apiEndpoint',
      ])
        expect(out).toContain(s);
    }
  });
});
