/**
 * `POST …/.search` (RFC 7644 §3.4.3): a SearchRequest's `filter`, `startIndex`, `count`, `attributes` and
 * `excludedAttributes` answered as the same `GET` answers them, on `Users/.search`, `Groups/.search` and the root's
 * `/.search` over both types — paged as one result set (Users, then Groups), a filter one type cannot answer matching
 * none of that type, one no type answers a SCIM 400 `invalidFilter`, a body that is not a SearchRequest a SCIM 400
 * `invalidSyntax`. The local Cosmos DB server; the page property by fast-check against the two lists read by GET.
 */
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { SCIM_SCHEMAS } from '../../src/contract/scim/scim.js';
import { SCIM_SEARCH_REQUEST } from '../../src/runtime/members/scim/scim-search.js';
import { scimSuite } from './support/scim-suite.js';
import { propertyRuns } from '../plan/support/budget.js';

const app = scimSuite({ token: 'Okta', once: true });

const search = (fn: string, path: string, body: Record<string, unknown>) =>
  app.scim(fn, 'POST', `scim/v2/${path}`, app.token, { body });
const ids = (r: { body: { Resources: { id: string }[] } }) => r.body.Resources.map((x) => x.id);

const users: string[] = [];
const groups: string[] = [];

beforeAll(async () => {
  for (const n of [1, 2, 3, 4]) {
    const r = await app.scim('scim-users', 'POST', 'scim/v2/Users', app.token, {
      body: {
        schemas: [SCIM_SCHEMAS.user],
        userName: `search-${n}@acme.example`,
        externalId: `ext-${n}`,
        title: `title-${n}`,
      },
    });
    expect(r.status, r.text).toBe(201);
    users.push(r.body.id);
  }
  for (const n of [1, 2, 3]) {
    const r = await app.scim('scim-groups', 'POST', 'scim/v2/Groups', app.token, {
      body: { schemas: [SCIM_SCHEMAS.group], displayName: `team-${n}`, externalId: `ext-${n}` },
    });
    expect(r.status, r.text).toBe(201);
    groups.push(r.body.id);
  }
});

describe('POST …/.search', () => {
  it('on Users and Groups answers what the same GET answers', async () => {
    for (const [fn, path, list, query] of [
      [
        'scim-users-search',
        'Users/.search',
        'scim-users',
        { filter: 'userName eq "search-2@acme.example"' },
      ],
      [
        'scim-groups-search',
        'Groups/.search',
        'scim-groups',
        { filter: 'displayName eq "team-3"' },
      ],
      ['scim-users-search', 'Users/.search', 'scim-users', { startIndex: '2', count: '2' }],
    ] as const) {
      const body = { schemas: [SCIM_SEARCH_REQUEST], ...query, attributes: ['externalId'] };
      const posted = await search(fn, path, body);
      const got = await app.scim(list, 'GET', `scim/v2/${path.split('/')[0]}`, app.token, {
        query: { ...query, attributes: 'externalId' },
      });
      expect(posted.status, posted.text).toBe(200);
      expect(posted.body).toEqual(got.body);
      expect(posted.body.Resources.length).toBeGreaterThan(0);
      for (const r of posted.body.Resources)
        expect(Object.keys(r).sort()).toEqual(['externalId', 'id', 'schemas']);
    }
  });

  it('at the root covers both types, each filter on the types that have its attribute', async () => {
    const root = (body: Record<string, unknown>) =>
      search('scim-search', '.search', { schemas: [SCIM_SEARCH_REQUEST], ...body });
    const both = await root({ filter: 'externalId eq "ext-2"', excludedAttributes: 'members' });
    expect(both.status, both.text).toBe(200);
    expect(ids(both)).toEqual([users[1], groups[1]]);
    expect(both.body.totalResults).toBe(2);
    expect(both.body.Resources[1].members).toBeUndefined();
    expect(ids(await root({ filter: 'displayName eq "team-1"' }))).toEqual([groups[0]]);
    expect(ids(await root({ filter: 'userName eq "search-4@acme.example"' }))).toEqual([users[3]]);
    const none = await root({ filter: 'title eq "title-1"' });
    expect([none.status, none.body.scimType], none.text).toEqual([400, 'invalidFilter']);
  });

  it('at the root pages Users then Groups as one set, as the two GET lists concatenated', async () => {
    const all = async (fn: string, path: string) =>
      ids(await app.scim(fn, 'GET', `scim/v2/${path}`, app.token, { query: { count: '100' } }));
    const whole = [...(await all('scim-users', 'Users')), ...(await all('scim-groups', 'Groups'))];
    expect(whole).toHaveLength(users.length + groups.length);
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 10 }),
        fc.integer({ min: 0, max: 10 }),
        async (start, count) => {
          const r = await search('scim-search', '.search', {
            schemas: [SCIM_SEARCH_REQUEST],
            startIndex: start,
            count,
          });
          expect(r.status, r.text).toBe(200);
          expect(ids(r)).toEqual(whole.slice(start - 1, start - 1 + count));
          expect(r.body).toMatchObject({
            totalResults: whole.length,
            startIndex: start,
            itemsPerPage: r.body.Resources.length,
          });
        },
      ),
      { seed: 120, numRuns: propertyRuns(12) },
    );
  });

  it('refuses a body that is not a SearchRequest: SCIM 400 invalidSyntax', async () => {
    for (const [fn, path] of [
      ['scim-search', '.search'],
      ['scim-users-search', 'Users/.search'],
    ] as const) {
      const r = await search(fn, path, { schemas: [SCIM_SCHEMAS.patchOp], filter: 'id eq "x"' });
      expect(r.status, r.text).toBe(400);
      expect(r.headers.get('content-type')).toContain('application/scim+json');
      expect(r.body).toMatchObject({
        schemas: [SCIM_SCHEMAS.error],
        status: '400',
        scimType: 'invalidSyntax',
      });
    }
  });
});
