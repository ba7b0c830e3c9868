/**
 * The members element asks before what takes something away, in a real browser (Debian's Chromium through
 * playwright-core) against `atakora dev` and the Stripe stand-in (test/elements/support.ts): lowering one's own
 * role (by the rule table the runtime's gate reads: the person cannot give the rights back) and declining a request to
 * join through a verified domain open the confirmation dialog removal and revocation use — the focus inside it,
 * Escape or Cancel leave everything as it was (the picker back on the role held, the API unchanged, the focus back on
 * the control), confirming acts. Another member's role, raised or lowered, changes at once (the Owner's direct
 * control, reversible by them): no dialog. Axe-clean with the dialog open, in English and Arabic (right to left).
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { axeViolations, type People, startPeople, callAs } from './support.js';
import { askToJoinThroughDomain } from './domain-join.js';

let people: People;
let org = '';

const OLIVIA = 'olivia@example.com';
const BOB = 'bob@example.com';
const MIA = 'mia@example.com';
const MEMBERS = 'atakora-members';
const DIALOG = `${MEMBERS} dialog[open]`;

const call = (email: string, method: string, path: string, body?: unknown) =>
  callAs(people.api, email, org, method, path, body);

async function join(email: string, role: string): Promise<void> {
  const { body } = await call(OLIVIA, 'POST', 'tenant/invitations', { email, roles: [role] });
  const token = new URL((body as { acceptUrl: string }).acceptUrl).searchParams.get('invitation');
  expect([200, 201]).toContain((await call(email, 'POST', 'invitations/accept', { token })).status);
}

/** The roles the API holds for `userId`. */
async function rolesOf(userId: string): Promise<readonly string[]> {
  const { body } = await call(OLIVIA, 'GET', 'tenant/members');
  return (
    (body as { items: { userId: string; roles: string[] }[] }).items.find(
      (m) => m.userId === userId,
    )?.roles ?? []
  );
}

beforeAll(async () => {
  people = await startPeople();
  org = ((await call(OLIVIA, 'POST', 'tenants', { name: 'Acme' })).body as { id: string }).id;
  await join(BOB, 'Admin');
  await join(MIA, 'Member');
});
afterAll(async () => people?.stop());

const ready = (page: Page) =>
  page.waitForSelector(`${MEMBERS}[data-state="ready"]:not([aria-busy])`, { state: 'attached' });
const picker = (userId: string) => `${MEMBERS} li[data-user="${userId}"] select`;
const focusedKey = (page: Page) =>
  page.evaluate(() => document.activeElement?.getAttribute('data-key'));
const inDialog = (page: Page) =>
  page.evaluate(() => Boolean(document.activeElement?.closest('dialog[open]')));

describe('the members element confirms what takes rights away', () => {
  it('another’s role changes at once, raised or lowered; lowering one’s own asks first', async () => {
    const page = await people.pageAs(OLIVIA);
    await ready(page);
    // Any dialog that opens (and would hold the change) is counted, even one closed again since.
    await page.evaluate(() => {
      const w = window as unknown as { dialogs: number };
      w.dialogs = 0;
      new MutationObserver((records) => {
        for (const r of records)
          for (const n of r.addedNodes)
            if (n instanceof Element && (n.matches('dialog') || n.querySelector('dialog')))
              w.dialogs += 1;
      }).observe(document.body, { childList: true, subtree: true });
    });
    const dialogs = () => page.evaluate(() => (window as unknown as { dialogs: number }).dialogs);

    // Member to Admin takes nothing away: made at once.
    await page.selectOption(picker(MIA), 'Admin');
    await page.waitForSelector(`${MEMBERS} [role="status"]:has-text("${MIA} is now Admin.")`);
    expect(await rolesOf(MIA)).toEqual(['Admin']);
    await ready(page);

    // Admin to Member on another: also at once — the Owner who lowered it can raise it again.
    await page.focus(picker(BOB));
    await page.selectOption(picker(BOB), 'Member');
    await page.waitForSelector(`${MEMBERS} [role="status"]:has-text("${BOB} is now Member.")`);
    expect(await rolesOf(BOB)).toEqual(['Member']);
    await ready(page);
    expect(await focusedKey(page)).toBe(`role-${BOB}`);
    expect(await dialogs()).toBe(0);
    expect(await page.locator(`${MEMBERS} dialog`).count()).toBe(0);

    // Her own role: asked first, said as hers, in the dialog removal uses.
    await page.focus(picker(OLIVIA));
    await page.selectOption(picker(OLIVIA), 'Admin');
    await page.waitForSelector(DIALOG);
    expect(await page.getAttribute(DIALOG, 'role')).toBe('alertdialog');
    expect(await page.textContent(`${DIALOG} h3`)).toBe('Change role');
    expect(await page.textContent(`${DIALOG} p`)).toBe(
      'Change your own role from Owner to Admin? You lose rights at once and cannot give them back yourself.',
    );
    expect(await inDialog(page)).toBe(true);
    expect(await axeViolations(page)).toEqual([]);
    // Escape: nothing changed, the picker back on Owner, the focus back on it.
    await page.keyboard.press('Escape');
    await page.waitForSelector(`${MEMBERS} dialog`, { state: 'detached' });
    expect(await page.$eval(picker(OLIVIA), (s) => (s as HTMLSelectElement).value)).toBe('Owner');
    expect(await focusedKey(page)).toBe(`role-${OLIVIA}`);
    expect(await rolesOf(OLIVIA)).toEqual(['Owner']);
    // Cancel: the same.
    await page.selectOption(picker(OLIVIA), 'Member');
    await page.waitForSelector(DIALOG);
    await page.click(`${DIALOG} button:has-text("Cancel")`);
    await page.waitForSelector(`${MEMBERS} dialog`, { state: 'detached' });
    expect(await page.$eval(picker(OLIVIA), (s) => (s as HTMLSelectElement).value)).toBe('Owner');
    expect(await focusedKey(page)).toBe(`role-${OLIVIA}`);
    expect(await rolesOf(OLIVIA)).toEqual(['Owner']);

    // In Arabic, right to left: the dialog in its words, axe-clean; Escape keeps her an Owner.
    await page.$eval(MEMBERS, (m) => m.setAttribute('lang', 'ar'));
    await page.waitForSelector(`${MEMBERS} section.atakora[dir="rtl"]`);
    await ready(page);
    await page.selectOption(picker(OLIVIA), 'Admin');
    await page.waitForSelector(DIALOG);
    expect(await page.textContent(`${DIALOG} h3`)).toBe('تغيير الدور');
    expect(await page.textContent(`${DIALOG} p`)).toBe(
      'تغيير دورك من Owner إلى Admin؟ ستفقد صلاحياتك فوراً ولن تستطيع استعادتها بنفسك.',
    );
    expect(await axeViolations(page)).toEqual([]);
    await page.keyboard.press('Escape');
    await page.waitForSelector(`${MEMBERS} dialog`, { state: 'detached' });
    expect(await rolesOf(OLIVIA)).toEqual(['Owner']);
    expect(people.problems).toEqual([]);
    await page.context().close();
  });

  it('declining a request to join asks first; Escape keeps it, confirming declines it', async () => {
    const domain = 'ask-corp.example';
    const zoe = `zoe@${domain}`;
    await askToJoinThroughDomain(people, OLIVIA, org, domain, zoe);
    const requests = async () =>
      ((await call(OLIVIA, 'GET', 'tenant/join-requests')).body as { items: unknown[] }).items
        .length;
    expect(await requests()).toBe(1);

    const page = await people.pageAs(OLIVIA);
    await ready(page);
    const decline = `${MEMBERS} [part="join-requests"] button[aria-label="Decline ${zoe}"]`;
    await page.waitForSelector(decline);
    await page.focus(decline);
    await page.keyboard.press('Enter');
    await page.waitForSelector(DIALOG);
    expect(await page.textContent(`${DIALOG} h3`)).toBe('Decline');
    expect(await page.textContent(`${DIALOG} p`)).toBe(
      `Decline the request of ${zoe} to join? It is deleted; they may ask again.`,
    );
    expect(await inDialog(page)).toBe(true);
    expect(await axeViolations(page)).toEqual([]);
    await page.keyboard.press('Escape');
    await page.waitForSelector(`${MEMBERS} dialog`, { state: 'detached' });
    expect(await page.evaluate(() => document.activeElement?.getAttribute('aria-label'))).toBe(
      `Decline ${zoe}`,
    );
    expect(await requests()).toBe(1);
    // Confirmed: Enter again, Tab to the dialog's Decline, Enter.
    await page.keyboard.press('Enter');
    await page.waitForSelector(DIALOG);
    await page.keyboard.press('Tab');
    await page.keyboard.press('Enter');
    await page.waitForSelector(
      `${MEMBERS} [role="status"]:has-text("Request of ${zoe} declined.")`,
    );
    expect(await requests()).toBe(0);
    expect(people.problems).toEqual([]);
    await page.context().close();
  });
});
