/**
 * Silent token renewal on the site's own headers: MSAL.js renews tokens in a hidden iframe that Entra ID
 * redirects to the site's redirect URI (Learn, "Avoid page reloads when acquiring and renewing tokens silently
 * using MSAL.js"), i.e. the site frames itself. The headers atakora dev serves — the same as the deployed
 * staticwebapp.config.json's globalHeaders (kit/pure/site-headers.ts) — must let the site's own origin frame it
 * and still refuse every other origin. Checked in Debian's Chromium through playwright-core.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Page } from 'playwright-core';
import { type TestBrowser, testBrowser } from '../support/browser.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defineBackend } from '../../src/backend/define-backend.js';
import { createDevSites, type DevSiteHost } from '../../src/cli/dev/sites/sites.js';
import { DEFAULT_DEV_USER } from '../../src/cli/dev/sign-in/sign-in.js';
import { CrudApi } from '../../src/components/crud/index.js';
import { StaticSite } from '../../src/components/web/index.js';
import { siteWebAppConfig } from '../../src/kit/pure/site-headers.js';

let dir: string;
let sites: DevSiteHost;
let other: Server;
let otherOrigin: string;
let browser: TestBrowser;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'atakora-framing-'));
  mkdirSync(join(dir, 'web'));
  // The app's page frames its own redirect page, as MSAL's hidden renewal iframe does after Entra's redirect.
  writeFileSync(
    join(dir, 'web', 'index.html'),
    '<!doctype html><title>app</title><iframe id="renew" src="/redirect.html"></iframe>\n',
  );
  writeFileSync(
    join(dir, 'web', 'redirect.html'),
    '<!doctype html><title>redirect</title><p id="ok">renewed</p>\n',
  );
  const backend = defineBackend({
    notes: CrudApi.define('NoteApi', { entityName: 'Note', schema: { id: 'string' } }),
    web: StaticSite.define('Web', { sourceDirectory: './web' }),
  });
  sites = createDevSites({
    user: DEFAULT_DEV_USER,
    apps: () => [],
    log: () => undefined,
    cwd: dir,
  });
  await sites.update(backend.plan());
  // Another origin (another port) whose page tries to frame the site's redirect page: a clickjacking attempt.
  other = createServer((_req, res) => {
    res
      .writeHead(200, { 'content-type': 'text/html; charset=utf-8' })
      .end(
        `<!doctype html><title>other</title><iframe id="renew" src="${sites.sites[0]!.url}redirect.html"></iframe>\n`,
      );
  });
  await new Promise<void>((done) => {
    other.listen(0, '127.0.0.1', done);
  });
  otherOrigin = `http://127.0.0.1:${String((other.address() as AddressInfo).port)}`;
  browser = await testBrowser();
});

afterAll(async () => {
  await browser?.close();
  await sites?.stop();
  await new Promise<void>((done) => {
    if (other)
      other.close(() => {
        done();
      });
    else done();
  });
  rmSync(dir, { recursive: true, force: true });
});

/** Open `url`, wait for its iframe to settle, and say whether the framed redirect page rendered. */
async function framed(url: string): Promise<{ rendered: boolean; console: string[] }> {
  const page: Page = await browser.newPage();
  const console: string[] = [];
  page.on('console', (m) => {
    console.push(m.text());
  });
  try {
    await page.goto(url, { waitUntil: 'load' });
    const child = page.frames().find((f) => f !== page.mainFrame());
    const rendered = child ? (await child.$('#ok').catch(() => null)) !== null : false;
    return { rendered, console };
  } finally {
    await page.close();
  }
}

describe("the site's headers allow MSAL's silent renewal iframe, and only from the site's own origin", () => {
  it('the headers: frame-ancestors self, X-Frame-Options SAMEORIGIN, the site itself a frame source', async () => {
    const res = await fetch(new URL('redirect.html', sites.sites[0]!.url));
    const csp = res.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("frame-ancestors 'self'");
    expect(csp).toContain("frame-src 'self' https://login.microsoftonline.com");
    expect(res.headers.get('x-frame-options')).toBe('SAMEORIGIN');
    // The deployed staticwebapp.config.json carries the same headers.
    const deployed = siteWebAppConfig({}, [])['globalHeaders'] as Record<string, string>;
    expect(deployed['X-Frame-Options']).toBe('SAMEORIGIN');
    expect(deployed['Content-Security-Policy']).toContain("frame-ancestors 'self'");
  });

  it('a page of the site frames its redirect page: it loads', async () => {
    const { rendered, console } = await framed(sites.sites[0]!.url);
    expect(rendered, console.join('\n')).toBe(true);
  });

  it('a page of another origin framing the redirect page is refused by the browser', async () => {
    const { rendered, console } = await framed(`${otherOrigin}/`);
    expect(rendered).toBe(false);
    expect(console.join('\n')).toMatch(/frame-ancestors|X-Frame-Options/);
  });
});
