/**
 * Field error marks that outlive a re-render, in a real browser (Debian's Chromium through playwright-core) against
 * `atakora dev` (test/elements/support.ts): a form the API refused keeps each field's `aria-invalid`, its message
 * (named by `aria-describedby`), the value the person sent and the alert's list through every re-render of its
 * element — a list refresh (another element's change), an attribute change, `setMessages`, a language change (the
 * words then the new ones) — until the person edits that field or the submission succeeds; axe-clean in each. And the
 * organization-name field takes the API's longest name (contract/members.ts `MAX_ORGANIZATION_NAME`), no shorter.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_ORGANIZATION_NAME } from '../../src/contract/members.js';
import { axeViolations, type People, startPeople, callAs } from './support.js';

let people: People;
let org = '';

const OLIVIA = 'olivia@example.com';
const BOB = 'bob@example.com';
const MEMBERS = 'atakora-members';

const call = (email: string, method: string, path: string, body?: unknown) =>
  callAs(people.api, email, org, method, path, body);

beforeAll(async () => {
  people = await startPeople();
  org = ((await call(OLIVIA, 'POST', 'tenants', { name: 'Acme' })).body as { id: string }).id;
  const { body } = await call(OLIVIA, 'POST', 'tenant/invitations', {
    email: BOB,
    roles: ['Member'],
  });
  const token = new URL((body as { acceptUrl: string }).acceptUrl).searchParams.get('invitation');
  expect([200, 201]).toContain((await call(BOB, 'POST', 'invitations/accept', { token })).status);
});
afterAll(async () => people?.stop());

const ready = (page: Page, tag: string) =>
  page.waitForSelector(`${tag}[data-state="ready"]:not([aria-busy])`, { state: 'attached' });

/**
 * Run `trigger` and wait until `tag` has painted its view again (its heading is a new node) and settled: what a
 * re-render leaves is then on the page.
 */
async function rerendered(page: Page, tag: string, trigger: () => Promise<unknown>) {
  await page.$eval(`${tag} h2`, (h) => h.setAttribute('data-before', ''));
  await trigger();
  await page.waitForSelector(`${tag} h2:not([data-before])`, { state: 'attached' });
  await ready(page, tag);
}

/** What a screen reader is told of a control: its value, whether invalid, and its description's words. */
const told = (page: Page, selector: string) =>
  page.$eval(selector, (el) => {
    const ids = (el.getAttribute('aria-describedby') ?? '').split(/\s+/).filter(Boolean);
    return {
      value: (el as HTMLInputElement).value,
      invalid: el.getAttribute('aria-invalid'),
      description: ids.map((id) => document.getElementById(id)?.textContent ?? '').join(' '),
    };
  });

/** The alert's list of field errors. */
const summary = (page: Page, tag: string) =>
  page.locator(`${tag} [part="problem"] [role="alert"] [part="field-errors"] li`).allTextContents();

/**
 * `setMessages` of the page's own elements module (the one its script configured), given as a string: the test
 * runner would rewrite an `import()` written in a function.
 */
const setMessages = (page: Page, locale: string, messages: Record<string, string>) =>
  page.evaluate(
    `import(location.origin + '/elements.js').then((m) => m.setMessages(${JSON.stringify(locale)}, ${JSON.stringify(messages)}))`,
  );

describe('field error marks through re-renders', () => {
  it('an invitation refused: its marks, values and list stay through a refresh, an attribute, setMessages and a language; an edit clears its field', async () => {
    const page = await people.pageAs(OLIVIA);
    const email = `${MEMBERS} input[name="email"]`;
    const role = `${MEMBERS} select[name="role"]`;
    // A role the page offers that the backend does not declare: the API's own refusal of `roles`.
    await page.$eval(MEMBERS, (m) => m.setAttribute('roles', 'Owner,Admin,Member,Auditor'));
    await page.waitForSelector(`${role} option[value="Auditor"]`, { state: 'attached' });
    await ready(page, MEMBERS);
    await page.fill(email, 'ann@example');
    await page.selectOption(role, 'Auditor');
    await page.focus(`${MEMBERS} button[type="submit"]`);
    await page.keyboard.press('Enter');
    await page.waitForSelector(`${email}[aria-invalid="true"]`);
    const marked = {
      email: {
        value: 'ann@example',
        invalid: 'true',
        description: 'E-mail: this is not in the form it takes.',
      },
      role: {
        value: 'Auditor',
        invalid: 'true',
        description: 'Role: choose one of the values this organization offers.',
      },
      summary: [
        'E-mail: this is not in the form it takes.',
        'Role: choose one of the values this organization offers.',
      ],
    };
    const state = async () => ({
      email: await told(page, email),
      role: await told(page, role),
      summary: await summary(page, MEMBERS),
    });
    expect(await state()).toEqual(marked);

    // A list refresh: another element changed something (the members element reads again).
    await rerendered(page, MEMBERS, () =>
      page.evaluate(() => document.dispatchEvent(new CustomEvent('atakora-change'))),
    );
    expect(await state()).toEqual(marked);
    expect(await page.locator(`${MEMBERS} [part="field-error"]`).count()).toBe(2);
    // The list's link leads to the field now on the page.
    await page.click(`${MEMBERS} [part="field-errors"] li:nth-child(2) a`);
    expect(await page.evaluate(() => document.activeElement?.getAttribute('name'))).toBe('role');
    expect(await axeViolations(page)).toEqual([]);

    // An attribute change (the roles offered: the element reads again).
    await rerendered(page, MEMBERS, () =>
      page.$eval(MEMBERS, (m) => m.setAttribute('roles', 'Auditor,Owner,Admin,Member')),
    );
    expect(await state()).toEqual(marked);

    // setMessages: the same marks in the new words, beside the field and in the list.
    await rerendered(page, MEMBERS, () =>
      setMessages(page, 'en', { 'fieldError-format': '{field}: not an address we can send to.' }),
    );
    expect(await state()).toEqual({
      ...marked,
      email: { ...marked.email, description: 'E-mail: not an address we can send to.' },
      summary: ['E-mail: not an address we can send to.', marked.summary[1]],
    });

    // A language change: German, then Arabic (right to left).
    await rerendered(page, MEMBERS, () => page.$eval(MEMBERS, (m) => m.setAttribute('lang', 'de')));
    expect(await state()).toEqual({
      email: { ...marked.email, description: 'E-Mail: Das hat nicht das erwartete Format.' },
      role: {
        ...marked.role,
        description: 'Rolle: Bitte wählen Sie einen der angebotenen Werte.',
      },
      summary: [
        'E-Mail: Das hat nicht das erwartete Format.',
        'Rolle: Bitte wählen Sie einen der angebotenen Werte.',
      ],
    });
    await rerendered(page, MEMBERS, () => page.$eval(MEMBERS, (m) => m.setAttribute('lang', 'ar')));
    expect((await told(page, email)).description).toBe('البريد الإلكتروني: الصيغة غير صحيحة.');
    expect(await page.getAttribute(`${MEMBERS} section.atakora`, 'dir')).toBe('rtl');
    expect(await axeViolations(page)).toEqual([]);
    await rerendered(page, MEMBERS, () => page.$eval(MEMBERS, (m) => m.setAttribute('lang', 'en')));

    // The person edits the address: its mark and its line go; the role's stay, and the edit too, through a refresh.
    await page.focus(email);
    await page.keyboard.type('.com');
    expect(await told(page, email)).toEqual({
      value: 'ann@example.com',
      invalid: null,
      description: '',
    });
    expect(await told(page, role)).toEqual(marked.role);
    expect(await summary(page, MEMBERS)).toEqual([marked.summary[1]]);
    await rerendered(page, MEMBERS, () =>
      page.evaluate(() => document.dispatchEvent(new CustomEvent('atakora-change'))),
    );
    expect(await told(page, email)).toEqual({
      value: 'ann@example.com',
      invalid: null,
      description: '',
    });
    expect(await told(page, role)).toEqual(marked.role);
    expect(await page.locator(`${MEMBERS} [part="field-error"]`).count()).toBe(1);

    // Fixed and sent: the submission succeeds, and no mark comes back on the next re-render.
    await page.selectOption(role, 'Member');
    await page.focus(`${MEMBERS} button[type="submit"]`);
    await page.keyboard.press('Enter');
    await page.waitForSelector(`${MEMBERS} li[data-invitation]:has-text("ann@example.com")`);
    await rerendered(page, MEMBERS, () =>
      page.evaluate(() => document.dispatchEvent(new CustomEvent('atakora-change'))),
    );
    expect(await page.locator(`${MEMBERS} [aria-invalid]`).count()).toBe(0);
    expect(await page.locator(`${MEMBERS} [part="field-error"]`).count()).toBe(0);
    expect(await told(page, email)).toEqual({ value: '', invalid: null, description: '' });
    expect(people.problems).toEqual([]);
    await page.context().close();
  });

  it("a member's role refused stays marked, the choice kept, through a refresh; the settings' blank name through setMessages until edited", async () => {
    const page = await people.pageAs(OLIVIA);
    await page.$eval(MEMBERS, (m) => m.setAttribute('roles', 'Owner,Admin,Member,Auditor'));
    const picker = `${MEMBERS} li[data-user="${BOB}"] select`;
    await page.waitForSelector(`${picker} option[value="Auditor"]`, { state: 'attached' });
    await ready(page, MEMBERS);
    // Member to Auditor (a role the backend does not declare): nothing lost, so nothing asked; the API refuses it.
    await page.selectOption(picker, 'Auditor');
    await page.waitForSelector(`${picker}[aria-invalid="true"]`);
    const refused = {
      value: 'Auditor',
      invalid: 'true',
      description: `Roles of ${BOB}: choose one of the values this organization offers.`,
    };
    expect(await told(page, picker)).toEqual(refused);
    await rerendered(page, MEMBERS, () =>
      page.evaluate(() => document.dispatchEvent(new CustomEvent('atakora-change'))),
    );
    expect(await told(page, picker)).toEqual(refused);
    expect(await page.locator(`${MEMBERS} [part="field-error"]`).count()).toBe(1);
    expect(await axeViolations(page)).toEqual([]);

    const settings = 'atakora-organization-settings';
    const rename = `${settings} input[name="name"]`;
    await page.waitForSelector(rename);
    await ready(page, settings);
    await page.fill(rename, ' ');
    await page.focus(`${settings} button[data-key="rename"]`);
    await page.keyboard.press('Enter');
    await page.waitForSelector(`${rename}[aria-invalid="true"]`);
    const blank = { value: ' ', invalid: 'true', description: 'Organization name: enter a value.' };
    expect(await told(page, rename)).toEqual(blank);
    await rerendered(page, settings, () =>
      setMessages(page, 'en', { 'fieldError-required': '{field}: a name, please.' }),
    );
    expect(await told(page, rename)).toEqual({
      ...blank,
      description: 'Organization name: a name, please.',
    });
    expect(await summary(page, settings)).toEqual(['Organization name: a name, please.']);
    // Edited: the mark goes, and with the form's last one the alert.
    await page.focus(rename);
    await page.keyboard.type('Acme Labs');
    expect(await told(page, rename)).toEqual({
      value: ' Acme Labs',
      invalid: null,
      description: '',
    });
    expect(await page.locator(`${settings} [part="problem"] [role="alert"]`).count()).toBe(0);
    expect(people.problems).toEqual([]);
    await page.context().close();
  });

  it("an organization's name takes as many characters as the API keeps, in the switcher and the settings", async () => {
    expect(MAX_ORGANIZATION_NAME).toBe(256);
    const page = await people.pageAs(OLIVIA);
    const create = 'atakora-organization-switcher input[name="name"]';
    await page.waitForSelector(create);
    // Typed past the bound: the field keeps the API's longest, and the API takes it.
    await page.focus(create);
    await page.keyboard.insertText('N'.repeat(MAX_ORGANIZATION_NAME + 10));
    expect(await page.$eval(create, (el) => (el as HTMLInputElement).value.length)).toBe(
      MAX_ORGANIZATION_NAME,
    );
    await page.keyboard.press('Enter');
    const longest = 'N'.repeat(MAX_ORGANIZATION_NAME);
    await page.waitForSelector(
      `atakora-organization-switcher button[aria-current="true"]:has-text("${longest}")`,
    );
    const rename = 'atakora-organization-settings input[name="name"]';
    await page.waitForSelector(`${rename}[value="${longest}"]`, { state: 'attached' });
    expect(await page.getAttribute(rename, 'maxlength')).toBe(String(MAX_ORGANIZATION_NAME));
    expect(people.problems).toEqual([]);
    await page.context().close();
  });
});
