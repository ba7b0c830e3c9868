/**
 * SCIM provisioning against its reference model (src/access/model/scim-provisioning.ts): random sequences of SCIM
 * requests with random tokens — live, revoked, or another organization's — interleaved with sign-ins of people
 * whose e-mails are verified or not, on domains an organization verified or not, run on the model and on the real
 * runtime over the local Cosmos DB server; every answer's status (and problem) must be the model's, and after each
 * run the `members` container's memberships must be the model's. A token is its own principal, scoped to one
 * organization; a deactivated or deleted user loses access at once.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  deleteUser,
  type ModelPerson,
  provisionUser,
  requestAs,
  revokeToken,
  type ScimModelState,
  setActive,
} from '../../src/access/model/scim-provisioning.js';
import type { Expected } from '../../src/access/model/model-state.js';
import { startLocalCosmos, type LocalCosmos } from '../runtime/support/local-cosmos.js';
import { DOMAINS, person, type ScimApp, scimApp } from '../runtime/support/scim-app.js';
import type { Reply } from '../runtime/support/http.js';

const ORGS = ['acme', 'globex'] as const;
/** Tokens by name: two of acme's, one of globex's. */
const TOKENS = [
  ['acme-1', 'acme'],
  ['acme-2', 'acme'],
  ['globex-1', 'globex'],
] as const;
const PEOPLE: readonly ModelPerson[] = [
  { oid: 'kim', email: `kim@${DOMAINS.acme}`, verified: true },
  { oid: 'lee', email: `lee@${DOMAINS.acme}`, verified: false },
  { oid: 'gil', email: `gil@${DOMAINS.globex}`, verified: true },
  { oid: 'pat', email: 'pat@pending.example', verified: true },
];
const USER_NAMES = PEOPLE.map((p) => p.email);

type Spec =
  | { kind: 'provision'; token: number; user: number }
  | { kind: 'active'; token: number; org: number; user: number; active: boolean; shape: number }
  | { kind: 'delete'; token: number; org: number; user: number }
  | { kind: 'request'; person: number; org: number }
  | { kind: 'revoke'; token: number };

const i = (n: number) => fc.integer({ min: 0, max: n - 1 });
const spec: fc.Arbitrary<Spec> = fc.oneof(
  {
    weight: 3,
    arbitrary: fc.record({ kind: fc.constant('provision' as const), token: i(3), user: i(4) }),
  },
  {
    weight: 3,
    arbitrary: fc.record({
      kind: fc.constant('active' as const),
      token: i(3),
      org: i(2),
      user: i(4),
      active: fc.boolean(),
      shape: i(3),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('delete' as const),
      token: i(3),
      org: i(2),
      user: i(4),
    }),
  },
  {
    weight: 4,
    arbitrary: fc.record({ kind: fc.constant('request' as const), person: i(4), org: i(2) }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('revoke' as const), token: i(3) }) },
);

let cosmos: LocalCosmos;
let app: ScimApp;
beforeAll(async () => {
  cosmos = await startLocalCosmos();
  app = await scimApp(cosmos);
});
afterAll(async () => {
  await cosmos?.stop();
});

/** The PATCH body setting `active`, in one of Entra's shapes: a boolean, the string "False"/"True", no path. */
const activeBody = (active: boolean, shape: number) => ({
  schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'],
  Operations: [
    shape === 0
      ? { op: 'replace', path: 'active', value: active }
      : shape === 1
        ? { op: 'Replace', path: 'active', value: active ? 'True' : 'False' }
        : { op: 'replace', value: { active } },
  ],
});

const answerOf = (r: Reply): Expected => {
  const type =
    typeof r.body?.type === 'string' ? r.body.type.replace('urn:atakora:problem:', '') : undefined;
  return { status: r.status, ...(type && r.status >= 400 ? { problem: type } : {}) };
};

async function run(specs: readonly Spec[]): Promise<void> {
  await app.reset();
  const secrets = new Map<string, { secret: string; id: string }>();
  for (const [name, org] of TOKENS) {
    const r = await app.issue(org, name);
    secrets.set(name, { secret: r.body.token as string, id: r.body.id as string });
  }
  /** The SCIM id of each provisioned user: `<org>|<userName>` → id. */
  const ids = new Map<string, string>();
  let s: ScimModelState = {
    tokens: new Map(TOKENS.map(([name, org]) => [name, org])),
    users: new Map(),
    members: new Map(ORGS.map((o) => [o, new Map([[o === 'acme' ? 'ada' : 'gus', ['Owner']]])])),
    domains: new Map(ORGS.map((o) => [DOMAINS[o], o])),
  };
  const script: string[] = [];
  for (const c of specs) {
    let model: { expected: Expected; state: ScimModelState };
    let reply: Reply;
    if (c.kind === 'revoke') {
      const [name, org] = TOKENS[c.token] ?? TOKENS[0];
      script.push(`revoke ${name}`);
      const t = secrets.get(name);
      if (!s.tokens.has(name) || !t) continue;
      const owner = org === 'acme' ? 'ada' : 'gus';
      reply = await app.call('membership-scim-token', 'DELETE', `tenant/scim-tokens/${t.id}`, {
        headers: { ...person(owner), 'x-atakora-tenant': org },
        params: { id: t.id },
      });
      model = { expected: { status: 204 }, state: revokeToken(s, name) };
    } else if (c.kind === 'request') {
      const p = PEOPLE[c.person] ?? { oid: 'kim', email: 'kim@acme.example', verified: true };
      const org = ORGS[c.org] ?? 'acme';
      script.push(
        `${p.oid} (${p.email}${p.verified ? '' : ', unverified'}) GET api/tenant in ${org}`,
      );
      model = requestAs(s, p, org);
      reply = await app.call('tenant-self', 'GET', 'tenant', {
        headers: { ...person(p.oid, p.email, p.verified), 'x-atakora-tenant': org },
      });
    } else {
      const [name, tokenOrg] = TOKENS[c.token] ?? TOKENS[0];
      const secret = secrets.get(name)?.secret ?? '';
      const userName = USER_NAMES[c.user] ?? '';
      if (c.kind === 'provision') {
        script.push(`${name} POST Users ${userName}`);
        model = provisionUser(s, name, userName);
        reply = await app.scim('scim-users', 'POST', 'scim/v2/Users', secret, {
          body: { userName },
        });
        if (reply.status === 201) ids.set(`${tokenOrg}|${userName}`, reply.body.id as string);
      } else {
        const org = ORGS[c.org] ?? 'acme';
        const id = ids.get(`${org}|${userName}`) ?? '00000000-0000-0000-0000-000000000000';
        if (c.kind === 'active') {
          script.push(
            `${name} PATCH ${org}'s ${userName} active ${String(c.active)} (shape ${String(c.shape)})`,
          );
          model = setActive(s, name, org, userName, c.active);
          reply = await app.scim('scim-user', 'PATCH', `scim/v2/Users/${id}`, secret, {
            params: { id },
            body: activeBody(c.active, c.shape),
          });
        } else {
          script.push(`${name} DELETE ${org}'s ${userName}`);
          model = deleteUser(s, name, org, userName);
          reply = await app.scim('scim-user', 'DELETE', `scim/v2/Users/${id}`, secret, {
            params: { id },
          });
          if (reply.status === 204) ids.delete(`${org}|${userName}`);
        }
      }
    }
    const got = answerOf(reply);
    const want = model.expected;
    if (got.status !== want.status || (want.problem !== undefined && got.problem !== want.problem))
      throw new Error(
        `expected ${JSON.stringify(want)}, got ${JSON.stringify(got)} ${reply.text.slice(0, 300)}\n  ${script.join('\n  ')}`,
      );
    s = model.state;
  }
  const stored = await app.members.items
    .query<{ tenant: string; userId?: string; roles?: string[]; kind?: string }>('SELECT * FROM c')
    .fetchAll();
  const real = stored.resources
    .filter(
      (r) =>
        r.kind === undefined &&
        r.userId !== undefined &&
        (ORGS as readonly string[]).includes(r.tenant),
    )
    .map((r) => `${r.tenant}|${r.userId ?? ''}|${(r.roles ?? []).join(',')}`)
    .sort();
  const expected = [...s.members]
    .flatMap(([org, m]) => [...m].map(([oid, roles]) => `${org}|${oid}|${roles.join(',')}`))
    .sort();
  expect(real, script.join('\n')).toEqual(expected);
}

describe('SCIM provisioning against its model', () => {
  it('answers every token, user and sign-in as the model does, and leaves its memberships', async () => {
    await fc.assert(fc.asyncProperty(fc.array(spec, { minLength: 4, maxLength: 18 }), run), {
      seed: Number(process.env['ATAKORA_MODEL_SEED'] ?? 59),
      numRuns: Number(process.env['ATAKORA_MODEL_RUNS'] ?? 12),
    });
  });

  it(
    'a story: provisioned, signed in, deactivated with "False" (refused at once), reactivated, deleted',
    () =>
      run([
        { kind: 'provision', token: 0, user: 0 },
        { kind: 'request', person: 0, org: 0 },
        { kind: 'active', token: 1, org: 0, user: 0, active: false, shape: 1 },
        { kind: 'request', person: 0, org: 0 },
        { kind: 'active', token: 2, org: 0, user: 0, active: true, shape: 2 },
        { kind: 'active', token: 0, org: 0, user: 0, active: true, shape: 2 },
        { kind: 'request', person: 0, org: 0 },
        { kind: 'revoke', token: 0 },
        { kind: 'delete', token: 0, org: 0, user: 0 },
        { kind: 'delete', token: 1, org: 0, user: 0 },
        { kind: 'request', person: 0, org: 0 },
      ]),
    120_000,
  );
});
