/**
 * The enterprise, audit-log and agents elements and Leave in a real browser (Debian's Chromium through
 * playwright-core) against `atakora dev` and the Stripe stand-in (test/elements/support.ts): on the free plan each
 * locked part names the plans that have its feature and gives the Owner the upgrade — Checkout through the element
 * moves the organization to enterprise —; then the Owner adds, verifies (a problem shown: no DNS record) and removes
 * a domain, makes and revokes a SCIM token from the keyboard, filters, pages and exports the audit log, revokes an
 * agent; an Admin reads what is theirs and a Member sees none of it, the API refusing what they are not shown; a
 * Member leaves. Every state is axe-clean (WCAG 2.2 AA tags); German and Arabic render.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { axeViolations, type People, startPeople, statusOf, callAs } from './support.js';

let people: People;
let org = '';

const OLIVIA = 'olivia@example.com';
const BOB = 'bob@example.com';
const MIA = 'mia@example.com';

const ready = (page: Page, tag: string) =>
  page.waitForSelector(`${tag}[data-state="ready"]:not([aria-busy])`, { state: 'attached' });
const count = (page: Page, selector: string) => page.locator(selector).count();

async function pageReady(email: string): Promise<Page> {
  const page = await people.pageAs(email);
  for (const tag of ['atakora-enterprise', 'atakora-audit-log', 'atakora-agents']) {
    // Ready, or an error state: then say which problem it shows.
    await page.waitForSelector(
      `${tag}[data-state="ready"]:not([aria-busy]), ${tag}[data-state="error"]:not([aria-busy])`,
      { state: 'attached' },
    );
    if ((await page.getAttribute(tag, 'data-state')) === 'error')
      expect(`${tag}: ${(await page.textContent(`${tag} [part="error"]`)) ?? ''}`).toBe(tag);
  }
  return page;
}

const call = (email: string, method: string, path: string, body?: unknown) =>
  callAs(people.api, email, org, method, path, body);

async function join(email: string, role: string): Promise<void> {
  const { body } = await call(OLIVIA, 'POST', 'tenant/invitations', { email, roles: [role] });
  const token = new URL((body as { acceptUrl: string }).acceptUrl).searchParams.get('invitation');
  expect([200, 201]).toContain((await call(email, 'POST', 'invitations/accept', { token })).status);
}

beforeAll(async () => {
  people = await startPeople();
});
afterAll(async () => people?.stop());

describe('the enterprise, audit-log and agents elements in a browser', () => {
  it('on the free plan each part names the plans with its feature; the Owner alone gets the upgrade', async () => {
    const owner = await people.pageAs(OLIVIA);
    await owner.waitForSelector('atakora-enterprise[data-state="empty"]');
    await ready(owner, 'atakora-agents');
    expect(await owner.textContent('atakora-agents [part="mine"]')).toContain('No agents');
    expect(await axeViolations(owner)).toEqual([]);
    await owner.fill('atakora-organization-switcher input[name="name"]', 'Acme');
    await owner.keyboard.press('Enter');
    await owner.waitForSelector('atakora-organization-switcher li[data-id]');
    org = (await owner.getAttribute('atakora-organization-switcher li[data-id]', 'data-id')) ?? '';
    await join(BOB, 'Admin');
    await join(MIA, 'Member');
    people.grants.push(
      {
        id: 'g-olivia',
        person: OLIVIA,
        organization: org,
        clientId: 'https://claude.example/oauth/client.json',
        clientName: 'Claude',
        clientHost: 'claude.example',
        connectedOn: '2026-11-28T10:00:00.000Z',
        lastUsedOn: null,
      },
      {
        id: 'g-mia',
        person: MIA,
        organization: org,
        clientId: 'https://vscode.example/client.json',
        clientName: 'VS Code',
        clientHost: 'vscode.example',
        connectedOn: '2026-11-28T11:00:00.000Z',
        lastUsedOn: null,
      },
    );

    const o = await pageReady(OLIVIA);
    // Locked: the plans that have each feature, the smallest one Checkout sells as the Owner's upgrade.
    const lock = (f: string) => `atakora-enterprise [part="locked"][data-feature="${f}"]`;
    expect(await o.textContent(lock('domains'))).toContain('In enterprise, team');
    expect(await o.getAttribute(`${lock('domains')} button`, 'data-upgrade')).toBe('team');
    expect(await o.getAttribute(`${lock('scim')} button`, 'data-upgrade')).toBe('enterprise');
    expect(await o.getAttribute(`${lock('directory')} button`, 'data-upgrade')).toBe('enterprise');
    expect(await o.getAttribute('atakora-audit-log [part="locked"] button', 'data-upgrade')).toBe(
      'team',
    );
    expect(await o.textContent('atakora-agents [part="locked"][data-feature="mcp"]')).toContain(
      'In enterprise',
    );
    // The grant as the runtime lists it (ConnectedAgent): the client's host and when it was connected.
    expect(await o.locator('atakora-agents li[data-scope="me"]').allTextContents()).toEqual([
      expect.stringMatching(/Claude.*claude\.example.*connected \w+ 28, 2026/),
    ]);
    expect(await axeViolations(o)).toEqual([]);

    // The Admin sees the locks without the upgrade (an Owner's), and no SCIM part; the Member none of it.
    const bob = await pageReady(BOB);
    expect(await count(bob, 'atakora-enterprise [part="locked"]')).toBe(2);
    expect(await count(bob, 'atakora-enterprise [part="locked"] button')).toBe(0);
    expect(await bob.textContent(lock('domains'))).toContain('An Owner of the organization');
    expect(await count(bob, 'atakora-audit-log [part="locked"] button')).toBe(0);
    expect(await axeViolations(bob)).toEqual([]);
    const mia = await pageReady(MIA);
    expect(await mia.textContent('atakora-enterprise [part="content"]')).toContain(
      'Owners and Admins',
    );
    expect(await count(mia, 'atakora-enterprise button, atakora-audit-log button')).toBe(0);
    expect(await mia.locator('atakora-agents li[data-scope]').allTextContents()).toEqual([
      expect.stringContaining('VS Code'),
    ]);
    expect(people.agentCalls.filter((c) => c.startsWith('GET tenant/') && c.includes(MIA))).toEqual(
      [],
    );
    expect(await axeViolations(mia)).toEqual([]);

    // Checkout through the element: the organization moves to enterprise.
    await o.click(`${lock('scim')} button[data-upgrade="enterprise"]`);
    await o.waitForURL((u) => u.href.startsWith(`${people.stripe.base}/c/pay/`));
    await o.click('button:has-text("Pay")');
    await expect
      .poll(async () => ((await call(OLIVIA, 'GET', 'tenant')).body as { plan: string }).plan, {
        timeout: 60_000,
      })
      .toBe('enterprise');
    expect(people.problems).toEqual([]);
  });

  it('the Owner adds a domain (its TXT record), sees Verify refused, removes it; the Admin reads; the Member is refused', async () => {
    const o = await pageReady(OLIVIA);
    // A name the API refuses as a domain: its field error by the field, the focus on it.
    await o.fill('atakora-enterprise input[name="domain"]', 'not a domain');
    await o.click('atakora-enterprise button[data-key="domain-add"]');
    await o.waitForSelector('atakora-enterprise input[name="domain"][aria-invalid="true"]');
    expect(await o.evaluate(() => document.activeElement?.getAttribute('name'))).toBe('domain');
    expect(
      await o.locator('atakora-enterprise [part="field-errors"] li').allTextContents(),
    ).toEqual(['Domain: this is not in the form it takes.']);
    expect(await axeViolations(o)).toEqual([]);
    await o.fill('atakora-enterprise input[name="domain"]', 'acme-corp.example');
    await o.click('atakora-enterprise button[data-key="domain-add"]');
    const item = 'atakora-enterprise li[data-domain="acme-corp.example"]';
    await o.waitForSelector(item);
    expect(await o.textContent(`${item} [part="txt"]`)).toContain('atakora-verify=');
    expect(await o.textContent('atakora-enterprise [role="status"]')).toContain(
      'acme-corp.example added',
    );
    expect(await count(o, `${item} select`)).toBe(1);
    expect(await axeViolations(o)).toEqual([]);
    // No DNS here: the problem's title and detail, the view kept.
    await o.click(`${item} button[data-key="verify-acme-corp.example"]`);
    const alert = o.locator('atakora-enterprise [part="problem"] [role="alert"]');
    await alert.waitFor();
    expect(await alert.locator('strong').textContent()).not.toBe('');
    expect(await o.locator(item).count()).toBe(1);
    expect(await axeViolations(o)).toEqual([]);
    // Directory sign-in: this backend signs users in from one directory, and says so.
    expect(await o.textContent('atakora-enterprise [part="directory"] [part="note"]')).toContain(
      'directory',
    );

    const bob = await pageReady(BOB);
    await bob.waitForSelector(item);
    expect(await count(bob, 'atakora-enterprise [part="domains"] button')).toBe(0);
    expect(
      await count(bob, 'atakora-enterprise [part="domains"] form, atakora-enterprise select'),
    ).toBe(0);
    expect(await count(bob, 'atakora-enterprise [part="scim"]')).toBe(0);
    expect(await axeViolations(bob)).toEqual([]);
    expect((await call(BOB, 'POST', 'tenant/domains', { domain: 'b.example' })).status).toBe(403);
    expect((await call(BOB, 'GET', 'tenant/scim-tokens')).status).toBe(403);
    expect((await call(BOB, 'GET', 'tenant/domains')).status).toBe(200);
    expect((await call(MIA, 'GET', 'tenant/domains')).status).toBe(403);

    await o.click(`${item} button[data-key="remove-acme-corp.example"]`);
    await o.waitForSelector('atakora-enterprise dialog[open]');
    await o.click('atakora-enterprise dialog[open] .atk-danger');
    await o.waitForSelector(item, { state: 'detached' });
  });

  it("the Owner edits the role a verified domain's joiners get; one joining gets it; an Admin and a Member see no editor", async () => {
    const domain = 'join-corp.example';
    // Added, its TXT record published on the DNS stand-in dev resolves at, verified and set to auto: through the API
    // (the element's Add and Verify are the test above's).
    const added = (await call(OLIVIA, 'POST', 'tenant/domains', { domain })).body as {
      txt: { name: string; value: string };
    };
    people.dns.setTxt(added.txt.name, [added.txt.value]);
    expect((await call(OLIVIA, 'POST', `tenant/domains/${domain}/verify`)).body).toMatchObject({
      status: 'verified',
    });
    expect((await call(OLIVIA, 'PATCH', `tenant/domains/${domain}`, { join: 'auto' })).status).toBe(
      200,
    );
    const o = await pageReady(OLIVIA);
    const item = `atakora-enterprise li[data-domain="${domain}"]`;
    const toggle = `${item} button[data-key="join-role-${domain}"]`;
    expect(await o.textContent(item)).toContain('Joins as Member');
    expect(await o.getAttribute(toggle, 'aria-expanded')).toBe('false');
    // From the keyboard: Enter opens the editor, the focus on its select; the roles offered are never Owner.
    await o.focus(toggle);
    await o.keyboard.press('Enter');
    const editor = `${item} form[part~="join-role"]`;
    await o.waitForSelector(editor);
    expect(await o.getAttribute(toggle, 'aria-expanded')).toBe('true');
    expect(await o.evaluate(() => document.activeElement?.getAttribute('name'))).toBe('join-role');
    expect(await o.locator(`${editor} option`).allTextContents()).toEqual(['Admin', 'Member']);
    expect(await axeViolations(o)).toEqual([]);
    // Escape closes it, the focus back on its button; Enter opens it again.
    await o.keyboard.press('Escape');
    await o.waitForSelector(editor, { state: 'detached' });
    expect(await o.evaluate(() => document.activeElement?.getAttribute('data-key'))).toBe(
      `join-role-${domain}`,
    );
    await o.keyboard.press('Enter');
    await o.waitForSelector(editor);
    await o.selectOption(`${editor} select`, 'Admin');
    await o.keyboard.press('Tab');
    await o.keyboard.press('Enter');
    await o.waitForSelector(editor, { state: 'detached' });
    await o.waitForFunction(
      (sel) => document.querySelector(sel)?.textContent?.includes('Joins as Admin'),
      item,
    );
    expect(await o.textContent('atakora-enterprise [role="status"]')).toContain(
      `${domain}: people joining through it get Admin.`,
    );
    expect(await o.evaluate(() => document.activeElement?.getAttribute('data-key'))).toBe(
      `join-role-${domain}`,
    );
    // The API reads it back; a person whose verified e-mail is on the domain joins as Admin.
    expect((await call(OLIVIA, 'GET', `tenant/domains/${domain}`)).body).toMatchObject({
      join: 'auto',
      role: 'Admin',
    });
    const zoe = `zoe@${domain}`;
    const joined = await fetch(`${people.api}/tenants/${org}/join`, {
      method: 'POST',
      headers: { 'x-atakora-dev-user': zoe },
    });
    expect([joined.status, await joined.json()]).toEqual([
      201,
      expect.objectContaining({ roles: ['Admin'] }),
    ]);

    // A role the backend does not declare (offered by the page's own `roles`): the API's problem shown, its title
    // and detail, the editor kept open with the choice.
    await o.evaluate(() =>
      document.querySelector('atakora-enterprise')?.setAttribute('roles', 'Admin,Member,Auditor'),
    );
    await ready(o, 'atakora-enterprise');
    await o.click(toggle);
    await o.selectOption(`${editor} select`, 'Auditor');
    await o.click(`${editor} button[type="submit"]`);
    const alert = o.locator('atakora-enterprise [part="problem"] [role="alert"]');
    await alert.waitFor();
    expect(await alert.textContent()).toContain("The domain's join is not valid.");
    expect(await o.locator(editor).count()).toBe(1);
    // Its field error by the field it names: the select marked and described, listed in the alert, focused.
    expect(await o.getAttribute(`${editor} select`, 'aria-invalid')).toBe('true');
    expect(await alert.locator('[part="field-errors"] li').allTextContents()).toEqual([
      'Joins as: choose one of the values this organization offers.',
    ]);
    expect(
      await o.evaluate(() => {
        const el = document.activeElement;
        const id = el?.getAttribute('aria-describedby') ?? '';
        return [el?.getAttribute('name'), document.getElementById(id)?.textContent];
      }),
    ).toEqual(['join-role', 'Joins as: choose one of the values this organization offers.']);
    expect(await axeViolations(o)).toEqual([]);
    // In Arabic, right to left, the editor open: its words and direction, axe clean.
    await o.evaluate(() =>
      document.querySelector('atakora-enterprise')?.setAttribute('lang', 'ar'),
    );
    await o.waitForSelector(`${editor} label:has-text("ينضم بصفة")`);
    expect(await o.getAttribute('atakora-enterprise section.atakora', 'dir')).toBe('rtl');
    expect(await axeViolations(o)).toEqual([]);

    // An Admin and a Member: no editor, and the API refuses them the change.
    const bob = await pageReady(BOB);
    await bob.waitForSelector(item);
    expect(await bob.textContent(item)).toContain('Joins as Admin');
    expect(await count(bob, `${item} button, ${item} form`)).toBe(0);
    expect(await axeViolations(bob)).toEqual([]);
    expect((await call(BOB, 'PATCH', `tenant/domains/${domain}`, { role: 'Member' })).status).toBe(
      403,
    );
    const mia = await pageReady(MIA);
    expect(await count(mia, 'atakora-enterprise [part="domains"]')).toBe(0);
    expect((await call(MIA, 'PATCH', `tenant/domains/${domain}`, { role: 'Member' })).status).toBe(
      403,
    );

    // Left as the tests after this one expect: Zoe out, the domain removed.
    expect((await call(OLIVIA, 'DELETE', `tenant/members/${encodeURIComponent(zoe)}`)).status).toBe(
      204,
    );
    expect((await call(OLIVIA, 'DELETE', `tenant/domains/${domain}`)).status).toBe(204);
    expect(people.problems).toEqual([]);
  });

  it('a SCIM token shown once, revoked from the keyboard in a dialog that holds and returns the focus', async () => {
    const o = await pageReady(OLIVIA);
    expect(await o.textContent('atakora-enterprise [part="scim-url"]')).toContain('/api/scim/v2');
    await o.fill('atakora-enterprise input[name="token-name"]', 'entra');
    await o.keyboard.press('Enter');
    await o.waitForSelector('atakora-enterprise [part="secret"] code');
    const secret = (await o.textContent('atakora-enterprise [part="secret"] code')) ?? '';
    expect(secret.length).toBeGreaterThan(20);
    const tokens = (await call(OLIVIA, 'GET', 'tenant/scim-tokens')).body as { items: unknown[] };
    expect(tokens.items).toHaveLength(1);
    expect(JSON.stringify(tokens)).not.toContain(secret);
    const revoke = 'atakora-enterprise li[data-scim-token] button';
    await o.waitForSelector(revoke);
    await o.focus(revoke);
    await o.keyboard.press('Enter');
    await o.waitForSelector('atakora-enterprise dialog[open]');
    expect(await axeViolations(o)).toEqual([]);
    const inDialog = () =>
      o.evaluate(() => Boolean(document.activeElement?.closest('dialog[open]')));
    for (let i = 0; i < 3; i++) {
      await o.keyboard.press('Tab');
      expect(await inDialog()).toBe(true);
    }
    await o.keyboard.press('Escape');
    await o.waitForSelector('atakora-enterprise dialog', { state: 'detached' });
    expect(await o.evaluate(() => document.activeElement?.getAttribute('aria-label'))).toBe(
      'Revoke the token entra',
    );
    await o.keyboard.press('Enter');
    await o.waitForSelector('atakora-enterprise dialog[open]');
    await o.keyboard.press('Tab');
    await o.keyboard.press('Enter');
    await o.waitForSelector('atakora-enterprise li[data-scim-token]', { state: 'detached' });
    expect(await o.textContent('atakora-enterprise [role="status"]')).toContain('revoked');
    expect((await call(OLIVIA, 'GET', 'tenant/scim-tokens')).body).toMatchObject({ items: [] });
  });

  it('the audit log filters, pages and exports for Owners and Admins; a Member is refused', async () => {
    const o = await pageReady(OLIVIA);
    const rows = () =>
      o
        .locator('atakora-audit-log tbody tr')
        .evaluateAll((r) => r.map((e) => e.getAttribute('data-action')));
    // page-size="3": newest first.
    expect((await rows()).length).toBe(3);
    expect(await count(o, 'atakora-audit-log button[data-key="next"]')).toBe(1);
    expect(await axeViolations(o)).toEqual([]);
    await o.click('atakora-audit-log button[data-key="next"]');
    await o.waitForSelector('atakora-audit-log button[data-key="previous"]');
    // The focus stays in the element (on Next while there is one, else its heading).
    expect(
      await o.evaluate(() => Boolean(document.activeElement?.closest('atakora-audit-log'))),
    ).toBe(true);
    expect(await o.textContent('atakora-audit-log [role="status"]')).toContain('entries shown');
    await o.selectOption('atakora-audit-log select[name="action"]', 'scim.token-created');
    await o.click('atakora-audit-log button[data-key="filter-apply"]');
    await o.waitForFunction(
      () => document.querySelectorAll('atakora-audit-log tbody tr').length === 1,
    );
    expect(await rows()).toEqual(['scim.token-created']);
    expect(await count(o, 'atakora-audit-log button[data-key="previous"]')).toBe(0);
    const exported = o.evaluate(
      () =>
        new Promise<string[]>((done) => {
          document.addEventListener(
            'atakora-audit-export',
            (e) => {
              e.preventDefault();
              done(
                (e as CustomEvent<{ entries: { action: string }[] }>).detail.entries.map(
                  (x) => x.action,
                ),
              );
            },
            { once: true },
          );
        }),
    );
    await o.click('atakora-audit-log button[data-key="export"]');
    expect(await exported).toEqual(['scim.token-created']);

    const bob = await pageReady(BOB);
    expect(await count(bob, 'atakora-audit-log tbody tr')).toBe(3);
    const mia = await pageReady(MIA);
    expect(await mia.textContent('atakora-audit-log [part="content"]')).toContain(
      'Owners and Admins',
    );
    expect((await call(MIA, 'GET', 'tenant/audit')).status).toBe(403);
    expect(await axeViolations(mia)).toEqual([]);
  });

  it("agents: the Owner sees the organization's and revokes one; German and Arabic render", async () => {
    const o = await pageReady(OLIVIA);
    const theirs = 'atakora-agents li[data-scope="tenant"][data-grant="g-mia"]';
    await o.waitForSelector(theirs);
    expect(await o.textContent(theirs)).toContain(MIA);
    expect(await axeViolations(o)).toEqual([]);
    await o.click(`${theirs} button`);
    await o.click('atakora-agents dialog[open] .atk-danger');
    await o.waitForSelector(theirs, { state: 'detached' });
    expect(people.grants.find((g) => g.id === 'g-mia')?.revoked).toBeDefined();
    expect(people.agentCalls).toContain(`DELETE tenant/agents/g-mia as ${OLIVIA}`);

    await o.evaluate(() => {
      for (const el of document.querySelectorAll('main > *')) el.setAttribute('lang', 'de');
    });
    await o.waitForSelector('atakora-enterprise h2:has-text("Unternehmenseinrichtung")');
    await o.waitForSelector('atakora-audit-log th:has-text("Aktion")');
    expect(await axeViolations(o)).toEqual([]);
    await o.evaluate(() => {
      document.documentElement.lang = 'ar';
      for (const el of document.querySelectorAll('main > *')) el.setAttribute('lang', 'ar');
    });
    await o.waitForSelector('atakora-agents h2:has-text("الوكلاء")');
    expect(await o.getAttribute('atakora-enterprise section.atakora', 'dir')).toBe('rtl');
    expect(await axeViolations(o)).toEqual([]);
  });

  it('a Member leaves the organization through the settings, confirmed', async () => {
    const mia = await people.pageAs(MIA);
    await ready(mia, 'atakora-organization-settings');
    await mia.click('atakora-organization-settings button[data-key="leave"]');
    await mia.waitForSelector('atakora-organization-settings dialog[open]');
    expect(await axeViolations(mia)).toEqual([]);
    await mia.click('atakora-organization-settings dialog[open] .atk-danger');
    // Left (the switcher has nothing), or the problem the API answered: say which.
    await mia.waitForSelector(
      'atakora-organization-switcher [part="empty"], atakora-organization-settings [part="problem"] [role="alert"]',
    );
    expect(await mia.locator('atakora-organization-settings [part="problem"]').textContent()).toBe(
      '',
    );
    await mia.waitForSelector('atakora-organization-switcher [part="empty"]');
    expect((await call(MIA, 'GET', 'tenant')).status).toBe(403);
    expect(await statusOf(people.api, OLIVIA, org, 'GET', 'tenant/members')).toBe(200);
    expect(people.problems).toEqual([]);
  });

  it('atakora dev serves /_atakora/elements: the module to a script, a page of every element to a browser', async () => {
    const module = await fetch(new URL('/_atakora/elements', people.site));
    expect(module.status).toBe(200);
    expect(module.headers.get('content-type')).toMatch(/^text\/javascript/);
    const code = await module.text();
    for (const tag of ['atakora-enterprise', 'atakora-audit-log', 'atakora-agents'])
      expect(code).toContain(tag);
    const page = await people.pageAs(OLIVIA, '/_atakora/elements');
    await ready(page, 'atakora-enterprise');
    await ready(page, 'atakora-members');
    expect(
      await page.evaluate(() =>
        [...document.querySelectorAll('main > :not(h1)')].map((e) =>
          customElements.get(e.localName) ? e.localName : `${e.localName} undefined`,
        ),
      ),
    ).toEqual([
      'atakora-organization-switcher',
      'atakora-invitation',
      'atakora-members',
      'atakora-plan',
      'atakora-organization-settings',
      'atakora-enterprise',
      'atakora-audit-log',
      'atakora-agents',
    ]);
    expect(await page.locator('atakora-members li[data-user]').count()).toBe(2);
    expect(await axeViolations(page)).toEqual([]);
    expect(people.problems).toEqual([]);
  });
});
