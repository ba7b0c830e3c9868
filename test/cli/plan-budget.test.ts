/**
 * The budget gate and the review flags of `atakora plan` / `atakora diff`, through the built CLI's main (in this
 * worker: test/support/cli-in-process.ts; the bin's exit codes are test/cli/cli.test.ts's) as CI runs it: over budget → exit 1 naming the estimate and the budget; within → exit 0; a malformed
 * amount or an increase budget without a base → exit 2; a missing or invalid --base → PLAN_FILE_INVALID (exit 1).
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ResourcePlan } from '../../src/model/plan.js';
import { runCliInProcess } from '../support/cli-in-process.js';

const root = resolve(import.meta.dirname, '../..');
const work = mkdtempSync(join(root, '.tmp-plan-budget-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));
const entry = 'examples/basic.ts';
let plan: ResourcePlan;
let estimate: number;
const before = join(work, 'before.json');

async function atakora(
  ...args: string[]
): Promise<{ code: number; stdout: string; stderr: string }> {
  const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1' };
  delete env['ARM_SUBSCRIPTION_ID'];
  return runCliInProcess(args, { env, cwd: root });
}

beforeAll(async () => {
  plan = JSON.parse((await atakora('plan', entry, '--json')).stdout) as ResourcePlan;
  estimate = plan.summary.estimatedMonthlyUsd.shared;
  // The deployed plan was $5.50 a month cheaper.
  const cheaper = JSON.parse(JSON.stringify(plan)) as {
    summary: { estimatedMonthlyUsd: { shared: number } };
  };
  cheaper.summary.estimatedMonthlyUsd.shared = Math.round((estimate - 5.5) * 100) / 100;
  writeFileSync(before, JSON.stringify(cheaper));
});

describe('atakora plan --max-monthly-usd', () => {
  it('below the estimate: exit 1, naming the estimate and the budget', async () => {
    const r = await atakora('plan', entry, '--max-monthly-usd', '10');
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(
      `Budget exceeded: backend (prod): the estimated monthly cost $${estimate.toFixed(2)} is over the budget of $10.00 (--max-monthly-usd)`,
    );
    expect(r.stdout).toContain('Plan for backend'); // the plan is still printed
  });

  it('at or above the estimate: exit 0', async () => {
    const at = await atakora('plan', entry, '--max-monthly-usd', String(estimate));
    expect(at.code, at.stderr).toBe(0);
    expect(at.stderr).toContain('within the budget');
    expect(
      (await atakora('plan', entry, '--format', 'markdown', '--max-monthly-usd', '1000')).code,
    ).toBe(0);
  });

  it('a malformed amount is a usage error (exit 2)', async () => {
    for (const bad of ['abc', '-5', '1e3', '']) {
      const r = await atakora('plan', entry, `--max-monthly-usd=${bad}`);
      expect(r.code, bad).toBe(2);
      expect(r.stderr).toContain('--max-monthly-usd takes an amount of US dollars');
    }
  });
});

describe('atakora plan --base and --max-cost-increase-usd', () => {
  it('the increase over the base against the budget: exit 1 over, 0 within', async () => {
    const over = await atakora('plan', entry, '--base', before, '--max-cost-increase-usd', '5');
    expect(over.code).toBe(1);
    expect(over.stderr).toContain('rises +$5.50 a month');
    expect(over.stderr).toContain('over the allowed increase of $5.00 (--max-cost-increase-usd)');
    const within = await atakora('plan', entry, '--base', before, '--max-cost-increase-usd', '5.5');
    expect(within.code, within.stderr).toBe(0);
  });

  it('needs a base: exit 2 without one', async () => {
    const r = await atakora('plan', entry, '--max-cost-increase-usd', '5');
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--max-cost-increase-usd needs a plan to compare with');
  });

  it('the Markdown states the delta in its first line, the estimate without a base', async () => {
    const withBase = await atakora('plan', entry, '--format', 'markdown', '--base', before);
    expect(withBase.stdout.split('\n')[0]).toBe(
      `## Atakora plan: backend (prod, eastus) · cost +$5.50/month ($${(estimate - 5.5).toFixed(2)} → $${estimate.toFixed(2)})`,
    );
    const without = await atakora('plan', entry, '--format', 'markdown');
    expect(without.stdout.split('\n')[0]).toBe(
      `## Atakora plan: backend (prod, eastus) · estimated $${estimate.toFixed(2)}/month`,
    );
  });

  it('a missing or invalid base is PLAN_FILE_INVALID naming the file (exit 1)', async () => {
    const missing = await atakora('plan', entry, '--base', join(work, 'nope.json'));
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('PLAN_FILE_INVALID: The base plan');
    expect(missing.stderr).toContain('nope.json does not exist');
    const notJson = join(work, 'not.json');
    writeFileSync(notJson, '<html>');
    expect((await atakora('plan', entry, '--base', notJson)).stderr).toContain(
      'is not readable JSON',
    );
    const wrong = join(work, 'wrong.json');
    writeFileSync(wrong, JSON.stringify({ ...plan, version: 2 }));
    const r = await atakora('plan', entry, '--base', wrong, '--format', 'html');
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(
      /PLAN_FILE_INVALID: The base plan .*wrong\.json is not a saved ResourcePlan \(version 1\)/,
    );
    expect(r.stdout).toBe('');
  });
});

describe('atakora diff --format html and the budget', () => {
  it('writes the page of <after> against <before>; the budget gate holds the increase', async () => {
    const out = join(work, 'diff.html');
    const r = await atakora(
      'diff',
      before,
      entry,
      '--format',
      'html',
      '--out',
      out,
      '--max-cost-increase-usd',
      '1',
    );
    expect(r.code).toBe(1);
    expect(r.stdout.trim()).toBe(out);
    expect(r.stderr).toContain('Budget exceeded');
    const html = readFileSync(out, 'utf8');
    expect(html).toContain('data-delta-usd=');
    expect(html).toContain('<div id="budget" class="callout danger" data-over="true">');
    const md = await atakora(
      'diff',
      before,
      entry,
      '--format',
      'markdown',
      '--max-monthly-usd',
      '1000',
    );
    expect(md.code).toBe(0);
    expect(md.stdout.split('\n')[0]).toBe(
      `## Atakora plan diff · cost +$5.50/month ($${(estimate - 5.5).toFixed(2)} → $${estimate.toFixed(2)})`,
    );
  });

  it('plan --format html prints the page without --out, and diff refuses --base', async () => {
    const r = await atakora('plan', entry, '--format', 'html');
    expect(r.code).toBe(0);
    expect(r.stdout.startsWith('<!doctype html>')).toBe(true);
    expect((await atakora('diff', before, entry, '--base', before)).code).toBe(2);
    expect(existsSync(join(root, 'plan.html'))).toBe(false);
  });
});
