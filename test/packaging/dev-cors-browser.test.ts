/**
 * A page on another origin reads the headers it acts on — ETag, Location, x-ms-continuation, RateLimit,
 * RateLimit-Policy, Retry-After — in a real browser (Debian's Chromium through playwright-core) under `atakora dev`,
 * whose host plays App Service's CORS as the platform does: the allowed origin and the preflights, no exposed
 * header of its own. So what the page reads, the runtime exposed (runtime/http/cors-expose.ts), as it does in
 * Azure. The page also calls through the typed client (bundled as a user's bundler would): a 429 is a ProblemError
 * with `retryAfter` and the limit's `policy`.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { build } from 'esbuild';
import { type TestBrowser, testBrowser } from '../support/browser.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDev, type DevSession } from '../../src/cli/dev/session/session.js';

const root = resolve(import.meta.dirname, '../..');
const work = mkdtempSync(join(root, '.tmp-cors-browser-'));
let dev: DevSession | undefined;
let browser: TestBrowser | undefined;

const BACKEND = `
import { defineBackend } from '@atakora/component/backend';
import { CrudApi } from '@atakora/component/crud';
import { StaticSite } from '@atakora/component/web';

export default defineBackend(
  {
    notes: CrudApi.define('NoteApi', {
      entityName: 'Note',
      schema: { id: 'string', title: { type: 'string', required: true } },
      partitionKey: '/tenantId',
    }),
    web: StaticSite.define('CorsWeb', { sourceDirectory: ${JSON.stringify(join(work, 'site'))} }),
  },
  {
    backendId: 'cors',
    environment: 'dev',
    auth: { signInAudience: 'AzureADMultipleOrgs', allowedTenants: 'registry' },
    tenants: { plans: { free: { requestsPerMinute: 6 } }, defaultPlan: 'free' },
  },
);
`;

// The page: plain fetch for the headers, then the typed client for its ProblemError. It writes what it read into
// #out and marks the body done (selectors only: the site's CSP has no 'unsafe-eval' for page functions).
const APP = `
import { createClient, ProblemError } from './client.js';
const config = await (await fetch('/atakora.config.json')).json();
const who = { [config.dev.userHeader]: config.dev.user };
const url = config.apis.notes;
const read = (r) => Object.fromEntries(
  ['etag', 'location', 'x-ms-continuation', 'ratelimit', 'ratelimit-policy', 'retry-after', 'x-content-type-options']
    .map((h) => [h, r.headers.get(h)]),
);
const out = { origin: location.origin, api: new URL(url).origin };
const post = (title) => fetch(url, { method: 'POST', headers: { ...who, 'content-type': 'application/json' }, body: JSON.stringify({ title }) });
const created = await post('a');
await post('b');
out.created = { status: created.status, ...read(created) };
const page = await fetch(url + '?$first=1', { headers: who });
out.page = { status: page.status, ...read(page) };
let refused;
for (let i = 0; i < 30 && !refused; i++) {
  const r = await fetch(url, { headers: who });
  if (r.status === 429) refused = r;
}
out.refused = refused ? { status: refused.status, ...read(refused), body: await refused.json() } : null;
const client = createClient({
  baseUrls: { notes: url },
  getToken: () => undefined,
  fetch: (input, init = {}) => fetch(input, { ...init, headers: { ...init.headers, ...who } }),
});
for (let i = 0; i < 30 && !out.client; i++) {
  try {
    await client.notes.list().page();
  } catch (e) {
    if (e instanceof ProblemError && e.status === 429)
      out.client = { code: e.code, retryAfter: e.retryAfter, policy: e.policy, extensions: e.extensions };
    else out.client = { unexpected: String(e) };
  }
}
document.getElementById('out').textContent = JSON.stringify(out);
document.body.dataset.done = 'true';
`;

beforeAll(async () => {
  mkdirSync(join(work, 'site'), { recursive: true });
  writeFileSync(join(work, 'backend.ts'), BACKEND);
  writeFileSync(
    join(work, 'site/index.html'),
    '<!doctype html>\n<title>cors</title>\n<pre id="out"></pre>\n<script type="module" src="./app.js"></script>\n',
  );
  writeFileSync(join(work, 'site/app.js'), APP);
  // The client as a front end's bundler would ship it (the package's browser entry, one file).
  await build({
    entryPoints: [join(root, 'dist/entry/client.js')],
    bundle: true,
    format: 'esm',
    platform: 'browser',
    outfile: join(work, 'site/client.js'),
    logLevel: 'silent',
  });
  dev = await startDev(join(work, 'backend.ts'), { log: () => undefined, quietWorkers: true });
});
afterAll(async () => {
  await browser?.close();
  await dev?.stop();
  rmSync(work, { recursive: true, force: true });
});

describe('a page on another origin under atakora dev', () => {
  it('reads ETag, Location, the page token, the RateLimit pair and Retry-After; the client keeps them', async () => {
    browser = await testBrowser();
    const page = await browser.newPage();
    const problems: string[] = [];
    page.on('pageerror', (e) => problems.push(e.message));
    await page.goto(dev!.sites[0]!.url);
    await page.waitForSelector('body[data-done="true"]').catch((e: unknown) => {
      throw new Error(`${String(e)}\n${problems.join('\n')}`);
    });
    const out = JSON.parse((await page.textContent('#out')) ?? '{}') as Record<
      string,
      Record<string, unknown>
    >;
    // Cross-origin: the site and the API are served on different ports.
    expect(out['origin']).not.toBe(out['api']);
    expect(out['created']).toMatchObject({
      status: 201,
      etag: expect.stringMatching(/^".+"$/),
      location: expect.stringContaining('/api/notes/'),
      ratelimit: expect.stringContaining('"tenant";r='),
      'ratelimit-policy': '"tenant";q=6;w=60',
    });
    expect(out['page']).toMatchObject({ status: 200, 'x-ms-continuation': expect.any(String) });
    expect(out['refused']).toMatchObject({
      status: 429,
      'retry-after': expect.stringMatching(/^\d+$/),
      ratelimit: expect.stringContaining('"tenant";r=0'),
      body: { type: 'urn:atakora:problem:rate-limited', policy: 'tenant' },
    });
    // A header nobody exposes stays hidden from the page: the browser does enforce CORS here.
    expect(out['created']?.['x-content-type-options']).toBeNull();
    expect(out['client']).toEqual({
      code: 'rate-limited',
      retryAfter: expect.any(Number),
      policy: 'tenant',
      extensions: { policy: 'tenant' },
    });
    expect(Number(out['client']?.['retryAfter'])).toBeGreaterThan(0);
    expect(problems).toEqual([]);
  });
});
