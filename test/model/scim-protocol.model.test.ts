/**
 * The SCIM protocol against its reference model (src/access/model/scim-resources.ts): random sequences of POST, PUT,
 * PATCH and DELETE on Users and Groups of two organizations — each shaped as Entra's provisioning service or Okta
 * sends it, some with the other organization's token — run on the model and on the real runtime over the local
 * Cosmos DB server. Every answer's status must be the model's, and after every request each user's and group's GET
 * must show exactly the model's attributes: `userName` unique without regard to case, what a PUT leaves out gone,
 * what a PATCH sets or removes kept, a group never past 1,000 members. And concurrently: of parallel writes taking
 * one `userName`, exactly one wins.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ScimResourcesState } from '../../src/access/model/scim-resources.js';
import { startLocalCosmos, type LocalCosmos } from '../runtime/support/local-cosmos.js';
import { type ScimApp, scimApp } from '../runtime/support/scim-app.js';
import {
  differences,
  NAMES,
  ORGS,
  type Org,
  type Run,
  SIZES,
  type Spec,
  step,
} from './scim-protocol-run.js';

let cosmos: LocalCosmos;
let app: ScimApp;
beforeAll(async () => {
  cosmos = await startLocalCosmos({ plain: true });
  app = await scimApp(cosmos);
});
afterAll(async () => {
  await cosmos?.stop();
});

const i = (n: number) => fc.integer({ min: 0, max: n - 1 });
const b = fc.boolean();
const spec: fc.Arbitrary<Spec> = fc.oneof(
  {
    weight: 4,
    arbitrary: fc.record({
      kind: fc.constant('createUser' as const),
      org: i(2),
      h: i(4),
      name: i(3),
      upper: b,
      ext: b,
    }),
  },
  {
    weight: 3,
    arbitrary: fc.record({
      kind: fc.constant('putUser' as const),
      org: i(2),
      h: i(4),
      name: i(3),
      upper: b,
      cross: b,
    }),
  },
  {
    weight: 4,
    arbitrary: fc.record({
      kind: fc.constant('patchUser' as const),
      org: i(2),
      h: i(4),
      attr: i(4),
      value: i(3),
      cross: b,
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('deleteUser' as const),
      org: i(2),
      h: i(4),
      cross: b,
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('createGroup' as const),
      org: i(2),
      h: i(4),
      size: i(SIZES.length),
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('putGroup' as const),
      org: i(2),
      h: i(4),
      size: i(SIZES.length),
      ext: b,
      cross: b,
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('addMembers' as const),
      org: i(2),
      h: i(4),
      size: i(SIZES.length),
      cross: b,
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('groupExternalId' as const),
      org: i(2),
      h: i(4),
      value: i(3),
      cross: b,
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('deleteGroup' as const),
      org: i(2),
      h: i(4),
      cross: b,
    }),
  },
);

async function newRun(): Promise<Run> {
  await app.reset();
  const tokens = {} as Record<Org, string>;
  for (const org of ORGS) tokens[org] = (await app.issue(org, 'Entra')).body.token as string;
  const empty = (): ScimResourcesState => ({ users: new Map(), groups: new Map() });
  return {
    app,
    tokens,
    ids: new Map(),
    states: new Map(ORGS.map((o) => [o, empty()])),
    script: [],
    members: 0,
  };
}

async function run(specs: readonly Spec[]): Promise<void> {
  const r = await newRun();
  for (const c of specs) {
    const s = step(r, c);
    if (!s) continue;
    const reply = await s.send();
    const org = ORGS[c.org % 2] ?? 'acme';
    if (reply.status !== s.model.expected.status)
      throw new Error(
        `expected ${String(s.model.expected.status)}, got ${String(reply.status)} ${reply.text.slice(0, 300)}\n  ${r.script.join('\n  ')}`,
      );
    if (reply.status === 201 && s.made) r.ids.set(s.made, reply.body.id as string);
    r.states.set(org, s.model.state);
    for (const o of ORGS) {
      const off = await differences(r, o);
      if (off.length > 0) throw new Error(`${off.join('\n')}\n  ${r.script.join('\n  ')}`);
    }
  }
}

describe('the SCIM protocol against its model', () => {
  it('answers every POST, PUT, PATCH and DELETE as the model does, and each GET shows the model exactly', async () => {
    await fc.assert(fc.asyncProperty(fc.array(spec, { minLength: 3, maxLength: 14 }), run), {
      seed: Number(process.env['ATAKORA_MODEL_SEED'] ?? 59),
      numRuns: Number(process.env['ATAKORA_MODEL_RUNS'] ?? 10),
    });
  });

  it(
    'a story: userName taken in another case, freed by a rename, replaced by PUT; a group held at 1,000',
    () =>
      run([
        { kind: 'createUser', org: 0, h: 0, name: 0, upper: false, ext: true },
        { kind: 'createUser', org: 0, h: 1, name: 0, upper: true, ext: false },
        { kind: 'patchUser', org: 0, h: 0, attr: 0, value: 1, cross: false },
        { kind: 'createUser', org: 0, h: 1, name: 0, upper: true, ext: false },
        { kind: 'putUser', org: 0, h: 1, name: 1, upper: true, cross: false },
        { kind: 'patchUser', org: 0, h: 0, attr: 3, value: 2, cross: false },
        { kind: 'createGroup', org: 0, h: 0, size: 3 },
        { kind: 'addMembers', org: 0, h: 0, size: 1, cross: false },
        { kind: 'groupExternalId', org: 0, h: 0, value: 1, cross: false },
        { kind: 'createGroup', org: 0, h: 1, size: 4 },
        { kind: 'putGroup', org: 0, h: 0, size: 4, ext: true, cross: false },
        { kind: 'deleteUser', org: 1, h: 0, cross: true },
      ]),
    120_000,
  );
});

describe('regressions: shrunk cases the model found on the code before PUT, claims and the group bound', () => {
  it(
    'seed 59: a PUT of a user (Okta replaces users with PUT) was 405',
    () =>
      run([
        { kind: 'createUser', org: 0, h: 0, name: 0, upper: false, ext: false },
        { kind: 'putUser', org: 0, h: 0, name: 0, upper: false, cross: false },
      ]),
    60_000,
  );

  it(
    'a group of 1,001 members was accepted (201), past the bound',
    () => run([{ kind: 'createGroup', org: 0, h: 0, size: 4 }]),
    60_000,
  );

  it(
    "a PATCH of a group's externalId answered 204 and changed nothing",
    () =>
      run([
        { kind: 'createGroup', org: 0, h: 0, size: 0 },
        { kind: 'groupExternalId', org: 0, h: 0, value: 1, cross: false },
      ]),
    60_000,
  );

  it(
    'a PATCH growing a group from 999 past 1,000 is refused (it was before too: a guard)',
    () =>
      run([
        { kind: 'createGroup', org: 1, h: 0, size: 2 },
        { kind: 'addMembers', org: 1, h: 0, size: 1, cross: false },
      ]),
    60_000,
  );
});

describe('userName under concurrent writes', () => {
  it('of parallel POSTs, PUTs and PATCHes taking one userName (in any case), exactly one wins; the rest 409 uniqueness', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.boolean(), { minLength: 8, maxLength: 8 }), async (upper) => {
        const r = await newRun();
        const token = r.tokens.acme;
        const name = (k: number) => (upper[k] ? NAMES[0].toUpperCase() : NAMES[0]);
        const posts = await Promise.all(
          upper.map((_u, k) =>
            app.scim('scim-users', 'POST', 'scim/v2/Users', token, { body: { userName: name(k) } }),
          ),
        );
        const statuses = posts.map((p) => p.status).sort();
        expect(statuses).toEqual([201, ...Array<number>(7).fill(409)]);
        expect(posts.filter((p) => p.status === 409).map((p) => p.body.scimType)).toEqual(
          Array(7).fill('uniqueness'),
        );
        // Six others, renamed at once to the name the winner holds (PUT or PATCH, as Okta and Entra send them).
        const others = await Promise.all(
          [
            ...NAMES.slice(1),
            'a@acme.example',
            'b@acme.example',
            'c@acme.example',
            'd@acme.example',
          ].map(
            async (n) =>
              (
                await app.scim('scim-users', 'POST', 'scim/v2/Users', token, {
                  body: { userName: n },
                })
              ).body.id as string,
          ),
        );
        const renames = await Promise.all(
          others.map((id, k) =>
            app.scim('scim-user', k % 2 ? 'PUT' : 'PATCH', `scim/v2/Users/${id}`, token, {
              params: { id },
              body:
                k % 2
                  ? { schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'], userName: name(k) }
                  : {
                      schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'],
                      Operations: [{ op: 'Replace', path: 'userName', value: name(k) }],
                    },
            }),
          ),
        );
        expect(renames.map((x) => x.status)).toEqual(Array(others.length).fill(409));
        // The winner gives its name up: of parallel takers of it now, exactly one wins.
        const winner = posts.find((p) => p.status === 201)?.body.id as string;
        await app.scim('scim-user', 'DELETE', `scim/v2/Users/${winner}`, token, {
          params: { id: winner },
        });
        const again = await Promise.all(
          others.map((id) =>
            app.scim('scim-user', 'PATCH', `scim/v2/Users/${id}`, token, {
              params: { id },
              body: {
                schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'],
                Operations: [{ op: 'Replace', path: 'userName', value: NAMES[0] }],
              },
            }),
          ),
        );
        expect(again.map((x) => x.status).sort()).toEqual([
          200,
          ...Array<number>(others.length - 1).fill(409),
        ]);
        const listed = await app.scim('scim-users', 'GET', 'scim/v2/Users', token, {
          query: { filter: `userName eq "${NAMES[0].toUpperCase()}"` },
        });
        expect(listed.body.totalResults).toBe(1);
      }),
      { seed: Number(process.env['ATAKORA_MODEL_SEED'] ?? 59), numRuns: 3 },
    );
  });
});
