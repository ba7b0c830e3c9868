/**
 * A page's own messages through `setMessages`, in Chromium against `atakora dev` (test/elements/support.ts): a
 * partial override changes those words and leaves the others; a key no element reads changes nothing and breaks
 * nothing; a new language speaks its words and English for the rest; the words stay through every re-render (data
 * read again, an attribute, an element added later); Arabic's own words render right to left, and so does a
 * right-to-left language the set does not bundle; a value that is not text is refused with a clear error before any
 * element reads it. Axe-clean (WCAG 2.2 AA) in each.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { axeViolations, type People, startPeople, callAs } from './support.js';

let people: People;
let org = '';

const OLIVIA = 'olivia@example.com';
const MEMBERS = 'atakora-members';

const call = (email: string, method: string, path: string, body?: unknown) =>
  callAs(people.api, email, org, method, path, body);

const ready = (page: Page, tag = MEMBERS) =>
  page.waitForSelector(`${tag}[data-state="ready"]:not([aria-busy])`, { state: 'attached' });

/**
 * `setMessages` of the very module the page's elements came from (its app.js imports ./elements.js): the call's
 * outcome, `ok` or the error's name, code and message. Source text, so the test's own module transform leaves the
 * page's `import()` alone.
 */
const setMessages = (page: Page, locale: string, messages: Record<string, unknown>) =>
  page.evaluate(`(async () => {
    const elements = await import(new URL('./elements.js', location.href).href);
    try {
      elements.setMessages(${JSON.stringify(locale)}, ${JSON.stringify(messages)});
      return 'ok';
    } catch (e) {
      return e.name + ' ' + e.code + ': ' + e.message;
    }
  })()`) as Promise<string>;

const text = async (page: Page, selector: string) =>
  ((await page.textContent(selector)) ?? '').trim();
const heading = (page: Page, tag = MEMBERS) => text(page, `${tag} h2`);
const inviteButton = (page: Page) => text(page, `${MEMBERS} button[data-key="invite"]`);
const direction = (page: Page, tag = MEMBERS) =>
  page.getAttribute(`${tag} section[part~="base"]`, 'dir');

beforeAll(async () => {
  people = await startPeople();
  org = ((await call(OLIVIA, 'POST', 'tenants', { name: 'Acme' })).body as { id: string }).id;
  expect(
    (
      await call(OLIVIA, 'POST', 'tenant/invitations', {
        email: 'ivy@example.com',
        roles: ['Member'],
      })
    ).status,
  ).toBe(201);
});
afterAll(async () => people?.stop());

describe("setMessages with a page's own messages", () => {
  it('a partial override and an unknown key: those words change, the others stay, through every re-render', async () => {
    const page = await people.pageAs(OLIVIA);
    await ready(page);
    expect(await heading(page)).toBe('Members');
    expect(
      await setMessages(page, 'en', { members: 'People', invite: 'Send the invitation' }),
    ).toBe('ok');
    await page.waitForSelector(`${MEMBERS} h2:text-is("People")`);
    expect(await inviteButton(page)).toBe('Send the invitation');
    // The others are the bundled English.
    expect(await text(page, `${MEMBERS} [part~="invitations"] h3`)).toBe('Invitations');
    expect(await text(page, `${MEMBERS} li[data-invitation] button[data-key^="resend-"]`)).toBe(
      'Resend',
    );
    // A key no element reads: accepted, nothing else moves; the same call's known key applies.
    expect(await setMessages(page, 'en', { notAKey: 'x', resend: 'Send again' })).toBe('ok');
    await page.waitForSelector(`${MEMBERS} button[data-key^="resend-"]:text-is("Send again")`);
    expect(await heading(page)).toBe('People');
    expect(await page.locator(`text=notAKey`).count()).toBe(0);

    // Re-renders: the data read again (another element's change), an attribute, an element added afterwards.
    await page.evaluate(() => document.dispatchEvent(new CustomEvent('atakora-change')));
    await ready(page);
    await page.evaluate(() =>
      document.querySelector('atakora-members')?.setAttribute('roles', 'Admin,Member'),
    );
    await ready(page);
    expect(await heading(page)).toBe('People');
    expect(await inviteButton(page)).toBe('Send the invitation');
    await page.evaluate(() => {
      const later = document.createElement('atakora-members');
      later.id = 'later';
      document.querySelector('main')?.append(later);
    });
    await ready(page, '#later');
    expect(await heading(page, '#later')).toBe('People');
    expect(await text(page, '#later button[data-key="invite"]')).toBe('Send the invitation');
    expect(await axeViolations(page)).toEqual([]);
    expect(people.problems).toEqual([]);
    await page.context().close();
  });

  it('a new language: its words, English for the rest, left to right; Arabic and an unbundled right-to-left language right to left', async () => {
    const page = await people.pageAs(OLIVIA);
    await ready(page);
    expect(await setMessages(page, 'fr', { members: 'Membres', invite: 'Inviter' })).toBe('ok');
    await page.evaluate(() => document.documentElement.setAttribute('lang', 'fr'));
    await page.evaluate(() =>
      document.querySelector('atakora-members')?.setAttribute('lang', 'fr'),
    );
    await page.waitForSelector(`${MEMBERS} h2:text-is("Membres")`);
    expect(await inviteButton(page)).toBe('Inviter');
    expect(await text(page, `${MEMBERS} [part~="invitations"] h3`)).toBe('Invitations');
    expect(await direction(page)).toBe('ltr');
    expect(await axeViolations(page)).toEqual([]);

    // Arabic: the page's word where it gave one, the bundled Arabic elsewhere, right to left.
    expect(await setMessages(page, 'ar', { invite: 'أرسل الدعوة' })).toBe('ok');
    await page.evaluate(() =>
      document.querySelector('atakora-members')?.setAttribute('lang', 'ar'),
    );
    await page.waitForSelector(`${MEMBERS} h2:text-is("الأعضاء")`);
    expect(await inviteButton(page)).toBe('أرسل الدعوة');
    expect(await direction(page)).toBe('rtl');
    await page.evaluate(() => document.dispatchEvent(new CustomEvent('atakora-change')));
    await ready(page);
    expect(await inviteButton(page)).toBe('أرسل الدعوة');
    expect(await direction(page)).toBe('rtl');
    expect(await axeViolations(page)).toEqual([]);

    // Pashto and Central Kurdish, written in Arabic script right to left (CLDR), which the set does not bundle.
    for (const lang of ['ps', 'ckb']) {
      expect(await setMessages(page, lang, { members: `${lang}: غړي` })).toBe('ok');
      await page.evaluate(
        (l) => document.querySelector('atakora-members')?.setAttribute('lang', l),
        lang,
      );
      await page.waitForSelector(`${MEMBERS} h2:text-is("${lang}: غړي")`);
      expect(await direction(page), lang).toBe('rtl');
    }
    expect(people.problems).toEqual([]);
    await page.context().close();
  });

  it('a value that is not text is refused before an element reads it; the elements keep their words', async () => {
    const page = await people.pageAs(OLIVIA);
    await ready(page);
    const refused = await setMessages(page, 'en', { invite: 5, members: 'Team' });
    expect(refused).toMatch(/^AtakoraError ELEMENTS_MESSAGES_INVALID: .*invite/);
    expect(await setMessages(page, 'en', { members: 'Team' })).toBe('ok');
    await page.waitForSelector(`${MEMBERS} h2:text-is("Team")`);
    expect(await inviteButton(page)).toBe('Invite');
    expect(await page.getAttribute(MEMBERS, 'data-state')).toBe('ready');
    expect(people.problems).toEqual([]);
    await page.context().close();
  });
});
