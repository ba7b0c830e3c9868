/**
 * An organization's deletion against its directory's and SCIM's first requests (src/access/model/scim-organizations.ts
 * beside scim-people.ts and scim-provisioning.ts): acme's Owner deletes it (its erase date `deleteAfterDays: 2`
 * ahead) and undeletes it, days pass on the run's clock, acme's directory is linked and unlinked, SCIM provisions,
 * deactivates and re-activates users — interleaved with people's doors (a first request, `GET api/me/tenants`, a
 * domain join) sent to either of **two instances** of the backend (one data, a registry cache, membership cache and
 * join-miss memory each, all on the run's clock), and a door **racing** the Owner's delete (or undelete): the door's
 * membership write held at the server until the delete has been answered, the door sent to the second instance
 * whose registry cache may still hold the organization as active (read just before, `warm`). Every answer, each
 * race's two answers judged against both orders (the one whose membership of the person is stored kept), and after
 * the run the memberships, their doors, the bars and the registry record must be the model's: no membership is
 * written into a deleted organization, the person is refused as the model says, and after the undelete every door
 * admits as before. Between steps the clock passes the caches' 30 s bound (DESIGN §2: a change holds on every
 * instance within it), never waited for.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type ModelPerson,
  provisionUser,
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
  requestAs,
} from '../../src/access/model/scim-people.js';
import {
  deleteOrganization,
  undeleteOrganization,
} from '../../src/access/model/scim-organizations.js';
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

const DAY_MS = 86_400_000;
const DELETE_AFTER_DAYS = 2;
/** Past the registry's and the membership cache's 30 s bound: every instance reads what the others wrote. */
const CACHE_BOUND_MS = 31_000;
/** acme's Admin (its Owner: ADA), whose request warms an instance's caches. */
const ANN: ModelPerson = { oid: 'ann', email: 'ann@mail.example', verified: false, tid: 'ann-dir' };
/** kim: a verified e-mail on acme's domain; lee: her directory only; dee: her user principal name only. */
const PEOPLE: readonly ModelPerson[] = [
  { oid: 'kim', email: `kim@${DOMAINS.acme}`, verified: true, tid: HOME },
  { oid: 'lee', email: `lee@${DOMAINS.acme}`, verified: false, tid: HOME },
  {
    oid: 'dee',
    email: 'dee@mail.example',
    verified: false,
    tid: HOME,
    upn: 'dee@home-dir.example',
  },
];
const USER_NAMES = PEOPLE.map((p) => p.upn ?? p.email);
/** A first request, `GET api/me/tenants`, a domain join, an acceptance of acme's invitation (e-mail proven). */
const DOORS = ['request', 'mine', 'join', 'accept'] as const;
type Door = (typeof DOORS)[number];

type Spec =
  | { kind: 'link'; on: boolean }
  | { kind: 'provision'; user: number; externalId: boolean; inactive: boolean }
  | { kind: 'active'; user: number; active: boolean }
  /** A person's door on instance `on` (0: the one the Owner and SCIM use, 1: the other). */
  | { kind: 'door'; door: number; person: number; on: number }
  /** acme's Owner invites the person (accepted later: the door `accept`). */
  | { kind: 'invite'; person: number }
  | { kind: 'delete' }
  | { kind: 'undelete' }
  | { kind: 'day' }
  /**
   * The person's door on the second instance (its caches warmed by Ann's request just before: `warm`) in flight
   * while the Owner deletes acme (`exit` 0) or undeletes it (1) on the first — the door's membership write held until
   * the Owner's request has been answered — or (`after`) sent just after it, within the caches' bound.
   */
  | { kind: 'race'; door: number; person: number; exit: number; warm: boolean; after: boolean };

const i = (n: number) => fc.integer({ min: 0, max: n - 1 });
const spec: fc.Arbitrary<Spec> = fc.oneof(
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('link' as const), on: fc.boolean() }) },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('provision' as const),
      user: i(PEOPLE.length),
      externalId: fc.boolean(),
      inactive: fc.oneof(
        { weight: 4, arbitrary: fc.constant(false) },
        { weight: 1, arbitrary: fc.constant(true) },
      ),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('active' as const),
      user: i(PEOPLE.length),
      active: fc.boolean(),
    }),
  },
  {
    weight: 3,
    arbitrary: fc.record({
      kind: fc.constant('door' as const),
      door: i(DOORS.length),
      person: i(PEOPLE.length),
      on: i(2),
    }),
  },
  {
    weight: 3,
    arbitrary: fc.record({ kind: fc.constant('invite' as const), person: i(PEOPLE.length) }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('delete' as const) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('undelete' as const) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('day' as const) }) },
  {
    weight: 6,
    arbitrary: fc.record({
      kind: fc.constant('race' as const),
      door: i(DOORS.length),
      person: i(PEOPLE.length),
      exit: i(2),
      // Mostly warmed: the second instance's caches holding acme as it was is what the race is about.
      warm: fc.oneof(
        { weight: 3, arbitrary: fc.constant(true) },
        { weight: 1, arbitrary: fc.constant(false) },
      ),
      after: fc.boolean(),
    }),
  },
);

const clock = { now: Date.parse('2026-06-01T12:00:00.000Z') };
let cosmos: LocalCosmos;
/** The two instances: `apps[0]` serves the Owner and SCIM, `apps[1]` only people's doors. */
let apps: [ScimApp, ScimApp];
beforeAll(async () => {
  cosmos = await startLocalCosmos({ plain: true });
  const auth = directoryPolicy({ deleteAfterDays: DELETE_AFTER_DAYS });
  const instance = (id: string) =>
    scimApp(cosmos, auth, {
      tenantRegistry: { now: () => clock.now },
      usageLedger: { instance: id, now: () => clock.now, flushIntervalMs: 0 },
    });
  apps = [await instance('i-a'), await instance('i-b')];
});
afterAll(async () => {
  await cosmos?.stop();
});

/** What a door answered, as one string (`GET api/me/tenants` with the organizations it listed). */
type Answer = string;
const answerOf = (r: Reply, door?: Door): Answer => {
  if (door === 'mine') {
    const ids = ((r.body?.items as { id: string }[] | undefined) ?? []).map((t) => t.id).sort();
    return `${String(r.status)} ${JSON.stringify(ids)}`;
  }
  const type = problemOf(r) ?? '';
  return `${String(r.status)}${r.status >= 400 && type ? ` ${type}` : ''}`;
};
const expectedOf = (step: Step): Answer =>
  `${String(step.expected.status)}${step.expected.problem ? ` ${step.expected.problem}` : ''}`;

interface Run {
  s: ScimModelState;
  readonly people: readonly ModelPerson[];
  readonly script: string[];
  readonly secret: string;
  /** The SCIM id of each provisioned user, by userName. */
  readonly ids: Map<string, string>;
  /** The token of the last invitation acme sent to each address this run. */
  readonly invitations: Map<string, string>;
}

/**
 * A person's door on `app`: the request, and the model's answer and state from any state. `accept`: the last
 * invitation acme sent to their address this run (none: a token no invitation has, 410), signed in with a token
 * that proves their e-mail.
 */
function doorOf(
  app: ScimApp,
  door: Door,
  who: ModelPerson,
  run: Run,
): {
  send: () => Promise<Reply>;
  model: (s: ScimModelState) => { answer: Answer; state: ScimModelState };
} {
  if (door === 'mine')
    return {
      send: () => app.call('membership-me-tenants', 'GET', 'me/tenants', { headers: as(who) }),
      model: (s) => {
        const out = mine(s, who, ORGS);
        return { answer: `200 ${JSON.stringify(out.orgs)}`, state: out.state };
      },
    };
  if (door === 'accept') {
    const proven = { ...who, verified: true };
    const token = run.invitations.get(who.email.toLowerCase()) ?? 'none';
    return {
      send: () =>
        app.call('membership-accept', 'POST', 'invitations/accept', {
          headers: as(proven),
          body: { token },
        }),
      model: (s) => {
        const step = accept(s, proven, 'acme');
        return { answer: expectedOf(step), state: step.state };
      },
    };
  }
  if (door === 'join')
    return {
      send: () =>
        app.call('membership-tenant-join', 'POST', 'tenants/acme/join', {
          headers: as(who),
          params: { id: 'acme' },
        }),
      model: (s) => {
        const step = joinByDomain(s, who, 'acme');
        return { answer: expectedOf(step), state: step.state };
      },
    };
  return {
    send: () => app.call('tenant-self', 'GET', 'tenant', { headers: { ...as(who), ...inAcme } }),
    model: (s) => {
      const step = requestAs(s, who, 'acme');
      return { answer: expectedOf(step), state: step.state };
    },
  };
}

/** The Owner's delete (or undelete) of acme on the first instance, and its model. */
function exitOf(exit: number): { send: () => Promise<Reply>; model: (s: ScimModelState) => Step } {
  if (exit === 0)
    return {
      send: () =>
        apps[0].call('tenant-self', 'DELETE', 'tenant', { headers: { ...person(ADA), ...inAcme } }),
      model: (s) => deleteOrganization(s, ADA, 'acme', clock.now, DELETE_AFTER_DAYS),
    };
  return {
    send: () =>
      apps[0].call('membership-tenant-undelete', 'POST', 'tenant/undelete', {
        headers: { ...person(ADA), ...inAcme },
      }),
    model: (s) => undeleteOrganization(s, ADA, 'acme', clock.now),
  };
}

/** One step that is no race: its answer and the model's (undefined: nothing sent). */
async function stepOf(run: Run, c: Spec): Promise<{ got: Answer; want: Answer } | undefined> {
  const s = run.s;
  const who = run.people[('person' in c ? c.person : 0) % run.people.length]!;
  const settle = (reply: Reply, step: Step, door?: Door) => {
    run.s = step.state;
    return { got: answerOf(reply, door), want: expectedOf(step) };
  };
  if (c.kind === 'day') {
    clock.now += DAY_MS;
    run.script.push('a day passes');
    return undefined;
  }
  if (c.kind === 'delete' || c.kind === 'undelete') {
    run.script.push(`${ADA} ${c.kind}s acme`);
    const exit = exitOf(c.kind === 'delete' ? 0 : 1);
    return settle(await exit.send(), exit.model(s));
  }
  if (c.kind === 'link') {
    run.script.push(`${ADA} ${c.on ? 'links' : 'unlinks'} acme's directory`);
    const reply = await linkRequest(apps[0], c.on);
    return settle(reply, linkDirectory(s, 'acme', c.on ? HOME : undefined));
  }
  if (c.kind === 'door') {
    const door = DOORS[c.door] ?? 'request';
    run.script.push(`${who.oid} ${door} on instance ${String(c.on)}`);
    const d = doorOf(apps[c.on === 0 ? 0 : 1], door, who, run);
    const reply = await d.send();
    const out = d.model(s);
    run.s = out.state;
    return { got: answerOf(reply, door), want: out.answer };
  }
  if (c.kind === 'race') return raced(run, who, c);
  if (c.kind === 'invite') return invited(run, who);
  return scimStep(run, c);
}

/** acme's Owner invites `who` (on the first instance); the token the answer carries kept for their `accept`. */
async function invited(run: Run, who: ModelPerson): Promise<{ got: Answer; want: Answer }> {
  run.script.push(`${ADA} invites ${who.oid}`);
  const model = invite(run.s, ADA, 'acme', who);
  const reply = await apps[0].call('membership-invitations', 'POST', 'tenant/invitations', {
    headers: { ...person(ADA), ...inAcme },
    body: { email: who.email, roles: ['Member'] },
  });
  if (reply.status === 201) {
    const token = new URL(String(reply.body.acceptUrl)).searchParams.get('invitation') ?? '';
    run.invitations.set(who.email.toLowerCase(), token);
  }
  run.s = model.state;
  return { got: answerOf(reply), want: expectedOf(model) };
}

/** SCIM (acme's token, on the first instance): a user provisioned, or made active or inactive. */
async function scimStep(
  run: Run,
  c: Extract<Spec, { kind: 'provision' | 'active' }>,
): Promise<{ got: Answer; want: Answer }> {
  const userName = USER_NAMES[c.user] ?? '';
  const app = apps[0];
  if (c.kind === 'provision') {
    const externalId = c.externalId ? run.people[c.user]?.oid : undefined;
    const active = !c.inactive;
    run.script.push(
      `SCIM POST Users ${userName}${externalId ? ' (externalId)' : ''}${active ? '' : ' inactive'}`,
    );
    const model = provisionUser(run.s, 'acme-1', userName, {
      ...(externalId !== undefined ? { externalId } : {}),
      active,
    });
    const reply = await app.scim('scim-users', 'POST', 'scim/v2/Users', run.secret, {
      body: { userName, ...(externalId !== undefined ? { externalId } : {}), active },
    });
    if (reply.status === 201) run.ids.set(userName, reply.body.id as string);
    run.s = model.state;
    return { got: answerOf(reply), want: expectedOf(model) };
  }
  const id = run.ids.get(userName) ?? '00000000-0000-0000-0000-000000000000';
  run.script.push(`SCIM PATCH ${userName} active ${String(c.active)}`);
  const reply = await app.scim('scim-user', 'PATCH', `scim/v2/Users/${id}`, run.secret, {
    params: { id },
    body: {
      schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'],
      Operations: [{ op: 'replace', path: 'active', value: c.active }],
    },
  });
  const model = setActive(run.s, 'acme-1', 'acme', userName, c.active);
  run.s = model.state;
  return { got: answerOf(reply), want: expectedOf(model) };
}

/**
 * The door on the second instance racing the Owner's delete or undelete on the first. In flight: its membership
 * write held at the server until the Owner's request is answered (a door that writes nothing runs first) — both
 * answers must be those of one order. `after`: the door sent once the Owner's request was answered, to an instance
 * whose caches may still hold acme as it was (`warm`): after an undelete either order's (the change reaches it
 * within the bound), after a delete only the delete's — no membership is written into a deleted organization, and
 * only a member already may still be answered as before (their request within the bound). The state of the order
 * kept — the one whose membership of the person is the stored one — is the run's from then on.
 */
async function raced(
  run: Run,
  who: ModelPerson,
  c: Extract<Spec, { kind: 'race' }>,
): Promise<{ got: Answer; want: Answer }> {
  const s = run.s;
  const door = DOORS[c.door] ?? 'request';
  const d = doorOf(apps[1], door, who, run);
  const exit = exitOf(c.exit);
  run.script.push(
    `${who.oid} ${door} on instance 1${c.warm ? ' (its caches warmed)' : ''} ${c.after ? 'just after' : 'while'} ${ADA} ${c.exit === 0 ? 'deletes' : 'undeletes'} acme`,
  );
  const warmed = c.warm
    ? await apps[1].call('tenant-self', 'GET', 'tenant', { headers: { ...as(ANN), ...inAcme } })
    : undefined;
  const ann = expectedOf(requestAs(s, ANN, 'acme'));
  if (warmed && answerOf(warmed) !== ann)
    return { got: `ann ${answerOf(warmed)}`, want: `ann ${ann}` };
  let exited: Reply | undefined;
  let reply: Reply;
  if (c.after) {
    exited = await exit.send();
    reply = await d.send();
  } else {
    const held = holdNextMemberCreate(cosmos, 'acme', async () => {
      exited = await exit.send();
    });
    reply = await d.send();
    held.release();
    if (held.count === 0) exited = await exit.send();
  }
  const got = `${answerOf(reply, door)} | ${answerOf(exited ?? reply)}`;
  const doorFirst = (() => {
    const first = d.model(s);
    const then = exit.model(first.state);
    return { answer: `${first.answer} | ${expectedOf(then)}`, state: then.state };
  })();
  const exitFirst = (() => {
    const first = exit.model(s);
    const then = d.model(first.state);
    return { answer: `${then.answer} | ${expectedOf(first)}`, state: then.state };
  })();
  const member = s.members.get('acme')?.has(who.oid) === true;
  if (process.env['ATAKORA_MODEL_STATS'])
    console.log(
      `race ${c.after ? 'after' : 'during'} ${c.warm ? 'warm' : 'cold'} ${c.exit === 0 ? 'delete' : 'undelete'} ${door} ${member ? 'member' : 'outsider'} ${s.deleted?.has('acme') ? 'deleted' : 'active'} ${s.directories?.has('acme') ? 'linked' : 'unlinked'}: ${got}`,
    );
  const orders =
    c.after && c.exit === 0 && !(member && c.warm) ? [exitFirst] : [doorFirst, exitFirst];
  return judged(run, who, got, orders);
}

/**
 * The order whose answers are `got` and whose membership of `who` in acme is the stored one: its state kept, or
 * the orders' answers as the expectation that fails.
 */
async function judged(
  run: Run,
  who: ModelPerson,
  got: Answer,
  orders: readonly { answer: Answer; state: ScimModelState }[],
): Promise<{ got: Answer; want: Answer }> {
  const stored =
    (await apps[0].members.item(`acme|${who.oid}`, 'acme').read()).resource !== undefined;
  const order = orders.find(
    (o) => o.answer === got && (o.state.members.get('acme')?.has(who.oid) ?? false) === stored,
  );
  run.s = (order ?? orders[0]!).state;
  const shown = orders
    .map(
      (o) =>
        `${o.answer} (${o.state.members.get('acme')?.has(who.oid) ? 'a member' : 'no member'})`,
    )
    .join(' or ');
  return order
    ? { got, want: got }
    : { got: `${got} (${stored ? 'a member' : 'no member'})`, want: shown };
}

/** acme and globex as every run starts (their Owners, acme's Admin, acme's domain joining at once), a SCIM token. */
async function setUp(): Promise<Run> {
  clock.now += CACHE_BOUND_MS;
  const app = apps[0];
  const s = await startOrganizations(app, ANN.oid, new Map([['acme-1', 'acme']]));
  const issued = await app.issue('acme', 'acme-1');
  runs++;
  const people = PEOPLE.map((p) => ({ ...p, oid: `${p.oid}-${String(runs)}` }));
  return {
    s,
    people,
    script: [],
    secret: issued.body.token as string,
    ids: new Map(),
    invitations: new Map(),
  };
}

/** How many runs this file made (each run's people are new: nothing an instance keeps between runs is theirs). */
let runs = 0;

/** After a run: the memberships with their doors, the bars, and acme's record — the model's. */
async function checkStored(r: Run): Promise<void> {
  await expectMembershipsOf(apps[0], r.s, r.script);
  const script = `\n  ${r.script.join('\n  ')}`;
  const record = (await apps[0].tenants.item('acme', 'acme').read()).resource as {
    status: string;
    deleteOn?: string;
  };
  const deleteOn = r.s.deleted?.get('acme');
  expect({ status: record.status, deleteOn: record.deleteOn }, `acme's record${script}`).toEqual(
    deleteOn === undefined
      ? { status: 'active', deleteOn: undefined }
      : { status: 'suspended', deleteOn: new Date(deleteOn).toISOString() },
  );
}

async function run(specs: readonly Spec[]): Promise<void> {
  const r = await setUp();
  for (const [n, c] of specs.entries()) {
    r.s = { ...r.s, step: n + 1 };
    const step = await stepOf(r, c);
    // Every instance reads what the others wrote before the next step (the caches' bound on the run's clock).
    clock.now += CACHE_BOUND_MS;
    if (step && step.got !== step.want)
      throw new Error(`expected ${step.want}, got ${step.got}\n  ${r.script.join('\n  ')}`);
  }
  await checkStored(r);
}

describe("an organization's deletion against its directory's and SCIM's first requests", () => {
  it('answers every door, race, delete and undelete as the model does, on either instance', async () => {
    // Every run starts with acme's directory linked (a later step may unlink it): its users' first requests are
    // what the deletion races.
    const linkedFirst = fc
      .array(spec, { minLength: 4, maxLength: 14 })
      .map((specs): Spec[] => [{ kind: 'link', on: true }, ...specs]);
    await fc.assert(fc.asyncProperty(linkedFirst, run), {
      seed: Number(process.env['ATAKORA_MODEL_SEED'] ?? 59),
      numRuns: Number(process.env['ATAKORA_MODEL_RUNS'] ?? MODEL_RUNS),
    });
  });

  it("a story: a linked directory's user's first request just after the delete, on an instance that still holds the organization active, joins nothing, and joins after the undelete", () =>
    run([
      { kind: 'link', on: true },
      { kind: 'race', door: 0, person: 1, exit: 0, warm: true, after: true },
      { kind: 'door', door: 0, person: 1, on: 1 },
      { kind: 'undelete' },
      { kind: 'door', door: 0, person: 1, on: 1 },
    ]));

  it("a story: a linked directory's user's first request in flight while the delete lands ends in one order", () =>
    run([
      { kind: 'link', on: true },
      { kind: 'race', door: 0, person: 1, exit: 0, warm: true, after: false },
      { kind: 'door', door: 0, person: 1, on: 1 },
      { kind: 'undelete' },
      { kind: 'door', door: 0, person: 1, on: 1 },
    ]));

  it("a story: a SCIM user's first request just after the delete joins nothing; linked, they join after the undelete", () =>
    run([
      { kind: 'provision', user: 0, externalId: false, inactive: false },
      { kind: 'race', door: 0, person: 0, exit: 0, warm: true, after: true },
      { kind: 'door', door: 1, person: 0, on: 1 },
      { kind: 'undelete' },
      { kind: 'door', door: 1, person: 0, on: 1 },
    ]));

  it('a story: an acceptance the delete refused in flight leaves its invitation open, as the delete first would', () =>
    run([
      { kind: 'invite', person: 0 },
      { kind: 'race', door: 3, person: 0, exit: 0, warm: false, after: false },
      { kind: 'undelete' },
      { kind: 'invite', person: 0 },
    ]));

  it('a story: an acceptance the delete refused in flight never admits the person SCIM deprovisioned after the undelete', () =>
    run([
      { kind: 'invite', person: 0 },
      { kind: 'race', door: 3, person: 0, exit: 0, warm: true, after: false },
      { kind: 'undelete' },
      { kind: 'provision', user: 0, externalId: false, inactive: true },
      { kind: 'door', door: 3, person: 0, on: 0 },
      { kind: 'door', door: 0, person: 0, on: 0 },
    ]));

  it('a story: a member of a deleted organization is refused, and past its erase date the undelete is final', () =>
    run([
      { kind: 'link', on: true },
      { kind: 'door', door: 0, person: 2, on: 0 },
      { kind: 'delete' },
      { kind: 'door', door: 0, person: 2, on: 1 },
      { kind: 'race', door: 2, person: 0, exit: 1, warm: false, after: false },
      { kind: 'delete' },
      { kind: 'day' },
      { kind: 'day' },
      { kind: 'undelete' },
      { kind: 'door', door: 1, person: 1, on: 1 },
    ]));
});
