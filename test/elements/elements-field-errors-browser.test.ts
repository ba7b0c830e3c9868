/**
 * Field errors in the elements' forms, in a real browser (Debian's Chromium through playwright-core) against
 * `atakora dev` (test/elements/support.ts): a 400 `validation` problem's `errors` — what the runtime answers for an
 * invitation to an address it refuses or a role the backend does not declare, an organization name too long — shown
 * next to each field (`aria-invalid`, `aria-describedby` to its message) and listed in the alert, the focus moved to
 * the first invalid field from the keyboard; a blank name says so before sending; German and Arabic words; axe-clean.
 * And an element's error state (a problem's title and detail) in the words of a locale set after it failed.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { axeViolations, type People, startPeople } from './support.js';

let people: People;

beforeAll(async () => {
  people = await startPeople();
});
afterAll(async () => people?.stop());

const ready = (page: Page, tag: string) =>
  page.waitForSelector(`${tag}[data-state="ready"]:not([aria-busy])`, { state: 'attached' });

/** What a screen reader is told of the focused control: its name, whether invalid, and its description's words. */
const focused = (page: Page) =>
  page.evaluate(() => {
    const el = document.activeElement;
    const ids = (el?.getAttribute('aria-describedby') ?? '').split(/\s+/).filter(Boolean);
    return {
      name: el?.getAttribute('name'),
      invalid: el?.getAttribute('aria-invalid'),
      description: ids.map((id) => document.getElementById(id)?.textContent ?? '').join(' '),
    };
  });

/** The alert's summary: its list of field errors. */
const summary = (page: Page, tag: string) =>
  page.locator(`${tag} [part="problem"] [role="alert"] [part="field-errors"] li`).allTextContents();

describe('field errors in the elements', () => {
  it('an organization name: blank said before sending, too long as the API answers; each by its field', async () => {
    const page = await people.pageAs('olivia@example.com');
    const input = 'atakora-organization-switcher input[name="name"]';
    await page.waitForSelector(input);
    // Spaces pass `required`: the element itself says the name is needed, by the field, the focus on it.
    await page.fill(input, '   ');
    await page.focus('atakora-organization-switcher button[type="submit"]');
    await page.keyboard.press('Enter');
    await page.waitForSelector(`${input}[aria-invalid="true"]`);
    expect(await focused(page)).toEqual({
      name: 'name',
      invalid: 'true',
      description: 'Organization name: enter a value.',
    });
    expect(await summary(page, 'atakora-organization-switcher')).toEqual([
      'Organization name: enter a value.',
    ]);
    expect(await axeViolations(page)).toEqual([]);

    // Longer than the API takes (256; typed past the field's own bound by a script): its 400 names `name`.
    await page.$eval(input, (el) => {
      (el as HTMLInputElement).value = 'A'.repeat(300);
    });
    await page.focus('atakora-organization-switcher button[type="submit"]');
    await page.keyboard.press('Enter');
    await page.waitForSelector(
      'atakora-organization-switcher [role="alert"] strong:has-text("Invalid item")',
    );
    expect(await page.textContent('atakora-organization-switcher [role="alert"]')).toContain(
      'The organization is not valid.',
    );
    expect(await focused(page)).toEqual({
      name: 'name',
      invalid: 'true',
      description: 'Organization name: this is too long.',
    });
    // One message by the field, not one more each attempt.
    expect(await page.locator('atakora-organization-switcher [part="field-error"]').count()).toBe(
      1,
    );

    // Fixed: the marks and the alert gone.
    await page.fill(input, 'Acme');
    await page.keyboard.press('Enter');
    await page.waitForSelector(
      'atakora-organization-switcher button[aria-current="true"]:has-text("Acme")',
    );
    expect(await page.locator('atakora-organization-switcher [aria-invalid]').count()).toBe(0);
    expect(await page.locator('atakora-organization-switcher [role="alert"]').count()).toBe(0);
    expect(people.problems).toEqual([]);
  });

  it('an invitation the API refuses: the address and the role each marked, listed, the focus on the first', async () => {
    const page = await people.pageAs('olivia@example.com');
    const members = 'atakora-members';
    // A role the page offers that the backend does not declare: the API's own refusal of `roles`.
    await page.$eval(members, (m) => m.setAttribute('roles', 'Owner,Admin,Member,Auditor'));
    await page.waitForSelector(`${members} form[aria-label="Invite"]`);
    await ready(page, members);
    // `ann@example` is an address to the browser (no dot needed), not to the API.
    await page.fill(`${members} input[name="email"]`, 'ann@example');
    await page.selectOption(`${members} select[name="role"]`, 'Auditor');
    await page.focus(`${members} button[type="submit"]`);
    await page.keyboard.press('Enter');
    await page.waitForSelector(`${members} input[name="email"][aria-invalid="true"]`);
    expect(await focused(page)).toEqual({
      name: 'email',
      invalid: 'true',
      description: 'E-mail: this is not in the form it takes.',
    });
    expect(await page.getAttribute(`${members} select[name="role"]`, 'aria-invalid')).toBe('true');
    expect(await summary(page, members)).toEqual([
      'E-mail: this is not in the form it takes.',
      'Role: choose one of the values this organization offers.',
    ]);
    expect(await page.textContent(`${members} [role="alert"] strong`)).toBe('Invalid item');
    expect(await page.textContent(`${members} [role="alert"] p`)).toBe(
      'The invitation is not valid.',
    );
    // The summary's link takes the focus to its field.
    await page.click(`${members} [part="field-errors"] li:nth-child(2) a`);
    expect((await focused(page)).name).toBe('role');
    expect(await axeViolations(page)).toEqual([]);

    // In German, then Arabic (right to left): the same answer in the element's words.
    await page.$eval(members, (m) => m.setAttribute('lang', 'de'));
    await page.waitForSelector(`${members} button[type="submit"]:has-text("Einladen")`);
    await page.fill(`${members} input[name="email"]`, 'ann@example');
    await page.selectOption(`${members} select[name="role"]`, 'Auditor');
    await page.focus(`${members} button[type="submit"]`);
    await page.keyboard.press('Enter');
    await page.waitForSelector(`${members} input[name="email"][aria-invalid="true"]`);
    expect(await summary(page, members)).toEqual([
      'E-Mail: Das hat nicht das erwartete Format.',
      'Rolle: Bitte wählen Sie einen der angebotenen Werte.',
    ]);
    expect((await focused(page)).name).toBe('email');
    expect(await axeViolations(page)).toEqual([]);
    await page.$eval(members, (m) => m.setAttribute('lang', 'ar'));
    await page.waitForSelector(`${members} section.atakora[dir="rtl"]`);
    await page.fill(`${members} input[name="email"]`, 'ann@example');
    await page.selectOption(`${members} select[name="role"]`, 'Member');
    await page.focus(`${members} button[type="submit"]`);
    await page.keyboard.press('Enter');
    await page.waitForSelector(`${members} input[name="email"][aria-invalid="true"]`);
    expect(await summary(page, members)).toEqual(['البريد الإلكتروني: الصيغة غير صحيحة.']);
    // Only the field in error is marked this time.
    expect(await page.getAttribute(`${members} select[name="role"]`, 'aria-invalid')).toBeNull();
    expect(await axeViolations(page)).toEqual([]);

    // Fixed: sent, the marks gone.
    await page.$eval(members, (m) => m.setAttribute('lang', 'en'));
    await page.fill(`${members} input[name="email"]`, 'ann@example.com');
    await page.keyboard.press('Enter');
    await page.waitForSelector(`${members} li[data-invitation]:has-text("ann@example.com")`);
    expect(await page.locator(`${members} [aria-invalid]`).count()).toBe(0);
    expect(await page.locator(`${members} [part="field-error"]`).count()).toBe(0);
    expect(people.problems).toEqual([]);
  });

  it("a member's role the API refuses: the role picker marked; the settings' blank rename said by its field", async () => {
    const page = await people.pageAs('olivia@example.com');
    await page.$eval('atakora-members', (m) =>
      m.setAttribute('roles', 'Owner,Admin,Member,Auditor'),
    );
    const picker = 'atakora-members li[data-user="olivia@example.com"] select';
    await page.waitForSelector(`${picker} option[value="Auditor"]`, { state: 'attached' });
    await ready(page, 'atakora-members');
    // Her own role from Owner to Auditor takes rights away: asked first (elements-confirm-browser.test.ts), confirmed.
    await page.selectOption(picker, 'Auditor');
    await page.click('atakora-members dialog[open] .atk-danger');
    await page.waitForSelector(`${picker}[aria-invalid="true"]`);
    expect(await page.textContent('atakora-members [part="field-error"]')).toBe(
      'Roles of olivia@example.com: choose one of the values this organization offers.',
    );
    expect(await axeViolations(page)).toEqual([]);

    const rename = 'atakora-organization-settings input[name="name"]';
    await page.waitForSelector(rename);
    await ready(page, 'atakora-organization-settings');
    await page.fill(rename, ' ');
    await page.focus('atakora-organization-settings button[data-key="rename"]');
    await page.keyboard.press('Enter');
    await page.waitForSelector(`${rename}[aria-invalid="true"]`);
    expect(await focused(page)).toEqual({
      name: 'name',
      invalid: 'true',
      description: 'Organization name: enter a value.',
    });
    expect(await axeViolations(page)).toEqual([]);
  });

  it("an element's error state follows the locale: its heading and Try again in Arabic, right to left", async () => {
    const page = await people.pageAs('olivia@example.com');
    // With an organization now (else the plan element is empty and reads nothing): the per-person bound's answer (the runtime's 429 `rate-limited` problem) to the plan element's read of the
    // plans: its error state, the problem's title and detail.
    await page.route(/\/api\/plans$/, (route) =>
      route.fulfill({
        status: 429,
        headers: {
          'content-type': 'application/problem+json',
          'retry-after': '30',
          'access-control-allow-origin': '*',
        },
        body: JSON.stringify({
          type: 'urn:atakora:problem:rate-limited',
          title: 'Rate limited',
          status: 429,
          detail: 'You made 60 requests this minute, as many as a person may.',
          policy: 'user',
        }),
      }),
    );
    await page.reload();
    await page.waitForSelector('atakora-plan[data-state="error"]:not([aria-busy])', {
      state: 'attached',
    });
    expect(await page.textContent('atakora-plan [part="error"] strong')).toBe('Rate limited');
    await page.$eval('atakora-plan', (p) => p.setAttribute('lang', 'ar'));
    await page.waitForSelector('atakora-plan h2:has-text("الخطة")');
    expect(await page.textContent('atakora-plan button[data-key="retry"]')).toBe('أعد المحاولة');
    expect(await page.getAttribute('atakora-plan section.atakora', 'dir')).toBe('rtl');
    expect(await page.textContent('atakora-plan [part="error"] p')).toContain('60 requests');
    expect(await axeViolations(page)).toEqual([]);
    await page.close();
  });
});
