/**
 * `@atakora/component/elements` in a real browser (Debian's Chromium through playwright-core) against `atakora dev`
 * and the Stripe stand-in: an Owner creates an organization with the switcher, invites an Admin and a Member with the
 * members element, who accept through the invitation element; each sees only the controls their role may use — and
 * the API, asked directly, answers 403 to what they are not shown —; the plan shows its features, limits and the
 * plans that have what it lacks, and the Owner's Upgrade opens Checkout. Every state is axe-clean (WCAG 2.2 AA tags),
 * the confirmation dialog holds and returns focus from the keyboard, German and Arabic (right to left) render, a
 * problem shows its title and detail, and the theme's custom properties and parts apply.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { axeViolations, type People, startPeople, statusOf } from './support.js';

let people: People;
let org = '';
const links = new Map<string, string>();

// The page's own theme: an accent colour through the custom property, parts styled in a shadow root.
const THEME = `
atakora-plan { --atakora-accent: rgb(109, 40, 217); }
atakora-organization-settings::part(heading) { letter-spacing: 3px; }
`;

beforeAll(async () => {
  people = await startPeople(THEME);
});
afterAll(async () => people?.stop());

const ready = (page: Page, tag: string) =>
  page.waitForSelector(`${tag}[data-state="ready"]:not([aria-busy])`, { state: 'attached' });
const texts = (page: Page, selector: string) => page.locator(selector).allTextContents();

/**
 * `tag` settled — not loading or busy — and not in its error state: one that is fails here, naming the problem it
 * shows (title and detail), instead of a later wait for words it will never show.
 */
async function settled(page: Page, tag: string): Promise<void> {
  await page.waitForSelector(
    `${tag}[data-state="ready"]:not([aria-busy]), ${tag}[data-state="error"]:not([aria-busy])`,
    { state: 'attached' },
  );
  if ((await page.getAttribute(tag, 'data-state')) === 'error')
    expect(`${tag}: ${(await page.textContent(`${tag} [part="error"]`)) ?? ''}`).toBe(tag);
}

async function acceptAs(email: string): Promise<Page> {
  const page = await people.pageAs(
    email,
    `?${new URL(links.get(email) ?? '').searchParams.toString()}`,
  );
  await page.waitForSelector('atakora-invitation button:has-text("Accept")');
  expect(await page.textContent('atakora-invitation [part="preview"]')).toContain('Acme');
  expect(await axeViolations(page)).toEqual([]);
  await page.click('atakora-invitation button:has-text("Accept")');
  await page.waitForSelector('atakora-invitation [part="result"]');
  await page.waitForSelector(`atakora-members li[data-user]`);
  await ready(page, 'atakora-members');
  await ready(page, 'atakora-plan');
  await ready(page, 'atakora-organization-settings');
  expect(new URL(page.url()).searchParams.has('invitation')).toBe(false);
  return page;
}

describe('the people elements in a browser', () => {
  it('an Owner creates an organization, sees every control, invites; each state is axe-clean', async () => {
    const owner = await people.pageAs('olivia@example.com');
    // No organization yet: the empty states.
    await owner.waitForSelector('atakora-organization-switcher [part="empty"]');
    await owner.waitForSelector('atakora-members[data-state="empty"]');
    expect(await owner.textContent('atakora-invitation [part="empty"]')).toContain('No invitation');
    expect(await axeViolations(owner)).toEqual([]);

    await owner.fill('atakora-organization-switcher input[name="name"]', 'Acme');
    await owner.keyboard.press('Enter');
    await owner.waitForSelector(
      'atakora-organization-switcher button[aria-current="true"]:has-text("Acme")',
    );
    org = (await owner.getAttribute('atakora-organization-switcher li[data-id]', 'data-id')) ?? '';
    expect(org).not.toBe('');
    await owner.waitForSelector('atakora-members li[data-user]');
    await ready(owner, 'atakora-members');
    await ready(owner, 'atakora-plan');
    // The Owner's controls: roles, remove, invite; upgrade on the plans Checkout sells; rename and delete.
    expect(await owner.locator('atakora-members li[data-user] select').count()).toBe(1);
    expect(
      await owner.locator('atakora-members li[data-user] button:has-text("Remove")').count(),
    ).toBe(1);
    expect(await owner.locator('atakora-members form[aria-label="Invite"]').count()).toBe(1);
    expect((await texts(owner, 'atakora-plan [data-upgrade]')).sort()).toEqual([
      'Upgrade to enterprise',
      'Upgrade to enterprise',
      'Upgrade to enterprise',
      'Upgrade to enterprise',
      'Upgrade to team',
      'Upgrade to team',
      'Upgrade to team',
    ]);
    await ready(owner, 'atakora-organization-settings');
    expect(
      await owner
        .locator('atakora-organization-settings button:has-text("Delete organization")')
        .count(),
    ).toBe(1);
    expect(
      await owner.locator('atakora-organization-settings button:has-text("Rename")').count(),
    ).toBe(1);
    // The plan told honestly: free has no features; what others have is listed with the plans that have it.
    expect(await owner.textContent('atakora-plan [part="current"]')).toContain('free');
    expect(await owner.getAttribute('atakora-plan li[data-feature="scim"]', 'data-included')).toBe(
      'false',
    );
    expect(await owner.textContent('atakora-plan li[data-feature="scim"]')).toContain(
      'In enterprise',
    );
    expect(await owner.textContent('atakora-plan li[data-feature="audit"]')).toContain(
      'In enterprise, team',
    );
    expect(await owner.textContent('atakora-plan li[data-limit="members"]')).toContain('1 of 3');
    expect(await owner.textContent('atakora-plan li[data-plan="team"]')).toContain(
      '$15 a seat a month',
    );
    expect(await axeViolations(owner)).toEqual([]);

    // Invitations: an Admin, a Member and one to revoke.
    for (const [email, role] of [
      ['bob@example.com', 'Admin'],
      ['mia@example.com', 'Member'],
      ['carl@example.com', 'Member'],
    ] as const) {
      await owner.fill('atakora-members input[name="email"]', email);
      await owner.selectOption('atakora-members select[name="role"]', role);
      await owner.click('atakora-members button[type="submit"]:has-text("Invite")');
      await owner.waitForSelector(`atakora-members li[data-invitation]:has-text("${email}")`);
      expect(await owner.textContent('atakora-members [role="status"]')).toContain(email);
      const link = (await owner.getAttribute('atakora-members a[data-invite-link]', 'href')) ?? '';
      expect(new URL(link).searchParams.get('invitation')).toBeTruthy();
      links.set(email, link);
    }
    expect(await axeViolations(owner)).toEqual([]);
    expect(people.problems).toEqual([]);
  });

  it('the keyboard: Revoke asks in a dialog that holds the focus, Escape returns it; confirmed, it revokes', async () => {
    const owner = await people.pageAs('olivia@example.com');
    await owner.waitForSelector('atakora-members li[data-invitation]:has-text("carl@example.com")');
    await ready(owner, 'atakora-members');
    const revoke =
      'atakora-members li[data-invitation]:has-text("carl@example.com") button:has-text("Revoke")';
    await owner.focus(revoke);
    // A visible focus: the outline the theme draws.
    const outline = await owner.$eval(revoke, (b) => getComputedStyle(b).outlineStyle);
    expect(outline).not.toBe('none');
    await owner.keyboard.press('Enter');
    await owner.waitForSelector('atakora-members dialog[open]');
    expect(await axeViolations(owner)).toEqual([]);
    const inDialog = () =>
      owner.evaluate(() => Boolean(document.activeElement?.closest('dialog[open]')));
    expect(await inDialog()).toBe(true);
    for (let i = 0; i < 4; i++) {
      await owner.keyboard.press('Tab');
      expect(await inDialog()).toBe(true);
    }
    await owner.keyboard.press('Escape');
    await owner.waitForSelector('atakora-members dialog', { state: 'detached' });
    expect(await owner.evaluate(() => document.activeElement?.getAttribute('aria-label'))).toBe(
      'Revoke the invitation to carl@example.com',
    );
    // Again, confirmed from the keyboard: Tab to the dialog's Revoke, Enter.
    await owner.keyboard.press('Enter');
    await owner.waitForSelector('atakora-members dialog[open]');
    await owner.keyboard.press('Tab');
    await owner.keyboard.press('Enter');
    await owner.waitForSelector(
      'atakora-members li[data-invitation]:has-text("carl@example.com")',
      {
        state: 'detached',
      },
    );
    expect(await owner.textContent('atakora-members [role="status"]')).toContain('revoked');
    expect(await statusOf(people.api, 'olivia@example.com', org, 'GET', 'tenant/invitations')).toBe(
      200,
    );
  });

  it('an Admin and a Member accept; each sees only their controls, and the API refuses the others', async () => {
    const bob = await acceptAs('bob@example.com');
    const mia = await acceptAs('mia@example.com');
    // Bob's page loaded before Mia joined: read again.
    await bob.reload();
    await bob.waitForSelector('atakora-members li[data-user]:has-text("mia@example.com")');
    await ready(bob, 'atakora-members');
    await ready(bob, 'atakora-plan');
    await ready(bob, 'atakora-organization-settings');
    // Admin: invites (not as Owner), no role picker, no remove, no upgrade; renames, never deletes.
    expect(await bob.locator('atakora-members form[aria-label="Invite"]').count()).toBe(1);
    expect(
      await bob.locator('atakora-members select[name="role"] option[value="Owner"]').count(),
    ).toBe(0);
    expect(await bob.locator('atakora-members li[data-user] select').count()).toBe(0);
    expect(await bob.locator('atakora-members button:has-text("Remove")').count()).toBe(0);
    expect(await bob.locator('atakora-plan [data-upgrade]').count()).toBe(0);
    expect(
      await bob.locator('atakora-organization-settings button:has-text("Rename")').count(),
    ).toBe(1);
    expect(
      await bob.locator('atakora-organization-settings button:has-text("Delete")').count(),
    ).toBe(0);
    expect(await axeViolations(bob)).toEqual([]);
    const bobId =
      (await bob.getAttribute(
        'atakora-members li[data-user]:has-text("mia@example.com")',
        'data-user',
      )) ?? '';
    expect(
      await statusOf(people.api, 'bob@example.com', org, 'DELETE', `tenant/members/${bobId}`),
    ).toBe(403);
    expect(
      await statusOf(people.api, 'bob@example.com', org, 'POST', 'tenant/billing/checkout', {
        plan: 'team',
      }),
    ).toBe(403);
    expect(await statusOf(people.api, 'bob@example.com', org, 'DELETE', 'tenant')).toBe(403);

    // Member: the lists only.
    expect(await mia.locator('atakora-members li[data-user]').count()).toBe(3);
    expect(await mia.locator('atakora-members form').count()).toBe(0);
    expect(await mia.locator('atakora-members [part="invitations"]').count()).toBe(0);
    expect(await mia.locator('atakora-members button, atakora-members select').count()).toBe(0);
    expect(await mia.locator('atakora-plan button').count()).toBe(0);
    // Settings: Leave only (a member's own removal), no rename or delete.
    expect(
      await mia
        .locator('atakora-organization-settings button, atakora-organization-settings form')
        .allTextContents(),
    ).toEqual(['Leave organization']);
    expect(await axeViolations(mia)).toEqual([]);
    expect(await statusOf(people.api, 'mia@example.com', org, 'GET', 'tenant/invitations')).toBe(
      403,
    );
    expect(
      await statusOf(people.api, 'mia@example.com', org, 'PATCH', 'tenant', { name: 'x' }),
    ).toBe(403);
    expect(people.problems).toEqual([]);
  });

  it('shows a problem with its title and detail: the last Owner cannot remove themself', async () => {
    const owner = await people.pageAs('olivia@example.com');
    const mine =
      'atakora-members li[data-user]:has-text("olivia@example.com") button:has-text("Remove")';
    await owner.waitForSelector(mine);
    await ready(owner, 'atakora-members');
    await owner.click(mine);
    await owner.click('atakora-members dialog[open] .atk-danger');
    const alert = owner.locator('atakora-members [part="problem"] [role="alert"]');
    await alert.waitFor();
    expect(await alert.textContent()).toMatch(/Owner/);
    expect(await owner.locator('atakora-members [part="problem"] [role="alert"] p').count()).toBe(
      1,
    );
    expect(await axeViolations(owner)).toEqual([]);
  });

  // The two read-only runs below wait for every element to settle first: a page's elements load at once, and one in
  // its error state (the plan element once showed a 429 of the per-person bound of the routes acting in no
  // organization, api/me/tenants and api/plans, which every element read on each load) fails here by its problem.
  it('German and Arabic (right to left), each axe-clean', async () => {
    const owner = await people.pageAs('olivia@example.com');
    await owner.waitForSelector('atakora-members li[data-user]');
    for (const tag of ['atakora-members', 'atakora-plan']) await settled(owner, tag);
    await owner.$eval('atakora-members', (m) => m.setAttribute('lang', 'de'));
    await owner.waitForSelector('atakora-members h2:has-text("Mitglieder")');
    expect(await owner.textContent('atakora-members button[type="submit"]')).toBe('Einladen');
    expect(await axeViolations(owner)).toEqual([]);
    await owner.evaluate(() => {
      document.documentElement.lang = 'ar';
      for (const el of document.querySelectorAll('main > *')) el.setAttribute('lang', 'ar');
    });
    await owner.waitForSelector('atakora-plan h2:has-text("الخطة")');
    // Every element follows: its direction and its heading in Arabic.
    expect(
      await owner.$$eval('main > * > section.atakora', (frames) =>
        frames.map((f) => f.getAttribute('dir')),
      ),
    ).toEqual(Array(8).fill('rtl'));
    expect(await owner.textContent('atakora-members h2')).toBe('الأعضاء');
    expect(
      await owner.$eval('atakora-members section.atakora', (s) => getComputedStyle(s).direction),
    ).toBe('rtl');
    expect(await axeViolations(owner)).toEqual([]);
  });

  it('themes through --atakora-* and ::part; the Owner upgrades through Checkout', async () => {
    const owner = await people.pageAs('olivia@example.com');
    await settled(owner, 'atakora-plan');
    await owner.waitForSelector('atakora-plan [data-upgrade="team"]');
    expect(
      await owner.$eval(
        'atakora-plan [data-upgrade="team"]',
        (b) => getComputedStyle(b).backgroundColor,
      ),
    ).toBe('rgb(109, 40, 217)');
    // The shadow root on request: the element's parts take the page's ::part rules.
    await owner.evaluate(() => {
      const el = document.createElement('atakora-organization-settings');
      el.setAttribute('shadow', '');
      el.id = 'shadowed';
      document.querySelector('main')?.append(el);
    });
    await owner.waitForFunction(
      () => document.querySelector('#shadowed')?.shadowRoot?.querySelector('h2') !== null,
    );
    await owner.waitForSelector('#shadowed[data-state="ready"]', { state: 'attached' });
    expect(
      await owner.$eval(
        '#shadowed',
        (el) => getComputedStyle(el.shadowRoot!.querySelector('h2')!).letterSpacing,
      ),
    ).toBe('3px');
    expect(await axeViolations(owner)).toEqual([]);

    await owner.click('atakora-plan li[data-plan="team"] [data-upgrade="team"]');
    await owner.waitForURL((u) => u.href.startsWith(`${people.stripe.base}/c/pay/`));
    expect(people.problems).toEqual([]);
  });
});
