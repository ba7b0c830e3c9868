import { rmSync } from 'node:fs';
import { delimiter } from 'node:path';
import { describe, expect, it } from 'vitest';
import { defineBackend } from '../../src/backend/define-backend.js';
import { CrudApi } from '../../src/components/crud/index.js';
import { FunctionsApp } from '../../src/components/functions/index.js';
import { healthTargets } from '../../src/cli/deploy/after-apply.js';
import { Progress } from '../../src/cli/shared/progress.js';
import { findTerraform } from '../../src/cli/deploy/terraform-runner.js';
import { AtakoraError } from '../../src/model/errors.js';
import { installFakeTerraform } from '../support/fake-terraform.js';
import type { SynthesizedStack } from '../../src/cli/entry/synth-stacks.js';
import type { ResourcePlan } from '../../src/model/plan.js';

const users = CrudApi.define('UserApi', { entityName: 'User', schema: { id: 'string' } });
const stackOf = (plan: ResourcePlan): SynthesizedStack => ({
  name: 'backend-prod',
  dir: '/x',
  plan,
  resourceGroup: 'rg-backend-prod',
  subscriptionId: 'sub',
  dependencies: [],
  endpoints: [],
});

describe('healthTargets: which apps serve GET api/health, where', () => {
  it("a CrudApi's app, at the origin of its deployed apiEndpoint (never its cosmosEndpoint)", () => {
    const stack = stackOf(defineBackend({ users }, { environment: 'prod' }).plan());
    const app = stack.plan.resources.find((r) => r.type === 'functions')!.name;
    const { targets, privateApps } = healthTargets(stack, [
      {
        component: 'users',
        output: 'cosmosEndpoint',
        value: 'https://cosmos-x.documents.azure.com:443/',
      },
      { component: 'users', output: 'apiEndpoint', value: 'http://127.0.0.1:7071/api/users' },
    ]);
    expect(targets).toEqual([{ app, url: 'http://127.0.0.1:7071/api/health' }]);
    expect(privateApps).toEqual([]);
    // Without a deployed endpoint: the app's default host name.
    expect(healthTargets(stack, []).targets).toEqual([
      { app, url: `https://${app}.azurewebsites.net/api/health` },
    ]);
  });

  it('a Python FunctionsApp does not run our runtime: not polled; an isolated backend: private, not polled', () => {
    const py = FunctionsApp.define('Jobs', {
      runtime: 'python',
      functions: { tick: { trigger: 'timer', schedule: '0 0 * * * *' } },
    });
    const pyStack = stackOf(defineBackend({ py }, { environment: 'prod' }).plan());
    expect(healthTargets(pyStack, []).targets).toEqual([]);
    const isolated = stackOf(
      defineBackend({ users }, { environment: 'prod', networking: { mode: 'isolated' } }).plan(),
    );
    const r = healthTargets(isolated, []);
    expect(r.targets).toEqual([]);
    expect(r.privateApps).toHaveLength(1);
  });
});

describe('Progress', () => {
  const run = (tty: boolean) => {
    let t = 0;
    let text = '';
    const p = new Progress(
      (s) => {
        text += s;
      },
      tty,
      ['a-prod', 'b-prod'],
      () => t,
      30_000,
    );
    const s = p.step('b-prod', 'apply', 3);
    t = 1000;
    s.update(1, 'azurerm_resource_group.rg');
    t = 31_000;
    s.update(2, 'azurerm_storage_account.st');
    t = 32_500;
    s.done('3 added, 0 changed, 0 destroyed');
    return text;
  };
  it('without a terminal: plain lines only, a keep-alive line after 30 s, the final line with the elapsed time', () => {
    expect(run(false)).toBe(
      '[2/2] b-prod: apply 2/3 … (31.0s)\n[2/2] b-prod: apply — 3 added, 0 changed, 0 destroyed (32.5s)\n',
    );
  });
  it('on a terminal: one line rewritten in place with the count and the resource just done', () => {
    const text = run(true);
    expect(text).toContain('\r\u001b[K[2/2] b-prod: apply 1/3 azurerm_resource_group.rg (1.0s)');
    expect(
      text.endsWith('\r\u001b[K[2/2] b-prod: apply — 3 added, 0 changed, 0 destroyed (32.5s)\n'),
    ).toBe(true);
    expect(text.split('\n')).toHaveLength(2);
  });
  it('a step ended with clear() leaves no line on a terminal and prints nothing without one', () => {
    for (const tty of [true, false]) {
      let text = '';
      new Progress(
        (s) => {
          text += s;
        },
        tty,
        ['a'],
        () => 0,
      )
        .step('a', 'show')
        .clear();
      expect(text).toBe(tty ? '\r\u001b[K[1/1] a: show…\r\u001b[K' : '');
    }
  });
});

describe('findTerraform', () => {
  it('terraform before tofu on PATH; ATAKORA_TERRAFORM, then --terraform, choose; missing is TERRAFORM_NOT_FOUND', () => {
    const tf = installFakeTerraform('terraform');
    const tofu = installFakeTerraform('tofu');
    try {
      const PATH = [tofu.dir, tf.dir].join(delimiter);
      expect(findTerraform(undefined, { PATH })).toBe(tf.bin);
      expect(findTerraform(undefined, { PATH: tofu.dir })).toBe(tofu.bin);
      expect(findTerraform(undefined, { PATH, ATAKORA_TERRAFORM: 'tofu' })).toBe(tofu.bin);
      expect(findTerraform(tf.bin, { PATH: '', ATAKORA_TERRAFORM: 'tofu' })).toBe(tf.bin);
      let error: unknown;
      try {
        findTerraform(undefined, { PATH: '' });
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(AtakoraError);
      expect((error as AtakoraError).code).toBe('TERRAFORM_NOT_FOUND');
      expect((error as AtakoraError).resolution).toContain(
        'https://developer.hashicorp.com/terraform/install',
      );
    } finally {
      rmSync(tf.dir, { recursive: true, force: true });
      rmSync(tofu.dir, { recursive: true, force: true });
    }
  });
});
