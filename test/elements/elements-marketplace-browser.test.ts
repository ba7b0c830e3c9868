/**
 * An organization billed through Azure Marketplace, in Chromium against `atakora dev` with the Marketplace stand-in
 * (test/elements/support.ts `{ marketplace: true }`): bought as the team plan and landed (`api/marketplace/landing`),
 * its Owner sees the plan element say so (`part="marketplace"`) and no control the API refuses — no Upgrade (Checkout
 * answers 409 `billing-channel-taken`: one billing channel an organization) and no Stripe portal (no Stripe customer)
 * — and no locked part of the other elements (the enterprise setup's directory and SCIM, the agents) offers them
 * either: every `[data-upgrade]` and portal control on the page is asked of the API. Axe-clean (WCAG 2.2 AA).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { axeViolations, type People, startPeople } from './support.js';

let people: People;
let org = '';

const BEA = 'bea@example.com';
const TAGS = ['atakora-plan', 'atakora-enterprise', 'atakora-audit-log', 'atakora-agents'];

async function call(method: string, path: string, body?: unknown) {
  const r = await fetch(`${people.api}/${path}`, {
    method,
    headers: {
      'x-atakora-dev-user': BEA,
      'x-atakora-tenant': org,
      'content-type': 'application/json',
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return { status: r.status, body: (await r.json().catch(() => undefined)) as unknown };
}

beforeAll(async () => {
  people = await startPeople('', { marketplace: true });
  const standIn = people.marketplace;
  if (!standIn) throw new Error('no Marketplace stand-in');
  const { token } = standIn.purchase({ planId: 'team-monthly', name: 'Bea Co' });
  const landed = await fetch(
    `${people.api}/marketplace/landing?token=${encodeURIComponent(token)}`,
    { headers: { 'x-atakora-dev-user': BEA }, redirect: 'manual' },
  );
  expect(landed.status).toBe(302);
  org = new URL(landed.headers.get('location') ?? '').searchParams.get('organization') ?? '';
  expect(org).not.toBe('');
});
afterAll(async () => people?.stop());

describe('a Marketplace-billed organization through the elements', () => {
  it('the plan says so; no element offers Checkout or the portal, which the API refuses', async () => {
    expect((await call('GET', 'tenant')).body).toMatchObject({
      plan: 'team',
      billedThrough: 'marketplace',
    });
    const page = await people.pageAs(BEA);
    for (const tag of TAGS)
      await page.waitForSelector(`${tag}[data-state="ready"]:not([aria-busy])`, {
        state: 'attached',
      });
    expect(await page.textContent('atakora-plan [part~="marketplace"]')).toContain(
      'Azure Marketplace',
    );
    // The team plan lacks directory, scim and mcp: their parts are locked, as they should be.
    expect(
      await page
        .locator('[part~="locked"]')
        .evaluateAll((all) => all.map((e) => e.getAttribute('data-feature')).sort()),
    ).toEqual(['directory', 'mcp', 'scim']);
    // What the API answers to the controls a Stripe-billed Owner would get.
    const checkout = await call('POST', 'tenant/billing/checkout', { plan: 'enterprise' });
    expect(checkout.status).toBe(409);
    expect((checkout.body as { type: string }).type).toMatch(/billing-channel-taken$/);
    expect((await call('POST', 'tenant/billing/portal', {})).status).toBeGreaterThanOrEqual(400);
    // So the page offers none of them: every Upgrade and portal control on it.
    const offered = await page
      .locator('[data-upgrade], [data-key="portal"], [data-key^="portal-"]')
      .evaluateAll((all) =>
        all.map((e) => `${e.closest('[data-state]')?.tagName.toLowerCase()} ${e.textContent}`),
      );
    expect(offered).toEqual([]);
    // Each locked part tells the Owner where the plan changes: the Azure portal.
    for (const feature of ['directory', 'scim', 'mcp'])
      expect(
        await page.textContent(`[part~="locked"][data-feature="${feature}"]`),
        feature,
      ).toContain('Azure Marketplace');
    expect(await axeViolations(page)).toEqual([]);
    expect(people.problems).toEqual([]);
    await page.context().close();
  });
});
