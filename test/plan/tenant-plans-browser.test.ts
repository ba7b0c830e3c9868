/**
 * The review page's Tenant plans section as a reviewer sees it in Debian's Chromium (playwright-core), from
 * file://: a row per declared plan with each line's cost and the worst case per tenant (unbounded said so), what one
 * tenant needs of the shared resources, reached from the navigation, readable on a phone without sideways scroll.
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
import { SAAS_TENANTS } from './support/saas-tenants.js';
import { renderPlanHtml } from '../../src/plan/render/index.js';

const work = mkdtempSync(join(tmpdir(), 'atakora-tenant-plans-'));
const file = join(work, 'plan.html');
let browser: TestBrowser | undefined;

beforeAll(async () => {
  const notes = CrudApi.define('NoteApi', {
    entityName: 'Note',
    schema: { id: 'string' },
    realtime: true,
  });
  const config = {
    backendId: 'saas',
    realtime: { sku: 'Standard_S1', units: 2 },
    ...SAAS_TENANTS,
  } as BackendConfig;
  writeFileSync(file, renderPlanHtml(defineBackend({ notes }, config).plan()));
  browser = await testBrowser();
});
afterAll(async () => {
  await browser?.close();
  rmSync(work, { recursive: true, force: true });
});

describe('the review page’s Tenant plans, in Chromium', () => {
  it('a row per plan: each line’s cost, the worst case, unbounded said so; reached from the nav', async () => {
    const tab = await (
      await browser!.newContext({ viewport: { width: 1280, height: 900 } })
    ).newPage();
    const problems: string[] = [];
    tab.on('pageerror', (e) => problems.push(e.message));
    await tab.goto(pathToFileURL(file).href, { waitUntil: 'load' });
    await tab.getByRole('link', { name: 'Tenant plans' }).click();
    const section = tab.locator('#tenant-plans');
    expect(await section.isVisible()).toBe(true);
    const rows = await section
      .locator('tbody tr')
      .evaluateAll((trs) =>
        trs.map((tr) => [...tr.querySelectorAll('th, td')].map((c) => c.textContent)),
      );
    expect(rows.map((r) => r.slice(0, 6))).toEqual([
      ['free (default)', '$0.75', '$0.02', '$1.04', '$25.92', '$27.73 a month'],
      [
        'pro',
        'unbounded',
        '$2.50',
        '$10.37',
        'unbounded',
        'unbounded (RU, realtime messages not bounded; the bounded part $12.87)',
      ],
    ]);
    // Two Standard units hold 2,000 connections: 400 tenants of free at their bound of 5.
    expect(rows[0]?.[6]).toContain(
      '5 connections = 0.005 Web PubSub unit(s) (400 such tenants fill the planned units)',
    );
    expect(await section.locator('li').first().textContent()).toContain(
      'Web PubSub Standard_S1 × 2 unit(s) holds 2000 connections',
    );
    // Each cost cell says how it follows from the plan's limits.
    expect(
      await section.locator('tbody tr').first().locator('td').first().getAttribute('title'),
    ).toBe('requestUnitsPerDay 100000 × 30 days');
    expect(problems).toEqual([]);
  });

  it('reads on a phone: the table scrolls in its own box, the page not sideways', async () => {
    const tab = await (
      await browser!.newContext({ viewport: { width: 390, height: 844 } })
    ).newPage();
    await tab.goto(pathToFileURL(file).href, { waitUntil: 'load' });
    expect(await tab.locator('#tenant-plans h2').isVisible()).toBe(true);
    expect(await tab.evaluate<number>('document.documentElement.scrollWidth')).toBeLessThanOrEqual(
      390,
    );
  });
});
