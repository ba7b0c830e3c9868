/**
 * The review page as a reviewer opens it: `atakora plan <entry> --format html --base before.json --out` (the
 * built bin, in a child process), then the file in Debian's Chromium (playwright-core) from file:// — on a laptop
 * and on a phone. No console error, no request but the file itself, a diagram node per component, shared resource
 * and Terraform resource, the replaced Cosmos DB account in a data-loss row, and the delta the two estimates give.
 */
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { type Page } from 'playwright-core';
import { type TestBrowser, testBrowser } from '../support/browser.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ResourcePlan } from '../../src/model/plan.js';

const root = resolve(import.meta.dirname, '../..');
const bin = join(root, 'dist/cli/bin.js');
const artifacts = join(root, 'test-artifacts');
const work = mkdtempSync(join(root, '.tmp-plan-review-'));
const page = join(work, 'review', 'plan.html');
let plan: ResourcePlan;
let base: ResourcePlan;
let browser: TestBrowser | undefined;

async function atakora(
  ...args: string[]
): Promise<{ code: number; stdout: string; stderr: string }> {
  const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1' };
  delete env['ARM_SUBSCRIPTION_ID'];
  try {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, [bin, ...args], {
      cwd: root,
      env,
      maxBuffer: 64 * 1024 * 1024,
    });
    return { code: 0, stdout, stderr };
  } catch (e) {
    const err = e as { code: number; stdout: string; stderr: string };
    return { code: err.code, stdout: err.stdout, stderr: err.stderr };
  }
}

beforeAll(async () => {
  plan = JSON.parse((await atakora('plan', 'examples/basic.ts', '--json')).stdout) as ResourcePlan;
  // The deployed plan had the Cosmos DB account under another name and cost less: Terraform would replace the
  // account (data loss), and the branch costs more.
  base = JSON.parse(JSON.stringify(plan)) as ResourcePlan;
  const edited = base as unknown as {
    resources: { type: string; name: string; estimatedMonthlyUsd: number }[];
    summary: { estimatedMonthlyUsd: { shared: number } };
  };
  const cosmos = edited.resources.find((r) => r.type === 'cosmos')!;
  cosmos.name = `${cosmos.name}old`;
  cosmos.estimatedMonthlyUsd -= 1.25;
  edited.summary.estimatedMonthlyUsd.shared =
    Math.round((edited.summary.estimatedMonthlyUsd.shared - 1.25) * 100) / 100;
  writeFileSync(join(work, 'before.json'), JSON.stringify(base));
  const r = await atakora(
    'plan',
    'examples/basic.ts',
    '--format',
    'html',
    '--base',
    join(work, 'before.json'),
    '--out',
    page,
  );
  expect(r.code, r.stderr).toBe(0);
  expect(r.stdout.trim()).toBe(page);
  browser = await testBrowser();
});
afterAll(async () => {
  await browser?.close();
  rmSync(work, { recursive: true, force: true });
});

/** The page opened from file:// in a fresh context, with every request and every console error it causes. */
async function open(viewport: {
  width: number;
  height: number;
}): Promise<{ tab: Page; requests: string[]; problems: string[] }> {
  const context = await browser!.newContext({ viewport });
  const tab = await context.newPage();
  const requests: string[] = [];
  const problems: string[] = [];
  context.on('request', (r) => requests.push(r.url()));
  tab.on('pageerror', (e) => problems.push(e.message));
  tab.on('console', (m) => {
    if (m.type() === 'error' || m.type() === 'warning') problems.push(m.text());
  });
  await tab.goto(pathToFileURL(page).href, { waitUntil: 'load' });
  return { tab, requests, problems };
}

/**
 * The laptop checks read one page: none of them changes it (reads, getBBox, no input), so it is loaded once, in a
 * context of its own, by whichever runs first; the phone opens its own at its own viewport.
 */
let laptop: ReturnType<typeof open> | undefined;
const onLaptop = () => (laptop ??= open({ width: 1280, height: 900 }));

describe('the plan review page in Chromium, from file://', () => {
  it('loads nothing but itself and logs no error', async () => {
    const { tab, requests, problems } = await onLaptop();
    expect(requests).toEqual([pathToFileURL(page).href]);
    expect(problems).toEqual([]);
    expect(await tab.title()).toBe(
      `Atakora plan: ${plan.backendId} (${plan.environment}, ${plan.location})`,
    );
    for (const role of ['banner', 'navigation', 'main', 'contentinfo'])
      expect(await tab.getByRole(role as 'main').count(), role).toBe(1);
    expect(await tab.getByRole('img', { name: /Architecture of/ }).count()).toBe(1);
  });

  it('draws a node per component, shared resource and Terraform resource, each naming its own', async () => {
    const { tab } = await onLaptop();
    const keys = async (kind: string) =>
      tab.$$eval(`svg [data-node="${kind}"]`, (els) => els.map((e) => e.getAttribute('data-key')));
    expect((await keys('component')).sort()).toEqual(plan.components.map((c) => c.key).sort());
    expect((await keys('resource')).sort()).toEqual(plan.resources.map((r) => r.key).sort());
    expect((await keys('deploy')).length).toBe(
      plan.resources.reduce((n, r) => n + r.deploys.length, 0),
    );
    const svgText = await tab.$eval('svg.architecture', (svg) =>
      [...svg.querySelectorAll('text')].map((t) => t.textContent).join('\n'),
    );
    for (const c of plan.components) expect(svgText).toContain(c.id);
    for (const r of plan.resources) expect(svgText).toContain(r.name);
    // Every node's box holds its label: names are shown whole.
    const clipped = await tab.$$eval(
      'svg .node',
      (gs) =>
        gs.filter((g) => {
          const box = g.querySelector('rect')!.getBBox();
          return [...g.querySelectorAll('text')].some(
            (t) => t.getBBox().x + t.getBBox().width > box.x + box.width,
          );
        }).length,
    );
    expect(clipped).toBe(0);
  });

  it('lists the replaced Cosmos DB account as data loss and states the delta of the two estimates', async () => {
    const { tab } = await onLaptop();
    const row = tab.locator('#changes tr[data-key="cosmos:shared"]');
    expect(await row.getAttribute('class')).toBe('replace data-loss');
    expect(await row.textContent()).toContain('data loss');
    expect(await row.isVisible()).toBe(true);
    expect(await tab.locator('#data-loss').textContent()).toContain('STATEFUL_REPLACEMENT');
    const delta = plan.summary.estimatedMonthlyUsd.shared - base.summary.estimatedMonthlyUsd.shared;
    expect(Number(await tab.locator('#cost-delta').getAttribute('data-delta-usd'))).toBe(delta);
    expect(await tab.locator('#cost-delta').textContent()).toBe(`+$${delta.toFixed(2)} a month`);
    expect(
      await tab
        .locator('svg [data-node="resource"][data-key="cosmos:shared"]')
        .getAttribute('data-mark'),
    ).toBe('data-loss');
  });

  it('reads on a phone: the page does not scroll sideways (tables and the diagram scroll in their own box)', async () => {
    const { tab, problems } = await open({ width: 390, height: 844 });
    expect(await tab.evaluate<number>('document.documentElement.scrollWidth')).toBeLessThanOrEqual(
      390,
    );
    expect(await tab.locator('h1').isVisible()).toBe(true);
    expect(await tab.locator('#cost-delta').isVisible()).toBe(true);
    expect(problems).toEqual([]);
    mkdirSync(artifacts, { recursive: true });
    await tab.screenshot({ path: join(artifacts, 'plan-review-phone.png') });
    expect(readFileSync(join(artifacts, 'plan-review-phone.png')).length).toBeGreaterThan(1000);
  });
});
