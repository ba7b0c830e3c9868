/**
 * The review page's Plan packages section as a reviewer sees it in Debian's Chromium (playwright-core), from file://:
 * reached from the navigation, a row per plan with its price (per seat, the trial), seats, items, features, cost to
 * serve at its limits and margin, the margin's basis on hover, the assumptions below; readable on a phone without
 * sideways scroll.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { type TestBrowser, testBrowser } from '../support/browser.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defineBackend } from '../../src/backend/define-backend.js';
import { CrudApi } from '../../src/components/crud/index.js';
import type { BackendConfig } from '../../src/model/config.js';
import { renderPlanHtml } from '../../src/plan/render/index.js';

const work = mkdtempSync(join(tmpdir(), 'atakora-plan-packages-'));
const file = join(work, 'plan.html');
let browser: TestBrowser | undefined;

beforeAll(async () => {
  const projects = CrudApi.define('ProjectApi', {
    entityName: 'Project',
    schema: { id: 'string', name: 'string' },
  });
  const config = {
    backendId: 'teams',
    tenants: {
      by: 'membership',
      createTenants: 'any-user',
      defaultPlan: 'free',
      plans: {
        free: {
          members: 3,
          items: { ProjectApi: 2 },
          features: [],
          requestsPerMinute: 60,
          requestUnitsPerDay: 100_000,
          storageMb: 100,
        },
        team: {
          members: 25,
          items: { ProjectApi: 100 },
          features: ['audit', 'domains', 'reports'],
          requestsPerMinute: 60,
          requestUnitsPerDay: 100_000,
          storageMb: 100,
          monthlyFeeUsd: 12,
          stripe: { price: 'price_1QpLansTeamSeat', perSeat: true, trialDays: 14 },
        },
      },
      billing: {
        stripe: { secret: 'STRIPE_KEY', webhookSecret: 'STRIPE_WEBHOOK_SECRET', meters: {} },
      },
    },
  } as BackendConfig;
  writeFileSync(file, renderPlanHtml(defineBackend({ projects }, config).plan()));
  browser = await testBrowser();
});
afterAll(async () => {
  await browser?.close();
  rmSync(work, { recursive: true, force: true });
});

describe('the review page’s Plan packages, in Chromium', () => {
  it('a row per plan: price, seats, items, features, cost to serve, margin; reached from the nav', async () => {
    const tab = await (
      await browser!.newContext({ viewport: { width: 1280, height: 900 } })
    ).newPage();
    const problems: string[] = [];
    tab.on('pageerror', (e) => problems.push(e.message));
    await tab.goto(pathToFileURL(file).href, { waitUntil: 'load' });
    await tab.getByRole('link', { name: 'Plan packages' }).click();
    const section = tab.locator('#plan-packages');
    expect(await section.isVisible()).toBe(true);
    const rows = await section
      .locator('tbody tr')
      .evaluateAll((trs) =>
        trs.map((tr) => [...tr.querySelectorAll('th, td')].map((c) => c.textContent)),
      );
    // Both plans bound the same: 100,000 RU × 30 at $0.25/M, 100 MB, 60 × 43,200 executions at $0.40/M.
    expect(rows).toEqual([
      [
        'free (default)',
        'none declared',
        '3',
        'ProjectApi 2',
        'none',
        '$1.81 a month',
        'unknown (no price declared)',
      ],
      [
        'team',
        '$12.00 a seat a month (Stripe price_1QpLansTeamSeat, per seat, 14-day trial)',
        '25',
        'ProjectApi 100',
        'audit, domains, reports (the application’s: reports)',
        '$1.81 a month',
        '$10.19 a month at one seat, $298.19 with every seat taken',
      ],
    ]);
    expect(
      await section.locator('tbody tr').nth(1).locator('td').last().getAttribute('title'),
    ).toBe(
      '$12.00 a seat, one seat less up to $1.81 to serve at its limits; each further seat adds $12.00; all 25 seats: $300.00 less $1.81',
    );
    expect(await section.locator('li').first().textContent()).toContain(
      'Cost to serve: one organization using every limit of its plan all month',
    );
    expect(problems).toEqual([]);
  });

  it('reads on a phone: the table scrolls in its own box, the page not sideways', async () => {
    const tab = await (
      await browser!.newContext({ viewport: { width: 390, height: 844 } })
    ).newPage();
    await tab.goto(pathToFileURL(file).href, { waitUntil: 'load' });
    expect(await tab.locator('#plan-packages h2').isVisible()).toBe(true);
    expect(await tab.evaluate<number>('document.documentElement.scrollWidth')).toBeLessThanOrEqual(
      390,
    );
  });
});
