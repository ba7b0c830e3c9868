/**
 * The Marketplace buyer's organization takes its seat as every door does (members/seats/seats.ts `seatMember`; DESIGN
 * §2, "Plans that package the product": seats "counted over every door that admits a person"), against the real
 * runtime on the local Cosmos DB server and the Marketplace stand-in: the buyer, its first Owner, is the count's one
 * seat in the usage container and in `GET api/tenant`'s `counts`; a landing reopened from "Manage account" takes none
 * more; the seats then left are exactly the plan's bound less the Owner.
 */
import { describe, expect, it } from 'vitest';
import { principalHeader } from './support/built-app.js';
import { invoke } from './support/http.js';
import { landedIn } from './support/marketplace-app.js';
import { marketplaceSuite } from './support/marketplace-suite.js';

const app = marketplaceSuite({
  policy: (base) => ({
    ...base,
    registry: {
      ...base.registry!,
      plans: { free: { members: 2 }, pro: { members: 2 }, team: {} },
    },
  }),
});

const seats = async (org: string) =>
  (await app.usage.item('room|members', org).read<{ count: number }>()).resource?.count;
const asOwner = (org: string) => ({
  ...principalHeader([
    ['tid', 'ada-directory'],
    ['oid', 'ada'],
  ]),
  'x-atakora-tenant': org,
});

describe("the Marketplace buyer's seat", () => {
  it('the buyer, its first Owner, is its one seat; a landing reopened takes none more', async () => {
    const { subscriptionId, token } = app.standIn.purchase({
      planId: 'pro-monthly',
      name: 'Seats Co',
    });
    const org = landedIn(await app.land(token, 'ada'));
    expect(await seats(org)).toBe(1);
    expect(landedIn(await app.land(app.standIn.landingToken(subscriptionId), 'ada'))).toBe(org);
    expect(await seats(org)).toBe(1);
    const shown = await invoke(app.handler('tenant-self'), 'GET', 'tenant', {
      headers: asOwner(org),
    });
    expect(shown.body).toMatchObject({
      plan: 'pro',
      limits: { members: 2 },
      counts: { members: 1 },
      over: [],
    });
    // One seat left of the plan's two: one invitation accepted fills it, the next is refused at once.
    const invite = (email: string) =>
      invoke(app.handler('membership-invitations'), 'POST', 'tenant/invitations', {
        headers: asOwner(org),
        body: { email, roles: ['Member'] },
      });
    const made = await invite('bob@example.com');
    expect(made.status).toBe(201);
    const token2 = new URL(String(made.body.acceptUrl)).searchParams.get('invitation') ?? '';
    const bob = principalHeader([
      ['tid', 'bob-directory'],
      ['oid', 'bob'],
      ['verified_primary_email', 'bob@example.com'],
    ]);
    const accepted = await invoke(app.handler('membership-accept'), 'POST', 'invitations/accept', {
      headers: bob,
      body: { token: token2 },
    });
    expect(accepted.status).toBe(201);
    expect(await seats(org)).toBe(2);
    const full = await invite('cy@example.com');
    expect([full.status, full.body.type, full.body.limit]).toEqual([
      402,
      'urn:atakora:problem:seat-limit',
      2,
    ]);
  });
});
