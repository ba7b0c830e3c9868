/**
 * An invitation refused at acceptance because the seats are full (402 `seat-limit`) stays what it was before the
 * acceptance, against the real runtime on the local Cosmos DB server: the
 * Owner still lists it, may revoke it, and it expires on its day — never a hidden, accepted-looking invitation that
 * skips its expiry and takes the next seat that frees. On the code before, the acceptance marked the invitation
 * (`acceptedBy`) before the seat was refused and left the mark: the list dropped it, the revoke answered 409
 * `invitation-accepted`, and an acceptance eight days later was 201.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MEMBERSHIP_FUNCTIONS } from '../../src/contract/members.js';
import {
  actingAs,
  type BillingApp,
  startBillingApp,
  seedOrganization,
} from '../model/billing-app.js';
import { principalHeader } from './support/built-app.js';
import { invoke } from './support/http.js';
import { type LocalCosmos, startLocalCosmos } from './support/local-cosmos.js';

const at = '2026-01-01T00:00:00.000Z';
const DAY = 24 * 3600 * 1000;
let cosmos: LocalCosmos;
let app: BillingApp;

const person = (user: string) =>
  principalHeader([
    ['tid', `${user}-directory`],
    ['oid', user],
    ['verified_primary_email', `${user}@example.com`],
  ]);
const fn = (name: keyof typeof MEMBERSHIP_FUNCTIONS) => app.handler(MEMBERSHIP_FUNCTIONS[name]);
const owner = () => actingAs('ada', 'acme');
const invite = (user: string) =>
  invoke(fn('invitations'), 'POST', 'tenant/invitations', {
    headers: owner(),
    body: { email: `${user}@example.com`, roles: ['Member'] },
  });
const tokenOf = (url: unknown) => new URL(String(url)).searchParams.get('invitation') ?? '';
const accept = (user: string, token: string) =>
  invoke(fn('accept'), 'POST', 'invitations/accept', { headers: person(user), body: { token } });
const listed = async () =>
  (
    (await invoke(fn('invitations'), 'GET', 'tenant/invitations', { headers: owner() })).body
      .items as { email: string }[]
  ).map((i) => i.email);
const removeMember = (user: string) =>
  invoke(fn('member'), 'DELETE', `tenant/members/${user}`, {
    headers: owner(),
    params: { userId: user },
  });

beforeAll(async () => {
  cosmos = await startLocalCosmos();
  app = await startBillingApp(cosmos, { free: { members: 2 }, team: { members: 5 } }, {}, []);
  await seedOrganization(app, 'acme', 'ada', at);
});
afterAll(async () => {
  await app?.close();
  await cosmos?.stop();
});

/** acme as it starts: its Owner alone, no invitation open (through the routes, so the seat count follows). */
async function reset(): Promise<void> {
  const all = await app.members.items
    .query<{ userId?: string; kind?: string; id: string }>({
      query: "SELECT c.id, c.userId, c.kind FROM c WHERE c.tenant = 'acme'",
    })
    .fetchAll();
  for (const m of all.resources) {
    if (m.kind === undefined && m.userId !== undefined && m.userId !== 'ada')
      await removeMember(m.userId);
    if (m.kind === 'invitation') {
      const id = m.id.split('|').at(-1) ?? '';
      await invoke(fn('invitation'), 'DELETE', `tenant/invitations/${id}`, {
        headers: owner(),
        params: { id },
      });
    }
  }
}

/** Two invitations sent while a seat is free; the first accepted fills the seats; the second refused 402. */
async function refusedInvitation(first: string, second: string): Promise<string> {
  await reset();
  const a = await invite(first);
  const b = await invite(second);
  expect([a.status, b.status]).toEqual([201, 201]);
  expect((await accept(first, tokenOf(a.body.acceptUrl))).status).toBe(201);
  const token = tokenOf(b.body.acceptUrl);
  const refused = await accept(second, token);
  expect(refused.status).toBe(402);
  expect(refused.body.type).toBe('urn:atakora:problem:seat-limit');
  return token;
}

describe('an invitation refused for the seats stays the Owner’s', () => {
  it('is still listed and revocable; the freed seat is not taken by it on its own', async () => {
    await refusedInvitation('kim', 'lee');
    expect(await listed()).toContain('lee@example.com');
    // One invitation per address: it still holds lee's.
    expect((await invite('lee')).status).toBe(409);
    // A seat frees: nobody is admitted by the refused invitation on their own.
    expect((await removeMember('kim')).status).toBe(204);
    const members = await app.members.items
      .query<{ userId: string }>({
        query: "SELECT c.userId FROM c WHERE c.tenant = 'acme' AND NOT IS_DEFINED(c.kind)",
      })
      .fetchAll();
    expect(members.resources.map((m) => m.userId).sort()).toEqual(['ada']);
    const open = await app.members.items
      .query<{ id: string }>({
        query:
          "SELECT c.id FROM c WHERE c.tenant = 'acme' AND c.kind = 'invitation' AND c.email = 'lee@example.com'",
      })
      .fetchAll();
    const id = (open.resources[0]?.id ?? '').split('|').at(-1) ?? '';
    const revoked = await invoke(fn('invitation'), 'DELETE', `tenant/invitations/${id}`, {
      headers: owner(),
      params: { id },
    });
    expect(revoked.status).toBe(204);
    expect(await listed()).not.toContain('lee@example.com');
  });

  it('expires on its day: accepted after it, 410 even with a seat free', async () => {
    const token = await refusedInvitation('max', 'ned');
    expect((await removeMember('max')).status).toBe(204);
    app.clock.now += 8 * DAY;
    const late = await accept('ned', token);
    expect(late.status).toBe(410);
    expect(late.body.type).toBe('urn:atakora:problem:invitation-expired');
  });
});

describe('invitations refused for the seats, at once and again', () => {
  const openOnes = async () =>
    (
      (await invoke(fn('invitations'), 'GET', 'tenant/invitations', { headers: owner() })).body
        .items as { id: string; email: string; expiresOn: string }[]
    ).map((i) => ({ id: i.id, email: i.email, expiresOn: i.expiresOn }));
  const preview = (token: string) =>
    invoke(fn('preview'), 'GET', 'invitations/preview', {
      headers: { 'x-forwarded-for': '198.51.100.9' },
      query: { invitation: token },
    });

  it('three refused at once and retried stay open as sent; a freed seat admits one only when accepted', async () => {
    await reset();
    const kim = await invite('kim');
    const sent = await Promise.all(['pa', 'pb', 'pc'].map(invite));
    expect((await accept('kim', tokenOf(kim.body.acceptUrl))).status).toBe(201);
    const tokens = sent.map((s) => tokenOf(s.body.acceptUrl));
    const refused = await Promise.all(['pa', 'pb', 'pc'].map((u, i) => accept(u, tokens[i] ?? '')));
    expect(refused.map((r) => r.status)).toEqual([402, 402, 402]);
    // Retried while still full: the same refusal, the invitation unchanged.
    expect((await accept('pa', tokens[0] ?? '')).status).toBe(402);
    const want = sent.map((s) => ({
      id: s.body.id,
      email: s.body.email,
      expiresOn: s.body.expiresOn,
    }));
    const open = await openOnes();
    for (const w of want) expect(open).toContainEqual(w);
    for (const t of tokens) expect((await preview(t)).status).toBe(200);
    // A seat frees: nobody joins on their own; the three accept at once, one takes it.
    expect((await removeMember('kim')).status).toBe(204);
    const stored = async () =>
      (
        await app.members.items
          .query<{ userId: string }>({
            query: "SELECT c.userId FROM c WHERE c.tenant = 'acme' AND NOT IS_DEFINED(c.kind)",
          })
          .fetchAll()
      ).resources
        .map((m) => m.userId)
        .sort();
    expect(await stored()).toEqual(['ada']);
    const again = await Promise.all(['pa', 'pb', 'pc'].map((u, i) => accept(u, tokens[i] ?? '')));
    expect(again.map((r) => r.status).sort()).toEqual([201, 402, 402]);
    expect(await stored()).toHaveLength(2);
    const still = await openOnes();
    expect(still).toHaveLength(2);
  });

  it('sent again after the refusal: the first link is void, the new one admits once a seat frees', async () => {
    const first = await refusedInvitation('qa', 'qb');
    const id = (await openOnes()).find((i) => i.email === 'qb@example.com')?.id ?? '';
    const resent = await invoke(fn('invitationResend'), 'POST', `tenant/invitations/${id}/resend`, {
      headers: owner(),
      params: { id },
    });
    expect(resent.status, resent.text).toBeLessThan(300);
    const next = tokenOf(resent.body.acceptUrl);
    expect((await accept('qb', next)).status).toBe(402);
    expect((await removeMember('qa')).status).toBe(204);
    expect((await accept('qb', first)).status).toBe(410);
    expect((await accept('qb', next)).status).toBe(201);
  });
});
