/**
 * The Terraform output names docs/deploying.md gives are the synthesized ones, and the stack's
 * resource group carries the backend's tags like every other resource.
 */
import { readFileSync } from 'node:fs';
import { Testing } from '../support/engine.js';
import { describe, expect, it } from 'vitest';
import { ResourceGroupStack } from '../../src/apply/resource-group-stack.js';
import { defineBackend } from '../../src/backend/define-backend.js';
import { CrudApi } from '../../src/components/crud/index.js';
import type { SynthesizedStack } from '../../src/testing/synth-backend.js';
import { expectHonest } from '../support/synth.js';

const userApi = () =>
  CrudApi.define('UserApi', {
    entityName: 'User',
    schema: { id: 'string', name: 'string' },
    partitionKey: '/id',
  });

function synth(tags?: Record<string, string>, stackTags?: Record<string, string>) {
  const backend = defineBackend(
    { userApi: userApi() },
    { environment: 'prod', location: 'eastus', ...(tags ? { tags } : {}) },
  );
  const stack = new ResourceGroupStack(Testing.app(), 'S', {
    resourceGroupName: 'rg-myapp-prod',
    location: 'eastus',
    subscriptionId: '00000000-0000-0000-0000-000000000001',
    ...(stackTags ? { tags: stackTags } : {}),
  });
  const applied = backend.apply(stack);
  return {
    json: JSON.parse(Testing.synth(stack)) as SynthesizedStack & {
      output: Record<string, { value: string }>;
    },
    plan: applied.plan,
  };
}

describe('Terraform outputs', () => {
  it('are named <backendId>_<key>_<output>, exactly as docs/deploying.md lists them', () => {
    const { json } = synth();
    const token = json.output['backend_cosmos_shared_name']!.value.split('-').at(-1)!;
    const doc = readFileSync('docs/deploying.md', 'utf8');
    const section = doc.slice(doc.indexOf('## Reaching the API'), doc.indexOf('## Names'));
    const listed = new Map(
      [...section.matchAll(/^#\s+(\w+) = (.*)$/gm)].map((m) => [
        m[1]!,
        m[2]!.replaceAll('k3x9a1', token),
      ]),
    );
    expect(listed.size).toBeGreaterThan(0);
    // Every output the stack has is listed, and no other; a value known at synth is listed as it is (the docs'
    // token stands for the target's). Values Azure assigns at apply (client ids, ids, hashes) are shown as prose.
    expect([...listed.keys()].sort()).toEqual(Object.keys(json.output).sort());
    for (const [name, { value }] of Object.entries(json.output)) {
      if (typeof value === 'string' && !value.includes('${'))
        expect(listed.get(name), name).toBe(JSON.stringify(value));
    }
    expect(section).toContain('terraform output -raw backend_userApi_apiEndpoint');
  });
});

describe('the resource group', () => {
  it("carries the backend's tags; its own tags (ResourceGroupStack props) keep their values; the plan stays honest", () => {
    const { json, plan } = synth({ team: 'shop', cost: 'a' }, { cost: 'b' });
    const rg = (json.resource as Record<string, Record<string, { tags?: unknown }>>)[
      'azurerm_resource_group'
    ]!['resource-group']!;
    expect(rg.tags).toEqual({ team: 'shop', cost: 'b' });
    expectHonest(plan, json);
  });

  it('is left untagged when neither the backend nor the stack has tags', () => {
    const { json } = synth();
    const rg = (json.resource as Record<string, Record<string, { tags?: unknown }>>)[
      'azurerm_resource_group'
    ]!['resource-group']!;
    expect(rg.tags).toBeUndefined();
  });
});
