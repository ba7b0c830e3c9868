/**
 * examples/teams in a real browser (Debian's Chromium through playwright-core) against `atakora dev`: its people side
 * is the elements (served by dev at /_atakora/elements). Alice signs up and creates an organization with the
 * switcher, adds a project (the page's own part) and invites Bob by email with the members element; Eve, holding the
 * link but not Bob's verified email, is refused (the problem shown) and joins nothing; Bob opens the link, accepts
 * once and sees the organization's project; the link does not work twice; and the items stay in the organization
 * (the API, asked directly, agrees).
 */
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { type Page } from 'playwright-core';
import { type TestBrowser, testBrowser } from '../support/browser.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DevSession, startDev } from '../../src/cli/dev/session/session.js';
import { devUserOf } from '../../src/cli/dev/sign-in/sign-in.js';

const root = resolve(import.meta.dirname, '../..');
const artifacts = join(root, 'test-artifacts');
let dev: DevSession;
let browser: TestBrowser | undefined;

beforeAll(async () => {
  const alice = devUserOf('alice@example.com');
  if (!alice) throw new Error('no dev user');
  dev = await startDev('examples/teams/backend.ts', {
    user: alice,
    log: () => undefined,
    quietWorkers: true,
  });
});
afterAll(async () => {
  await browser?.close();
  await dev?.stop();
});

const site = () => dev.sites[0]?.url ?? '';

/** A fresh browser context signed in to dev as `email` (the page's local-user switch, kept in its storage). */
async function pageAs(email: string, problems: string[]): Promise<Page> {
  browser ??= await testBrowser();
  const context = await browser.newContext({ viewport: { width: 900, height: 800 } });
  await context.addInitScript((who) => {
    (
      globalThis as unknown as { localStorage: { setItem(k: string, v: string): void } }
    ).localStorage.setItem('teams.devUser', who);
  }, email);
  const page = await context.newPage();
  page.on('pageerror', (e) => problems.push(`${email}: ${e.message}`));
  return page;
}

const ready = (page: Page, tag: string) =>
  page.waitForSelector(`${tag}[data-state="ready"]:not([aria-busy])`, { state: 'attached' });

describe('examples/teams in a browser', () => {
  it('sign up, create an organization, invite a colleague who joins once; a stranger with the link joins nothing', async () => {
    const problems: string[] = [];
    const alice = await pageAs('alice@example.com', problems);
    await alice.goto(site());
    await alice.waitForSelector('#who[data-signed-in="true"]');
    expect(await alice.textContent('#who')).toContain('alice@example.com');
    await alice.waitForSelector('atakora-organization-switcher [part="empty"]');
    await alice.fill('atakora-organization-switcher input[name="name"]', 'Acme');
    await alice.keyboard.press('Enter');
    await alice.waitForSelector(
      'atakora-organization-switcher button[aria-current="true"]:has-text("Acme")',
    );
    expect(await alice.textContent('atakora-organization-switcher li[data-id]')).toContain('Owner');
    await alice.waitForSelector('#org:not([hidden])');
    await alice.fill('#project-name', 'Launch');
    await alice.click('#new-project button');
    await alice.waitForSelector('li.project:has-text("Launch")');
    await ready(alice, 'atakora-members');
    await alice.fill('atakora-members input[name="email"]', 'bob@example.com');
    await alice.click('atakora-members button[type="submit"]');
    await alice.waitForSelector('atakora-members a[data-invite-link]');
    const link = (await alice.getAttribute('atakora-members a[data-invite-link]', 'href')) ?? '';
    expect(link.startsWith(site())).toBe(true);
    expect(new URL(link).searchParams.get('invitation')).toMatch(/^[a-z0-9-]+\.[a-z0-9]{12}\./);
    mkdirSync(artifacts, { recursive: true });
    await alice.screenshot({ path: join(artifacts, 'teams-owner.png') });

    // Eve has the link, not Bob's verified email: refused, and the invitation stays open for Bob.
    const eve = await pageAs('eve@example.com', problems);
    await eve.goto(link);
    await eve.click('atakora-invitation button[data-key="accept"]');
    const refused = eve.locator('atakora-invitation [part="problem"] [role="alert"]');
    await refused.waitFor();
    expect(await refused.textContent()).toMatch(/e-?mail/i);
    expect(await eve.locator('atakora-organization-switcher li[data-id]').count()).toBe(0);

    const bob = await pageAs('bob@example.com', problems);
    await bob.goto(link);
    await bob.click('atakora-invitation button[data-key="accept"]');
    await bob.waitForSelector('li.project:has-text("Launch")');
    expect(await bob.textContent('atakora-organization-switcher li[data-id]')).toContain('Acme');
    expect(await bob.textContent('atakora-organization-switcher li[data-id]')).toContain('Member');
    await bob.waitForSelector('atakora-members li[data-user]:has-text("bob@example.com")');
    await bob.screenshot({ path: join(artifacts, 'teams-member.png') });

    // The link works once.
    const again = await pageAs('bob@example.com', problems);
    await again.goto(link);
    await again.waitForSelector('atakora-invitation[data-state="error"]', { state: 'attached' });
    expect(await again.textContent('atakora-invitation [role="alert"]')).toMatch(/expired|used/i);

    // Asked directly, the API agrees: the project is the organization's, and a non-member is refused.
    const org = (await bob.getAttribute('#org', 'data-id')) ?? '';
    const asUser = (email: string) => ({ 'x-atakora-dev-user': email, 'x-atakora-tenant': org });
    const listed = await fetch(`${dev.apps[0]?.url ?? ''}/api/projects`, {
      headers: asUser('bob@example.com'),
    });
    const { items } = (await listed.json()) as { items: { name: string; tenantId: string }[] };
    expect(items.map((i) => [i.name, i.tenantId])).toEqual([['Launch', org]]);
    const eveAsks = await fetch(`${dev.apps[0]?.url ?? ''}/api/projects`, {
      headers: asUser('eve@example.com'),
    });
    expect(eveAsks.status).toBe(403);
    expect(problems).toEqual([]);
  });
});
