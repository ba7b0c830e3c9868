/**
 * examples/billing/subscriptions.ts in a real browser (Debian's Chromium through playwright-core) against `atakora
 * dev` and the Stripe stand-in of @atakora/component/testing (`STRIPE_API_BASE`): the page is the elements (the
 * switcher and the plan) beside its limits and invoice. An Owner creates an organization with the switcher (free: 60
 * requests a minute), presses the plan element's Upgrade to pro, pays on the stand-in's Checkout page, and is sent
 * back to the page, which shows the plan the signed webhook put the organization on (pro), its raised limits and
 * Manage billing — the API agrees.
 * Then `atakora usage export --local --close-hour` sends the hour in progress to the stand-in's meter, as the docs
 * say, without waiting for the hour to end.
 */
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { type TestBrowser, testBrowser } from '../support/browser.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DevSession, startDev } from '../../src/cli/dev/session/session.js';
import { devUserOf } from '../../src/cli/dev/sign-in/sign-in.js';
import { main } from '../../src/cli/main.js';
import { startStripeStandIn, type StripeStandIn } from '../../src/testing/stripe-standin.js';
import { capturedIo } from '../support/captured-io.js';
import { HANG_MS } from '../support/patience.js';

const root = resolve(import.meta.dirname, '../..');
const artifacts = join(root, 'test-artifacts');
const entry = 'examples/billing/subscriptions.ts';
const KEY = 'sk_test_plansPageStandIn';
const SECRET = 'whsec_plansPageStandIn';
const ENV = ['STRIPE_API_BASE', 'STRIPE_KEY', 'STRIPE_WEBHOOK_SECRET'] as const;
const saved = Object.fromEntries(ENV.map((k) => [k, process.env[k]]));
let stripe: StripeStandIn;
let dev: DevSession;
let browser: TestBrowser | undefined;

beforeAll(async () => {
  stripe = await startStripeStandIn({
    key: KEY,
    meters: ['api_requests'],
    prices: [{ id: 'price_1QpLansPro0001', unitAmount: 2900, product: 'prod_PlansPro' }],
  });
  // What a developer exports before `atakora dev` (docs/billing.md, "Try it locally").
  Object.assign(process.env, {
    STRIPE_API_BASE: stripe.base,
    STRIPE_KEY: KEY,
    STRIPE_WEBHOOK_SECRET: SECRET,
  });
  const owner = devUserOf('olivia@example.com');
  if (!owner) throw new Error('no dev user');
  dev = await startDev(entry, { user: owner, log: () => undefined, quietWorkers: true });
  // The endpoint added in Stripe's dashboard: dev's webhook route, signed with its secret.
  stripe.webhook = { url: `${dev.apps[0]?.url ?? ''}/api/billing/stripe`, secret: SECRET };
});
afterAll(async () => {
  await browser?.close();
  await dev?.stop();
  await stripe?.close();
  for (const k of ENV)
    if (saved[k] === undefined) delete process.env[k];
    else process.env[k] = saved[k];
});

describe('examples/billing: an Owner upgrades the organization on Stripe Checkout', () => {
  it('pays on Checkout; the signed webhook moves the plan; the page shows pro and its raised limits', async () => {
    browser = await testBrowser();
    const page = await browser.newPage({ viewport: { width: 900, height: 800 } });
    const problems: string[] = [];
    page.on('pageerror', (e) => problems.push(e.message));
    const site = dev.sites[0]?.url ?? '';
    await page.goto(site);
    await page.fill('atakora-organization-switcher input[name="name"]', 'Acme');
    await page.keyboard.press('Enter');
    await page.waitForSelector('#org[data-plan="free"]');
    expect([await page.textContent('#rpm'), await page.textContent('#storage')]).toEqual([
      '60',
      '100',
    ]);
    const org = (await page.getAttribute('#org', 'data-id')) ?? '';
    await page.waitForSelector('atakora-plan[data-state="ready"] [data-upgrade="pro"]');
    expect(await page.textContent('atakora-plan [part="current"]')).toContain('free');

    await page.click('atakora-plan li[data-plan="pro"] [data-upgrade="pro"]');
    await page.waitForURL((u) => u.href.startsWith(`${stripe.base}/c/pay/`));
    await page.click('button:has-text("Pay")');
    await page.waitForURL((u) => u.href.startsWith(site));
    await page.waitForSelector('#org[data-plan="pro"]');
    expect(await page.textContent('#status')).toContain('Payment received');
    expect([
      await page.textContent('#rpm'),
      await page.textContent('#storage'),
      await page.textContent('#subscription'),
      await page.textContent('#invoice'),
    ]).toEqual(['1200', '10000', 'active', '29.00 USD']);
    await page.waitForSelector('atakora-plan [part="current"][data-plan="pro"]');
    await page.waitForSelector('atakora-plan button[data-key="portal"]');
    expect(await page.locator('atakora-plan [data-upgrade="pro"]').count()).toBe(0);
    mkdirSync(artifacts, { recursive: true });
    await page.screenshot({ path: join(artifacts, 'billing-upgraded.png') });

    // Every event reached the webhook signed, and was taken; the checkout named the organization.
    expect(stripe.deliveries.map((d) => [d.event.type, d.status])).toEqual(
      expect.arrayContaining([
        ['checkout.session.completed', 200],
        ['customer.subscription.created', 200],
      ]),
    );
    const session = [...stripe.billing.sessions.values()][0] ?? {};
    expect([session['client_reference_id'], session['price']]).toEqual([
      org,
      'price_1QpLansPro0001',
    ]);
    // Asked directly, the API agrees.
    const tenant = await fetch(`${dev.apps[0]?.url ?? ''}/api/tenant`, {
      headers: { 'x-atakora-dev-user': 'olivia@example.com', 'x-atakora-tenant': org },
    });
    expect(await tenant.json()).toMatchObject({ plan: 'pro', limits: { requestsPerMinute: 1200 } });
    expect(problems).toEqual([]);

    // This hour's requests, exported now (the documented dev shortcut), under the organization's new customer.
    const customer = String(session['customer']);
    const hourOf = () => new Date().toISOString().slice(0, 13);
    const hours = [hourOf()];
    let sent: { value: string; identifier: string } | undefined;
    // The worker flushes its counts every second: export again until the hour's requests are in the ledger.
    for (const end = performance.now() + HANG_MS; !sent && performance.now() < end; ) {
      const io = capturedIo();
      expect(
        await main(['usage', 'export', entry, '--local', '--close-hour', '--json'], io.io),
      ).toBe(0);
      const e = stripe.events.find((x) => x.payload.stripe_customer_id === customer);
      sent = e && { value: e.payload.value, identifier: e.identifier };
      if (!sent) await new Promise((r) => setTimeout(r, 500));
    }
    hours.push(hourOf()); // the hour in progress when it ran: this one, or the next if it began meanwhile
    expect(hours.map((h) => `plans:dev:${org}:${h}:requests`)).toContain(sent?.identifier);
    expect(Number(sent?.value)).toBeGreaterThan(0);
  });
});
