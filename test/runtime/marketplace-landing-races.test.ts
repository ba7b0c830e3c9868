/**
 * The Marketplace landing under races (#120: "a reopened landing lands a barred buyer nowhere, never re-admits,
 * counts `maxOrganizationsPerUser`"; "organization creation bounded under concurrency, the landing counts too"),
 * against the real runtime on the local Cosmos DB server and the Marketplace stand-in, `createTenants: 'any-user'` and
 * `maxOrganizationsPerUser: 3`: landings sent together with `POST api/tenants`, a buyer's double-clicked first
 * landing, two people landing one purchase at once, and a removal racing the buyer's reopened landings. The model
 * (test/model/landing.model.test.ts) drives each door alone; these send them at once.
 */
import { describe, expect, it } from 'vitest';
import { buyer, creationBoundedAt, landedIn } from './support/marketplace-app.js';
import { marketplaceSuite } from './support/marketplace-suite.js';
import { principalHeader } from './support/built-app.js';
import { invoke, type Reply } from './support/http.js';

const MAX = 3;
const app = marketplaceSuite({
  policy: creationBoundedAt(MAX),
});

const typeOf = (r: Reply) => String(r.body?.type ?? '').replace('urn:atakora:problem:', '');
const create = (user: string, name: string) =>
  invoke(app.handler('tenants-admin'), 'POST', 'tenants', { headers: buyer(user), body: { name } });
const purchase = () => app.standIn.purchase({ planId: 'pro-monthly' });

/** The organizations `user` owns, and every membership they hold, as stored. */
async function owned(user: string): Promise<{ owner: string[]; all: string[] }> {
  const { resources } = await app.members.items
    .query<{ tenant: string; roles: string[] }>({
      query: 'SELECT c.tenant, c.roles FROM c WHERE c.userId = @u AND NOT IS_DEFINED(c.kind)',
      parameters: [{ name: '@u', value: user }],
    })
    .fetchAll();
  return {
    owner: resources.filter((r) => r.roles.includes('Owner')).map((r) => r.tenant),
    all: resources.map((r) => r.tenant),
  };
}

describe('the landing and POST api/tenants at once', () => {
  it.each([
    [0, 2, 4],
    [1, 3, 3],
    [2, 2, 4],
  ])(
    'owning %i, %i fresh landings and %i creations at once: never more than the bound',
    async (before, landings, creations) => {
      const user = `u${String(before)}${String(landings)}${String(creations)}`;
      for (let i = 0; i < before; i++)
        expect((await create(user, `${user} ${String(i)}`)).status).toBe(201);
      const all = await Promise.all([
        ...Array.from({ length: landings }, () => app.land(purchase().token, user)),
        ...Array.from({ length: creations }, (_, i) =>
          create(user, `${user} at once ${String(i)}`),
        ),
      ]);
      for (const r of all) expect(r.status, r.text).toBeLessThan(500);
      const admitted = all.filter((r) => r.status === 201 || r.status === 302).length;
      const refused = all.filter((r) => typeOf(r) === 'organization-limit').length;
      expect(
        admitted + refused,
        all.map((r) => `${String(r.status)} ${typeOf(r)}`).join(', '),
      ).toBe(all.length);
      expect(admitted).toBe(MAX - before);
      expect((await owned(user)).owner).toHaveLength(MAX);
    },
  );
});

describe('one purchase landed at once', () => {
  it("the buyer's first landing three times at once: one organization, every landing there", async () => {
    const { token } = purchase();
    const all = await Promise.all([1, 2, 3].map(() => app.land(token, 'dbl')));
    for (const r of all) expect(r.status, r.text).toBe(302);
    const orgs = new Set(all.map(landedIn));
    expect(orgs.size).toBe(1);
    expect((await owned('dbl')).owner).toEqual([...orgs]);
  });

  it('two people landing one fresh purchase at once: one claims it, the other is refused and owns nothing', async () => {
    const { token } = purchase();
    const [a, b] = await Promise.all([app.land(token, 'two-a'), app.land(token, 'two-b')]);
    const statuses = [a, b].map((r) => `${String(r.status)} ${typeOf(r)}`).sort();
    expect(statuses).toEqual(['302 ', '409 marketplace-purchase-claimed']);
    const owners = [...(await owned('two-a')).all, ...(await owned('two-b')).all];
    expect(owners).toHaveLength(1);
  });
});

describe('a removal racing the buyer’s reopened landings', () => {
  it('ends with the buyer out, whichever lands first; their later landings are 403 member-barred', async () => {
    for (const d of [0, 5, 20]) {
      const ada = `race-ada-${String(d)}`;
      const bob = `race-bob-${String(d)}`;
      const { subscriptionId, token } = purchase();
      const first = await app.land(token, ada);
      const org = landedIn(first);
      const inOrg = (u: string) => ({ ...buyer(u), 'x-atakora-tenant': org });
      const invited = await invoke(
        app.handler('membership-invitations'),
        'POST',
        'tenant/invitations',
        {
          headers: inOrg(ada),
          body: { email: `${bob}@example.com`, roles: ['Owner'] },
        },
      );
      expect(invited.status).toBe(201);
      const invitation =
        new URL(String(invited.body.acceptUrl)).searchParams.get('invitation') ?? '';
      const accepted = await invoke(
        app.handler('membership-accept'),
        'POST',
        'invitations/accept',
        {
          headers: principalHeader([
            ['tid', `${bob}-directory`],
            ['oid', bob],
            ['verified_primary_email', `${bob}@example.com`],
          ]),
          body: { token: invitation },
        },
      );
      expect(accepted.status, accepted.text).toBe(201);
      const all = await Promise.all([
        ...[1, 2, 3].map(() => app.land(app.standIn.landingToken(subscriptionId), ada)),
        new Promise<Reply>((r) => setTimeout(r, d)).then(() =>
          invoke(app.handler('membership-member'), 'DELETE', `tenant/members/${ada}`, {
            headers: inOrg(bob),
            params: { userId: ada },
          }),
        ),
      ]);
      for (const r of all) expect(r.status, r.text).toBeLessThan(500);
      expect(all[3]?.status, all[3]?.text).toBe(204);
      expect((await app.members.item(`${org}|${ada}`, org).read()).resource).toBeUndefined();
      const after = await app.land(app.standIn.landingToken(subscriptionId), ada);
      expect([after.status, typeOf(after)]).toEqual([403, 'member-barred']);
      expect((await app.members.item(`${org}|${ada}`, org).read()).resource).toBeUndefined();
    }
  });
});
