/**
 * A member walking through a door that admits is answered as with seats free, whatever the seats, and two doors of one
 * person at once still make one membership and one seat (members/seats/seats.ts `seatMember`: the membership read
 * before a seat is reserved; the create never overwrites, the loser's seat given back) — against the real runtime on
 * the local Cosmos DB server. The seats model (test/model/seats.model.test.ts) covers the accept and the SCIM
 * provisioning of a member; here: SCIM re-activating a user whose person an Owner's invitation re-admitted meanwhile
 * (402 `seat-limit` with the seats full before the fix, 200 with them free), and the race the model leaves out.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Reply } from './support/http.js';
import { activeOp } from '../model/seats-commands.js';
import { personOf, type SeatsApp, seatsApp } from '../model/seats-app.js';
import { type LocalCosmos, startLocalCosmos } from './support/local-cosmos.js';

let cosmos: LocalCosmos;
const clock = { now: Date.parse('2026-03-02T10:00:00.000Z') };
beforeAll(async () => {
  cosmos = await startLocalCosmos();
});
afterAll(async () => cosmos?.stop());

const SCIM_USER = 'urn:ietf:params:scim:schemas:core:2.0:User';

const join = (app: SeatsApp, person: string, domain: string) =>
  app.call(
    'membership-tenant-join',
    'POST',
    `tenants/${app.org}/join`,
    personOf(person, `${person}@${domain}`),
    { params: { id: app.org } },
  );

/** The Owner invites `email`: the token of its accept link. */
async function invite(app: SeatsApp, email: string): Promise<string> {
  const made = await app.asOwner('membership-invitations', 'POST', 'tenant/invitations', {
    body: { email, roles: ['Member'] },
  });
  expect(made.status, made.text).toBe(201);
  return new URL(String(made.body?.acceptUrl)).searchParams.get('invitation') ?? '';
}

const accept = (app: SeatsApp, person: string, email: string, token: string) =>
  app.call('membership-accept', 'POST', 'invitations/accept', personOf(person, email), {
    body: { token },
  });

/**
 * A provisioned person who signed in, was deprovisioned, then re-admitted by an Owner's invitation; `fill` more
 * members by a domain's auto-join; then SCIM re-activates their user. The re-activation's answer and the seats after.
 */
async function reactivatedMember(run: string, seats: number, fill: number) {
  const app = await seatsApp(cosmos, run, { p0: { members: seats } }, ['p0'], 'p0', clock);
  const person = `${app.org}-kim`;
  const email = `${person}@${app.domains.scim}`;
  const user = await app.scim('scim-users', 'POST', 'scim/v2/Users', {
    body: { schemas: [SCIM_USER], userName: email, active: true, emails: [{ value: email }] },
  });
  expect(user.status, user.text).toBe(201);
  const id = String(user.body?.id);
  const first = await app.call('membership-members', 'GET', 'tenant/members', {
    ...personOf(person, email),
    'x-atakora-tenant': app.org,
  });
  expect(first.status, first.text).toBe(200);
  const patch = (active: boolean) =>
    app.scim('scim-user', 'PATCH', `scim/v2/Users/${id}`, {
      params: { id },
      body: activeOp(active),
    });
  expect((await patch(false)).status).toBe(200);
  const back = await accept(app, person, email, await invite(app, email));
  expect(back.status, back.text).toBe(201);
  for (let i = 0; i < fill; i++)
    expect((await join(app, `${app.org}-f${i}`, app.domains.auto)).status).toBe(201);
  const again = await patch(true);
  return { app, again, members: await app.members(), seats: await app.room('room|members') };
}

/** One person's invitation and join request, answered at once: their accept and the Owner's approval. */
async function bothDoors(run: string, seats: number): Promise<{ app: SeatsApp; replies: Reply[] }> {
  const app = await seatsApp(cosmos, run, { p0: { members: seats } }, ['p0'], 'p0', clock);
  const person = `${app.org}-lee`;
  const email = `${person}@${app.domains.request}`;
  expect((await join(app, person, app.domains.request)).status).toBe(202);
  const token = await invite(app, email);
  const replies = await Promise.all([
    accept(app, person, email, token),
    app.asOwner(
      'membership-join-request-approve',
      'POST',
      `tenant/join-requests/${person}/approve`,
      { params: { id: person } },
    ),
  ]);
  return { app, replies };
}

describe('a member at a door that admits', () => {
  it("SCIM re-activating a re-admitted member's user: 200 with the seats full as with them free, no seat taken", async () => {
    const free = await reactivatedMember('m0001', 4, 1);
    const full = await reactivatedMember('m0002', 3, 1);
    expect(free.again.status, free.again.text).toBe(200);
    // The fault before the fix: 402 seat-limit, the member's user kept inactive.
    expect(full.again.status, full.again.text).toBe(free.again.status);
    expect(full.again.body?.active).toBe(true);
    for (const r of [free, full]) {
      expect(r.members).toHaveLength(3);
      expect(r.seats).toBe(3);
    }
  });

  it('one person through two doors at once (their invitation, their request approved): one membership, one seat', async () => {
    // Two seats left: both reserve, one create stands, the other finds it (201 roles merged, or 409 already-a-member).
    // One seat left: the loser may find the seat held (402) or the membership (201 / 409) — never a second seat.
    for (const [run, seats] of [
      ['m0003', 3],
      ['m0004', 3],
      ['m0005', 2],
      ['m0006', 2],
    ] as const) {
      const { app, replies } = await bothDoors(run, seats);
      const statuses = replies.map((r) => `${r.status} ${String(r.body?.type ?? '')}`);
      expect(
        statuses.filter((s) => s.startsWith('201')).length,
        statuses.join(' | '),
      ).toBeGreaterThan(0);
      for (const s of statuses)
        expect(
          [
            '201 ',
            '409 urn:atakora:problem:already-a-member',
            '402 urn:atakora:problem:seat-limit',
          ],
          statuses.join(' | '),
        ).toContain(s);
      expect(await app.members()).toEqual([app.owner, `${app.org}-lee`].sort());
      expect(await app.room('room|members')).toBe(2);
    }
  });
});
