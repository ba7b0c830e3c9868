import { execFileSync } from 'node:child_process';
import { resolve } from 'node:path';
import { Testing, TerraformStack } from '../support/engine.js';
import { describe, expect, it } from 'vitest';
import * as root from '../../src/index.js';

const repo = resolve(import.meta.dirname, '../..');

// DESIGN §2: the root import is everything; it loads no cdktf. ResourceGroupStack is therefore the
// `/cdk` class behind a proxy that loads it on first use (src/components/lazy-stack.ts).
describe('@atakora/component: everything, and no cdktf until a stack is made', () => {
  it('exports the components of every subpath and the stack', () => {
    for (const name of [
      'defineBackend',
      'CrudApi',
      'FunctionsApp',
      'StaticSite',
      'StaticSiteWithCdn',
      'defineComponent',
      'diffPlans',
      'AtakoraError',
      'StandaloneComponent',
      'ResourceGroupStack',
    ]) {
      expect(typeof (root as Record<string, unknown>)[name], name).toBe('function');
    }
  });

  it('its ResourceGroupStack works as the class: new, extends, instanceof and statics', () => {
    const stack = new root.ResourceGroupStack(Testing.app(), 'S', {
      resourceGroupName: 'rg-root',
      location: 'eastus',
    });
    expect([
      stack instanceof root.ResourceGroupStack,
      stack.resourceGroupName,
      stack.location,
    ]).toEqual([true, 'rg-root', 'eastus']);
    class Mine extends root.ResourceGroupStack {
      readonly team = 'platform';
    }
    const mine = new Mine(Testing.app(), 'M', { resourceGroupName: 'rg-mine', location: 'eastus' });
    expect([
      mine instanceof Mine,
      mine instanceof root.ResourceGroupStack,
      TerraformStack.isStack(mine),
      mine.team,
      mine.resourceGroupName,
    ]).toEqual([true, true, true, 'platform', 'rg-mine']);
    expect(root.ResourceGroupStack.name).toBe('ResourceGroupStack');
    expect(root.ResourceGroupStack.isStack(mine)).toBe(true);
    root
      .defineBackend({
        a: root.CrudApi.define('AApi', { entityName: 'A', schema: { id: 'string' } }),
      })
      .apply(mine);
    expect(
      Object.keys(
        (JSON.parse(Testing.synth(mine)) as { resource: Record<string, unknown> }).resource,
      ),
    ).toContain('azurerm_cosmosdb_account');
  });

  // In the built package the root's class and /cdk's are one (in src/ under vitest, Node's require and vitest's
  // module graph are two worlds, so that identity is checked here only).
  it("the built package: importing the root and planning load no cdktf; the first stack does, and it is /cdk's class", () => {
    const out = execFileSync(
      process.execPath,
      [
        '--input-type=module',
        '-e',
        `
      import Module from 'node:module';
      const cdktfModules = () => Object.keys(Module._cache).filter((k) => /\\/node_modules\\/(cdktf|@cdktf)\\//.test(k)).length;
      const { defineBackend, CrudApi, FunctionsApp, ResourceGroupStack } = await import('@atakora/component');
      const plan = defineBackend({ a: CrudApi.define('AApi', { entityName: 'A', schema: { id: 'string' } }) }).plan();
      const before = cdktfModules();
      const { Testing } = await import('cdktf');
      const stack = new ResourceGroupStack(Testing.app(), 'S', { resourceGroupName: 'rg', location: 'eastus' });
      const after = cdktfModules() > 0;
      const { ResourceGroupStack: Direct } = await import('@atakora/component/cdk');
      class Mine extends ResourceGroupStack {}
      const same = [stack instanceof Direct, new Direct(Testing.app(), 'D', { resourceGroupName: 'rg', location: 'eastus' }) instanceof ResourceGroupStack,
        new Mine(Testing.app(), 'M', { resourceGroupName: 'rg', location: 'eastus' }) instanceof Direct];
      console.log(JSON.stringify({ before, after, same, resources: plan.resources.length, functions: typeof FunctionsApp }));
    `,
      ],
      { cwd: repo, encoding: 'utf8' },
    );
    expect(JSON.parse(out.trim())).toEqual({
      before: 0,
      after: true,
      same: [true, true, true],
      resources: 3,
      functions: 'function',
    });
  });
});
