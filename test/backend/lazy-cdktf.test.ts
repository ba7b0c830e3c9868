import { execFileSync } from 'node:child_process';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ENGINE_PACKAGES } from '../support/engine-names.js';

const root = resolve(import.meta.dirname, '../..');
// Run against the built package (npm test builds first), in a fresh process per check: the module cache is the
// process's.
const run = (code: string) =>
  execFileSync(process.execPath, ['--input-type=module', '-e', code], {
    cwd: root,
    encoding: 'utf8',
  }).trim();

/**
 * One fresh process for the first two checks, step by step: the root import (then what it loaded of cdktf), the
 * subpath imports and a plan (then whether cdktf is loaded), then the cdk subpath. Node's module cache only grows,
 * so nothing of cdktf after the root and the subpaths together means nothing after either alone.
 */
let steps: { root: Record<string, unknown>; subpaths: Record<string, unknown> } | undefined;
const stepsOnce = () =>
  (steps ??= JSON.parse(
    run(`
      import Module from 'node:module';
      const cdktf = () => Object.keys(Module._cache).filter((k) => /\\/node_modules\\/(cdktf|@cdktf)\\//.test(k));
      const loaded = () => Object.keys(Module._cache).some((k) => k.includes('/node_modules/cdktf/'));
      const root = await import('@atakora/component');
      const rootLoaded = cdktf().length;
      const rootPlan = root.defineBackend({ a: root.CrudApi.define('AApi', { entityName: 'A', schema: { id: 'string' } }) }).plan();
      const rootSteps = { loaded: rootLoaded, hasStack: 'ResourceGroupStack' in root, resources: rootPlan.resources.length };
      const { defineBackend } = await import('@atakora/component/backend');
      const { CrudApi } = await import('@atakora/component/crud');
      const plan = defineBackend({ a: CrudApi.define('AApi', { entityName: 'A', schema: { id: 'string' } }) }).plan();
      const before = loaded();
      await import('@atakora/component/cdk');
      console.log(JSON.stringify({ root: rootSteps, subpaths: { before, after: loaded(), resources: plan.resources.length } }));
    `),
  ) as { root: Record<string, unknown>; subpaths: Record<string, unknown> });

describe('declaring and planning never loads cdktf', () => {
  it('defineBackend + CrudApi.define + plan() leave cdktf unloaded; ResourceGroupStack loads it', () => {
    expect(stepsOnce().subpaths).toEqual({ before: false, after: true, resources: 3 });
  });

  // `constructs` (5 small modules) does load: CrudApi is also the seeds' `new CrudApi(stack, …)` construct.
  it('the root import loads no cdktf (its ResourceGroupStack loads it on first use: test/entry/root-entry.test.ts)', () => {
    expect(stepsOnce().root).toEqual({ loaded: 0, hasStack: true, resources: 3 });
  });

  it('apply on a plain TerraformStack (no ResourceGroupStack import) still finds the apply layer', () => {
    const out = run(`
      import { Testing, TerraformStack } from '${ENGINE_PACKAGES.cdktf}';
      const { defineBackend } = await import('@atakora/component/backend');
      const { CrudApi } = await import('@atakora/component/crud');
      class MyStack extends TerraformStack { resourceGroupName = 'rg-own'; }
      const stack = new MyStack(Testing.app(), 'Own');
      defineBackend({ a: CrudApi.define('AApi', { entityName: 'A', schema: { id: 'string' } }) }).apply(stack);
      const json = JSON.parse(Testing.synth(stack));
      console.log(Object.keys(json.resource.azurerm_cosmosdb_account).length);
    `);
    expect(out).toBe('1');
  });
});
