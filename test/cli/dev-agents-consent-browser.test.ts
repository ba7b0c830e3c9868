/**
 * The consent page as a person meets it under `atakora dev` (DESIGN §2, "Agents that sign in to an organization"):
 * Chromium opens the authorize URL an agent sent it to, signed in by dev's session user, picks the organization and
 * clicks Allow (or Deny) — the browser lands on the agent's redirect URI with the code, `state` and `iss` (or
 * `error=access_denied`), and the code exchanges for tokens. The page's own policy must let the form's answer reach
 * the agent: Chromium applies a Content-Security-Policy's `form-action` to the redirect that answers a form post.
 */
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer as createHttpServer, type Server as HttpServer } from 'node:http';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DevSession, startDev } from '../../src/cli/dev/session/session.js';
import type { Page } from 'playwright-core';
import { type TestBrowser, testBrowser } from '../support/browser.js';
import { userCa } from '../support/user-ca.js';

const work = mkdtempSync(join(tmpdir(), 'atakora-dev-consent-'));
const before = process.env['NODE_EXTRA_CA_CERTS'];
let metadata: Server;
let callback: HttpServer;
let redirect = '';
let clientId = '';
let dev: DevSession;
let api = '';
let browser: TestBrowser;

const listen = async (s: Server | HttpServer) => {
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  return String((s.address() as AddressInfo).port);
};

beforeAll(async () => {
  // The agent's redirect: a loopback page that records what the browser brought it.
  callback = createHttpServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'text/html' }).end('<title>connected</title>connected');
  });
  redirect = `http://localhost:${await listen(callback)}/callback`;
  const ca = userCa('Consent Dev Root');
  const tls = ca.issue(['127.0.0.1', 'localhost']);
  const caFile = join(work, 'root.pem');
  writeFileSync(caFile, ca.cert);
  metadata = createServer({ cert: tls.cert, key: tls.key }, (_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'max-age=300' });
    res.end(
      JSON.stringify({
        client_id: clientId,
        client_name: 'Browser Agent',
        redirect_uris: [redirect],
        token_endpoint_auth_method: 'none',
      }),
    );
  });
  clientId = `https://localhost:${await listen(metadata)}/agent.json`;
  process.env['NODE_EXTRA_CA_CERTS'] = caFile;
  dev = await startDev('test/cli/fixtures/verify/org-keys.ts', {
    log: () => undefined,
    stateDir: join(work, 'state'),
    sitePort: 0,
    port: 0,
  });
  const app = dev.apps.find((a) => a.functions.some((f) => f.name === 'atakora-mcp'));
  api = `${app?.url ?? ''}/api`;
  browser = await testBrowser();
});

afterAll(async () => {
  if (before === undefined) delete process.env['NODE_EXTRA_CA_CERTS'];
  else process.env['NODE_EXTRA_CA_CERTS'] = before;
  await browser?.close();
  await dev?.stop();
  for (const s of [metadata, callback]) {
    s?.closeAllConnections();
    await new Promise((r) => s?.close(r));
  }
  rmSync(work, { recursive: true, force: true });
});

const pkce = () => {
  const verifier = randomBytes(32).toString('base64url');
  return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') };
};

const authorizeUrl = (challenge: string, state: string) =>
  `${api}/oauth/authorize?${new URLSearchParams({
    response_type: 'code',
    client_id: clientId,
    redirect_uri: redirect,
    code_challenge: challenge,
    code_challenge_method: 'S256',
    state,
    scope: 'mcp',
    resource: `${api}/mcp`,
  }).toString()}`;

/**
 * Click Allow or Deny and answer where the browser landed: the agent's redirect, or — when the page's policy blocked
 * the form's redirect — the console's report of it (Chromium logs "Refused to send form data to … because it violates
 * the following Content Security Policy directive"), so a block fails at once instead of waiting for a hang.
 */
async function submit(page: Page, decision: 'allow' | 'deny'): Promise<URL> {
  const blocked = new Promise<string>((resolve) =>
    page.on('console', (m) => {
      if (/Content Security Policy/i.test(m.text())) resolve(m.text());
    }),
  );
  const answered = page.waitForResponse(
    (r) => r.request().method() === 'POST' && r.url().startsWith(`${api}/oauth/authorize`),
  );
  const landed = page.waitForURL((u) => u.href.startsWith(redirect)).then(() => '');
  await page.click(`button[value="${decision}"]`);
  // The form's answer: dev's sign-in must know the person posting it (it answered 401 when the page's referrer
  // policy made Chromium send `Origin: null`, which dev takes for a foreign page)…
  const status = await Promise.race([answered.then((r) => String(r.status())), blocked]);
  expect(status).toBe('302');
  // …and the page's policy must let the browser follow the answer to the agent (form-action).
  const refused = await Promise.race([landed, blocked]);
  expect(refused).toBe('');
  return new URL(page.url());
}

describe('the consent page in Chromium under atakora dev', () => {
  it('Allow lands the browser on the agent’s redirect with code, state and iss; the code exchanges', async () => {
    // dev's session user (no header: the browser's caller) owns an organization.
    const made = await fetch(`${api}/tenants`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'Browser Org' }),
    });
    expect(made.status).toBe(201);
    const organization = String(((await made.json()) as { id?: unknown }).id);

    const { verifier, challenge } = pkce();
    const page = await browser.newPage();
    const shown = await page.goto(authorizeUrl(challenge, 'st-allow'));
    expect(shown?.status()).toBe(200);
    expect(await page.content()).toContain('Browser Agent');
    await page.selectOption('select[name="organization"]', organization);
    const back = await submit(page, 'allow');
    expect(back.searchParams.get('state')).toBe('st-allow');
    expect(back.searchParams.get('iss')).toBe(api);
    const code = back.searchParams.get('code') ?? '';
    expect(code).not.toBe('');
    const tokens = await fetch(`${api}/oauth/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'authorization_code',
        code,
        client_id: clientId,
        redirect_uri: redirect,
        code_verifier: verifier,
      }),
    });
    expect(tokens.status).toBe(200);
    await page.close();
  });

  it('Deny lands the browser on the agent’s redirect with error=access_denied, state and iss', async () => {
    const page = await browser.newPage();
    await page.goto(authorizeUrl(pkce().challenge, 'st-deny'));
    const back = await submit(page, 'deny');
    expect(back.searchParams.get('error')).toBe('access_denied');
    expect(back.searchParams.get('state')).toBe('st-deny');
    expect(back.searchParams.get('iss')).toBe(api);
    expect(back.searchParams.get('code')).toBe(null);
    await page.close();
  });
});
