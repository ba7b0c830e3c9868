/**
 * What the other browser runs of the elements leave out, as the bar's author would try it (DESIGN §2's names only,
 * test/elements/support.ts's harness): a person who owns one organization and is a Member of another switches with
 * the switcher and each organization's elements show that role's controls — the API refusing the others —; an
 * invited person declines through the invitation element and joins nothing; an Owner renames, deletes (confirmed, its
 * erase date announced) and restores the organization through the settings; an Owner resends an invitation and the
 * element shows the new link — the first one void — and says no mail went where the backend sends none. Each state
 * is axe-clean (WCAG 2.2 AA).
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { axeViolations, type People, startPeople, statusOf, callAs } from './support.js';

let people: People;
let acme = '';
let beta = '';

const OLIVIA = 'olivia@example.com';
const BOB = 'bob@example.com';
const CARL = 'carl@example.com';
const DAN = 'dan@example.com';

/** `tag` settled: ready and not busy, or failing here with the problem its error state shows. */
async function settled(page: Page, tag: string): Promise<void> {
  await page.waitForSelector(
    `${tag}[data-state="ready"]:not([aria-busy]), ${tag}[data-state="error"]:not([aria-busy])`,
    { state: 'attached' },
  );
  if ((await page.getAttribute(tag, 'data-state')) === 'error')
    expect(`${tag}: ${(await page.textContent(`${tag} [part="error"]`)) ?? ''}`).toBe(tag);
}

const call = (email: string, org: string, method: string, path: string, body?: unknown) =>
  callAs(people.api, email, org, method, path, body);

const PEOPLE_TAGS = ['atakora-members', 'atakora-plan', 'atakora-organization-settings'];

beforeAll(async () => {
  people = await startPeople();
});
afterAll(async () => people?.stop());

describe('the people elements, switched, declined, deleted and restored', () => {
  it("a person switches between the organization they own and one they are a Member of: each shows that role's controls", async () => {
    // Olivia owns Acme (through the switcher); Bob owns Beta and makes her a Member (through the API).
    const o = await people.pageAs(OLIVIA);
    await o.waitForSelector('atakora-organization-switcher [part="empty"]');
    await o.fill('atakora-organization-switcher input[name="name"]', 'Acme');
    await o.keyboard.press('Enter');
    await o.waitForSelector('atakora-organization-switcher li[data-id]');
    acme = (await o.getAttribute('atakora-organization-switcher li[data-id]', 'data-id')) ?? '';
    const created = await call(BOB, '', 'POST', 'tenants', { name: 'Beta' });
    expect(created.status).toBe(201);
    beta = (created.body as { id: string }).id;
    const invited = await call(BOB, beta, 'POST', 'tenant/invitations', {
      email: OLIVIA,
      roles: ['Member'],
    });
    const token = new URL((invited.body as { acceptUrl: string }).acceptUrl).searchParams.get(
      'invitation',
    );
    expect((await call(OLIVIA, '', 'POST', 'invitations/accept', { token })).status).toBeLessThan(
      300,
    );

    const page = await people.pageAs(OLIVIA);
    await page.waitForFunction(
      () => document.querySelectorAll('atakora-organization-switcher li[data-id]').length === 2,
    );
    for (const tag of PEOPLE_TAGS) await settled(page, tag);
    const owner = async () => {
      await page.waitForSelector(
        'atakora-organization-switcher button[aria-current="true"]:has-text("Acme")',
      );
      await page.waitForSelector('atakora-organization-settings button[data-key="delete"]');
      for (const tag of PEOPLE_TAGS) await settled(page, tag);
      expect(await page.locator('atakora-members form[aria-label="Invite"]').count()).toBe(1);
      expect(await page.locator('atakora-plan [data-upgrade]').count()).toBeGreaterThan(0);
    };
    // Whichever the elements chose first, Acme by the switcher's button: the Owner's controls.
    await page.click(`atakora-organization-switcher button[data-key="org-${acme}"]`);
    await owner();
    expect(await axeViolations(page)).toEqual([]);

    // Beta: the Member's — the lists, Leave; nothing the API would refuse.
    await page.click(`atakora-organization-switcher button[data-key="org-${beta}"]`);
    await page.waitForSelector(
      'atakora-organization-switcher button[aria-current="true"]:has-text("Beta")',
    );
    await page.waitForSelector('atakora-organization-settings button[data-key="delete"]', {
      state: 'detached',
    });
    for (const tag of PEOPLE_TAGS) await settled(page, tag);
    expect(await page.textContent('atakora-organization-switcher [role="status"]')).toContain(
      'Beta',
    );
    expect(await page.textContent('atakora-organization-settings [part="name"]')).toContain('Beta');
    expect(await page.locator('atakora-members li[data-user]').count()).toBe(2);
    expect(await page.locator('atakora-members button, atakora-members form').count()).toBe(0);
    expect(await page.locator('atakora-plan button').count()).toBe(0);
    expect(
      await page
        .locator('atakora-organization-settings button, atakora-organization-settings form')
        .allTextContents(),
    ).toEqual(['Leave organization']);
    expect(await axeViolations(page)).toEqual([]);
    expect(await statusOf(people.api, OLIVIA, beta, 'GET', 'tenant/invitations')).toBe(403);
    expect(await statusOf(people.api, OLIVIA, beta, 'PATCH', 'tenant', { name: 'x' })).toBe(403);
    expect(await statusOf(people.api, OLIVIA, beta, 'DELETE', 'tenant')).toBe(403);

    // A reload keeps the choice (the switcher's, kept in the page's storage).
    await page.reload();
    await page.waitForSelector(
      'atakora-organization-switcher button[aria-current="true"]:has-text("Beta")',
    );
    for (const tag of PEOPLE_TAGS) await settled(page, tag);
    expect(await page.locator('atakora-members button, atakora-members form').count()).toBe(0);

    // Back to Acme from the keyboard: the Owner's controls again.
    await page.focus(`atakora-organization-switcher button[data-key="org-${acme}"]`);
    await page.keyboard.press('Enter');
    await owner();
    expect(people.problems).toEqual([]);
  });

  it('the one invited declines through the invitation element and joins nothing', async () => {
    const o = await people.pageAs(OLIVIA);
    await o.click(`atakora-organization-switcher button[data-key="org-${acme}"]`);
    await o.waitForSelector(
      'atakora-organization-switcher button[aria-current="true"]:has-text("Acme")',
    );
    await settled(o, 'atakora-members');
    await o.fill('atakora-members input[name="email"]', CARL);
    await o.click('atakora-members button[type="submit"]:has-text("Invite")');
    await o.waitForSelector(`atakora-members li[data-invitation]:has-text("${CARL}")`);
    const link = (await o.getAttribute('atakora-members a[data-invite-link]', 'href')) ?? '';

    const carl = await people.pageAs(CARL, `?${new URL(link).searchParams.toString()}`);
    await carl.waitForSelector('atakora-invitation button[data-key="decline"]');
    expect(await carl.textContent('atakora-invitation [part="preview"]')).toContain('Acme');
    expect(await axeViolations(carl)).toEqual([]);
    await carl.click('atakora-invitation button[data-key="decline"]');
    await carl.waitForSelector('atakora-invitation [part="result"]');
    expect(await carl.textContent('atakora-invitation [part="result"]')).toContain('declined');
    expect(new URL(carl.url()).searchParams.has('invitation')).toBe(false);
    expect(await axeViolations(carl)).toEqual([]);
    expect(await carl.locator('atakora-organization-switcher li[data-id]').count()).toBe(0);
    expect((await call(CARL, '', 'GET', 'me/tenants')).body).toMatchObject({ items: [] });
    expect(people.problems).toEqual([]);
  });

  it('an Owner resends an invitation: the link the element shows is the new one, which the invited person opens', async () => {
    const o = await people.pageAs(OLIVIA);
    await o.click(`atakora-organization-switcher button[data-key="org-${acme}"]`);
    await settled(o, 'atakora-members');
    await o.fill('atakora-members input[name="email"]', DAN);
    await o.click('atakora-members button[type="submit"]:has-text("Invite")');
    const item = `atakora-members li[data-invitation]:has-text("${DAN}")`;
    await o.waitForSelector(item);
    await settled(o, 'atakora-members');
    await o.evaluate(() => {
      const w = window as unknown as { invitedLinks: string[] };
      w.invitedLinks = [];
      document.addEventListener('atakora-invited', (e) =>
        w.invitedLinks.push((e as CustomEvent<{ acceptUrl: string }>).detail.acceptUrl),
      );
    });
    const first = (await o.getAttribute('atakora-members a[data-invite-link]', 'href')) ?? '';
    const before = (await o.textContent('atakora-members [role="status"]')) ?? '';
    await o.click(`${item} button:has-text("Resend")`);
    await o.waitForFunction(
      ([who, was]) => {
        const now = document.querySelector('atakora-members [role="status"]')?.textContent ?? '';
        return now !== was && now.includes(who ?? '');
      },
      [DAN, before],
    );
    await settled(o, 'atakora-members');
    // The API voided the first link (a resend's new token: invitation-resend.ts, docs/security.md "a link mailed
    // twice is valid once"): the page holds the only working one.
    const shown = (await o.getAttribute('atakora-members a[data-invite-link]', 'href')) ?? '';
    const preview = async (url: string) =>
      (
        await call(
          DAN,
          '',
          'GET',
          `invitations/preview?invitation=${encodeURIComponent(new URL(url).searchParams.get('invitation') ?? '')}`,
        )
      ).status;
    expect(await preview(first)).toBe(410);
    expect(shown).not.toBe(first);
    expect(await preview(shown)).toBe(200);
    // Told as the invite is (the event with the new link), and not as a mail sent: `atakora dev` has no tenants.email.
    expect(
      await o.evaluate(() => (window as unknown as { invitedLinks: string[] }).invitedLinks),
    ).toEqual([shown]);
    const said = (await o.textContent('atakora-members [role="status"]')) ?? '';
    expect(said).not.toContain('sent');
    expect(said).toContain('link');
    expect(await axeViolations(o)).toEqual([]);
    const dan = await people.pageAs(DAN, `?${new URL(shown).searchParams.toString()}`);
    await dan.waitForSelector('atakora-invitation button[data-key="accept"]');
    expect(people.problems).toEqual([]);
  });

  it('an Owner renames, deletes (confirmed, the erase date announced) and restores the organization through the settings', async () => {
    const o = await people.pageAs(OLIVIA);
    await o.click(`atakora-organization-switcher button[data-key="org-${acme}"]`);
    await o.waitForSelector('atakora-organization-settings button[data-key="delete"]');
    await settled(o, 'atakora-organization-settings');
    // Rename: the new name in the settings, the switcher and the API.
    await o.fill('atakora-organization-settings input[name="name"]', 'Acme Corp');
    await o.click('atakora-organization-settings button[data-key="rename"]');
    await o.waitForSelector('atakora-organization-switcher button:has-text("Acme Corp")');
    await o.waitForSelector('atakora-organization-settings [part="name"]:has-text("Acme Corp")');
    expect(((await call(OLIVIA, acme, 'GET', 'tenant')).body as { name: string }).name).toBe(
      'Acme Corp',
    );
    await settled(o, 'atakora-organization-settings');

    // Delete: asked first in a dialog (Escape cancels, nothing deleted), then confirmed.
    await o.focus('atakora-organization-settings button[data-key="delete"]');
    await o.keyboard.press('Enter');
    await o.waitForSelector('atakora-organization-settings dialog[open]');
    expect(await axeViolations(o)).toEqual([]);
    await o.keyboard.press('Escape');
    await o.waitForSelector('atakora-organization-settings dialog', { state: 'detached' });
    expect(await o.evaluate(() => document.activeElement?.getAttribute('data-key'))).toBe('delete');
    expect(((await call(OLIVIA, acme, 'GET', 'tenant')).body as { status: string }).status).toBe(
      'active',
    );
    await o.keyboard.press('Enter');
    await o.waitForSelector('atakora-organization-settings dialog[open]');
    await o.click('atakora-organization-settings dialog[open] .atk-danger');
    await o.waitForSelector('atakora-organization-settings button[data-key="undelete"]');
    await settled(o, 'atakora-organization-settings');
    const tenant = (await call(OLIVIA, acme, 'GET', 'me/tenants')).body as {
      items: { id: string; deleteOn?: string }[];
    };
    const deleteOn = tenant.items.find((t) => t.id === acme)?.deleteOn;
    expect(deleteOn).toBeDefined();
    // The erase date shown and announced, as a date of the page's locale.
    const year = new Date(deleteOn ?? '').getUTCFullYear().toString();
    expect(await o.textContent('atakora-organization-settings [part="deleted"]')).toContain(year);
    expect(await o.textContent('atakora-organization-settings [part="deleted"]')).toContain(
      'erased on',
    );
    expect(await o.textContent('atakora-organization-settings [role="status"]')).toContain(
      'erased on',
    );
    expect(await o.locator('atakora-organization-settings button[data-key="delete"]').count()).toBe(
      0,
    );
    expect(await o.locator('atakora-organization-settings button[data-key="rename"]').count()).toBe(
      0,
    );
    expect(await axeViolations(o)).toEqual([]);

    // Restore before the date: active again, Delete back.
    await o.click('atakora-organization-settings button[data-key="undelete"]');
    await o.waitForSelector('atakora-organization-settings button[data-key="delete"]');
    await settled(o, 'atakora-organization-settings');
    expect(await o.textContent('atakora-organization-settings [role="status"]')).toContain(
      'restored',
    );
    expect(await o.locator('atakora-organization-settings [part="deleted"]').count()).toBe(0);
    expect(((await call(OLIVIA, acme, 'GET', 'tenant')).body as { status: string }).status).toBe(
      'active',
    );
    expect(await axeViolations(o)).toEqual([]);
    expect(people.problems).toEqual([]);
  });

  it('subscribed through Checkout, the Owner is offered no second Checkout the API refuses: Manage billing changes the plan', async () => {
    const o = await people.pageAs(OLIVIA);
    await o.click(`atakora-organization-switcher button[data-key="org-${acme}"]`);
    await o.waitForSelector('atakora-plan li[data-plan="team"] [data-upgrade="team"]');
    await settled(o, 'atakora-plan');
    await o.click('atakora-plan li[data-plan="team"] [data-upgrade="team"]');
    await o.waitForURL((u) => u.href.startsWith(`${people.stripe.base}/c/pay/`));
    await o.click('button:has-text("Pay")');
    await expect
      .poll(
        async () => ((await call(OLIVIA, acme, 'GET', 'tenant')).body as { plan: string }).plan,
        {
          timeout: 60_000,
        },
      )
      .toBe('team');

    const page = await people.pageAs(OLIVIA);
    await page.click(`atakora-organization-switcher button[data-key="org-${acme}"]`);
    await page.waitForSelector('atakora-plan [part="current"][data-plan="team"]');
    for (const tag of ['atakora-plan', 'atakora-enterprise', 'atakora-audit-log', 'atakora-agents'])
      await settled(page, tag);
    await page.waitForSelector('atakora-plan button[data-key="portal"]');
    // Every Upgrade the page shows — the plan's and the locked parts' of the enterprise, audit-log and agents
    // elements —, asked of the API as the element would: none is refused (a live subscription's Checkout is 409
    // `subscription-exists`, billing-checkout.ts: the portal changes plans).
    const offered = await page
      .locator('[data-upgrade]')
      .evaluateAll((b) => [...new Set(b.map((e) => e.getAttribute('data-upgrade') ?? ''))]);
    const answers = await Promise.all(
      offered.map(async (plan) => {
        const r = await call(OLIVIA, acme, 'POST', 'tenant/billing/checkout', { plan });
        return `${plan}: ${r.status === 409 ? 'refused 409' : 'ok'}`;
      }),
    );
    expect(answers.filter((a) => a.endsWith('409'))).toEqual([]);
    // The enterprise element's locked SCIM part offers the portal instead, as the plan element does.
    expect(
      await page.textContent('atakora-enterprise [part="locked"] button[data-key="portal-scim"]'),
    ).toBe('Manage billing');
    // The features the plan lacks are still told, with the plans that have them.
    expect(await page.textContent('atakora-plan li[data-feature="scim"]')).toContain(
      'In enterprise',
    );
    expect(await axeViolations(page)).toEqual([]);
    expect(people.problems).toEqual([]);
  });
});
