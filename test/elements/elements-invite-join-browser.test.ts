/**
 * Inviting and admitting through `<atakora-members>` in Chromium against `atakora dev` (test/elements/support.ts):
 * a backend without `tenants.email` sends no mail — `POST api/tenant/invitations` answers the invitation with its
 * `acceptUrl` and no `delivery` (runtime/members/mail/invitation-mail.ts) — so the element says the invitation was
 * created and shows the link to share, in English, German and Arabic, never that it was sent; and an Owner approves
 * a request to join through a verified domain: the person moves from the requests to the members, as the API then
 * lists them.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { axeViolations, type People, startPeople, callAs } from './support.js';
import { askToJoinThroughDomain } from './domain-join.js';

let people: People;
let org = '';

const OLIVIA = 'olivia@example.com';
const MEMBERS = 'atakora-members';

const call = (email: string, method: string, path: string, body?: unknown) =>
  callAs(people.api, email, org, method, path, body);

const ready = (page: Page) =>
  page.waitForSelector(`${MEMBERS}[data-state="ready"]:not([aria-busy])`, { state: 'attached' });

beforeAll(async () => {
  people = await startPeople();
  org = ((await call(OLIVIA, 'POST', 'tenants', { name: 'Acme' })).body as { id: string }).id;
});
afterAll(async () => people?.stop());

describe('inviting and admitting through the members element', () => {
  it('without tenants.email an invitation is said created, not sent, with its link to share — in en, de and ar', async () => {
    // What the API answers for it: the link, and no delivery (no mail went).
    const direct = await call(OLIVIA, 'POST', 'tenant/invitations', {
      email: 'probe@example.com',
      roles: ['Member'],
    });
    expect(direct.status).toBe(201);
    expect(direct.body).toHaveProperty('acceptUrl');
    expect(direct.body).not.toHaveProperty('delivery');

    const said = {
      en: { created: 'Invitation for {name} created', sent: 'Invitation sent' },
      de: { created: 'Einladung für {name} erstellt', sent: 'gesendet' },
      ar: { created: 'أُنشئت الدعوة لـ {name}', sent: 'تم إرسال الدعوة' },
    } as const;
    const page = await people.pageAs(OLIVIA);
    await ready(page);
    for (const [lang, words] of Object.entries(said)) {
      await page.evaluate(
        (l) => document.querySelector('atakora-members')?.setAttribute('lang', l),
        lang,
      );
      await ready(page);
      const who = `ina-${lang}@example.com`;
      await page.fill(`${MEMBERS} input[name="email"]`, who);
      await page.click(`${MEMBERS} button[data-key="invite"]`);
      await page.waitForSelector(`${MEMBERS} li[data-invitation]:has-text("${who}")`);
      await ready(page);
      const status = (await page.textContent(`${MEMBERS} [role="status"]`)) ?? '';
      expect(status, lang).toContain(words.created.replace('{name}', who));
      expect(status, lang).not.toContain(words.sent);
      // The link to share is on the page, named as such, and it is this invitation's (its preview names the person).
      const link = (await page.getAttribute(`${MEMBERS} a[data-invite-link]`, 'href')) ?? '';
      const token = new URL(link).searchParams.get('invitation') ?? '';
      const preview = await fetch(
        `${people.api}/invitations/preview?invitation=${encodeURIComponent(token)}`,
      );
      expect(preview.status).toBe(200);
      expect(((await preview.json()) as { emailHint: string }).emailHint).toMatch(/@example\.com$/);
      expect(await page.getAttribute(`${MEMBERS} section[part~="base"]`, 'dir')).toBe(
        lang === 'ar' ? 'rtl' : 'ltr',
      );
      expect(await axeViolations(page), lang).toEqual([]);
    }
    expect(people.problems).toEqual([]);
    await page.context().close();
  });

  it('an Owner approves a request to join through a verified domain: a member now, as the API says', async () => {
    const domain = 'join-corp.example';
    const yan = `yan@${domain}`;
    await askToJoinThroughDomain(people, OLIVIA, org, domain, yan);

    const page = await people.pageAs(OLIVIA);
    await ready(page);
    const approve = `${MEMBERS} [part~="join-requests"] button[aria-label="Approve ${yan}"]`;
    await page.waitForSelector(approve);
    expect(await axeViolations(page)).toEqual([]);
    await page.focus(approve);
    await page.keyboard.press('Enter');
    await page.waitForSelector(`${MEMBERS} [role="status"]:has-text("${yan}")`);
    await ready(page);
    // On the page: among the members, no longer a request.
    await page.waitForSelector(`${MEMBERS} li[data-user]:has-text("${yan}")`);
    expect(await page.locator(approve).count()).toBe(0);
    // The API agrees: a Member of the organization, no request left; and the person sees it among theirs.
    const members = (await call(OLIVIA, 'GET', 'tenant/members')).body as {
      items: { email?: string; userId: string; roles: string[] }[];
    };
    expect(members.items.find((m) => m.userId === yan || m.email === yan)?.roles).toEqual([
      'Member',
    ]);
    expect(
      ((await call(OLIVIA, 'GET', 'tenant/join-requests')).body as { items: unknown[] }).items,
    ).toEqual([]);
    const theirs = await fetch(`${people.api}/me/tenants`, {
      headers: { 'x-atakora-dev-user': yan },
    });
    expect(((await theirs.json()) as { items: { id: string }[] }).items.map((o) => o.id)).toContain(
      org,
    );
    expect(await axeViolations(page)).toEqual([]);
    expect(people.problems).toEqual([]);
    await page.context().close();
  });
});
