/**
 * SCIM provisioning and a person's every door against their reference model (src/access/model/scim-provisioning.ts,
 * scim-people.ts, both asking model/lives/membership-life.ts): random sequences of SCIM requests with random tokens
 * — live, revoked, or another organization's; users provisioned with an externalId or inactive — interleaved with
 * people signing in (verified e-mails or not, of the directory acme may link or another), joining acme through its
 * verified domain (`join: 'auto'`), invited by acme's Owner or its Admin, removed by the Owner or leaving, listing
 * their organizations, and acme's directory linked and unlinked — run on the model and on the real runtime over the
 * local Cosmos DB server; every answer's status (and problem) must be the model's, and after each run the `members`
 * container's memberships, each member's door (`via`) and the bars must be the model's. A token is its own
 * principal, scoped to one organization; a deactivated or deleted user loses access at once, however its person
 * joined, and no door but an Owner's invitation or SCIM's re-activation lets a person out back in.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  deleteUser,
  type ModelPerson,
  provisionUser,
  revokeToken,
  type ScimModelState,
  setActive,
  type Step,
} from '../../src/access/model/scim-provisioning.js';
import {
  accept,
  invite,
  joinByDomain,
  linkDirectory,
  mine,
  removeMember,
  requestAs,
} from '../../src/access/model/scim-people.js';
import type { Expected } from '../../src/access/model/model-state.js';
import { holdNextMemberCreate } from '../runtime/support/held-member-create.js';
import { startLocalCosmos, type LocalCosmos } from '../runtime/support/local-cosmos.js';
import { DOMAINS, person, type ScimApp, scimApp } from '../runtime/support/scim-app.js';
import type { Reply } from '../runtime/support/http.js';
import { MODEL_RUNS } from './budget.js';
import {
  ADA,
  as,
  directoryPolicy,
  expectMembershipsOf,
  HOME,
  inAcme,
  linkRequest,
  ORGS,
  problemOf,
  startOrganizations,
} from './scim-people-run.js';

/** Tokens by name: two of acme's, one of globex's. */
const TOKENS = [
  ['acme-1', 'acme'],
  ['acme-2', 'acme'],
  ['globex-1', 'globex'],
] as const;
const PEOPLE: readonly ModelPerson[] = [
  { oid: 'kim', email: `kim@${DOMAINS.acme}`, verified: true, tid: HOME },
  { oid: 'lee', email: `lee@${DOMAINS.acme}`, verified: false, tid: HOME },
  { oid: 'gil', email: `gil@${DOMAINS.globex}`, verified: true, tid: 'globex-dir' },
  { oid: 'pat', email: 'pat@pending.example', verified: true, tid: HOME },
  // A directory user whose token proves no e-mail: SCIM names her by her user principal name (Entra's userName).
  {
    oid: 'dee',
    email: 'dee@mail.example',
    verified: false,
    tid: HOME,
    upn: 'dee@home-dir.example',
  },
];
/** What SCIM provisions each person as: their user principal name when they have one, else their e-mail. */
const USER_NAMES = PEOPLE.map((p) => p.upn ?? p.email);
/** acme's Admin (its Owner: ADA). */
const ANN = 'ann';

type Spec =
  | {
      kind: 'provision';
      token: number;
      user: number;
      externalId?: boolean;
      inactive?: boolean;
    }
  | { kind: 'active'; token: number; org: number; user: number; active: boolean; shape: number }
  | { kind: 'delete'; token: number; org: number; user: number }
  | { kind: 'request'; person: number; org: number }
  | { kind: 'revoke'; token: number }
  /** The person joins acme (or globex) through its verified domain. */
  | { kind: 'join'; person: number; org: number }
  /** acme's Owner (0) or Admin (1) invites the person; they accept at once, or (`later`) with an `accept` step. */
  | { kind: 'invite'; by: number; person: number; later?: boolean }
  /** The person accepts acme's open invitation to their e-mail — signed in with a token that proves it (`proves`). */
  | { kind: 'accept'; person: number; proves: boolean }
  /**
   * A door in flight while SCIM deactivates the person's user (acme's token `token`): the person joins acme by its
   * domain, and their membership's write waits at the server until the `PATCH active false` of the user named by
   * their address (or, `del`, its DELETE) has been answered. `directory`: the door is the person's first request to
   * acme instead (acme's linked directory admitting them, or SCIM's link of their user) — its SCIM link, when one is
   * written, lands before the held membership, so the deactivation finds the user linked and the person not yet a
   * member: the end must still be one of the two orders'.
   */
  | { kind: 'race'; person: number; token: number; del?: boolean; directory?: boolean }
  /** acme's Owner removes the person, or (`self`) the person leaves. */
  | { kind: 'remove'; person: number; self: boolean }
  /** acme's Owner links (or unlinks) their directory. */
  | { kind: 'link'; on: boolean }
  /** `GET api/me/tenants` by the person. */
  | { kind: 'mine'; person: number };

const i = (n: number) => fc.integer({ min: 0, max: n - 1 });
const spec: fc.Arbitrary<Spec> = fc.oneof(
  {
    weight: 3,
    arbitrary: fc.record(
      {
        kind: fc.constant('provision' as const),
        token: i(3),
        user: i(PEOPLE.length),
        externalId: fc.boolean(),
        inactive: fc.oneof(
          { weight: 4, arbitrary: fc.constant(false) },
          { weight: 1, arbitrary: fc.constant(true) },
        ),
      },
      { requiredKeys: ['kind', 'token', 'user'] },
    ),
  },
  {
    weight: 3,
    arbitrary: fc.record({
      kind: fc.constant('active' as const),
      token: i(3),
      org: i(2),
      user: i(PEOPLE.length),
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
      user: i(PEOPLE.length),
    }),
  },
  {
    weight: 4,
    arbitrary: fc.record({
      kind: fc.constant('request' as const),
      person: i(PEOPLE.length),
      org: i(2),
    }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('revoke' as const), token: i(3) }) },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('join' as const),
      person: i(PEOPLE.length),
      org: i(2),
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('invite' as const),
      by: i(2),
      person: i(PEOPLE.length),
      later: fc.boolean(),
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('accept' as const),
      person: i(PEOPLE.length),
      proves: fc.boolean(),
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('race' as const),
      person: i(PEOPLE.length),
      token: i(2),
      del: fc.boolean(),
      directory: fc.boolean(),
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('remove' as const),
      person: i(PEOPLE.length),
      self: fc.boolean(),
    }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('link' as const), on: fc.boolean() }) },
  {
    weight: 1,
    arbitrary: fc.record({ kind: fc.constant('mine' as const), person: i(PEOPLE.length) }),
  },
);

let cosmos: LocalCosmos;
let app: ScimApp;
beforeAll(async () => {
  cosmos = await startLocalCosmos({ plain: true });
  // Directory sign-in on: acme's Owner may link her directory (the people's doors include it).
  app = await scimApp(cosmos, directoryPolicy());
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
  const type = problemOf(r);
  return { status: r.status, ...(type && r.status >= 400 ? { problem: type } : {}) };
};

/** One run: the model's state and what the runtime was sent, by step. */
interface Run {
  s: ScimModelState;
  /**
   * The run's people: {@link PEOPLE} with object ids of this run's own, so nothing the app keeps between runs (its
   * caches of memberships and refusals, each user's rate of the routes of no organization) is theirs.
   */
  readonly people: readonly ModelPerson[];
  readonly script: string[];
  readonly secrets: Map<string, { secret: string; id: string }>;
  /** The SCIM id of each provisioned user: `<org>|<userName>` → id. */
  readonly ids: Map<string, string>;
  /** The token of the last invitation acme sent to each address this run. */
  readonly invitations: Map<string, string>;
}

/** Each step: what it says, the model's outcome, and the runtime's reply (undefined: nothing was sent). */
async function stepOf(run: Run, c: Spec): Promise<{ model: Step; reply: Reply } | undefined> {
  const s = run.s;
  const who = run.people[('person' in c ? c.person : 0) % run.people.length]!;
  if (c.kind === 'revoke') {
    const [name, org] = TOKENS[c.token] ?? TOKENS[0];
    run.script.push(`revoke ${name}`);
    const t = run.secrets.get(name);
    if (!s.tokens.has(name) || !t) return undefined;
    const owner = org === 'acme' ? ADA : 'gus';
    const reply = await app.call('membership-scim-token', 'DELETE', `tenant/scim-tokens/${t.id}`, {
      headers: { ...person(owner), 'x-atakora-tenant': org },
      params: { id: t.id },
    });
    return { model: { expected: { status: 204 }, state: revokeToken(s, name) }, reply };
  }
  if (c.kind === 'request') {
    const org = ORGS[c.org] ?? 'acme';
    run.script.push(`${who.oid} GET api/tenant in ${org}`);
    const reply = await app.call('tenant-self', 'GET', 'tenant', {
      headers: { ...as(who), 'x-atakora-tenant': org },
    });
    return { model: requestAs(s, who, org), reply };
  }
  if (c.kind === 'join') {
    const org = ORGS[c.org] ?? 'acme';
    run.script.push(`${who.oid} joins ${org} by its domain`);
    const reply = await app.call('membership-tenant-join', 'POST', `tenants/${org}/join`, {
      headers: as(who),
      params: { id: org },
    });
    return { model: joinByDomain(s, who, org), reply };
  }
  if (c.kind === 'invite') return invited(run, c.by === 0 ? ADA : ANN, who, c.later === true);
  if (c.kind === 'accept') return accepted(run, who, c.proves);
  if (c.kind === 'race') return raced(run, who, c);
  if (c.kind === 'remove') return removed(run, who, c.self);
  if (c.kind === 'link') {
    run.script.push(`${ADA} ${c.on ? 'links' : 'unlinks'} acme's directory`);
    const reply = await linkRequest(app, c.on);
    return { model: linkDirectory(s, 'acme', c.on ? HOME : undefined), reply };
  }
  if (c.kind === 'mine') {
    run.script.push(`${who.oid} GET api/me/tenants`);
    const reply = await app.call('membership-me-tenants', 'GET', 'me/tenants', {
      headers: as(who),
    });
    const out = mine(s, who, ORGS);
    const items = ((reply.body?.items as { id: string }[] | undefined) ?? []).map((t) => t.id);
    // The listed organizations are the answer's body here: compared as a status of their own.
    const same = JSON.stringify(items.sort()) === JSON.stringify(out.orgs);
    return {
      model: { expected: { status: 200 }, state: out.state },
      reply: same
        ? reply
        : {
            ...reply,
            status: 599,
            text: `listed ${JSON.stringify(items)}, expected ${JSON.stringify(out.orgs)}`,
          },
    };
  }
  return scimStep(run, c);
}

/** acme's `by` invites `who` and they accept at once (with the token the answer carries), or `later`. */
async function invited(
  run: Run,
  by: string,
  who: ModelPerson,
  later: boolean,
): Promise<{ model: Step; reply: Reply }> {
  run.script.push(`${by} invites ${who.oid}${later ? '' : `; ${who.oid} accepts`}`);
  const sent = invite(run.s, by, 'acme', who);
  const reply = await app.call('membership-invitations', 'POST', 'tenant/invitations', {
    headers: { ...person(by), ...inAcme },
    body: { email: who.email, roles: ['Member'] },
  });
  if (sent.expected.status !== 201 || reply.status !== 201) return { model: sent, reply };
  const token = new URL(String(reply.body.acceptUrl)).searchParams.get('invitation') ?? '';
  run.invitations.set(who.email.toLowerCase(), token);
  if (later) return { model: sent, reply };
  run.s = sent.state;
  const answer = await app.call('membership-accept', 'POST', 'invitations/accept', {
    headers: as(who),
    body: { token },
  });
  return { model: accept(run.s, who, 'acme'), reply: answer };
}

/**
 * `who` accepts the last invitation acme sent to their e-mail (none sent this run: nothing to send), signed in
 * with a token that proves their e-mail (`proves`) or as they always sign in.
 */
async function accepted(
  run: Run,
  who: ModelPerson,
  proves: boolean,
): Promise<{ model: Step; reply: Reply } | undefined> {
  const token = run.invitations.get(who.email.toLowerCase());
  if (token === undefined) return undefined;
  const signedIn = proves ? { ...who, verified: true } : who;
  run.script.push(`${who.oid} accepts their invitation${proves ? ' (e-mail proven)' : ''}`);
  const reply = await app.call('membership-accept', 'POST', 'invitations/accept', {
    headers: as(signedIn),
    body: { token },
  });
  return { model: accept(run.s, signedIn, 'acme'), reply };
}

/**
 * A door of `who` in flight while acme's SCIM deactivates the user named by their address: the door's membership
 * write held at the server until the `PATCH active false` is answered (support/held-member-create.ts; a door that
 * writes nothing runs first, the PATCH after). Both answers must be those of the two in one order or the other, and
 * the state that order leaves is the run's from then on.
 */
async function raced(
  run: Run,
  who: ModelPerson,
  c: Extract<Spec, { kind: 'race' }>,
): Promise<{ model: Step; reply: Reply }> {
  const s = run.s;
  const [name] = TOKENS[c.token] ?? TOKENS[0];
  const secret = run.secrets.get(name)?.secret ?? '';
  const userName = USER_NAMES[c.person] ?? '';
  const id = run.ids.get(`acme|${userName}`) ?? '00000000-0000-0000-0000-000000000000';
  const del = c.del === true;
  const directory = c.directory === true;
  run.script.push(
    `${who.oid} ${directory ? 'makes a first request to acme' : 'joins acme by its domain'} while ${name} ${del ? 'DELETEs' : 'PATCHes'} ${userName}${del ? '' : ' active false'}`,
  );
  let patched: Reply | undefined;
  const patch = async () => {
    patched = del
      ? await app.scim('scim-user', 'DELETE', `scim/v2/Users/${id}`, secret, { params: { id } })
      : await app.scim('scim-user', 'PATCH', `scim/v2/Users/${id}`, secret, {
          params: { id },
          body: activeBody(false, 0),
        });
    if (del && patched.status === 204) run.ids.delete(`acme|${userName}`);
  };
  const held = holdNextMemberCreate(cosmos, 'acme', patch);
  const door = directory
    ? await app.call('tenant-self', 'GET', 'tenant', { headers: { ...as(who), ...inAcme } })
    : await app.call('membership-tenant-join', 'POST', 'tenants/acme/join', {
        headers: as(who),
        params: { id: 'acme' },
      });
  held.release();
  if (held.count === 0) await patch();
  const doorOf = (at: ScimModelState) =>
    directory ? requestAs(at, who, 'acme') : joinByDomain(at, who, 'acme');
  const deactivate = (at: ScimModelState) =>
    del ? deleteUser(at, name, 'acme', userName) : setActive(at, name, 'acme', userName, false);
  const orders = [
    (() => {
      const first = doorOf(s);
      const then = deactivate(first.state);
      return { door: first.expected, patch: then.expected, state: then.state };
    })(),
    (() => {
      const first = deactivate(s);
      const then = doorOf(first.state);
      return { door: then.expected, patch: first.expected, state: then.state };
    })(),
  ];
  const got = [answerOf(door), answerOf(patched ?? door)];
  const same = (a: Expected, b: Expected) =>
    a.status === b.status && (a.problem === undefined || a.problem === b.problem);
  // Both orders may answer alike and leave different states (a DELETE then a first request the directory admits,
  // or the request then the DELETE putting them out): the one whose membership of the person is the stored one.
  const stored = (await app.members.item(`acme|${who.oid}`, 'acme').read()).resource !== undefined;
  const answered = orders.filter((o) => same(o.door, got[0]!) && same(o.patch, got[1]!));
  const order =
    answered.find((o) => (o.state.members.get('acme')?.has(who.oid) ?? false) === stored) ??
    answered[0];
  const expected = orders[0]!;
  return {
    model: { expected: order ? got[0]! : expected.door, state: (order ?? expected).state },
    reply: order
      ? door
      : {
          ...door,
          status: 599,
          text: `door ${JSON.stringify(got[0])} and PATCH ${JSON.stringify(got[1])}: neither order's (${JSON.stringify(orders.map((o) => [o.door, o.patch]))})`,
        },
  };
}

/** acme's Owner removes `who`, or `who` leaves acme (their request to it joins them first, as any request). */
async function removed(
  run: Run,
  who: ModelPerson,
  self: boolean,
): Promise<{ model: Step; reply: Reply }> {
  run.script.push(self ? `${who.oid} leaves acme` : `${ADA} removes ${who.oid} from acme`);
  const admitted = self ? requestAs(run.s, who, 'acme') : undefined;
  const reply = await app.call('membership-member', 'DELETE', `tenant/members/${who.oid}`, {
    headers: { ...(self ? as(who) : person(ADA)), ...inAcme },
    params: { userId: who.oid },
  });
  if (admitted && admitted.expected.status !== 200) return { model: admitted, reply };
  return {
    model: removeMember(admitted?.state ?? run.s, self ? who.oid : ADA, 'acme', who.oid),
    reply,
  };
}

/** A SCIM request: provision, (de)activate, delete. */
async function scimStep(
  run: Run,
  c: Extract<Spec, { kind: 'provision' | 'active' | 'delete' }>,
): Promise<{ model: Step; reply: Reply }> {
  const s = run.s;
  const [name, tokenOrg] = TOKENS[c.token] ?? TOKENS[0];
  const secret = run.secrets.get(name)?.secret ?? '';
  const userName = USER_NAMES[c.user] ?? '';
  if (c.kind === 'provision') {
    const externalId = c.externalId ? run.people[c.user]?.oid : undefined;
    const active = c.inactive !== true;
    run.script.push(
      `${name} POST Users ${userName}${externalId ? ` externalId ${externalId}` : ''}${active ? '' : ' inactive'}`,
    );
    const model = provisionUser(s, name, userName, {
      ...(externalId !== undefined ? { externalId } : {}),
      active,
    });
    const reply = await app.scim('scim-users', 'POST', 'scim/v2/Users', secret, {
      body: { userName, ...(externalId !== undefined ? { externalId } : {}), active },
    });
    if (reply.status === 201) run.ids.set(`${tokenOrg}|${userName}`, reply.body.id as string);
    return { model, reply };
  }
  const org = ORGS[c.org] ?? 'acme';
  const id = run.ids.get(`${org}|${userName}`) ?? '00000000-0000-0000-0000-000000000000';
  if (c.kind === 'active') {
    run.script.push(
      `${name} PATCH ${org}'s ${userName} active ${String(c.active)} (shape ${String(c.shape)})`,
    );
    const reply = await app.scim('scim-user', 'PATCH', `scim/v2/Users/${id}`, secret, {
      params: { id },
      body: activeBody(c.active, c.shape),
    });
    return { model: setActive(s, name, org, userName, c.active), reply };
  }
  run.script.push(`${name} DELETE ${org}'s ${userName}`);
  const reply = await app.scim('scim-user', 'DELETE', `scim/v2/Users/${id}`, secret, {
    params: { id },
  });
  if (reply.status === 204) run.ids.delete(`${org}|${userName}`);
  return { model: deleteUser(s, name, org, userName), reply };
}

/** acme and globex as every run starts: their Owners, acme's Admin, verified domains (acme's joins at once). */
async function setUp(): Promise<Run> {
  const s = await startOrganizations(app, ANN, new Map(TOKENS.map(([name, org]) => [name, org])));
  const secrets = new Map<string, { secret: string; id: string }>();
  for (const [name, org] of TOKENS) {
    const r = await app.issue(org, name);
    secrets.set(name, { secret: r.body.token as string, id: r.body.id as string });
  }
  runs++;
  const people = PEOPLE.map((p) => ({ ...p, oid: `${p.oid}-${String(runs)}` }));
  return { s, people, script: [], secrets, ids: new Map(), invitations: new Map() };
}

/** How many runs this file made (each run's people are new: {@link Run.people}). */
let runs = 0;

async function run(specs: readonly Spec[]): Promise<void> {
  const r = await setUp();
  for (const [n, c] of specs.entries()) {
    // The model's clock: each step an instant of its own (a bar's and an invitation's times ordered).
    r.s = { ...r.s, step: n + 1 };
    const step = await stepOf(r, c);
    if (!step) continue;
    const got = answerOf(step.reply);
    const want = step.model.expected;
    if (got.status !== want.status || (want.problem !== undefined && got.problem !== want.problem))
      throw new Error(
        `expected ${JSON.stringify(want)}, got ${JSON.stringify(got)} ${step.reply.text.slice(0, 300)}\n  ${r.script.join('\n  ')}`,
      );
    r.s = step.model.state;
  }
  await expectMembershipsOf(app, r.s, r.script);
}

describe('SCIM provisioning and a person’s doors against their model', () => {
  it('answers every token, user, sign-in and door as the model does, and leaves its memberships, doors and bars', async () => {
    await fc.assert(fc.asyncProperty(fc.array(spec, { minLength: 4, maxLength: 18 }), run), {
      seed: Number(process.env['ATAKORA_MODEL_SEED'] ?? 59),
      numRuns: Number(process.env['ATAKORA_MODEL_RUNS'] ?? MODEL_RUNS),
    });
  });

  it('a story: provisioned, signed in, deactivated with "False" (refused at once), reactivated, deleted', () =>
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
    ]));

  // The findings of a person's doors against every way out, each failing on the code before it (kept as regression cases):
  // seed 59, run 19 of 40, shrunk by fast-check to these four steps: the join's membership landed after SCIM's
  // deactivation looked for kim, and stayed (the Owner's later removal 204 where the model says 404).
  it('a story: a deactivation landing while a domain join is in flight leaves the person out', () =>
    run([
      { kind: 'provision', token: 0, user: 0 },
      { kind: 'remove', person: 0, self: false },
      { kind: 'race', person: 0, token: 0 },
      { kind: 'remove', person: 0, self: false },
    ]));

  // A directory user's first request racing SCIM: a directory's first request among the doors in flight.
  it("a story: a deactivation landing while a linked directory's user's first request is in flight leaves them out", () =>
    run([
      { kind: 'link', on: true },
      { kind: 'provision', token: 0, user: 0 },
      { kind: 'race', person: 0, token: 0, directory: true },
      { kind: 'request', person: 0, org: 0 },
      { kind: 'remove', person: 0, self: false },
    ]));

  it('a story: a deactivation racing the first request of a directory user SCIM never provisioned', () =>
    run([
      { kind: 'link', on: true },
      { kind: 'race', person: 1, token: 0, directory: true },
      { kind: 'request', person: 1, org: 0 },
    ]));

  it('a story: a DELETE landing while a domain join is in flight leaves the person out', () =>
    run([
      { kind: 'provision', token: 0, user: 0 },
      { kind: 'race', person: 0, token: 1, del: true },
      { kind: 'join', person: 0, org: 0 },
      { kind: 'remove', person: 0, self: false },
    ]));

  it("a story: SCIM deactivating a person not yet a member revokes the Owner's open invitation to them", () =>
    run([
      { kind: 'provision', token: 0, user: 0 },
      { kind: 'invite', by: 0, person: 0, later: true },
      { kind: 'active', token: 0, org: 0, user: 0, active: false, shape: 1 },
      { kind: 'accept', person: 0, proves: false },
      { kind: 'mine', person: 0 },
    ]));

  it('a story: an invitation sent before a removal, to an address the membership did not record, never re-admits', () =>
    run([
      { kind: 'link', on: true },
      // lee's token proves no e-mail: the directory admits them, their membership records none.
      { kind: 'request', person: 1, org: 0 },
      { kind: 'invite', by: 0, person: 1, later: true },
      { kind: 'remove', person: 1, self: false },
      // Signed in again, their token proving the invited address now.
      { kind: 'accept', person: 1, proves: true },
      { kind: 'request', person: 1, org: 0 },
    ]));

  // Entra provisions userName = the user principal name; a directory user's token may prove no e-mail at all.
  it('a story: a directory user SCIM provisioned by their user principal name — inactive, they do not join on their first request; active, they are linked, and deprovisioned', () =>
    run([
      { kind: 'link', on: true },
      { kind: 'provision', token: 0, user: 4, inactive: true },
      { kind: 'request', person: 4, org: 0 },
      { kind: 'mine', person: 4 },
      { kind: 'active', token: 0, org: 0, user: 4, active: true, shape: 0 },
      { kind: 'mine', person: 4 },
      { kind: 'active', token: 1, org: 0, user: 4, active: false, shape: 1 },
      { kind: 'request', person: 4, org: 0 },
    ]));

  // Found by the model's first-request races (left open a round): dee's token proves no e-mail, so SCIM's link of
  // her user — written before her held membership — was the only trace of her; the DELETE read the user before the
  // link, looked for nobody, and her membership landed afterwards `via: 'scim'` for a user gone (her request 200
  // where the model's two orders give 403 or a directory member).
  it('a story: a DELETE racing the first request of a user SCIM knows only by user principal name', () =>
    run([
      { kind: 'link', on: true },
      { kind: 'provision', token: 0, user: 4 },
      { kind: 'race', person: 4, token: 1, directory: true, del: true },
      { kind: 'request', person: 4, org: 0 },
    ]));

  // Found probing round 13 from outside (test/runtime/scim-directory-races.test.ts): the DELETE barred dee's userName
  // (her user principal name), but the doors read a bar by the verified e-mail only, and her token proves none — her
  // first request after the DELETE joined her through the directory (200 where the model now says 403 `not-a-member`).
  it('a story: a user SCIM knows only by user principal name, DELETEd before their first request, stays out', () =>
    run([
      { kind: 'link', on: true },
      { kind: 'provision', token: 0, user: 4 },
      { kind: 'delete', token: 0, org: 0, user: 4 },
      { kind: 'request', person: 4, org: 0 },
      { kind: 'mine', person: 4 },
      { kind: 'provision', token: 1, user: 4 },
      { kind: 'request', person: 4, org: 0 },
    ]));

  // Found probing round 13 under `atakora dev` (test/cli/dev-people-scim.test.ts): a DELETE barred the addresses its
  // user names, never its externalId — the object id a linked directory's sign-in carries. Lee's token proves no
  // e-mail and names no user principal name: his first request after the DELETE joined him through the directory
  // (200 where the model now says 403 `not-a-member`); SCIM provisioning him again lifts the bar.
  it('a story: a directory user SCIM names by externalId only, DELETEd before their first request, stays out', () =>
    run([
      { kind: 'link', on: true },
      { kind: 'provision', token: 0, user: 1, externalId: true },
      { kind: 'delete', token: 0, org: 0, user: 1 },
      { kind: 'request', person: 1, org: 0 },
      { kind: 'mine', person: 1 },
      { kind: 'provision', token: 1, user: 1, externalId: true },
      { kind: 'request', person: 1, org: 0 },
    ]));

  // The same bar lifted by an Owner's invitation that admits her (its UPN-keyed half too): having left, she is no
  // barred person, and the directory admits her again (shown failing with the lift by her e-mail only: 403).
  it("a story: an Owner's invitation lifts the bar a DELETE left on a user principal name; having left, the directory admits them", () =>
    run([
      { kind: 'link', on: true },
      { kind: 'provision', token: 0, user: 4 },
      { kind: 'delete', token: 0, org: 0, user: 4 },
      { kind: 'invite', by: 0, person: 4, later: true },
      { kind: 'accept', person: 4, proves: true },
      { kind: 'remove', person: 4, self: true },
      { kind: 'request', person: 4, org: 0 },
      { kind: 'mine', person: 4 },
    ]));
});
