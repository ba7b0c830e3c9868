/**
 * The elements' browser tests' harness: a membership backend whose plans are packages (examples/billing/packages.ts's
 * three, sold through the Stripe stand-in) with a static site holding a page of every element and the elements'
 * bundle (scripts/elements-bundle.mjs, from the sources), under `atakora dev`; pages signed in as any local user;
 * axe-core with the WCAG 2.2 AA tags.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import type { Page } from 'playwright-core';
import { type DevSession, startDev } from '../../src/cli/dev/session/session.js';
import { devUserOf } from '../../src/cli/dev/sign-in/sign-in.js';
import { startStripeStandIn, type StripeStandIn } from '../../src/testing/stripe-standin.js';
import { type TestBrowser, testBrowser } from '../support/browser.js';
// @ts-expect-error: a build script in JavaScript, no declarations
import { bundleElements } from '../../scripts/elements-bundle.mjs';

const root = resolve(import.meta.dirname, '../..');

const BACKEND = (site: string) => `
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
          features: ['domains', 'directory', 'scim', 'audit'],
          stripe: { price: 'price_1PeopleEnterprs' },
        },
      },
      billing: {
        stripe: { secret: 'STRIPE_KEY', webhookSecret: 'STRIPE_WEBHOOK_SECRET', meters: {} },
        onCanceled: 'default-plan',
      },
    },
  },
);
`;

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
  fetch: (url, init = {}) => fetch(url, { ...init, headers: { ...init.headers, [config.dev.userHeader]: user } }),
});
`;

const ENV = {
  STRIPE_KEY: 'sk_test_elementsStandIn',
  STRIPE_WEBHOOK_SECRET: 'whsec_elementsStandIn',
} as const;

/** The session: dev, the Stripe stand-in, the browser; pages as any user. */
export interface People {
  readonly dev: DevSession;
  readonly stripe: StripeStandIn;
  readonly site: string;
  readonly api: string;
  pageAs(email: string, path?: string): Promise<Page>;
  /** Errors thrown in any page. */
  readonly problems: string[];
  stop(): Promise<void>;
}

/** Start the backend, the stand-in and the site (theme.css: the page's own theme, empty unless a test writes it). */
export async function startPeople(theme = ''): Promise<People> {
  const work = mkdtempSync(join(root, '.tmp-elements-'));
  const site = join(work, 'site');
  mkdirSync(site, { recursive: true });
  writeFileSync(join(work, 'backend.ts'), BACKEND(site));
  writeFileSync(join(site, 'index.html'), PAGE);
  writeFileSync(join(site, 'app.js'), APP);
  writeFileSync(join(site, 'theme.css'), theme);
  await bundleElements({ outfile: join(site, 'elements.js') });
  const stripe = await startStripeStandIn({
    key: ENV.STRIPE_KEY,
    prices: [
      { id: 'price_1PeopleTeamSeat', unitAmount: 1500, product: 'prod_PeopleTeam' },
      { id: 'price_1PeopleEnterprs', unitAmount: 90000, product: 'prod_PeopleEnterprise' },
    ],
  });
  const saved = Object.fromEntries(
    [...Object.keys(ENV), 'STRIPE_API_BASE'].map((k) => [k, process.env[k]]),
  );
  Object.assign(process.env, { ...ENV, STRIPE_API_BASE: stripe.base });
  const owner = devUserOf('olivia@example.com');
  if (!owner) throw new Error('no dev user');
  const dev = await startDev(join(work, 'backend.ts'), { user: owner, log: () => undefined });
  stripe.webhook = {
    url: `${dev.apps[0]?.url ?? ''}/api/billing/stripe`,
    secret: ENV.STRIPE_WEBHOOK_SECRET,
  };
  let browser: TestBrowser | undefined;
  const problems: string[] = [];
  return {
    dev,
    stripe,
    problems,
    site: dev.sites[0]?.url ?? '',
    api: `${dev.apps[0]?.url ?? ''}/api`,
    async pageAs(email, path = '') {
      browser ??= await testBrowser();
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
      page.on('pageerror', (e) => problems.push(`${email}: ${e.message}`));
      await page.goto(`${dev.sites[0]?.url ?? ''}${path}`);
      return page;
    },
    async stop() {
      await browser?.close();
      await dev.stop();
      await stripe.close();
      for (const [k, v] of Object.entries(saved))
        if (v === undefined) delete process.env[k];
        else process.env[k] = v;
      rmSync(work, { recursive: true, force: true });
    },
  };
}

/** axe-core's violations of the page (WCAG 2.0–2.2 A and AA rules), as `rule: targets` lines. */
export async function axeViolations(page: Page): Promise<string[]> {
  const { violations } = await new AxeBuilder({ page })
    .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'])
    .analyze();
  return violations.map(
    (v) =>
      `${v.id}: ${v.nodes.map((n) => `${n.target.join(' ')} (${n.failureSummary ?? ''})`).join('; ')}`,
  );
}

/** The API asked directly as `email` in `org`: the status it answers. */
export async function statusOf(
  api: string,
  email: string,
  org: string,
  method: string,
  path: string,
  body?: unknown,
): Promise<number> {
  const r = await fetch(`${api}/${path}`, {
    method,
    headers: {
      'x-atakora-dev-user': email,
      'x-atakora-tenant': org,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  await r.arrayBuffer();
  return r.status;
}
