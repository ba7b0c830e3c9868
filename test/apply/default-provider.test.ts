import { Testing, TimeProvider, AzureadProvider } from '../support/engine.js';
import { describe, expect, it } from 'vitest';
import { defineBackend } from '../../src/backend/define-backend.js';
import { ResourceGroupStack } from '../../src/apply/resource-group-stack.js';
import { CrudApi } from '../../src/components/crud/index.js';

const api = () => CrudApi.define('AApi', { entityName: 'A', schema: { id: 'string' } });
type Providers = Record<string, { alias?: string }[]>;

// A user's aliased provider serves only the resources that name it; the time_sleep waits and the Entra
// registration Atakora adds use the default configuration, so one is added beside it (kit/cdktf/default-provider.ts).
describe("the default provider beside a user's aliased one", () => {
  it('an aliased time provider does not stand in for the default one the principal waits use', () => {
    const stack = new ResourceGroupStack(Testing.app(), 'S', {
      resourceGroupName: 'rg',
      location: 'eastus',
    });
    new TimeProvider(stack, 'time-east', { alias: 'east' });
    defineBackend({ a: api() }).apply(stack);
    const json = JSON.parse(Testing.synth(stack)) as {
      provider: Providers;
      resource: Record<string, Record<string, { provider?: string }>>;
    };
    expect(json.resource['time_sleep']).toBeDefined();
    const aliases = json.provider['time']!.map((p) => p.alias ?? '(default)').sort();
    expect(aliases).toEqual(['(default)', 'east']);
    // No wait names the aliased one: they run on the default.
    for (const sleep of Object.values(json.resource['time_sleep']!))
      expect(sleep.provider).toBeUndefined();
  });

  it('the same for azuread, and a default provider the user configured is used as it is', () => {
    const stack = new ResourceGroupStack(Testing.app(), 'S', {
      resourceGroupName: 'rg',
      location: 'eastus',
    });
    new AzureadProvider(stack, 'ad-other', { alias: 'other' });
    new TimeProvider(stack, 'time', {});
    defineBackend({ a: api() }).apply(stack);
    const json = JSON.parse(Testing.synth(stack)) as { provider: Providers };
    expect(json.provider['azuread']!.map((p) => p.alias ?? '(default)').sort()).toEqual([
      '(default)',
      'other',
    ]);
    expect(json.provider['time']).toHaveLength(1);
  });
});
