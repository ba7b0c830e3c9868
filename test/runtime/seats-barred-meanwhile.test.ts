/**
 * A person barred while their admission is in flight frees the seat reserved for them (members/life/member-life.ts
 * `barredMeanwhile`, members/seats/seats.ts `seatFreed`), against the real runtime on the local Cosmos DB server. The
 * race — an Owner's removal (or SCIM's deprovisioning) writing its bar after a door checked the person and before the
 * door wrote their membership — is put exactly there: a layer in front of the server's request listeners holds the
 * door's membership create until the runtime's own bar store (`cosmosBarStore`) has barred the person. The door must
 * answer as a barred person is answered, leave no membership, and give its seat back: the count, and `GET
 * api/tenant`'s `counts.members`, are the Owner's one seat again, and the seat is there for the next person.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_COSMOS_POLICY } from '../../src/runtime/data/cosmos-policy.js';
import { cosmosBarStore } from '../../src/runtime/members/life/member-bars.js';
import { personOf, type SeatsApp, seatsApp } from '../model/seats-app.js';
import { holdNextMemberCreate } from './support/held-member-create.js';
import { type LocalCosmos, startLocalCosmos } from './support/local-cosmos.js';

let cosmos: LocalCosmos;
const clock = { now: Date.parse('2026-03-02T10:00:00.000Z') };
beforeAll(async () => {
  cosmos = await startLocalCosmos();
});
afterAll(async () => cosmos?.stop());

/** Hold the next membership create of `org` until `meanwhile` has run (support/held-member-create.ts). */
const beforeNextMemberCreate = (org: string, meanwhile: () => Promise<void>) =>
  holdNextMemberCreate(cosmos, org, meanwhile);

async function check(
  app: SeatsApp,
  person: string,
  answer: { status: number; body?: { type?: string } },
) {
  expect(answer.status).toBe(403);
  expect(answer.body?.type).toBe('urn:atakora:problem:member-barred');
  expect(await app.members()).toEqual([app.owner]);
  expect(await app.room('room|members')).toBe(1);
  const shown = await app.asOwner('tenant-self', 'GET', 'tenant');
  expect(shown.body).toMatchObject({ counts: { members: 1 }, over: [] });
  // The seat freed is there: the next person of the plan's two takes it.
  const next = `${person}-next`;
  const joined = await app.call(
    'membership-tenant-join',
    'POST',
    `tenants/${app.org}/join`,
    personOf(next, `${next}@${app.domains.auto}`),
    {
      params: { id: app.org },
    },
  );
  expect(joined.status).toBe(201);
  expect(await app.room('room|members')).toBe(2);
}

const bars = () =>
  cosmosBarStore(cosmos.client.database('atakora').container('members'), DEFAULT_COSMOS_POLICY);

describe('a person barred while their admission is in flight', () => {
  it('a domain auto-join: 403 member-barred, no membership, its seat given back', async () => {
    const app = await seatsApp(cosmos, 'b0001', { p0: { members: 2 } }, ['p0'], 'p0', clock);
    const person = `${app.org}-kim`;
    const email = `${person}@${app.domains.auto}`;
    const held = beforeNextMemberCreate(app.org, () =>
      bars().put({
        tenant: app.org,
        userId: person,
        email,
        by: 'removed',
        barredOn: new Date(clock.now).toISOString(),
      }),
    );
    const answer = await app.call(
      'membership-tenant-join',
      'POST',
      `tenants/${app.org}/join`,
      personOf(person, email),
      {
        params: { id: app.org },
      },
    );
    expect(held.count).toBe(1);
    await check(app, person, answer);
  });

  it("a linked directory's first request: refused as barred, no membership, its seat given back", async () => {
    const app = await seatsApp(cosmos, 'b0002', { p0: { members: 2 } }, ['p0'], 'p0', clock);
    const person = `${app.org}-lee`;
    const held = beforeNextMemberCreate(app.org, () =>
      bars().put({
        tenant: app.org,
        userId: person,
        by: 'deprovisioned',
        barredOn: new Date(clock.now).toISOString(),
      }),
    );
    const answer = await app.call('membership-members', 'GET', 'tenant/members', {
      ...personOf(person, undefined, app.tid),
      'x-atakora-tenant': app.org,
    });
    expect(held.count).toBe(1);
    // Nobody admitted: the request is refused as any non-member's.
    expect([answer.status, answer.body?.type]).toEqual([403, 'urn:atakora:problem:not-a-member']);
    await check(app, person, { status: 403, body: { type: 'urn:atakora:problem:member-barred' } });
  });
});
