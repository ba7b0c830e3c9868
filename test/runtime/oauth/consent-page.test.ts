/**
 * The consent page (DESIGN.md §2) in Chromium: the client's name (escaped: the client chooses it) and host, the
 * redirect's host with a warning for localhost, the person, the organization picker and what the agent may do in
 * each; Allow posts the CSRF token bound to the person and the request; the page refuses to be framed.
 */
import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { consentToken, consentTokenValid } from '../../../src/runtime/mcp/oauth/consent-csrf.js';
import {
  CONSENT_HEADERS,
  type ConsentView,
  consentPage,
  refusalPage,
} from '../../../src/runtime/mcp/oauth/consent-page.js';
import { type TestBrowser, testBrowser } from '../../support/browser.js';

const KEY = randomBytes(32);
const QUERY = '?response_type=code&client_id=https%3A%2F%2Fclaude.ai%2Fc.json&state=s';
const PERSON = 'alice@contoso.com';
let browser: TestBrowser;
let page: Server;
let framer: Server;
let base = '';
let framerBase = '';
let view: ConsentView;
const posted: URLSearchParams[] = [];

const listen = async (s: Server) => {
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  return (s.address() as AddressInfo).port;
};

beforeAll(async () => {
  browser = await testBrowser();
  page = createServer((req, res) => {
    if (req.method === 'POST') {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        posted.push(new URLSearchParams(body));
        res.writeHead(200, { 'content-type': 'text/plain' }).end('posted');
      });
      return;
    }
    // The control: the same page without its headers, which a frame does show.
    if (req.url === '/unprotected') {
      res.writeHead(200, { 'content-type': 'text/html' }).end(consentPage(view));
      return;
    }
    res.writeHead(200, CONSENT_HEADERS).end(consentPage(view));
  });
  base = `http://127.0.0.1:${String(await listen(page))}`;
  framer = createServer((req, res) => {
    const src =
      req.url === '/control' ? `${base}/unprotected` : `${base}/api/oauth/authorize${QUERY}`;
    res
      .writeHead(200, { 'content-type': 'text/html' })
      .end(`<!doctype html><iframe id="f" src="${src}"></iframe>`);
  });
  framerBase = `http://localhost:${String(await listen(framer))}`;
  view = {
    clientName: '<img src=x onerror="document.title=\'pwned\'">Claude',
    clientHost: 'claude.ai',
    redirectUri: 'http://localhost:6274/oauth/callback',
    person: PERSON,
    organizations: [
      { id: 'acme', name: 'Acme', abilities: [{ entity: 'Ticket', access: 'write' }] },
      { id: 'globex', name: 'Globex', abilities: [{ entity: 'Ticket', access: 'read' }] },
    ],
    action: `${base}/api/oauth/authorize${QUERY}`,
    csrf: consentToken(KEY, PERSON, QUERY, Date.now()),
  };
});
afterAll(async () => {
  await browser.close();
  for (const s of [page, framer]) {
    s.closeAllConnections();
    await new Promise((r) => s.close(r));
  }
});

describe('the consent page', () => {
  it('names the client (escaped) and its host, the redirect host with a localhost warning, the person and the organizations', async () => {
    const p = await browser.newPage();
    await p.goto(`${base}/api/oauth/authorize${QUERY}`);
    expect(await p.textContent('#client-name')).toBe(view.clientName);
    expect(await p.title()).not.toBe('pwned');
    expect(await p.locator('img').count()).toBe(0);
    expect(await p.textContent('#client-host')).toBe('claude.ai');
    expect(await p.textContent('#redirect-host')).toBe('localhost:6274');
    expect(await p.isVisible('#localhost-warning')).toBe(true);
    expect(await p.textContent('#person')).toBe(PERSON);
    expect(await p.locator('#organization option').allTextContents()).toEqual(['Acme', 'Globex']);
    expect(await p.textContent('[data-organization="acme"]')).toContain('Read and change Ticket');
    expect(await p.textContent('[data-organization="globex"]')).toContain('Read Ticket');
    await p.close();
  });

  it('Allow posts the organization picked and a CSRF token bound to the person and the request', async () => {
    const p = await browser.newPage();
    await p.goto(`${base}/api/oauth/authorize${QUERY}`);
    await p.selectOption('#organization', 'globex');
    await p.click('button[value="allow"]');
    await p.waitForLoadState();
    const form = posted.at(-1);
    expect(form?.get('decision')).toBe('allow');
    expect(form?.get('organization')).toBe('globex');
    const csrf = form?.get('csrf');
    expect(consentTokenValid(KEY, csrf, PERSON, QUERY, Date.now())).toBe(true);
    // Bound: another person, another request, a later time, another key, or tampering is refused.
    expect(consentTokenValid(KEY, csrf, 'mallory@contoso.com', QUERY, Date.now())).toBe(false);
    expect(consentTokenValid(KEY, csrf, PERSON, `${QUERY}&x=1`, Date.now())).toBe(false);
    expect(consentTokenValid(KEY, csrf, PERSON, QUERY, Date.now() + 11 * 60_000)).toBe(false);
    expect(consentTokenValid(randomBytes(32), csrf, PERSON, QUERY, Date.now())).toBe(false);
    expect(consentTokenValid(KEY, `${csrf ?? ''}x`, PERSON, QUERY, Date.now())).toBe(false);
    for (const junk of [undefined, '', '.', 'a.b.c', 42])
      expect(consentTokenValid(KEY, junk, PERSON, QUERY, Date.now())).toBe(false);
    await p.close();
  });

  it('is never framed by another page', async () => {
    const p = await browser.newPage();
    await p.goto(framerBase);
    const frame = p.frames().find((f) => f !== p.mainFrame());
    // Chromium blocks the frame (CSP frame-ancestors 'none'): its document is an error page, not the form.
    const hasForm = await frame
      ?.locator('form')
      .count()
      .catch(() => 0);
    expect(hasForm ?? 0).toBe(0);
    await p.close();
  });

  it('a refusal is explained, not redirected, with the same headers', () => {
    const r = refusalPage(400, 'invalid_client', '<script>x</script>');
    expect(r.status).toBe(400);
    expect(r.headers).toBe(CONSENT_HEADERS);
    expect(String(r.body)).toContain('&lt;script&gt;');
    expect(String(r.body)).not.toContain('<script>');
  });
});
