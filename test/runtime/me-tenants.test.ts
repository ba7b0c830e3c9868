/**
 * `GET api/me/tenants` a page at a time (`$first`, `$after` as every list: `{ items, continuationToken }`) and one
 * registry query per page, not one read per organization — over the real `members` and `tenants` containers (the
 * local Cosmos DB server).
 */
import { HttpRequest, type HttpResponseInit } from '@azure/functions';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MEMBERSHIP_REGISTRY } from '../support/membership-registry.js';
import { cosmosMemberStore } from '../../src/runtime/members/member-store.js';
import { MembershipCache } from '../../src/runtime/members/membership-cache.js';
import type { MembersApi } from '../../src/runtime/members/members-api.js';
import {
  createOrganization,
  myTenants,
} from '../../src/runtime/members/organization-operations.js';
import {
  cosmosRegistryAdmin,
  type RegistryAdminStore,
} from '../../src/runtime/tenants/registry-admin-store.js';
import { type LocalCosmos, startLocalCosmos } from './support/local-cosmos.js';

let cosmos: LocalCosmos;
let api: MembersApi;
const calls = { read: 0, readMany: 0 };

const registry = MEMBERSHIP_REGISTRY;

const get = (query = '') =>
  new HttpRequest({ method: 'GET', url: `https://app.test/api/me/tenants${query}` });

async function reply(r: Promise<HttpResponseInit>) {
  const res = await r;
  return { status: res.status ?? 200, body: JSON.parse(String(res.body)) };
}

beforeAll(async () => {
  cosmos = await startLocalCosmos();
  const store = cosmosMemberStore(await cosmos.container('members', '/tenant'));
  const admin = cosmosRegistryAdmin(await cosmos.container('tenants', '/id'));
  // The real store, its calls counted.
  const counted: RegistryAdminStore = {
    ...admin,
    read: (id) => (calls.read++, admin.read(id)),
    readMany: (ids) => (calls.readMany++, admin.readMany(ids)),
  };
  api = {
    store,
    cache: new MembershipCache(store),
    registry,
    membership: registry.membership!,
    admin: counted,
  };
});
afterAll(async () => cosmos?.stop());

describe('GET api/me/tenants', () => {
  it('pages by $first and $after, each page one registry query', async () => {
    const made: string[] = [];
    for (const name of ['Alpha', 'Bravo', 'Charlie', 'Delta', 'Echo']) {
      const body = JSON.stringify({ name });
      const r = await reply(
        createOrganization(
          api,
          { userId: 'pat' },
          new HttpRequest({
            method: 'POST',
            url: 'https://app.test/api/tenants',
            headers: { 'content-type': 'application/json' },
            body: { string: body },
          }),
        ),
      );
      expect(r.status).toBe(201);
      made.push(r.body.id as string);
    }
    calls.read = 0;
    calls.readMany = 0;
    const seen: string[] = [];
    let after: string | null = null;
    let pages = 0;
    do {
      const q: string = `?$first=2${after ? `&$after=${encodeURIComponent(after)}` : ''}`;
      const page = await reply(myTenants(api, { userId: 'pat' }, get(q)));
      expect(page.status).toBe(200);
      expect(page.body.items.length).toBeLessThanOrEqual(2);
      expect(page.body.items.every((t: { roles: string[] }) => t.roles.includes('Owner'))).toBe(
        true,
      );
      seen.push(...page.body.items.map((t: { id: string }) => t.id));
      after = page.body.continuationToken;
      pages++;
    } while (after);
    expect(seen.sort()).toEqual([...made].sort());
    expect(pages).toBe(3);
    expect(calls).toEqual({ read: 0, readMany: 3 });
    // A page it cannot ask for is 400, as on every list.
    expect((await reply(myTenants(api, { userId: 'pat' }, get('?$first=0')))).status).toBe(400);
    // A user of none: an empty page.
    expect((await reply(myTenants(api, { userId: 'nobody' }, get()))).body).toEqual({
      items: [],
      continuationToken: null,
    });
  });
});
