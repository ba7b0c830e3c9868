/**
 * Joins by verified domain through the request pipeline (DESIGN §2, "Organizations that enterprises can buy"), against
 * the local Cosmos DB server and a loopback DNS server
 * (`startDnsStandIn` of @atakora/component/testing, src/testing/dns-standin.ts) for the domains' proofs:
 * `GET api/me/joinable`, `POST api/tenants/{id}/join` (auto and by request), and an organization's join requests
 * answered by its Owners and Admins — for verified e-mails only, on the exact domain, never revealing an organization
 * to a caller whose domain is not on it, one membership however joins race, and nothing once the domain lapsed.
 */
import type { Container } from '@azure/cosmos';
import type { HttpFunctionOptions, HttpHandler } from '@azure/functions';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { AuditEntry } from '../../src/contract/audit.js';
import { recheckDomains } from '../../src/runtime/members/domains/domain-claims.js';
import { txtResolverOf } from '../../src/runtime/members/domains/domain-dns.js';
import { cosmosDomainStore } from '../../src/runtime/members/domains/domain-store.js';
import type { DnsStandIn } from '../../src/testing/dns-standin.js';
import { principalHeader } from './support/built-app.js';
import { member, record, reseed } from './support/organization-calls.js';
import { startDomainsApp } from './support/domains-app.js';
import { invoke, type Reply } from './support/http.js';
import type { LocalCosmos } from './support/local-cosmos.js';
import { membershipAuth } from './support/registry-auth.js';

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

/** A caller: `oid`, and an e-mail the token vouches for (`xms_edov: true`) unless `verified` is false. */
const who = (oid: string, email?: string, verified = true) =>
  principalHeader([
    ['oid', oid],
    ['tid', 'home-dir'],
    ...(email ? ([['email', email]] as const) : []),
    ...(email && verified ? ([['xms_edov', 'true']] as const) : []),
  ]);
const code = (r: Reply) => String(r.body?.type ?? '').replace('urn:atakora:problem:', '');
const run = (
  name: string,
  method: string,
  path: string,
  headers: Record<string, string>,
  params: Record<string, string> = {},
  body?: unknown,
) => {
  const f = fns.get(name);
  if (!f) throw new Error(`no function ${name}`);
  return invoke(f.handler as HttpHandler, method, path, {
    headers,
    params,
    ...(body === undefined ? {} : { body }),
  });
};
const KIM = who('kim', 'kim@contoso.com');
const joinable = (h = KIM) => run('membership-me-joinable', 'GET', 'me/joinable', h);
const join = (org: string, h = KIM) =>
  run('membership-tenant-join', 'POST', `tenants/${org}/join`, h, { id: org });
const inOrg = (user: string, org = 'acme') => ({ ...who(user), 'x-atakora-tenant': org });
const requests = (user: string) =>
  run('membership-join-requests', 'GET', 'tenant/join-requests', inOrg(user));
const answer = (user: string, id: string, how: 'approve' | 'decline') =>
  run(`membership-join-request-${how}`, 'POST', `tenant/join-requests/${id}/${how}`, inOrg(user), {
    id,
  });
const membersOf = async (org: string) =>
  (
    await members.items
      .query<{ userId: string; roles: string[] }>({
        query: 'SELECT * FROM c WHERE c.tenant = @t AND NOT IS_DEFINED(c.kind)',
        parameters: [{ name: '@t', value: org }],
      })
      .fetchAll()
  ).resources
    .map((m) => [m.userId, m.roles])
    .sort();

/** `domain` verified by `org`'s Owner through the routes (its TXT record published), with `join` and `role`. */
async function verified(org: string, owner: string, domain: string, join: string, role = 'Member') {
  const h = inOrg(owner, org);
  const added = await run('membership-domains', 'POST', 'tenant/domains', h, {}, { domain });
  expect(added.status).toBe(201);
  const txt = added.body.txt as { name: string; value: string };
  dns.setTxt(txt.name, [txt.value]);
  const path = `tenant/domains/${domain}`;
  expect(
    (await run('membership-domain-verify', 'POST', `${path}/verify`, h, { domain })).status,
  ).toBe(200);
  const patched = await run('membership-domain', 'PATCH', path, h, { domain }, { join, role });
  expect(patched.status).toBe(200);
}

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
    [
      { ...record('acme'), name: 'Acme' },
      { ...record('globex'), name: 'Globex' },
    ],
    [
      member('acme', 'ada', ['Owner']),
      member('acme', 'abe', ['Admin']),
      member('acme', 'bob', ['Member']),
      member('globex', 'gus', ['Owner']),
    ],
  );
});

describe('join: auto', () => {
  it('a verified e-mail on the domain sees the organization and joins it at once with the domain’s role', async () => {
    await verified('acme', 'ada', 'contoso.com', 'auto', 'Admin');
    const seen = await joinable();
    expect([seen.status, seen.body.items]).toEqual([
      200,
      [
        {
          id: 'acme',
          name: 'Acme',
          domain: 'contoso.com',
          join: 'auto',
          role: 'Admin',
          pending: false,
        },
      ],
    ]);
    const joined = await join('acme');
    expect([joined.status, joined.body.roles, joined.body.email]).toEqual([
      201,
      ['Admin'],
      'kim@contoso.com',
    ]);
    expect(joined.headers.get('location')).toBe('/api/tenant/members/kim');
    expect((await joinable()).body.items).toEqual([]);
    const again = await join('acme');
    expect([again.status, code(again)]).toEqual([409, 'already-a-member']);
    const entries = (
      await audit.items
        .query<AuditEntry>("SELECT * FROM c WHERE c.action = 'member.joined'")
        .fetchAll()
    ).resources;
    expect(entries.map((e) => [e.tenant, e.target, e.actor.id, e.changes])).toEqual([
      ['acme', 'kim', 'kim', { roles: { to: ['Admin'] }, domain: 'contoso.com', via: 'domain' }],
    ]);
  });

  it('two joins at once give one membership: the other is 409 already-a-member', async () => {
    await verified('acme', 'ada', 'contoso.com', 'auto');
    const both = await Promise.all([join('acme'), join('acme'), join('acme')]);
    expect(both.map((r) => r.status).sort()).toEqual([201, 409, 409]);
    expect((await membersOf('acme')).filter(([u]) => u === 'kim')).toEqual([['kim', ['Member']]]);
  });
});

describe('join: by request', () => {
  it('pending until an Admin approves; the requester sees it pending; a Member may not list or answer', async () => {
    await verified('acme', 'ada', 'contoso.com', 'request');
    const asked = await join('acme');
    expect([asked.status, asked.body.id, asked.body.email, asked.body.domain]).toEqual([
      202,
      'kim',
      'kim@contoso.com',
      'contoso.com',
    ]);
    expect((await joinable()).body.items).toMatchObject([
      { id: 'acme', join: 'request', pending: true },
    ]);
    expect(code(await join('acme'))).toBe('join-request-exists');
    expect(code(await requests('bob'))).toBe('access-denied');
    expect(code(await answer('bob', 'kim', 'approve'))).toBe('access-denied');
    const listed = await requests('abe');
    expect([
      listed.status,
      listed.body.items.map((r: { id: string }) => r.id),
      listed.body.continuationToken,
    ]).toEqual([200, ['kim'], null]);
    const approved = await answer('abe', 'kim', 'approve');
    expect([approved.status, approved.body.roles]).toEqual([201, ['Member']]);
    expect(code(await answer('ada', 'kim', 'approve'))).toBe('not-found');
    expect((await requests('ada')).body.items).toEqual([]);
    expect(await membersOf('acme')).toContainEqual(['kim', ['Member']]);
  });

  it('declined: 204, nobody joins, and the user may ask again; an approve and a decline at once: one acts', async () => {
    await verified('acme', 'ada', 'contoso.com', 'request');
    expect((await join('acme')).status).toBe(202);
    expect((await answer('ada', 'kim', 'decline')).status).toBe(204);
    expect((await joinable()).body.items).toMatchObject([{ pending: false }]);
    expect(await membersOf('acme')).not.toContainEqual(['kim', ['Member']]);
    expect((await join('acme')).status).toBe(202);
    const raced = await Promise.all([
      answer('ada', 'kim', 'approve'),
      answer('abe', 'kim', 'decline'),
    ]);
    const statuses = raced.map((r) => r.status);
    expect(statuses.filter((s) => s === 404)).toHaveLength(1);
    expect((await requests('ada')).body.items).toEqual([]);
  });

  it('pages the requests ($first, continuationToken)', async () => {
    await verified('acme', 'ada', 'contoso.com', 'request');
    for (const u of ['kim', 'lee', 'max'])
      expect((await join('acme', who(u, `${u}@contoso.com`))).status).toBe(202);
    const first = await run(
      'membership-join-requests',
      'GET',
      'tenant/join-requests',
      inOrg('ada'),
    );
    expect(first.body.items).toHaveLength(3);
    const paged = await invoke(
      fns.get('membership-join-requests')!.handler as HttpHandler,
      'GET',
      'tenant/join-requests',
      {
        headers: inOrg('ada'),
        query: { $first: '2' },
      },
    );
    expect(paged.body.items.map((r: { id: string }) => r.id)).toEqual(['kim', 'lee']);
    expect(typeof paged.body.continuationToken).toBe('string');
  });
});

describe('who may not join', () => {
  it('an e-mail the token does not vouch for: 403 email-not-verified, and nothing listed', async () => {
    await verified('acme', 'ada', 'contoso.com', 'auto');
    const unverified = who('kim', 'kim@contoso.com', false);
    expect((await joinable(unverified)).body.items).toEqual([]);
    const r = await join('acme', unverified);
    expect([r.status, code(r)]).toEqual([403, 'email-not-verified']);
    expect(code(await join('acme', who('kim')))).toBe('email-not-verified');
  });

  it('another domain, a subdomain, join off or a pending domain: 404 as for an organization that does not exist', async () => {
    await verified('acme', 'ada', 'contoso.com', 'off');
    const nowhere = await join('no-such-org');
    expect([nowhere.status, code(nowhere)]).toEqual([404, 'not-found']);
    expect(code(await join('acme'))).toBe('not-found'); // join: off
    expect((await joinable()).body.items).toEqual([]);
    await run(
      'membership-domain',
      'PATCH',
      'tenant/domains/contoso.com',
      inOrg('ada'),
      { domain: 'contoso.com' },
      { join: 'auto' },
    );
    expect(code(await join('acme', who('lee', 'lee@fabrikam.com')))).toBe('not-found');
    expect(code(await join('acme', who('eu', 'eu@eu.contoso.com')))).toBe('not-found'); // exact domain only
    expect(code(await join('globex'))).toBe('not-found'); // on the domain, but of another organization
    const pending = await run(
      'membership-domains',
      'POST',
      'tenant/domains',
      inOrg('gus', 'globex'),
      {},
      {
        domain: 'globex.example',
      },
    );
    expect(pending.status).toBe(201);
    expect(code(await join('globex', who('gil', 'gil@globex.example')))).toBe('not-found');
  });

  it('a suspended organization: 403 tenant-suspended, and it is not listed', async () => {
    await verified('acme', 'ada', 'contoso.com', 'auto');
    const { resource } = await tenants.item('acme', 'acme').read();
    await tenants.item('acme', 'acme').replace({ ...resource, status: 'suspended' });
    expect((await joinable()).body.items).toEqual([]);
    expect(code(await join('acme'))).toBe('tenant-suspended');
  });

  it('a domain the daily re-check unverified stops joins; a pending request then answers 410 join-request-expired', async () => {
    await verified('acme', 'ada', 'contoso.com', 'request');
    expect((await join('acme')).status).toBe(202);
    dns.clear();
    const store = cosmosDomainStore(members);
    const day = 24 * 60 * 60 * 1000;
    const t0 = Date.parse('2026-03-01T00:00:00.000Z');
    await recheckDomains(store, txtResolverOf(dns.address), new Date(t0));
    await recheckDomains(store, txtResolverOf(dns.address), new Date(t0 + 3 * day));
    expect((await joinable(who('lee', 'lee@contoso.com'))).body.items).toEqual([]);
    expect(code(await join('acme', who('lee', 'lee@contoso.com')))).toBe('not-found');
    const r = await answer('ada', 'kim', 'approve');
    expect([r.status, code(r)]).toEqual([410, 'join-request-expired']);
    expect((await requests('ada')).body.items).toEqual([]);
    expect(await membersOf('acme')).not.toContainEqual(['kim', ['Member']]);
  });
});
