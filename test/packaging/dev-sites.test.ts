/**
 * `atakora dev` serves each site — its files, its atakora.config.json pointing at the local API and the
 * dev sign-in, SPA fallback, the deployed security headers, nothing outside its folder — and a page served
 * there signs in and calls the API in a real browser (Debian's Chromium through playwright-core).
 */
import { mkdirSync } from 'node:fs';
import { request } from 'node:http';
import { join, resolve } from 'node:path';
import { type TestBrowser, testBrowser } from '../support/browser.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDev, type DevSession } from '../../src/cli/dev/session/session.js';
import { devUserOf } from '../../src/cli/dev/sign-in/sign-in.js';
import { devSiteBanner } from '../../src/cli/dev/sites/sites.js';
import type { AtakoraSiteConfig } from '../../src/model/site-config.js';

const root = resolve(import.meta.dirname, '../..');
const artifacts = join(root, 'test-artifacts');
let dev: DevSession;
let browser: TestBrowser | undefined;
beforeAll(async () => {
  dev = await startDev('examples/team-notes/backend.ts', {
    user: devUserOf('alice@contoso')!,
    log: () => undefined,
  });
});
afterAll(async () => {
  await browser?.close();
  await dev?.stop();
});

const site = () => dev.sites[0]!;
/** A GET with the path sent as written (fetch would normalise `..` away). */
const rawGet = (path: string, headers: Record<string, string> = {}) =>
  new Promise<{ status: number; body: string }>((done, fail) => {
    const url = new URL(site().url);
    request({ host: url.hostname, port: url.port, path, method: 'GET', headers }, (res) => {
      let body = '';
      res.on('data', (d: Buffer) => {
        body += d.toString();
      });
      res.on('end', () => {
        done({ status: res.statusCode ?? 0, body });
      });
    })
      .on('error', fail)
      .end();
  });

describe('atakora dev serves each site', () => {
  it('on a local URL the banner prints, with the site origin in the API dev CORS', () => {
    expect(dev.sites.map((s) => s.componentId)).toEqual(['TeamNotesWeb']);
    expect(site().url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
    expect(devSiteBanner(dev.sites)).toEqual([`site TeamNotesWeb ${site().url}`]);
    expect(dev.origins).toContain(site().url.replace(/\/$/, ''));
  });

  it('serves atakora.config.json pointing at the local API and the dev sign-in', async () => {
    const res = await fetch(new URL('atakora.config.json', site().url));
    expect(res.status).toBe(200);
    const config = (await res.json()) as AtakoraSiteConfig;
    expect(config).toEqual({
      apis: { notes: `${dev.apps[0]!.url}/api/notes` },
      dev: { userHeader: 'x-atakora-dev-user', user: 'alice@contoso' },
    });
  });

  it('sends the deployed security headers: CSP admitting the API, the realtime hub and Entra ID, nosniff, a referrer policy', async () => {
    const res = await fetch(site().url);
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('<title>Team notes</title>');
    const csp = res.headers.get('content-security-policy')!;
    expect(csp).toContain(
      `connect-src 'self' ${dev.apps[0]!.url} ${dev.realtimeEndpoint!.replace('http:', 'ws:')} ` +
        'https://login.microsoftonline.com',
    );
    expect(csp).toContain("script-src 'self'");
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('referrer-policy')).toBe('strict-origin-when-cross-origin');
  });

  it('falls back to index.html for client-side routes (enableSpaMode), 404 for missing assets', async () => {
    const route = await fetch(new URL('notes/42', site().url));
    expect([route.status, (await route.text()).includes('Team notes')]).toEqual([200, true]);
    expect((await fetch(new URL('missing.js', site().url))).status).toBe(404);
    expect((await fetch(new URL('staticwebapp.config.json', site().url))).status).toBe(404);
    expect((await fetch(site().url, { method: 'POST' })).status).toBe(405);
  });

  it('answers localhost Host headers only (no DNS rebinding)', async () => {
    expect((await rawGet('/', { host: 'evil.example.com' })).status).toBe(403);
    expect((await rawGet('/', { host: `localhost:${new URL(site().url).port}` })).status).toBe(200);
  });

  it('refuses paths that leave the site folder', async () => {
    for (const path of [
      '/../../package.json',
      '/%2e%2e/%2e%2e/package.json',
      '/..%2f..%2fpackage.json',
      '/%2e%2e%5c..%5cpackage.json',
      '/a%00.html',
    ]) {
      const res = await rawGet(path);
      expect(res.status, path).toBe(400);
      expect(res.body).not.toContain('"name"');
    }
  });

  it('a page served there signs in as the dev user, creates and lists notes through the API in a real browser', async () => {
    browser = await testBrowser();
    const page = await browser.newPage({ viewport: { width: 900, height: 600 } });
    const problems: string[] = [];
    page.on('pageerror', (e) => problems.push(e.message));
    page.on('console', (m) => {
      if (m.type() === 'error') problems.push(m.text());
    });
    await page.goto(site().url);
    await page.waitForSelector('#who[data-signed-in="true"]');
    expect(await page.textContent('#who')).toContain('alice@contoso');
    await page.waitForSelector('#notes[data-loaded="true"]', { state: 'attached' });
    for (const title of ['Ship the front end', 'Sign in from the page']) {
      await page.fill('#title', title);
      await page.click('button[type="submit"]');
      await page.waitForSelector(`li.note:has-text("${title}")`).catch(async (e: unknown) => {
        throw new Error(
          `${String(e)}\nstatus: ${String(await page.textContent('#status'))}\nbrowser: ${problems.join('\n')}`,
        );
      });
    }
    expect(await page.locator('li.note').allTextContents()).toEqual(
      expect.arrayContaining(['Ship the front end', 'Sign in from the page']),
    );
    expect(await page.textContent('#status')).toBe('');
    expect(problems, problems.join('\n')).toEqual([]);
    mkdirSync(artifacts, { recursive: true });
    await page.screenshot({ path: join(artifacts, 'team-notes.png') });
    // The notes live in the API: the tenant of the dev user holds them.
    const listed = await fetch(`${dev.apps[0]!.url}/api/notes`, {
      headers: { 'x-atakora-dev-user': 'alice@contoso' },
    });
    const { items } = (await listed.json()) as { items: { title: string; tenantId: string }[] };
    expect(
      items
        .filter((i) => i.tenantId === 'contoso')
        .map((i) => i.title)
        .sort(),
    ).toEqual(['Ship the front end', 'Sign in from the page']);
  });

  it('two browsers on the live list: a note one adds appears in the other without a reload, from the hub', async () => {
    browser ??= await testBrowser();
    const problems: string[] = [];
    const open = async () => {
      const context = await browser!.newContext({ viewport: { width: 900, height: 600 } });
      const page = await context.newPage();
      page.on('pageerror', (e) => problems.push(e.message));
      page.on('console', (m) => {
        if (m.type() === 'error') problems.push(m.text());
      });
      await page.goto(site().url);
      // Connected to the dev hub (the page's CSP lets the ws:// origin in) and listed once.
      await page.waitForSelector('#notes[data-live="true"]', { state: 'attached' });
      return page;
    };
    const [writer, reader] = [await open(), await open()];
    // The page's own GETs of the list, counted from now (the page is a browser's: its globals as `Counted`).
    type Counted = { fetch: typeof fetch; lists?: () => number };
    const lists = await reader.evaluate(() => {
      const page = globalThis as unknown as Counted;
      let n = 0;
      const original = page.fetch.bind(page);
      page.fetch = (...args: Parameters<typeof fetch>) => {
        if (String(args[0]).endsWith('/api/notes') && (args[1]?.method ?? 'GET') === 'GET') n += 1;
        return original(...args);
      };
      page.lists = () => n;
      return n;
    });
    await writer.fill('#title', 'Heard live');
    await writer.click('button[type="submit"]');
    await reader.waitForSelector('li.note:has-text("Heard live")').catch(async (e: unknown) => {
      throw new Error(
        `${String(e)}\nreader status: ${String(await reader.textContent('#status'))}\n${problems.join('\n')}`,
      );
    });
    // The reader listed again because an event came, not on a timer of its own.
    expect(
      await reader.evaluate(() => (globalThis as unknown as Counted).lists?.() ?? 0),
    ).toBeGreaterThan(lists);
    expect(dev.realtimeEndpoint).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(problems, problems.join('\n')).toEqual([]);
    mkdirSync(artifacts, { recursive: true });
    await reader.screenshot({ path: join(artifacts, 'team-notes-live.png') });
  });
});
