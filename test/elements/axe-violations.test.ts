/**
 * The elements' axe check itself (test/elements/support.ts axeViolations: axe-core's `axe.run` in the page, axe
 * injected once per document): it reports what `@axe-core/playwright`'s analyze reports — a violation in the page
 * and one in a shadow root, where the elements draw — and a second run on the same document agrees with the first,
 * so an `expect(await axeViolations(page)).toEqual([])` of the browser tests can fail.
 */
import AxeBuilder from '@axe-core/playwright';
import { afterAll, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { type TestBrowser, testBrowser } from '../support/browser.js';
import { axeViolations, WCAG_TAGS } from './support.js';

let browser: TestBrowser | undefined;
afterAll(async () => browser?.close());

/** What `@axe-core/playwright`'s own check reports on `page`, in `axeViolations`' lines. */
async function axeBuilderLines(page: Page): Promise<string[]> {
  const { violations } = await new AxeBuilder({ page }).withTags(WCAG_TAGS).analyze();
  return violations.map(
    (v) =>
      `${v.id}: ${v.nodes.map((n) => `${n.target.join(' ')} (${n.failureSummary ?? ''})`).join('; ')}`,
  );
}

it("reports the builder's violations, in the page and in a shadow root, the same on a second run", async () => {
  browser = await testBrowser();
  const page = await browser.newPage();
  await page.setContent(
    '<!doctype html><html lang="en"><head><title>t</title></head><body><main><img src="x.png"><div id="h"></div></main></body></html>',
  );
  await page.evaluate(() => {
    const host = document.getElementById('h');
    if (host) host.attachShadow({ mode: 'open' }).innerHTML = '<button></button>';
  });
  const first = await axeViolations(page);
  expect(first.map((l) => l.slice(0, l.indexOf(':')))).toEqual(['button-name', 'image-alt']);
  expect(await axeViolations(page)).toEqual(first);
  expect(await axeBuilderLines(page)).toEqual(first);
});

it('on a page of an http origin (axe loaded as a script of it): the same lines, the document left without the script', async () => {
  browser ??= await testBrowser();
  const page = await browser.newPage();
  // The page's own address, answered here: axeViolations loads axe-core as a script of this origin.
  await page.route('http://axe-check.test/', (route) =>
    route.fulfill({
      contentType: 'text/html',
      body: '<!doctype html><html lang="en"><head><title>t</title><script>window.mine = 1;</script></head><body><main><img src="x.png"><div id="h"></div></main></body></html>',
    }),
  );
  const requested: string[] = [];
  page.on('request', (r) => requested.push(new URL(r.url()).pathname));
  await page.goto('http://axe-check.test/');
  await page.evaluate(() => {
    const host = document.getElementById('h');
    if (host) host.attachShadow({ mode: 'open' }).innerHTML = '<button></button>';
  });
  const scripts = () => page.evaluate(() => [...document.scripts].map((s) => s.outerHTML));
  const before = await scripts();
  const first = await axeViolations(page);
  expect(first.map((l) => l.slice(0, l.indexOf(':')))).toEqual(['button-name', 'image-alt']);
  expect(await scripts()).toEqual(before);
  // Loaded as a script of the page's origin (not evaluated through the protocol), once.
  expect(requested.filter((p) => p.endsWith('.min.js'))).toEqual([
    expect.stringMatching(/^\/\.atakora-test-axe-[\d.]+\.min\.js$/),
  ]);
  expect(await page.evaluate('typeof window.axe.run')).toBe('function');
  expect(await axeViolations(page)).toEqual(first);
  expect(await axeBuilderLines(page)).toEqual(first);
});
