/**
 * examples/customers in a real browser (Debian's Chromium through playwright-core).
 *
 * Deployed: the site as `atakora deploy` uploads it — its atakora.config.json the synthesized stack's output, the
 * client ids resolved as Terraform would — signs a customer in with MSAL.js (the real @azure/msal-browser) against
 * a stand-in of the external tenant's ciamlogin.com host (test/support/ciam-standin.ts): the email one-time-code
 * pages, the code exchange; the access token then reaches the API, where a stand-in of App Service authentication
 * checks it exactly as the synthesized auth_settings_v2 says (issuer from the metadata under tenant_auth_endpoint,
 * audience the API's client id). The authority's tenant id path is what lets MSAL accept the external tenant's
 * issuer (`https://<tenant id>.ciamlogin.com/…`); the authority Learn's samples write (`https://<subdomain>.
 * ciamlogin.com/`) is shown refused, so the test fails if the site's authority loses it.
 *
 * Under `atakora dev`: `--user alice@example.com` signs in a customer, who creates a household and a list; another
 * customer sees neither.
 */
import { readFileSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { extname, join, resolve } from 'node:path';
import { type BrowserContext, type Route } from 'playwright-core';
import { type TestBrowser, testBrowser } from '../support/browser.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { type DevSession, startDev } from '../../src/cli/dev/session/session.js';
import { devUserOf } from '../../src/cli/dev/sign-in/sign-in.js';
import { capturedIo } from '../support/captured-io.js';
import { startCiamStandIn, type CiamStandIn } from '../support/ciam-standin.js';
import { EVENTUALLY } from '../support/patience.js';

const root = resolve(import.meta.dirname, '../..');
const entry = 'examples/customers/backend.ts';
const TENANT = '6f1c2b3a-0000-4000-8000-00000000c1a0';
const API_ID = '11111111-0000-4000-8000-0000000000a1';
const SPA_ID = '22222222-0000-4000-8000-0000000000b2';
let browser: TestBrowser | undefined;
const launch = async () => (browser ??= await testBrowser());
afterAll(async () => {
  await browser?.close();
});

/** The stack `atakora synth` writes for the example, its Terraform references resolved as apply would. */
async function deployedStack() {
  const out = mkdtempSync(join(tmpdir(), 'atakora-customers-'));
  try {
    const io = capturedIo();
    expect(await main(['synth', entry, '--out', out], io.io), io.err).toBe(0);
    const text = readFileSync(join(out, 'stacks/shop-dev/cdk.tf.json'), 'utf8')
      .replaceAll('${azuread_application.shop_entra_api.client_id}', API_ID)
      .replaceAll('${azuread_application.shop_staticsite_shopweb_spa.client_id}', SPA_ID);
    const stack = JSON.parse(text) as {
      output: Record<string, { value: string }>;
      resource: Record<string, Record<string, Record<string, unknown>>>;
    };
    const [app] = Object.values(stack.resource['azurerm_function_app_flex_consumption'] ?? {});
    const auth = (app?.['auth_settings_v2'] as { active_directory_v2: Record<string, unknown> })
      .active_directory_v2 as {
      client_id: string;
      tenant_auth_endpoint: string;
      allowed_audiences: string[];
    };
    const site = JSON.parse(stack.output['shop_web_site_config']?.value ?? '{}') as {
      apis: { lists: string };
      auth: { authority: string; clientId: string; scopes: string[] };
    };
    return { site, auth };
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}

/** The site's files on 127.0.0.1, with `config` as its atakora.config.json and MSAL.js beside index.html. */
async function serveSite(config: unknown): Promise<{ url: string; server: Server }> {
  const files: Record<string, string> = {
    '/atakora.config.json': JSON.stringify(config),
    '/msal-browser.min.js': join(root, 'node_modules/@azure/msal-browser/lib/msal-browser.min.js'),
  };
  const server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    const name = path === '/' ? '/index.html' : path;
    const type = { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css' }[
      extname(name)
    ];
    if (name === '/atakora.config.json')
      return void res.writeHead(200, { 'content-type': 'application/json' }).end(files[name]);
    try {
      const file = files[name] ?? join(root, 'examples/customers/site', name.replace(/^\/+/, ''));
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

describe('examples/customers deployed: MSAL.js against the external tenant', () => {
  let ciam: CiamStandIn;
  let stack: Awaited<ReturnType<typeof deployedStack>>;
  beforeAll(async () => {
    stack = await deployedStack();
    ciam = await startCiamStandIn('contosoid', TENANT, API_ID);
  });
  afterAll(async () => {
    await ciam?.close();
  });

  /** A context whose ciamlogin.com traffic reaches the stand-in and whose API calls meet App Service auth's checks. */
  async function context(verified: Record<string, unknown>[]): Promise<BrowserContext> {
    const ctx = await (await launch()).newContext();
    const toStandIn = async (route: Route) => {
      const u = new URL(route.request().url());
      const response = await route.fetch({
        url: `${ciam.base}${u.pathname}${u.search}`,
        maxRedirects: 0,
      });
      await route.fulfill({ response });
    };
    await ctx.route(/^https:\/\/[^/]+\.ciamlogin\.com\//, toStandIn);
    await ctx.route(/^https:\/\/login\.microsoftonline\.com\//, toStandIn);
    await ctx.route(`${new URL(stack.site.apis.lists).origin}/**`, (route) =>
      appServiceAuth(route, verified),
    );
    return ctx;
  }

  /**
   * App Service authentication as auth_settings_v2 configures it: the token's issuer is the one the metadata under
   * tenant_auth_endpoint names, its audience the client id or an allowed audience, not expired; then the API's
   * answer (an empty list of households).
   */
  async function appServiceAuth(route: Route, verified: Record<string, unknown>[]) {
    const cors = {
      'access-control-allow-origin': route.request().headers()['origin'] ?? '*',
      'access-control-allow-headers': '*',
    };
    if (route.request().method() === 'OPTIONS')
      return route.fulfill({ status: 204, headers: cors });
    const metadataUrl = `${stack.auth.tenant_auth_endpoint}/.well-known/openid-configuration`;
    const metadata = (await (
      await fetch(`${ciam.base}${new URL(metadataUrl).pathname}`)
    ).json()) as { issuer: string };
    const token = (route.request().headers()['authorization'] ?? '').replace(/^Bearer /, '');
    const claims = JSON.parse(
      Buffer.from(token.split('.')[1] ?? '', 'base64url').toString() || '{}',
    ) as Record<string, unknown>;
    const audiences = [stack.auth.client_id, ...stack.auth.allowed_audiences];
    const ok =
      claims['iss'] === metadata.issuer &&
      audiences.includes(String(claims['aud'])) &&
      Number(claims['exp']) > Date.now() / 1000;
    if (!ok) return route.fulfill({ status: 401, headers: cors, body: '' });
    verified.push(claims);
    return route.fulfill({
      status: 200,
      headers: { ...cors, 'content-type': 'application/json' },
      body: '{"items":[]}',
    });
  }

  it('signs a customer in with an email code and calls the API with a token App Service authentication accepts', async () => {
    const { url, server } = await serveSite(stack.site);
    const verified: Record<string, unknown>[] = [];
    const ctx = await context(verified);
    const problems: string[] = [];
    try {
      const page = await ctx.newPage();
      page.on('pageerror', (e) => problems.push(e.message));
      await page.goto(url);
      await page.waitForURL(/ciamlogin\.com\/.*\/oauth2\/v2\.0\/authorize/);
      const authorize = new URL(page.url());
      expect(authorize.host).toBe('contosoid.ciamlogin.com');
      expect(authorize.pathname).toBe(`/${TENANT}/oauth2/v2.0/authorize`);
      expect(authorize.searchParams.get('client_id')).toBe(SPA_ID);
      expect(authorize.searchParams.get('scope')?.split(' ')).toContain(
        `api://${API_ID}/user_impersonation`,
      );
      expect(authorize.searchParams.get('code_challenge_method')).toBe('S256');
      await page.fill('#email', 'Alice@Example.com');
      await page.click('#send');
      await page.fill('#code', ciam.mailbox.get('alice@example.com') ?? '');
      await page.click('#verify');
      await page.waitForSelector('#who[data-signed-in="true"]');
      expect(await page.textContent('#who')).toBe('Signed in as alice@example.com');
      await expect.poll(() => verified.length, EVENTUALLY).toBeGreaterThan(0);
      expect(verified[0]).toMatchObject({
        aud: API_ID,
        iss: `https://${TENANT}.ciamlogin.com/${TENANT}/v2.0`,
        tid: TENANT,
        scp: 'user_impersonation',
        email: 'alice@example.com',
        xms_edov: true,
      });
      expect(ciam.requests).toContain(`GET /${TENANT}/v2.0/.well-known/openid-configuration`);
      expect(await page.textContent('#status')).toBe('');
      expect(problems).toEqual([]);
    } finally {
      await ctx.close();
      server.close();
    }
  });

  it("refuses the name-only authority of Learn's samples: MSAL cannot match the tenant-id issuer", async () => {
    ciam.requests.length = 0;
    const { url, server } = await serveSite({
      ...stack.site,
      auth: { ...stack.site.auth, authority: 'https://contosoid.ciamlogin.com/' },
    });
    const ctx = await context([]);
    try {
      const page = await ctx.newPage();
      await page.goto(url);
      // The metadata was there (under the domain name, the same issuer): MSAL's issuer check refused it
      // (msal-common Authority.validateIssuer: the issuer's host must be the authority's tenant, here 'contosoid'),
      // which MSAL reports as its endpoints failing to resolve.
      await expect
        .poll(async () => page.textContent('#status'), EVENTUALLY)
        .toMatch(/endpoints_resolution_error/);
      expect(ciam.requests).toContain(
        'GET /contosoid.onmicrosoft.com/v2.0/.well-known/openid-configuration',
      );
      expect(ciam.requests.some((r) => r.includes('/authorize'))).toBe(false);
      expect(page.url().startsWith(url)).toBe(true);
    } finally {
      await ctx.close();
      server.close();
    }
  });
});

describe('examples/customers under atakora dev', () => {
  let dev: DevSession;
  beforeAll(async () => {
    const alice = devUserOf('alice@example.com');
    if (!alice) throw new Error('no dev user');
    dev = await startDev(entry, { user: alice, log: () => undefined, quietWorkers: true });
  });
  afterAll(async () => {
    await dev?.stop();
  });

  it('--user alice@example.com signs a customer in, who keeps a household of her own', async () => {
    const ctx = await (await launch()).newContext();
    try {
      const page = await ctx.newPage();
      const problems: string[] = [];
      page.on('pageerror', (e) => problems.push(e.message));
      await page.goto(dev.sites[0]?.url ?? '');
      await page.waitForSelector('#who[data-signed-in="true"]');
      expect(await page.textContent('#who')).toBe('Signed in as alice@example.com (atakora dev)');
      await page.fill('#home-name', 'The Smiths');
      await page.click('#new-home button');
      await page.waitForSelector('#home-title:has-text("The Smiths")');
      await page.fill('#list-name', 'Groceries');
      await page.click('#new-list button');
      // The list, or the page's error (shown in #status) at once rather than a bare timeout.
      await page.waitForSelector('li.list:has-text("Groceries"), #status:not(:empty)');
      expect(await page.textContent('#status')).toBe('');
      expect(await page.locator('li.list').allTextContents()).toEqual(['Groceries']);
      expect(problems).toEqual([]);
      // Another customer, asked directly: no household, and Alice's is not theirs to read.
      const api = dev.apps[0]?.url ?? '';
      const bob = { 'x-atakora-dev-user': 'bob@example.com' };
      const mine = (await (await fetch(`${api}/api/me/tenants`, { headers: bob })).json()) as {
        items: unknown[];
      };
      expect(mine.items).toEqual([]);
      const smiths = (await (
        await fetch(`${api}/api/me/tenants`, {
          headers: { 'x-atakora-dev-user': 'alice@example.com' },
        })
      ).json()) as { items: { id: string }[] };
      const lists = await fetch(`${api}/api/lists`, {
        headers: { ...bob, 'x-atakora-tenant': smiths.items[0]?.id ?? '' },
      });
      expect(lists.status).toBe(403);
    } finally {
      await ctx.close();
    }
  });
});
