/**
 * examples/billing deployed: the page signs in as a deployment does — MSAL.js (the real @azure/msal-browser, its
 * msal-browser.min.js beside index.html) with the site config's `auth` — and the elements (the bundle a deployment
 * copies beside index.html) and the page's own requests carry the access token MSAL gives. The sign-in host is the
 * loopback stand-in of test/support/ciam-standin.ts (redirect, email one-time code, the code exchange with PKCE);
 * the API is a stand-in that answers only a request bearing a token for the API's client id (401 otherwise) and
 * records what it was asked. Under `atakora dev` the same page signs in with dev's user
 * (test/examples/billing-browser.test.ts).
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { extname, join, resolve } from 'node:path';
import type { Route } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestBrowser, testBrowser } from '../support/browser.js';
import { type CiamStandIn, startCiamStandIn } from '../support/ciam-standin.js';
import { EVENTUALLY } from '../support/patience.js';
import { elementsBundleTo } from '../elements/elements-bundle-cache.js';

const root = resolve(import.meta.dirname, '../..');
const TENANT = '6f1c2b3a-0000-4000-8000-00000000b111';
const API_ID = '11111111-0000-4000-8000-0000000000b1';
const SPA_ID = '22222222-0000-4000-8000-0000000000b2';
const API = 'https://func-plans.example.net/api';
/** The site config a deployment writes (atakora.config.json): the API's routes and the SPA registration. */
const CONFIG = {
  apis: { projects: `${API}/projects` },
  auth: {
    clientId: SPA_ID,
    authority: `https://plansid.ciamlogin.com/${TENANT}`,
    scopes: [`api://${API_ID}/user_impersonation`],
  },
};

let work = '';
let ciam: CiamStandIn;
let browser: TestBrowser | undefined;
beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'atakora-billing-msal-'));
  await elementsBundleTo(join(work, 'atakora-elements.js'));
  ciam = await startCiamStandIn('plansid', TENANT, API_ID);
});
afterAll(async () => {
  await browser?.close();
  await ciam?.close();
  rmSync(work, { recursive: true, force: true });
});

/** examples/billing/site on 127.0.0.1 as deployed: the config, MSAL.js and the elements beside index.html. */
async function serveSite(): Promise<{ url: string; server: Server }> {
  const files: Record<string, string> = {
    '/msal-browser.min.js': join(root, 'node_modules/@azure/msal-browser/lib/msal-browser.min.js'),
    '/atakora-elements.js': join(work, 'atakora-elements.js'),
  };
  const server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    const name = path === '/' ? '/index.html' : path;
    if (name === '/atakora.config.json')
      return void res
        .writeHead(200, { 'content-type': 'application/json' })
        .end(JSON.stringify(CONFIG));
    const type = { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css' }[
      extname(name)
    ];
    try {
      const file = files[name] ?? join(root, 'examples/billing/site', name.replace(/^\/+/, ''));
      res
        .writeHead(200, { 'content-type': type ?? 'application/octet-stream' })
        .end(readFileSync(file));
    } catch {
      res.writeHead(404).end();
    }
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { url: `http://127.0.0.1:${String((server.address() as AddressInfo).port)}`, server };
}

/**
 * The API: a request whose bearer token is for the API (`aud` its client id) is answered — the person's
 * organizations (none yet) and the plans (none); anything else 404 — and one without is 401, as App Service
 * authentication answers it. Each request is recorded with the token's audience.
 */
async function apiStandIn(route: Route, asked: string[]): Promise<void> {
  const request = route.request();
  const cors = {
    'access-control-allow-origin': request.headers()['origin'] ?? '*',
    'access-control-allow-headers': '*',
  };
  if (request.method() === 'OPTIONS') return route.fulfill({ status: 204, headers: cors });
  const token = (request.headers()['authorization'] ?? '').replace(/^Bearer /, '');
  const claims = JSON.parse(
    Buffer.from(token.split('.')[1] ?? '', 'base64url').toString() || '{}',
  ) as { aud?: string };
  const path = new URL(request.url()).pathname;
  asked.push(`${request.method()} ${path} aud=${claims.aud ?? 'none'}`);
  if (claims.aud !== API_ID) return route.fulfill({ status: 401, headers: cors, body: '' });
  const json = (status: number, body: unknown) =>
    route.fulfill({
      status,
      headers: { ...cors, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
  if (path === '/api/me/tenants') return json(200, { items: [], continuationToken: null });
  if (path === '/api/plans') return json(200, { items: [] });
  return json(404, { type: 'about:blank', title: 'Not Found', status: 404, detail: path });
}

describe('examples/billing deployed: MSAL.js signs the page and its elements in', () => {
  it('redirects to sign in, then every request to the API carries the token MSAL gives', async () => {
    const { url, server } = await serveSite();
    browser ??= await testBrowser();
    const ctx = await browser.newContext();
    const asked: string[] = [];
    const problems: string[] = [];
    try {
      await ctx.route(/^https:\/\/[^/]+\.ciamlogin\.com\//, async (route) => {
        const u = new URL(route.request().url());
        const response = await route.fetch({
          url: `${ciam.base}${u.pathname}${u.search}`,
          maxRedirects: 0,
        });
        await route.fulfill({ response });
      });
      await ctx.route(`${new URL(API).origin}/**`, (route) => apiStandIn(route, asked));
      const page = await ctx.newPage();
      page.on('pageerror', (e) => problems.push(e.message));
      await page.goto(url);
      // No account yet: MSAL's redirect to the authorization endpoint, the authorization code flow with PKCE.
      await page.waitForURL(/ciamlogin\.com\/.*\/oauth2\/v2\.0\/authorize/);
      const authorize = new URL(page.url());
      expect(authorize.searchParams.get('client_id')).toBe(SPA_ID);
      expect(authorize.searchParams.get('scope')?.split(' ')).toContain(
        `api://${API_ID}/user_impersonation`,
      );
      expect(authorize.searchParams.get('code_challenge_method')).toBe('S256');
      expect(asked).toEqual([]);
      await page.fill('#email', 'Olivia@Example.com');
      await page.click('#send');
      await page.fill('#code', ciam.mailbox.get('olivia@example.com') ?? '');
      await page.click('#verify');
      // Back on the page, signed in: the elements read the person's organizations with the token.
      await page.waitForURL((u) => u.href.startsWith(url));
      await page.waitForFunction(
        () => document.querySelector('#who')?.textContent === 'Signed in as olivia@example.com',
      );
      await page.waitForSelector('atakora-organization-switcher[data-state="ready"]');
      await expect
        .poll(() => asked.filter((a) => a.startsWith('GET /api/me/tenants')), EVENTUALLY)
        .not.toEqual([]);
      expect(asked.filter((a) => !a.endsWith(`aud=${API_ID}`))).toEqual([]);
      expect(await page.textContent('#status')).toBe('');
      expect(problems).toEqual([]);
    } finally {
      await ctx.close();
      server.close();
    }
  });
});
