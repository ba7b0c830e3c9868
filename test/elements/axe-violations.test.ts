/**
 * The elements' axe check itself (test/elements/support.ts axeViolations: axe-core's `axe.run` in the page, axe
 * injected once per document): it reports what `@axe-core/playwright`'s analyze reports — a violation in the page
 * and one in a shadow root, where the elements draw — and a second run on the same document agrees with the first,
 * so an `expect(await axeViolations(page)).toEqual([])` of the browser tests can fail.
 */
import AxeBuilder from '@axe-core/playwright';
import { afterAll, expect, it } from 'vitest';
import { type TestBrowser, testBrowser } from '../support/browser.js';
import { axeViolations, WCAG_TAGS } from './support.js';

let browser: TestBrowser | undefined;
afterAll(async () => browser?.close());

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
  const { violations } = await new AxeBuilder({ page }).withTags(WCAG_TAGS).analyze();
  expect(
    violations.map(
      (v) =>
        `${v.id}: ${v.nodes.map((n) => `${n.target.join(' ')} (${n.failureSummary ?? ''})`).join('; ')}`,
    ),
  ).toEqual(first);
});
