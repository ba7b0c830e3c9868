/**
 * An organization's verified domains through the request pipeline (DESIGN §2, "Organizations that enterprises can
 * buy"), against the local Cosmos DB server and a loopback DNS server
 * (`startDnsStandIn` of @atakora/component/testing, src/testing/dns-standin.ts) that node:dns
 * resolves at, as `ATAKORA_DNS_SERVER` names it: added by an Owner with its TXT record to publish, verified once the
 * record resolves, one organization per verified domain (also when two verify at once), public mail domains and bad
 * syntax refused, and the daily re-check unverifying a domain whose record has been gone for 3 days (its clock
 * injected: no sleeping).
 */
import type { Container } from '@azure/cosmos';
import type { HttpFunctionOptions, HttpHandler, TimerFunctionOptions } from '@azure/functions';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { RuntimeManifest } from '../../src/model/runtime-manifest.js';
import { txtResolverOf } from '../../src/runtime/members/domains/domain-dns.js';
import { recheckDomains } from '../../src/runtime/members/domains/domain-claims.js';
import { cosmosDomainStore } from '../../src/runtime/members/domains/domain-store.js';
import type { AuditEntry } from '../../src/contract/audit.js';
import { registerCrudRoutes } from '../../src/runtime/register-routes.js';
import { type DnsStandIn, startDnsStandIn } from '../../src/testing/dns-standin.js';
import { principalHeader } from './support/built-app.js';
import { noteEntity } from './support/entities.js';
import { member, record, reseed } from './support/organization-calls.js';
import { startDomainsApp } from './support/domains-app.js';
import { invoke, type Reply } from './support/http.js';
import { membershipAuth } from './support/registry-auth.js';
import type { LocalCosmos } from './support/local-cosmos.js';
import { registerNotesApp } from './support/notes-app.js';

let cosmos: LocalCosmos;
let dns: DnsStandIn;
let members: Container;
let tenants: Container;
let audit: Container;
const fns = new Map<string, HttpFunctionOptions>();
const policy = membershipAuth(
  'home-dir',
  { plans: { free: {} }, defaultPlan: 'free' },
  { createTenants: 'any-user', audit: 'audit' },
);

const who = (oid: string) =>
  principalHeader([
    ['oid', oid],
    ['tid', 'home-dir'],
  ]);
const code = (r: Reply) => String(r.body?.type ?? '').replace('urn:atakora:problem:', '');
const call = (
  name: string,
  method: string,
  user: string,
  org: string,
  body?: unknown,
  domain?: string,
) => {
  const f = fns.get(name);
  if (!f) throw new Error(`no function ${name}`);
  return invoke(f.handler as HttpHandler, method, `tenant/domains${domain ? `/${domain}` : ''}`, {
    headers: { ...who(user), 'x-atakora-tenant': org },
    ...(body === undefined ? {} : { body }),
    params: domain ? { domain } : {},
  });
};
const add = (user: string, org: string, domain: unknown) =>
  call('membership-domains', 'POST', user, org, { domain });
const verify = (user: string, org: string, domain: string) =>
  call('membership-domain-verify', 'POST', user, org, undefined, domain);
const list = (user: string, org: string) => call('membership-domains', 'GET', user, org);
/** Publish a domain's proof as its Owner would at the DNS host. */
const publish = (txt: { name: string; value: string }) =>
  dns.setTxt(txt.name, [...(dns.txt(txt.name) ?? []), txt.value]);

beforeAll(async () => {
  ({ cosmos, dns, members, tenants, audit } = await startDomainsApp(fns, policy));
});
afterAll(async () => {
  await dns?.close();
  await cosmos?.stop();
});
beforeEach(async () => {
  dns.clear();
  await reseed(
    { members, tenants, audit },
    [record('acme'), record('globex')],
    [
      member('acme', 'ada', ['Owner']),
      member('acme', 'abe', ['Admin']),
      member('acme', 'bob', ['Member']),
      member('globex', 'gus', ['Owner']),
    ],
  );
});

describe('POST api/tenant/domains', () => {
  it('answers the TXT record to publish, the domain normalized (case, trailing dot, IDN as punycode)', async () => {
    const r = await add('ada', 'acme', ' Contoso.COM. ');
    expect(r.status).toBe(201);
    expect(r.body).toMatchObject({
      domain: 'contoso.com',
      status: 'pending',
      join: 'off',
      role: 'Member',
      txt: { name: '_atakora.contoso.com' },
    });
    expect(r.body.txt.value).toMatch(/^atakora-verify=[A-Za-z0-9_-]{20,}$/);
    expect(r.body.tenant).toBeUndefined();
    const idn = await add('ada', 'acme', 'Bücher.example');
    expect([idn.status, idn.body.domain]).toEqual([201, 'xn--bcher-kva.example']);
    // The same domain twice in one organization: 409 conflict; each organization gets its own value.
    expect(code(await add('ada', 'acme', 'contoso.com'))).toBe('conflict');
    const theirs = await add('gus', 'globex', 'contoso.com');
    expect(theirs.status).toBe(201);
    expect(theirs.body.txt.value).not.toBe(r.body.txt.value);
  });

  it('refuses bad syntax (400 validation), public mail domains (400 public-domain) and non-Owners (403)', async () => {
    for (const bad of [
      'localhost',
      'http://contoso.com',
      'contoso.com/x',
      'a@contoso.com',
      '*.contoso.com',
      '-x.com',
      '10.0.0.1',
      '',
      42,
      `${'a'.repeat(64)}.com`,
    ]) {
      const r = await add('ada', 'acme', bad);
      expect([r.status, code(r)], String(bad)).toEqual([400, 'validation']);
    }
    for (const pub of ['gmail.com', 'Outlook.com', 'mail.yahoo.co.uk', 'contoso.onmicrosoft.com']) {
      const r = await add('ada', 'acme', pub);
      expect([r.status, code(r)], pub).toEqual([400, 'public-domain']);
    }
    for (const user of ['abe', 'bob']) {
      const r = await add(user, 'acme', 'contoso.com');
      expect([r.status, code(r)]).toEqual([403, 'access-denied']);
    }
    const stranger = await add('gus', 'acme', 'contoso.com');
    expect([stranger.status, code(stranger)]).toEqual([403, 'not-a-member']);
    expect((await list('ada', 'acme')).body.items).toEqual([]);
  });
});

describe('POST api/tenant/domains/{domain}/verify', () => {
  it('verifies once the TXT record resolves; 409 domain-txt-missing before; GET and DELETE', async () => {
    const added = await add('ada', 'acme', 'contoso.com');
    const missing = await verify('ada', 'acme', 'contoso.com');
    expect([missing.status, code(missing)]).toEqual([409, 'domain-txt-missing']);
    // Another value at the name (someone else's proof) proves nothing.
    dns.setTxt('_atakora.contoso.com', ['atakora-verify=not-ours', 'v=spf1 -all']);
    expect(code(await verify('ada', 'acme', 'contoso.com'))).toBe('domain-txt-missing');
    publish(added.body.txt);
    expect(code(await verify('abe', 'acme', 'contoso.com'))).toBe('access-denied');
    const ok = await verify('ada', 'acme', 'Contoso.com');
    expect([ok.status, ok.body.status]).toEqual([200, 'verified']);
    expect(ok.body.verifiedOn).toEqual(expect.any(String));
    expect(dns.asked).toContain('_atakora.contoso.com');
    // An Admin sees the domains; a Member does not.
    expect((await list('abe', 'acme')).body.items.map((d: { status: string }) => d.status)).toEqual(
      ['verified'],
    );
    expect(code(await list('bob', 'acme'))).toBe('access-denied');
    const one = await call('membership-domain', 'GET', 'abe', 'acme', undefined, 'contoso.com');
    expect([one.status, one.body.domain]).toEqual([200, 'contoso.com']);
    // Taken now: another organization adds it as it adds any domain (201 pending: adding never says who holds a
    // domain), and is refused only once it proves it holds it too.
    const theirs = await add('gus', 'globex', 'contoso.com');
    expect([theirs.status, theirs.body.status]).toEqual([201, 'pending']);
    expect(code(await verify('gus', 'globex', 'contoso.com'))).toBe('domain-txt-missing');
    publish(theirs.body.txt);
    expect(code(await verify('gus', 'globex', 'contoso.com'))).toBe('domain-taken');
    // Removed: free again for whoever proves it.
    const gone = await call('membership-domain', 'DELETE', 'ada', 'acme', undefined, 'contoso.com');
    expect(gone.status).toBe(204);
    expect(
      (await call('membership-domain', 'GET', 'ada', 'acme', undefined, 'contoso.com')).status,
    ).toBe(404);
    expect((await verify('gus', 'globex', 'contoso.com')).body.status).toBe('verified');
  });

  it('of two organizations verifying one domain at once, exactly one wins; the other gets 409 domain-taken', async () => {
    for (let round = 0; round < 5; round++) {
      const domain = `race${String(round)}.example`;
      const a = await add('ada', 'acme', domain);
      const g = await add('gus', 'globex', domain);
      publish(a.body.txt);
      publish(g.body.txt);
      const answers = await Promise.all([
        verify('ada', 'acme', domain),
        verify('gus', 'globex', domain),
      ]);
      const statuses = answers.map((r) => (r.status === 200 ? 'verified' : code(r))).sort();
      expect(statuses, domain).toEqual(['domain-taken', 'verified']);
      const verified = [await list('ada', 'acme'), await list('gus', 'globex')].flatMap((l) =>
        l.body.items.filter(
          (d: { domain: string; status: string }) => d.domain === domain && d.status === 'verified',
        ),
      );
      expect(verified).toHaveLength(1);
    }
  });

  it('answers 503 dns-unavailable when the DNS server does not answer, and changes nothing', async () => {
    const silent = await startDnsStandIn();
    await silent.close(); // its port now answers nothing
    const fns2 = new Map<string, HttpFunctionOptions>();
    registerNotesApp(
      fns2,
      policy,
      members,
      {
        members: { resolveTxt: txtResolverOf(silent.address) },
      },
      { backendId: 'orgs' },
    );
    await add('ada', 'acme', 'contoso.com');
    const f = fns2.get('membership-domain-verify')?.handler as HttpHandler;
    const r = await invoke(f, 'POST', 'tenant/domains/contoso.com/verify', {
      headers: { ...who('ada'), 'x-atakora-tenant': 'acme' },
      params: { domain: 'contoso.com' },
    });
    expect([r.status, code(r)]).toEqual([503, 'dns-unavailable']);
    expect((await list('ada', 'acme')).body.items[0].status).toBe('pending');
  });
});

describe('the daily re-check', () => {
  it('keeps a domain whose record is there; unverifies one gone for 3 days, freeing it', async () => {
    const kept = await add('ada', 'acme', 'kept.example');
    const lapsing = await add('ada', 'acme', 'lapsing.example');
    publish(kept.body.txt);
    publish(lapsing.body.txt);
    await verify('ada', 'acme', 'kept.example');
    await verify('ada', 'acme', 'lapsing.example');
    dns.deleteTxt('_atakora.lapsing.example');
    const store = cosmosDomainStore(members);
    const resolve = txtResolverOf(dns.address);
    const day = 24 * 60 * 60 * 1000;
    const t0 = Date.parse('2026-03-01T03:17:00.000Z');
    expect(await recheckDomains(store, resolve, new Date(t0))).toEqual({
      seen: 1,
      missing: 1,
      unverified: 0,
      unreachable: 0,
    });
    expect(await recheckDomains(store, resolve, new Date(t0 + 2 * day))).toMatchObject({
      missing: 1,
      unverified: 0,
    });
    const still = (await list('ada', 'acme')).body.items;
    expect(still.find((d: { domain: string }) => d.domain === 'lapsing.example')).toMatchObject({
      status: 'verified',
      missingSince: '2026-03-01T03:17:00.000Z',
    });
    // Another organization cannot take it within the grace: its own proof is refused.
    const theirs = await add('gus', 'globex', 'lapsing.example');
    expect(theirs.status).toBe(201);
    publish(theirs.body.txt);
    expect(code(await verify('gus', 'globex', 'lapsing.example'))).toBe('domain-taken');
    dns.deleteTxt('_atakora.lapsing.example');
    expect(await recheckDomains(store, resolve, new Date(t0 + 3 * day))).toEqual({
      seen: 1,
      missing: 0,
      unverified: 1,
      unreachable: 0,
    });
    const after = (await list('ada', 'acme')).body.items;
    expect(after.map((d: { domain: string; status: string }) => [d.domain, d.status])).toEqual([
      ['kept.example', 'verified'],
      ['lapsing.example', 'unverified'],
    ]);
    // Takeover after expiry needs the new holder's own proof: then it is theirs.
    expect(code(await verify('gus', 'globex', 'lapsing.example'))).toBe('domain-txt-missing');
    publish(theirs.body.txt);
    expect((await verify('gus', 'globex', 'lapsing.example')).body.status).toBe('verified');
    // The old holder re-verifying (its record back) is refused now.
    publish(lapsing.body.txt);
    expect(code(await verify('ada', 'acme', 'lapsing.example'))).toBe('domain-taken');
  });

  it('a record back within the grace clears missingSince', async () => {
    const d = await add('ada', 'acme', 'flaky.example');
    publish(d.body.txt);
    await verify('ada', 'acme', 'flaky.example');
    const store = cosmosDomainStore(members);
    const resolve = txtResolverOf(dns.address);
    dns.clear();
    await recheckDomains(store, resolve, new Date('2026-03-01T00:00:00.000Z'));
    publish(d.body.txt);
    await recheckDomains(store, resolve, new Date('2026-03-02T00:00:00.000Z'));
    dns.clear();
    // Missing again two days later: the grace starts over, so no unverify at day 4.
    await recheckDomains(store, resolve, new Date('2026-03-03T00:00:00.000Z'));
    const r = await recheckDomains(store, resolve, new Date('2026-03-05T00:00:00.000Z'));
    expect(r.unverified).toBe(0);
    expect((await list('ada', 'acme')).body.items[0]).toMatchObject({
      status: 'verified',
      missingSince: '2026-03-03T00:00:00.000Z',
    });
  });
});

describe('the re-check timer', () => {
  it('is registered daily beside the membership routes and logs its run', async () => {
    const timers = new Map<string, TimerFunctionOptions>();
    const lines: Record<string, unknown>[] = [];
    const manifest: RuntimeManifest = {
      version: 1,
      backendId: 'orgs',
      entities: [noteEntity],
      auth: policy,
    };
    registerCrudRoutes(
      { http: () => undefined, timer: (name, o) => timers.set(name, o) },
      manifest,
      {
        containerFor: () => members,
        caller: policy,
        members: { resolveTxt: txtResolverOf(dns.address) },
        eventLogger: (entry) => {
          lines.push(entry);
        },
      },
    );
    const timer = timers.get('membership-domain-recheck');
    expect(timer?.schedule).toBe('0 17 3 * * *');
    const d = await add('ada', 'acme', 'timed.example');
    publish(d.body.txt);
    await verify('ada', 'acme', 'timed.example');
    await (timer?.handler as (t: unknown, c: unknown) => Promise<void>)({}, {});
    expect(lines).toEqual([
      expect.objectContaining({
        operation: 'domain-recheck',
        outcome: 'done',
        seen: 1,
        unverified: 0,
      }),
    ]);
  });
});

describe('the re-check timer’s audit line', () => {
  it('records domain.unverified in the organization’s log when a record has been gone for 3 days', async () => {
    // Shown failing before the timer wrote it: the domain lapsed and its organization's log held nothing of it.
    const timers = new Map<string, TimerFunctionOptions>();
    let clock = Date.parse('2026-03-01T03:17:00.000Z');
    registerCrudRoutes(
      { http: () => undefined, timer: (name, o) => timers.set(name, o) },
      { version: 1, backendId: 'orgs', entities: [noteEntity], auth: policy },
      {
        containerFor: () => members,
        caller: policy,
        members: { resolveTxt: txtResolverOf(dns.address) },
        tenantRegistry: { now: () => clock },
        eventLogger: () => undefined,
      },
    );
    const run = timers.get('membership-domain-recheck')?.handler as (
      t: unknown,
      c: unknown,
    ) => Promise<void>;
    const d = await add('ada', 'acme', 'gone.example');
    publish(d.body.txt);
    await verify('ada', 'acme', 'gone.example');
    dns.clear();
    await run({}, {});
    clock += 3 * 24 * 60 * 60 * 1000;
    await run({}, {});
    const { resources } = await audit.items
      .query<AuditEntry>("SELECT * FROM c WHERE c.action = 'domain.unverified'")
      .fetchAll();
    expect(resources.map((e) => [e.tenant, e.target, e.actor, e.changes])).toEqual([
      [
        'acme',
        'gone.example',
        { id: 'atakora:domain-recheck', via: 'api' },
        {
          status: { from: 'verified', to: 'unverified' },
          missingSince: '2026-03-01T03:17:00.000Z',
        },
      ],
    ]);
  });
});

describe('PATCH api/tenant/domains/{domain}', () => {
  it('sets join and a declared role (an Owner; never Owner as the role); refuses anything else', async () => {
    await add('ada', 'acme', 'contoso.com');
    const patch = (user: string, body: unknown) =>
      call('membership-domain', 'PATCH', user, 'acme', body, 'contoso.com');
    const ok = await patch('ada', { join: 'request', role: 'Admin' });
    expect([ok.status, ok.body.join, ok.body.role]).toEqual([200, 'request', 'Admin']);
    for (const bad of [
      { join: 'always' },
      { role: 'Owner' },
      { role: 'Boss' },
      { join: 'auto', extra: 1 },
    ]) {
      const r = await patch('ada', bad);
      expect([r.status, code(r)], JSON.stringify(bad)).toEqual([400, 'validation']);
    }
    expect(code(await patch('abe', { join: 'auto' }))).toBe('access-denied');
    const none = await call(
      'membership-domain',
      'PATCH',
      'ada',
      'acme',
      { join: 'auto' },
      'other.example',
    );
    expect(none.status).toBe(404);
    expect((await list('ada', 'acme')).body.items[0]).toMatchObject({
      join: 'request',
      role: 'Admin',
    });
  });
});

describe('the domains of one organization', () => {
  it('are at most 20: the 21st is 400 validation, nothing added', async () => {
    for (let i = 0; i < 20; i++)
      expect((await add('ada', 'acme', `d${String(i)}.example`)).status).toBe(201);
    const r = await add('ada', 'acme', 'd20.example');
    expect([r.status, code(r), r.body.errors?.[0]?.code]).toEqual([400, 'validation', 'maxItems']);
    expect((await list('ada', 'acme')).body.items).toHaveLength(20);
  });
});

describe("an organization's domains in its audit log", () => {
  it('added, verified, its joins set and removed: each recorded with its Owner as actor', async () => {
    const added = await add('ada', 'acme', 'contoso.com');
    expect(added.status).toBe(201);
    publish(added.body.txt as { name: string; value: string });
    expect((await verify('ada', 'acme', 'contoso.com')).status).toBe(200);
    // Verifying a verified domain again changes nothing, so it records nothing.
    expect((await verify('ada', 'acme', 'contoso.com')).status).toBe(200);
    const patched = await call(
      'membership-domain',
      'PATCH',
      'ada',
      'acme',
      { join: 'request' },
      'contoso.com',
    );
    expect(patched.status).toBe(200);
    expect(
      (await call('membership-domain', 'DELETE', 'ada', 'acme', undefined, 'contoso.com')).status,
    ).toBe(204);
    const { resources } = await audit.items
      .query<AuditEntry>('SELECT * FROM c WHERE c.tenant = "acme"')
      .fetchAll();
    const entries = resources.sort((a, b) => a.id.localeCompare(b.id));
    expect(entries.map((e) => [e.action, e.target, e.actor.id])).toEqual([
      ['domain.added', 'contoso.com', 'ada'],
      ['domain.verified', 'contoso.com', 'ada'],
      ['domain.updated', 'contoso.com', 'ada'],
      ['domain.removed', 'contoso.com', 'ada'],
    ]);
    expect(entries[2]?.changes).toEqual({
      join: { from: 'off', to: 'request' },
      role: { from: 'Member', to: 'Member' },
    });
  });
});
