/**
 * The package's entry for `@atakora/component/elements` — what package.json's exports name, `dist/entry/elements.js`
 * of the built package — loaded in Chromium from a plain `<script type="module">` as a page without a bundler does:
 * the package's files served as they are (a static server over the package: `dist/`), nothing resolved for the
 * browser. Every element is defined (`customElements.get`), `configure` and `setMessages` are exported, and the page
 * throws nothing. Reads dist/ (`npm run build`).
 */
import { createReadStream, existsSync, readFileSync, statSync } from 'node:fs';
import { createServer } from 'node:http';
import { extname, join, normalize, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listenOnLoopback } from '../support/loopback-server.js';
import { testBrowser } from '../support/browser.js';

const root = resolve(import.meta.dirname, '../..');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
  exports: Record<string, { default: string }>;
};
const entry = pkg.exports['./elements']?.default ?? '';
const TAGS = [
  'atakora-organization-switcher',
  'atakora-members',
  'atakora-invitation',
  'atakora-plan',
  'atakora-organization-settings',
  'atakora-enterprise',
  'atakora-audit-log',
  'atakora-agents',
];

const PAGE = (src: string) => `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Entry</title></head>
<body><main><atakora-members></atakora-members></main>
<script type="module">
  import * as elements from ${JSON.stringify(src)};
  window.loaded = Object.keys(elements).sort();
</script>
</body></html>`;

const TYPES: Record<string, string> = {
  '.js': 'text/javascript',
  '.html': 'text/html',
  '.json': 'application/json',
};

let site: { base: string; close(): Promise<void> };
const requested: string[] = [];

beforeAll(async () => {
  // The package as published: its files, served as they are (a 404 for a path outside it or not there).
  site = await listenOnLoopback(
    createServer((req, res) => {
      const path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
      requested.push(path);
      if (path === '/') {
        res
          .writeHead(200, { 'content-type': 'text/html' })
          .end(PAGE(`/${entry.replace(/^\.\//, '')}`));
        return;
      }
      const file = normalize(join(root, path));
      if (!file.startsWith(join(root, 'dist')) || !existsSync(file) || !statSync(file).isFile()) {
        res.writeHead(404).end();
        return;
      }
      res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' });
      createReadStream(file).pipe(res);
    }),
  );
});
afterAll(async () => site?.close());

describe("the package's elements entry in a browser", () => {
  it('loads from a plain module script: every element defined, nothing thrown', async () => {
    expect(entry).toBe('./dist/entry/elements.js');
    const browser = await testBrowser();
    const context = await browser.newContext();
    const page = await context.newPage();
    const problems: string[] = [];
    page.on('pageerror', (e) => problems.push(e.message));
    page.on('console', (m) => {
      if (m.type() === 'error') problems.push(m.text());
    });
    await page.goto(`${site.base}/`);
    // Loaded, or a module that failed (then the problems say why).
    await Promise.race([
      page.waitForFunction(() => 'loaded' in window),
      new Promise((done) => page.once('pageerror', done)),
    ]);
    expect(problems).toEqual([]);
    const defined = await page.evaluate(
      (tags) => tags.filter((t) => customElements.get(t) !== undefined),
      TAGS,
    );
    expect(defined).toEqual(TAGS);
    const exported =
      (await page.evaluate(() => (window as unknown as { loaded: string[] }).loaded)) ?? [];
    for (const name of [
      'configure',
      'setMessages',
      'setOrganization',
      'defineElements',
      'ELEMENTS',
    ])
      expect(exported).toContain(name);
    // Upgraded in place: the tag on the page is the element class.
    expect(
      await page.evaluate(
        () =>
          document.querySelector('atakora-members') instanceof
          customElements.get('atakora-members')!,
      ),
    ).toBe(true);
    // Every module the browser asked for is the package's own.
    expect(requested.filter((p) => p !== '/' && !p.startsWith('/dist/'))).toEqual([]);
    await context.close();
  });
});
