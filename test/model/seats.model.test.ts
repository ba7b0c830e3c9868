/**
 * The model-based test of seats and items (DESIGN §2, "Plans that package the product": `plans.<n>.members` counted
 * over every door that admits a person, `plans.<n>.items` per CrudApi, never passed under concurrency; a downgrade
 * deletes nothing). Each run makes an organization on random plans — seats and items bounded or not — with a linked
 * directory, verified domains (`auto`, `request`) and a SCIM token (seats-app.ts), then random steps against the real
 * runtime on the local Cosmos DB server (seats-commands.ts): invitations made and accepted, domain joins (at once and
 * by request, an Owner approving), a linked directory's first request, SCIM provisioning, a provisioned user's first
 * request, SCIM deprovisioning and re-activation, an Owner removing a member, the operator moving the organization to
 * another plan, several admissions at once into the last seats, and notes created (alone or several at once) and
 * deleted. src/access/model/plan-seats.ts predicts each answer (status, problem type, `limit`, `plans`, `checkout`,
 * `crudApi`); after every step the stored memberships, the notes, the counts in the usage container and `GET
 * api/tenant`'s `limits`, `counts` and `over` must be the model's.
 *
 * `ATAKORA_SEATS_SEED=<n>` replays a seed, `ATAKORA_MODEL_RUNS=<n>` runs more (default: test/model/budget.ts).
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, it } from 'vitest';
import {
  atOnce,
  type BoundAnswer,
  type CountedOrganization,
  type CountedPlans,
  itemCreate,
  itemDeleted,
  SEAT_DOORS,
  type SeatDoor,
  seatDoor,
  seatGiven,
  tenantBounds,
} from '../../src/access/model/plan-seats.js';
import type { Reply } from '../runtime/support/http.js';
import { type LocalCosmos, startLocalCosmos } from '../runtime/support/local-cosmos.js';
import { MODEL_RUNS } from './budget.js';
import { CHECKOUT, CRUD_API, type SeatsApp, seatsApp } from './seats-app.js';
import {
  ADMITTING,
  type Attempt,
  attemptOf,
  deprovisioning,
  type People,
  removal,
  type SeatStep,
} from './seats-commands.js';

const SEED = Number(process.env.ATAKORA_SEATS_SEED ?? 59);
// A third of the budget (at least 4), as a focused backend's: each run is a fresh organization (a registered app, its
// directory, domains and SCIM token) and up to 16 doors each compared in full — seconds a run on the local server.
const RUNS = Number(process.env.ATAKORA_MODEL_RUNS ?? Math.max(4, Math.round(MODEL_RUNS / 3)));
const NAMES = ['p0', 'p1', 'p2'] as const;

const doors = Object.keys(SEAT_DOORS) as SeatDoor[];
const planArb = fc.record(
  {
    members: fc.integer({ min: 1, max: 4 }),
    items: fc.record({ [CRUD_API]: fc.integer({ min: 1, max: 3 }) }),
  },
  { requiredKeys: [] },
);
const stepArb: fc.Arbitrary<SeatStep> = fc.oneof(
  {
    weight: 12,
    arbitrary: fc.constantFrom(...doors).map((door) => ({ kind: 'door' as const, door })),
  },
  {
    weight: 3,
    arbitrary: fc
      .array(fc.constantFrom(...ADMITTING), { minLength: 2, maxLength: 5 })
      .map((d) => ({ kind: 'at-once' as const, doors: d })),
  },
  {
    weight: 2,
    arbitrary: fc.constantFrom('remove', 'deprovision', 'delete').map((kind) => ({ kind })),
  },
  {
    weight: 2,
    arbitrary: fc.nat(NAMES.length - 1).map((plan) => ({ kind: 'move' as const, plan })),
  },
  {
    weight: 3,
    arbitrary: fc.integer({ min: 1, max: 5 }).map((n) => ({ kind: 'create' as const, n })),
  },
);
const runArb = fc.record({
  plans: fc.array(planArb, { minLength: NAMES.length, maxLength: NAMES.length }),
  plan: fc.nat(NAMES.length - 1),
  steps: fc.array(stepArb, { minLength: 4, maxLength: 16 }),
});

let cosmos: LocalCosmos;
let runs = 0;
const clock = { now: Date.parse('2026-03-02T10:00:00.000Z') };
beforeAll(async () => {
  cosmos = await startLocalCosmos({ plain: true });
});
afterAll(async () => {
  await cosmos?.stop();
  if (process.env.ATAKORA_MODEL_STATS)
    console.log(
      [...tally]
        .sort()
        .map(([k, n]) => `${k}: ${n}`)
        .join('\n'),
    );
});

/** How often each door got each status (`ATAKORA_MODEL_STATS=1` prints it): a run of refusals finds little. */
const tally = new Map<string, number>();
const count = (what: string, reply: Reply) => {
  const key = `${what} ${reply.status}`;
  tally.set(key, (tally.get(key) ?? 0) + 1);
};

const code = (r: Reply) => String(r.body?.type ?? '').replace('urn:atakora:problem:', '');
const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/** What differs between a reply and the model's answer (`plansMay`: the lists a refusal at once may name). */
function difference(
  reply: Reply,
  expected: BoundAnswer,
  scim: boolean,
  plansMay?: readonly (readonly string[])[],
): string | undefined {
  const got = `${reply.status} ${code(reply)} ${reply.text.slice(0, 300)}`;
  if (expected.kind === 'served')
    return reply.status === expected.status ? undefined : `expected ${expected.status}, got ${got}`;
  if (expected.kind === 'refused')
    return reply.status === expected.status && code(reply) === expected.problem
      ? undefined
      : `expected ${expected.status} ${expected.problem}, got ${got}`;
  const want = `402 ${expected.kind} limit ${expected.limit} plans [${expected.plans.join(', ')}]${
    expected.checkout ? ` checkout ${expected.checkout}` : ''
  }`;
  if (scim)
    return reply.status === 402 && String(reply.body?.detail).endsWith(`(${expected.kind})`)
      ? undefined
      : `expected a SCIM ${want}, got ${got}`;
  const b = reply.body ?? {};
  const plansOk = plansMay ? plansMay.some((p) => same(p, b.plans)) : same(b.plans, expected.plans);
  const ok =
    reply.status === 402 &&
    code(reply) === expected.kind &&
    b.limit === expected.limit &&
    plansOk &&
    b.checkout === expected.checkout &&
    b.crudApi === expected.crudApi;
  return ok ? undefined : `expected ${want}, got ${got}`;
}

interface Run {
  readonly app: SeatsApp;
  readonly plans: CountedPlans;
  org: CountedOrganization;
  readonly people: People;
  readonly script: string[];
}

/** After a step: the stored memberships, notes and counts, and `GET api/tenant`, against the model. */
async function compare(run: Run, fail: (wrong: string) => never): Promise<void> {
  const { app, plans, org, people } = run;
  const seats = Object.values(plans).some((p) => p.members !== undefined);
  const items = Object.values(plans).some((p) => p.items?.[CRUD_API] !== undefined);
  const stored = await app.members();
  if (!same(stored, [...people.members].sort()))
    fail(
      `members stored ${JSON.stringify(stored)}, the model's ${JSON.stringify([...people.members].sort())}`,
    );
  const notes = await app.notes();
  if (notes.length !== people.notes.length)
    fail(`${notes.length} notes stored, the model's ${people.notes.length}`);
  const seatCount = await app.room('room|members');
  if (seats && seatCount !== org.members)
    fail(`the seat count is ${seatCount}, the model's ${org.members}`);
  const itemCount = (await app.room(`room|items|${CRUD_API}`)) ?? 0;
  if (items && itemCount !== people.notes.length)
    fail(`the item count is ${itemCount}, the model's ${people.notes.length}`);
  const shown = await app.asOwner('tenant-self', 'GET', 'tenant');
  const want = tenantBounds(org, plans, items ? [CRUD_API] : []);
  const b = shown.body ?? {};
  const limitsOk =
    same(b.limits?.members, want.limits.members) && same(b.limits?.items, want.limits.items);
  const countsOk =
    !seats && !items
      ? b.counts === undefined && b.over === undefined
      : same(b.counts, { ...(seats ? { members: org.members } : {}), items: want.counts.items }) &&
        same(b.over, want.over);
  if (shown.status !== 200 || !limitsOk || !countsOk)
    fail(
      `GET api/tenant: expected ${JSON.stringify(want)}, got ${shown.status} ${shown.text.slice(0, 400)}`,
    );
}

/** One door alone: the model's answer, the reply, and the run moved by what was served. */
async function oneDoor(run: Run, a: Attempt, fail: (wrong: string) => never): Promise<void> {
  run.script.push(a.label);
  const { answer, next } = seatDoor(
    a.door,
    run.org,
    run.plans,
    a.owner ? { checkout: CHECKOUT } : {},
  );
  const reply = await a.send();
  count(a.door, reply);
  const wrong = difference(reply, answer, a.scim);
  if (wrong) fail(`${a.label}: ${wrong}`);
  if (answer.kind === 'served') a.served(reply);
  else a.refused();
  run.org = next;
}

/** Several admissions at once: exactly the seats left served, each refusal a 402 as one at a time would be. */
async function admittedAtOnce(
  run: Run,
  attempts: readonly Attempt[],
  fail: (wrong: string) => never,
) {
  run.script.push(`at once: ${attempts.map((a) => a.label).join(' | ')}`);
  const { served, refusedPlans } = atOnce(attempts.length, run.org, run.plans, { kind: 'seats' });
  const replies = await Promise.all(attempts.map((a) => a.send()));
  const bound = run.plans[run.org.plan]?.members ?? 0;
  let n = 0;
  for (const [i, a] of attempts.entries()) {
    const reply = replies[i]!;
    count(`${a.door} at once`, reply);
    const ok = reply.status === SEAT_DOORS[a.door].status;
    const refusal: BoundAnswer = {
      kind: 'seat-limit',
      limit: bound,
      plans: refusedPlans[0] ?? [],
      ...(a.owner ? { checkout: CHECKOUT } : {}),
    };
    const wrong = ok ? undefined : difference(reply, refusal, a.scim, refusedPlans);
    if (wrong) fail(`${a.label}: ${wrong}`);
    if (ok) {
      n++;
      a.served(reply);
    } else a.refused();
  }
  if (n !== served) fail(`${n} of ${attempts.length} admitted at once, the model's ${served}`);
  run.org = { ...run.org, members: run.org.members + n };
}

/** `n` creates at once (1: alone): exactly the room left served, each refusal a 402 `item-limit`. */
async function creates(run: Run, n: number, fail: (wrong: string) => never): Promise<void> {
  run.script.push(`owner creates ${n} note(s) at once`);
  const { served, refusedPlans } = atOnce(n, run.org, run.plans, {
    kind: 'items',
    crudApi: CRUD_API,
  });
  const bound = run.plans[run.org.plan]?.items?.[CRUD_API];
  const refusal: BoundAnswer =
    bound === undefined
      ? { kind: 'served', status: 201 }
      : {
          kind: 'item-limit',
          limit: bound,
          plans: refusedPlans[0] ?? [],
          checkout: CHECKOUT,
          crudApi: CRUD_API,
        };
  const replies = await Promise.all(
    Array.from({ length: n }, (_, i) =>
      run.app.asOwner(`${CRUD_API}-collection`, 'POST', 'notes', { body: { title: `t${i}` } }),
    ),
  );
  let made = 0;
  for (const reply of replies) {
    if (reply.status === 201) {
      made++;
      run.people.notes.push(String(reply.body?.id));
      run.org = itemCreate(CRUD_API, run.org, run.plans, {}).next;
      continue;
    }
    const wrong = difference(reply, refusal, false, refusedPlans);
    if (wrong) fail(`create: ${wrong}`);
  }
  if (made !== served) fail(`${made} of ${n} notes created at once, the model's ${served}`);
}

/** The door that makes another's precondition: an invitation to accept, a request to approve, a user to sign in. */
const MAKES: Partial<Record<SeatDoor, SeatDoor>> = {
  accept: 'invite',
  approve: 'request-join',
  'request-again': 'request-join',
  'invite-pending': 'request-join',
  'approve-member': 'invite-pending',
  'accept-member': 'approve',
  'scim-create-member': 'auto-join',
  'scim-sign-in': 'scim-create',
  'scim-reactivate': 'scim-sign-in',
};

async function step(run: Run, s: SeatStep, fail: (wrong: string) => never): Promise<void> {
  const { app, people } = run;
  if (s.kind === 'door') {
    // A door whose precondition is not held yet opens the door that makes it (a run of skips finds little).
    const a = attemptOf(app, people, s.door) ?? attemptOf(app, people, MAKES[s.door] ?? s.door);
    if (a) await oneDoor(run, a, fail);
  } else if (s.kind === 'at-once') {
    const attempts: Attempt[] = [];
    for (const d of s.doors) {
      const a = attemptOf(app, people, d);
      // One door a person at once: a second (their invitation beside their request) is put back, not tried.
      if (a?.person !== undefined && attempts.some((b) => b.person === a.person)) a.refused();
      else if (a) attempts.push(a);
    }
    if (attempts.length > 0) await admittedAtOnce(run, attempts, fail);
  } else if (s.kind === 'remove' || s.kind === 'deprovision') {
    const gone = s.kind === 'remove' ? removal(app, people) : deprovisioning(app, people);
    if (!gone) return;
    run.script.push(gone.label);
    const reply = await gone.send();
    const want = s.kind === 'remove' ? 204 : 200;
    if (reply.status !== want)
      fail(`${gone.label}: expected ${want}, got ${reply.status} ${reply.text.slice(0, 300)}`);
    gone.done();
    run.org = seatGiven(run.org);
  } else if (s.kind === 'move') {
    run.script.push(`operator moves the organization to ${NAMES[s.plan]}`);
    await app.moveTo(NAMES[s.plan]!);
    run.org = { ...run.org, plan: NAMES[s.plan]! };
  } else if (s.kind === 'create') await creates(run, s.n, fail);
  else {
    const id = people.notes.shift();
    if (id === undefined) return;
    run.script.push(`owner deletes note ${id}`);
    const reply = await app.asOwner(`${CRUD_API}-item`, 'DELETE', `notes/${id}`, {
      params: { id },
    });
    if (reply.status !== 204) fail(`delete ${id}: expected 204, got ${reply.status} ${reply.text}`);
    run.org = itemDeleted(CRUD_API, run.org);
  }
}

/**
 * One run: an organization on `plans[plan]` (its creator its one member) and `steps`, the model beside the runtime.
 */
async function runModel(
  plans: readonly CountedPlans[string][],
  plan: number,
  steps: readonly SeatStep[],
): Promise<void> {
  const r = `s${String(++runs).padStart(4, '0')}`;
  const named: CountedPlans = Object.fromEntries(NAMES.map((n, i) => [n, plans[i] ?? {}]));
  const app = await seatsApp(cosmos, r, named, NAMES, NAMES[plan]!, clock);
  const run: Run = {
    app,
    plans: named,
    org: { plan: NAMES[plan]!, members: 1, items: {} },
    people: {
      members: [app.owner],
      invitations: [],
      pending: [],
      provisioned: [],
      scimMembers: [],
      inactive: [],
      autoJoined: [],
      notes: [],
      next: 0,
    },
    script: [],
  };
  const fail = (wrong: string): never => {
    throw new Error(
      `${wrong}\nplans: ${JSON.stringify(named)} on ${NAMES[plan]}\nscript:\n  ${run.script.join('\n  ')}`,
    );
  };
  await compare(run, fail);
  for (const s of steps) {
    await step(run, s, fail);
    await compare(run, fail);
  }
}

const door = (d: SeatDoor): SeatStep => ({ kind: 'door', door: d });

describe('seats and items (model)', () => {
  it(`random plans, doors, removals, downgrades and concurrent admissions (seed ${SEED}, ${RUNS} runs)`, async () => {
    await fc.assert(
      fc.asyncProperty(runArb, ({ plans, plan, steps }) => runModel(plans, plan, steps)),
      { seed: SEED, numRuns: RUNS, endOnFailure: true },
    );
  });

  it('every door into the last seat at once: exactly one admitted, the rest refused and kept', async () => {
    await runModel([{ members: 6 }, { members: 10 }, {}], 0, [
      door('invite'),
      door('request-join'),
      door('scim-create'),
      { kind: 'at-once', doors: ['auto-join', 'directory'] },
      // Five seats taken: one left for these five doors at once.
      { kind: 'at-once', doors: ['accept', 'approve', 'scim-sign-in', 'auto-join', 'directory'] },
      // Those refused still hold their invitation, request or SCIM user: a seat freed admits the next.
      { kind: 'remove' },
      door('accept'),
      door('approve'),
      door('scim-sign-in'),
    ]);
  });

  it('a downgrade keeps every member and item, refuses new ones, and GET api/tenant lists what is over', async () => {
    await runModel(
      [{ members: 5, items: { [CRUD_API]: 4 } }, { members: 2, items: { [CRUD_API]: 1 } }, {}],
      0,
      [
        { kind: 'at-once', doors: ['auto-join', 'directory', 'auto-join'] },
        { kind: 'create', n: 3 },
        { kind: 'move', plan: 1 },
        door('invite'),
        door('auto-join'),
        door('request-join'),
        door('directory'),
        door('scim-create'),
        { kind: 'create', n: 1 },
        { kind: 'remove' },
        { kind: 'remove' },
        door('auto-join'),
        { kind: 'delete' },
        { kind: 'delete' },
        { kind: 'create', n: 2 },
        { kind: 'delete' },
        { kind: 'create', n: 1 },
      ],
    );
  });

  it('an approval past the seats names the checkout route to its Owner and keeps the request', async () => {
    await runModel([{ members: 2 }, { members: 3 }, {}], 0, [
      door('request-join'),
      door('directory'),
      door('approve'),
      { kind: 'remove' },
      door('approve'),
    ]);
  });

  it('a pending requester asking again with the seats full is 409 join-request-exists, not 402', async () => {
    await runModel([{ members: 2 }, { members: 3 }, {}], 0, [
      door('request-join'),
      door('auto-join'),
      door('request-again'),
      door('approve'),
    ]);
  });

  it('an approval of a requester an invitation admitted meanwhile is 409 already-a-member, seats full or not', async () => {
    await runModel([{ members: 2 }, { members: 3 }, {}], 0, [
      door('request-join'),
      door('invite-pending'),
      door('accept'),
      door('approve-member'),
      { kind: 'move', plan: 1 },
      door('request-join'),
      door('invite-pending'),
      door('accept'),
      door('approve-member'),
    ]);
  });

  it('a member accepting an invitation sent before they joined is 201, their roles merged, seats full or not', async () => {
    await runModel([{ members: 2 }, { members: 3 }, {}], 1, [
      door('request-join'),
      door('invite-pending'),
      door('approve'),
      // Two of three seats: a seat is free.
      door('accept-member'),
      door('request-join'),
      door('invite-pending'),
      door('approve'),
      // Three of three: full — the member's seat is theirs already.
      door('accept-member'),
    ]);
  });

  it("SCIM provisioning a member's e-mail is 201 with the seats full as with seats free, taking no seat", async () => {
    await runModel([{ members: 2 }, { members: 3 }, {}], 1, [
      door('auto-join'),
      door('scim-create-member'),
      door('auto-join'),
      // Three of three: full — the member's user promises no seat, they hold one.
      door('scim-create-member'),
      door('scim-create'),
    ]);
  });

  it('SCIM deprovisioning gives the seat back; re-activation takes one, or is 402 when none is left', async () => {
    await runModel([{ members: 3 }, { members: 1 }, {}], 0, [
      door('scim-create'),
      door('scim-create'),
      door('scim-sign-in'),
      door('scim-sign-in'),
      door('scim-create'),
      { kind: 'deprovision' },
      door('scim-create'),
      door('directory'),
      door('scim-reactivate'),
      { kind: 'deprovision' },
      door('scim-reactivate'),
    ]);
  });

  it('twenty parallel creates at the items bound: exactly the room left', async () => {
    await runModel([{ items: { [CRUD_API]: 3 } }, { items: { [CRUD_API]: 25 } }, {}], 0, [
      { kind: 'create', n: 20 },
      { kind: 'delete' },
      { kind: 'create', n: 5 },
    ]);
  });
});
