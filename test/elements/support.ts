/**
 * The elements' browser tests' harness: a membership backend whose plans are packages (examples/billing/packages.ts's
 * three, sold through the Stripe stand-in) with a static site holding a page of every element and the elements'
 * bundle (scripts/elements-bundle.mjs, from the sources, built once per content: ./elements-bundle-cache.ts), under
 * `atakora dev`; pages signed in as any local user; axe-core with the WCAG 2.2 AA tags.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import axe, { type AxeResults } from 'axe-core';
import type { Page, Route } from 'playwright-core';
import { type DevSession, startDev } from '../../src/cli/dev/session/session.js';
import { devUserOf } from '../../src/cli/dev/sign-in/sign-in.js';
import { startStripeStandIn, type StripeStandIn } from '../../src/testing/stripe-standin.js';
import { type DnsStandIn, startDnsStandIn } from '../../src/testing/dns-standin.js';
import {
  type MarketplaceStandIn,
  startMarketplaceStandIn,
} from '../../src/testing/marketplace-standin.js';
import type { ConnectedAgent } from '../../src/contract/mcp/oauth/agents.js';
import { testBrowser } from '../support/browser.js';
import { elementsBundleTo } from './elements-bundle-cache.js';

const root = resolve(import.meta.dirname, '../..');

const BACKEND = (site: string, marketplace: boolean) => `
import { defineBackend } from '@atakora/component/backend';
import { CrudApi } from '@atakora/component/crud';
import { StaticSite } from '@atakora/component/web';

export default defineBackend(
  {
    projects: CrudApi.define('ProjectApi', {
      entityName: 'Project',
      schema: { id: { type: 'string', maxLength: 36 }, name: { type: 'string', required: true, maxLength: 120 } },
    }),
    web: StaticSite.define('PeopleWeb', { sourceDirectory: ${JSON.stringify(site)} }),
  },
  {
    backendId: 'people',
    environment: 'dev',
    tenants: {
      by: 'membership',
      createTenants: 'any-user',
      defaultPlan: 'free',
      // The routes that act in no organization (api/me/tenants, api/me/agents, api/plans) allow a person 60 requests
      // a minute by default; these tests load a page of all eight elements as three people many times a minute,
      // faster than anyone reloads by hand, and a quiet machine ran them past it (429 on the page).
      perUser: { requestsPerMinute: 6000 },
      plans: {
        free: { members: 3, items: { ProjectApi: 2 }, features: [], monthlyFeeUsd: 0 },
        team: {
          members: 25,
          items: { ProjectApi: 100 },
          features: ['domains', 'audit'],
          monthlyFeeUsd: 15,
          stripe: { price: 'price_1PeopleTeamSeat', perSeat: true, trialDays: 14 },
        },
        enterprise: {
          features: ['domains', 'directory', 'scim', 'audit', 'mcp'],
          stripe: { price: 'price_1PeopleEnterprs' },
        },
      },
      billing: {
        stripe: { secret: 'STRIPE_KEY', webhookSecret: 'STRIPE_WEBHOOK_SECRET', meters: {} },${marketplace ? MARKETPLACE : ''}
        onCanceled: 'default-plan',
      },
    },
  },
);
`;

/** The team plan also sold on Azure Marketplace (examples/billing/marketplace.ts's publisher and app), when asked. */
const MARKETPLACE = `
        marketplace: {
          offer: 'people-saas',
          publisherTenantId: '72f988bf-86f1-41af-91ab-2d7cd011db47',
          clientId: '5b1c7a3e-8d2f-4c2d-9e8f-1a2b3c4d5e6f',
          secret: 'MARKETPLACE_SECRET',
          plans: { team: 'team-monthly' },
        },`;
const MARKETPLACE_SECRET = 'people-fulfillment-secret';

/** Every element on one page; the script connects them as the signed-in local user (localStorage `devUser`). */
const PAGE = `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>People</title><link rel="stylesheet" href="./theme.css"></head>
<body>
<main>
<h1>People</h1>
<atakora-organization-switcher></atakora-organization-switcher>
<atakora-invitation></atakora-invitation>
<atakora-members></atakora-members>
<atakora-plan></atakora-plan>
<atakora-organization-settings></atakora-organization-settings>
<atakora-enterprise></atakora-enterprise>
<atakora-audit-log page-size="3"></atakora-audit-log>
<atakora-agents></atakora-agents>
</main>
<script type="module" src="./app.js"></script>
</body>
</html>
`;

const APP = `
import { configure } from './elements.js';
const config = await (await fetch('/atakora.config.json')).json();
const user = localStorage.getItem('devUser') ?? config.dev.user;
configure({
  config,
  getToken: () => undefined,
  // Dev's sign-in names a member by its e-mail (cli/dev/sign-in/sign-in.ts emailUserOf): what Leave removes.
  userId: user.split(';')[0].toLowerCase(),
  fetch: (url, init = {}) => fetch(url, { ...init, headers: { ...init.headers, [config.dev.userHeader]: user } }),
});
`;

const ENV = {
  STRIPE_KEY: 'sk_test_elementsStandIn',
  STRIPE_WEBHOOK_SECRET: 'whsec_elementsStandIn',
} as const;

/**
 * An agent's grant as the agents stand-in keeps it: as the runtime lists it (src/contract/mcp/oauth/agents.ts
 * `ConnectedAgent`, DESIGN §2 "Grants are data"), and when the stand-in revoked it.
 */
export type StandInGrant = ConnectedAgent & { revoked?: string };

/** The session: dev, the Stripe stand-in, the browser; pages as any user. */
export interface People {
  /**
   * The grants `api/me/agents` and `api/tenant/agents` answer: a stand-in routed in each page (the runtime serves
   * them only where `mcp.authorization` lets agents connect, through the OAuth flow this browser test does not run),
   * as DESIGN §2 documents them — a person's own
   * grants in every organization; an organization's for its Owners and Admins (a Member: 403, roles read from dev's
   * `api/me/tenants`); DELETE revokes (204), another's or an unknown grant 404.
   */
  readonly grants: StandInGrant[];
  /** The stand-in's requests, `METHOD path as user`. */
  readonly agentCalls: string[];
  readonly dev: DevSession;
  readonly stripe: StripeStandIn;
  /** The DNS server dev resolves verified domains' TXT records at (`ATAKORA_DNS_SERVER`): publish a record with it. */
  readonly dns: DnsStandIn;
  /** With `{ marketplace: true }`: the Marketplace stand-in dev calls (`ATAKORA_MARKETPLACE_API`). */
  readonly marketplace: MarketplaceStandIn | undefined;
  readonly site: string;
  readonly api: string;
  pageAs(email: string, path?: string): Promise<Page>;
  /** Errors thrown in any page. */
  readonly problems: string[];
  stop(): Promise<void>;
}

/** Start the backend, the stand-in and the site (theme.css: the page's own theme, empty unless a test writes it). */
export async function startPeople(
  theme = '',
  options: { readonly marketplace?: boolean } = {},
): Promise<People> {
  const work = mkdtempSync(join(root, '.tmp-elements-'));
  const site = join(work, 'site');
  mkdirSync(site, { recursive: true });
  writeFileSync(join(work, 'backend.ts'), BACKEND(site, options.marketplace === true));
  writeFileSync(join(site, 'index.html'), PAGE);
  writeFileSync(join(site, 'app.js'), APP);
  writeFileSync(join(site, 'theme.css'), theme);
  // The bundle and the worker's browser start beside dev's start, which needs neither (the site is read per request):
  // dev's start is most of this function's wall, and their seconds were added to it one after the other.
  const bundled = settled(elementsBundleTo(join(site, 'elements.js')));
  const opened = settled(testBrowser());
  const stripe = await startStripeStandIn({
    key: ENV.STRIPE_KEY,
    prices: [
      { id: 'price_1PeopleTeamSeat', unitAmount: 1500, product: 'prod_PeopleTeam' },
      { id: 'price_1PeopleEnterprs', unitAmount: 90000, product: 'prod_PeopleEnterprise' },
    ],
  });
  const dns = await startDnsStandIn();
  const marketplace = options.marketplace
    ? await startMarketplaceStandIn({ clientSecret: MARKETPLACE_SECRET, offerId: 'people-saas' })
    : undefined;
  const saved = Object.fromEntries(
    [
      ...Object.keys(ENV),
      'STRIPE_API_BASE',
      'ATAKORA_DNS_SERVER',
      'ATAKORA_MARKETPLACE_API',
      'MARKETPLACE_SECRET',
    ].map((k) => [k, process.env[k]]),
  );
  // What a developer exports before `atakora dev` (docs/enterprise.md): dev hands it to each worker.
  Object.assign(process.env, {
    ...ENV,
    STRIPE_API_BASE: stripe.base,
    ATAKORA_DNS_SERVER: dns.address,
    ...(marketplace
      ? { ATAKORA_MARKETPLACE_API: marketplace.base, MARKETPLACE_SECRET: MARKETPLACE_SECRET }
      : {}),
  });
  const owner = devUserOf('olivia@example.com');
  if (!owner) throw new Error('no dev user');
  const dev = await startDev(join(work, 'backend.ts'), { user: owner, log: () => undefined });
  await bundled.value;
  stripe.webhook = {
    url: `${dev.apps[0]?.url ?? ''}/api/billing/stripe`,
    secret: ENV.STRIPE_WEBHOOK_SECRET,
  };
  const problems: string[] = [];
  const grants: StandInGrant[] = [];
  const agentCalls: string[] = [];
  const api = `${dev.apps[0]?.url ?? ''}/api`;
  return {
    dev,
    stripe,
    dns,
    marketplace,
    problems,
    grants,
    agentCalls,
    site: dev.sites[0]?.url ?? '',
    api,
    async pageAs(email, path = '') {
      const browser = await opened.value;
      // bypassCSP: axe-core is injected by the test, not the page (the site's CSP allows only its own scripts).
      const context = await browser.newContext({
        viewport: { width: 1000, height: 900 },
        bypassCSP: true,
      });
      await context.addInitScript((who) => {
        (globalThis as unknown as { localStorage: Storage }).localStorage.setItem('devUser', who);
      }, email);
      // A wait that fails says where (the harness's own bound is for a hung browser).
      context.setDefaultTimeout(120_000);
      const page = await context.newPage();
      await page.route(/\/api\/(me|tenant)\/agents(\/[^/?]+)?$/, (route) =>
        // A page closed while its request waited: nothing to answer.
        agentsStandIn(route, api, grants, agentCalls).catch(() => undefined),
      );
      page.on('pageerror', (e) => problems.push(`${email}: ${e.message}`));
      // A path from the root (`/_atakora/elements`) is the site's; anything else follows its address (`?invitation=…`).
      const site = dev.sites[0]?.url ?? '';
      await page.goto(path.startsWith('/') ? new URL(path, site).href : `${site}${path}`);
      return page;
    },
    async stop() {
      await (await opened.value.catch(() => undefined))?.close();
      await dev.stop();
      await stripe.close();
      await dns.close();
      await marketplace?.close();
      for (const [k, v] of Object.entries(saved))
        if (v === undefined) delete process.env[k];
        else process.env[k] = v;
      rmSync(work, { recursive: true, force: true });
    },
  };
}

/**
 * `promise` to await later, its rejection not unhandled meanwhile (it rejects where it is awaited): for work started
 * beside another that may fail first.
 */
function settled<T>(promise: Promise<T>): { readonly value: Promise<T> } {
  promise.catch(() => undefined);
  return { value: promise };
}

const CORS = {
  'access-control-allow-origin': '*',
  'access-control-allow-headers': '*',
  'access-control-allow-methods': 'GET, DELETE',
};

/** One request to the agents stand-in (see People.grants). */
async function agentsStandIn(
  route: Route,
  api: string,
  grants: StandInGrant[],
  calls: string[],
): Promise<void> {
  const request = route.request();
  const headers = request.headers();
  const user = headers['x-atakora-dev-user'] ?? '';
  const person = (user.split(';')[0] ?? '').toLowerCase();
  const [, scope = '', grant] =
    /\/api\/(me|tenant)\/agents(?:\/([^/?]+))?/.exec(request.url()) ?? [];
  calls.push(`${request.method()} ${scope}/agents${grant ? `/${grant}` : ''} as ${user}`);
  if (request.method() === 'OPTIONS') return route.fulfill({ status: 204, headers: CORS });
  const problem = (status: number, title: string, detail: string) =>
    route.fulfill({
      status,
      headers: { ...CORS, 'content-type': 'application/problem+json' },
      body: JSON.stringify({ type: 'about:blank', title, status, detail }),
    });
  let visible = grants.filter((g) => g.revoked === undefined && g.person === person);
  if (scope === 'tenant') {
    const org = headers['x-atakora-tenant'] ?? '';
    // dev's own answer of the caller's roles (none when it cannot answer: refused as a non-member would be).
    const mine = (await fetch(`${api}/me/tenants`, { headers: { 'x-atakora-dev-user': user } })
      .then((r) => r.json())
      .catch(() => ({}))) as { items?: { id: string; roles: string[] }[] };
    const roles = mine.items?.find((o) => o.id === org)?.roles ?? [];
    if (!roles.some((r) => r === 'Owner' || r === 'Admin'))
      return problem(403, 'Forbidden', `Only an Owner or Admin of ${org} lists its agents.`);
    visible = grants.filter((g) => g.revoked === undefined && g.organization === org);
  }
  if (request.method() === 'GET' && !grant)
    return route.fulfill({
      status: 200,
      headers: { ...CORS, 'content-type': 'application/json' },
      body: JSON.stringify({ items: visible.map(({ revoked: _, ...g }) => g) }),
    });
  const found = visible.find((g) => g.id === decodeURIComponent(grant ?? ''));
  if (request.method() !== 'DELETE' || !found)
    return problem(404, 'Not Found', `No grant ${grant ?? ''} of yours.`);
  found.revoked = new Date().toISOString();
  return route.fulfill({ status: 204, headers: CORS });
}

/** The WCAG 2.0–2.2 A and AA rules' tags: every axe run of these tests runs the rules with one of them. */
export const WCAG_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];

/**
 * axe-core's violations of the page (WCAG 2.0–2.2 A and AA rules), as `rule: targets` lines.
 *
 * A page of one frame (every page these tests check: the elements draw in shadow roots, never frames) is checked by
 * axe-core's own `axe.run(document, { runOnly: tags })` in the page, axe injected once per document — the rules and
 * results of `@axe-core/playwright`'s analyze, without what that adds for cross-origin frames: its default mode runs
 * `axe.runPartial` in each frame, then opens a blank page, injects axe's 650 kB a second time and merges there with
 * `axe.finishRun` (its own doc of `setLegacyMode`: "This disables use of axe.runPartial() which is called in each
 * frame, and axe.finishRun() which is called in a blank page. This uses axe.run() instead, but with the restriction
 * that cross-origin frames will not be tested"). Measured on the people page (load 6.5): 2.7 and 1.9 CPU-s of
 * chromium an analyze, against 0.24 for the run and 0.46 for an injection; docs/performance.md, "The suite". A page
 * with frames still goes through the builder, which tests them.
 */
export async function axeViolations(page: Page): Promise<string[]> {
  const violations =
    page.frames().length === 1
      ? await axeRun(page)
      : (await new AxeBuilder({ page }).withTags(WCAG_TAGS).analyze()).violations;
  return violations.map(
    (v) =>
      `${v.id}: ${v.nodes.map((n) => `${n.target.join(' ')} (${n.failureSummary ?? ''})`).join('; ')}`,
  );
}

/**
 * axe-core's minified build, `axe.min.js` of the same package: the same version, rules and messages as `axe.source`
 * (its unminified `axe.js`, 1.48 MB against 0.65 MB), which the builder injects.
 */
const AXE_MIN = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

/** `axe.run` in the page's document, axe-core injected first unless this document has it already. */
async function axeRun(page: Page): Promise<AxeResults['violations']> {
  await injectAxe(page);
  const results = await page.evaluate(
    (tags) =>
      (globalThis as unknown as { axe: typeof axe }).axe.run(document, {
        runOnly: { type: 'tag', values: tags },
      }),
    WCAG_TAGS,
  );
  return results.violations;
}

/**
 * axe-core in the page's document, unless it has it already. A page served over http(s) loads the minified build
 * as a script of its origin (answered by a route of this page, the element removed once it ran, so axe checks the
 * document as it was): Chromium parses a loaded script off the page's main thread, where a script evaluated through
 * the protocol is parsed on it. Chromium's CPU for one injection, measured (load 25–27, three rounds each):
 * `axe.source` evaluated 0.86–1.17 CPU-s, `axe.min.js` evaluated 0.69–0.81, `axe.min.js` loaded 0.58–0.62
 * (docs/performance.md, "The suite, round 5, the Chromium files"). Any other page (`setContent`'s about:blank), or
 * one that refuses the script, gets it evaluated.
 */
async function injectAxe(page: Page): Promise<void> {
  const has = () => page.evaluate('typeof window.axe?.run === "function"') as Promise<boolean>;
  if (await has()) return;
  const address = new URL(page.url());
  if (address.protocol === 'http:' || address.protocol === 'https:') {
    const url = `${address.origin}/.atakora-test-axe-${AXE_VERSION}.min.js`;
    const serve = (route: Route) =>
      route.fulfill({ contentType: 'text/javascript', body: AXE_MIN });
    await page.route(url, serve);
    try {
      const tag = await page.addScriptTag({ url });
      await tag.evaluate((script) => script.parentNode?.removeChild(script));
    } catch {
      // refused (the page's CSP): evaluated below
    } finally {
      await page.unroute(url, serve);
    }
    if (await has()) return;
  }
  await page.evaluate(AXE_MIN);
}
const AXE_VERSION = axe.version;

/**
 * The API asked directly as `email` in `org` (no organization when empty), `body` sent as JSON when given: the status
 * it answers and its JSON body (undefined when it has none).
 */
export async function callAs(
  api: string,
  email: string,
  org: string,
  method: string,
  path: string,
  body?: unknown,
): Promise<{ status: number; body: unknown }> {
  const r = await fetch(`${api}/${path}`, {
    method,
    headers: {
      'x-atakora-dev-user': email,
      ...(org ? { 'x-atakora-tenant': org } : {}),
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return { status: r.status, body: (await r.json().catch(() => undefined)) as unknown };
}

/** The API asked directly as `email` in `org`: the status it answers. */
export const statusOf = async (...args: Parameters<typeof callAs>): Promise<number> =>
  (await callAs(...args)).status;
