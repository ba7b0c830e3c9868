import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Testing } from '../support/engine.js';
import { afterAll, describe, expect, it } from 'vitest';
import signInBackend from '../../examples/sign-in.js';
import { checkEnvironmentName } from '../../src/cli/shared/environment-option.js';
import type { ResourcePlan } from '../../src/model/plan.js';
import { codeOf, expectHonest, synth } from '../support/synth.js';
import { runCliInProcess } from '../support/cli-in-process.js';

Testing.setupJest();

// `--environment <name>` (plan, synth, deploy, destroy, dev, secret) re-plans the entry's backends in that
// environment: every resource name, the stack name and the redirect URIs follow it.
const root = resolve(import.meta.dirname, '../..');
const work = mkdtempSync(join(tmpdir(), 'atakora-env-'));
afterAll(() => {
  rmSync(work, { recursive: true, force: true });
});

/** `atakora <args>` through the built main in this worker (test/support/cli-in-process.ts): the options' behaviour. */
function atakora(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    NO_COLOR: '1',
    ARM_SUBSCRIPTION_ID: '5f1c2e3d-0000-4000-8000-000000000001',
  };
  return runCliInProcess(args, { env, cwd: root });
}

describe('Backend.withEnvironment and --environment pr-7', () => {
  const prod = signInBackend();
  // The example imports the package by name (dist): its Backend is that copy's.
  const preview = prod.withEnvironment('pr-7');

  it('names every planned resource for the preview, and leaves the original backend as it was', () => {
    const [a, b] = [prod.plan(), preview.plan()];
    expect([a.environment, b.environment]).toEqual(['prod', 'pr-7']);
    expect(b.resources.map((r) => r.key)).toEqual(a.resources.map((r) => r.key));
    for (const r of b.resources) {
      expect(r.name.replace(/-/g, '')).toContain('pr7');
      expect(r.name).not.toBe(a.resources.find((x) => x.key === r.key)!.name);
    }
    expect(prod.environment).toBe('prod');
  });

  it("synthesizes every named Azure resource and each registration's redirect URIs for the preview", () => {
    const plan = preview.plan() as ResourcePlan;
    const json = synth(preview as never);
    expectHonest(plan, json);
    const names = Object.values(json.resource)
      .flatMap((byName) => Object.values(byName).map((r) => r['name']))
      .filter((n): n is string => typeof n === 'string' && /^[a-z]+-?notes/.test(n));
    expect(names.length).toBeGreaterThan(3);
    for (const n of names) expect(n.replace(/-/g, '')).toContain('pr7');
    const swaName = Object.keys(json.resource['azurerm_static_web_app']!)[0]!;
    expect(json.resource['azurerm_static_web_app']![swaName]!['name']).toBe(
      'stapp-notes-pr-7-portal',
    );
    const spa = Object.values(json.resource['azuread_application']!).find(
      (r) => r['single_page_application'],
    )!;
    expect((spa['single_page_application'] as { redirect_uris: string[] }).redirect_uris).toContain(
      `https://\${azurerm_static_web_app.${swaName}.default_host_name}`,
    );
    expect(
      Object.values(json.resource['azuread_application']!).map((r) => r['display_name']),
    ).toEqual(expect.arrayContaining(['notes-pr-7-api', 'notes-pr-7-Portal']));
  });

  it('refuses a name that cannot name resources (ENVIRONMENT_NAME_INVALID)', () => {
    for (const bad of ['PR-7', 'pr_7', '', '-pr', 'a'.repeat(25)])
      expect(
        codeOf(() => {
          checkEnvironmentName(bad);
        }),
      ).toBe('ENVIRONMENT_NAME_INVALID');
  });

  it('plan --environment and synth --environment (the stack is <backendId>-<environment>)', async () => {
    const plan = await atakora('plan', 'examples/sign-in.ts', '--environment', 'pr-7', '--json');
    expect(plan.code).toBe(0);
    expect((JSON.parse(plan.stdout) as ResourcePlan).environment).toBe('pr-7');
    const out = join(work, 'synth');
    const s = await atakora('synth', 'examples/sign-in.ts', '--environment', 'pr-7', '--out', out);
    expect(s.code).toBe(0);
    expect(readdirSync(join(out, 'stacks'))).toEqual(['notes-pr-7']);
    expect(readFileSync(join(out, 'stacks', 'notes-pr-7', 'cdk.tf.json'), 'utf8')).toContain(
      '"rg-notes-pr-7"',
    );
    const bad = await atakora('plan', 'examples/sign-in.ts', '--environment', 'PR 7');
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('ENVIRONMENT_NAME_INVALID');
  });
});
