/**
 * The model-based test of the doors an Owner comes in by (test/model/README.md, "Owner doors"): random sequences,
 * each on a fresh Marketplace purchase and three fresh people, of the landing page opened by any of them (the buyer
 * reopening it from "Manage account" included), an Owner's invitation accepted, removals and leaving, one person's
 * `POST api/tenants` several at once, and the Owner's delete — run on the reference (landing-reference.ts) and on the
 * real runtime (test/runtime/support/marketplace-app.ts with `createTenants: 'any-user'` and
 * `maxOrganizationsPerUser: 3`). Every answer and, after every step, the landed organization's memberships and how
 * many organizations each person owns must agree with the reference.
 *
 * `ATAKORA_MODEL_RUNS`, `ATAKORA_MODEL_SEED`, `ATAKORA_MODEL_COMMANDS` as in data-plane.model.test.ts.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { principalHeader } from '../runtime/support/built-app.js';
import { invoke, type Reply } from '../runtime/support/http.js';
import { type LocalCosmos, startLocalCosmos } from '../runtime/support/local-cosmos.js';
import {
  creationBoundedAt,
  type MarketplaceApp,
  startMarketplaceApp,
} from '../runtime/support/marketplace-app.js';
import { MODEL_RUNS } from './budget.js';
import {
  type Answer,
  createMany,
  inviteAndAccept,
  land,
  landInto,
  type LandingState,
  MAX_OWNED,
  ownerDelete,
  PEOPLE,
  type Person,
  remove,
  type Role,
  START,
} from './landing-reference.js';

const RUNS = Number(process.env.ATAKORA_MODEL_RUNS ?? Math.max(4, Math.floor(MODEL_RUNS / 2)));
const SEED = Number(process.env.ATAKORA_MODEL_SEED ?? 59);
const COMMANDS = Number(process.env.ATAKORA_MODEL_COMMANDS ?? 14);

let cosmos: LocalCosmos;
let app: MarketplaceApp;
beforeAll(async () => {
  cosmos = await startLocalCosmos({ plain: true });
  app = await startMarketplaceApp(cosmos, {
    policy: creationBoundedAt(MAX_OWNED),
  });
});
afterAll(async () => {
  await app?.close();
  await cosmos?.stop();
});

interface Model {
  state: LandingState;
  script: string[];
}
/** The real side: the run's purchase, its people's ids, and the organization the first landing made. */
interface Real {
  readonly subscriptionId: string;
  readonly run: string;
  org: string;
}
type Command = fc.AsyncCommand<Model, Real>;

let runs = 0;
const oid = (r: Real, p: Person) => `${r.run}-${p}`;
/** A person signed in: any directory, their verified e-mail (`<oid>@example.com`). */
const person = (r: Real, p: Person) =>
  principalHeader([
    ['tid', `${p}-directory`],
    ['oid', oid(r, p)],
    ['name', p],
    ['verified_primary_email', `${oid(r, p)}@example.com`],
  ]);
const inOrg = (r: Real, p: Person) => ({ ...person(r, p), 'x-atakora-tenant': r.org });
const answerOf = (got: Reply): Answer => {
  const code = String(got.body?.type ?? '').replace('urn:atakora:problem:', '');
  return { status: got.status, ...(got.status >= 400 && code ? { code } : {}) };
};
let browsers = 0;

/** `p` opens the landing page with `query`, each landing from a browser of its own address. */
const landing = (r: Real, p: Person, query: Record<string, string>) =>
  invoke(app.handler('atakora-marketplace-landing'), 'GET', 'marketplace/landing', {
    headers: { ...person(r, p), 'x-forwarded-for': `198.51.100.${String(++browsers % 250)}` },
    query,
  });

/** After every step: the landed organization's members and each person's owned organizations are the reference's. */
async function same(m: Model, r: Real): Promise<void> {
  const { resources } = await app.members.items
    .query<{ tenant: string; userId: string; roles: string[] }>({
      query:
        'SELECT c.tenant, c.userId, c.roles FROM c WHERE STARTSWITH(c.userId, @run) AND NOT IS_DEFINED(c.kind)',
      parameters: [{ name: '@run', value: `${r.run}-` }],
    })
    .fetchAll();
  const members: Record<string, string[]> = {};
  const owned: Record<string, number> = { ada: 0, bob: 0, mal: 0 };
  for (const x of resources) {
    const p = x.userId.slice(r.run.length + 1);
    if (x.tenant === r.org) members[p] = [...x.roles].sort();
    if (x.roles.includes('Owner')) owned[p] = (owned[p] ?? 0) + 1;
  }
  const want = Object.fromEntries(
    Object.entries(m.state.members).map(([p, roles]) => [p, [...(roles ?? [])].sort()]),
  );
  expect({ members, owned }, `after: ${m.script.join(', ')}`).toEqual({
    members: want,
    owned: m.state.owned,
  });
}

function step(m: Model, described: string, want: Answer | Answer[], got: Answer | Answer[]) {
  m.script.push(described);
  expect(got, `the run: ${m.script.join(', ')}`).toEqual(want);
}

class LandCommand implements Command {
  constructor(readonly p: Person) {}
  check = () => true;
  async run(m: Model, r: Real): Promise<void> {
    const got = await landing(r, this.p, { token: app.standIn.landingToken(r.subscriptionId) });
    const [want, next] = land(m.state, this.p);
    if (got.status === 302 && !r.org)
      r.org =
        new URL(got.headers.get('location') ?? 'http://x/').searchParams.get('organization') ?? '';
    step(m, this.toString(), want, answerOf(got));
    m.state = next;
    await same(m, r);
  }
  toString = () => `land ${this.p}`;
}

/** `p` lands a new purchase asking for the landed organization (`&organization=<id>`). */
class LandIntoCommand implements Command {
  constructor(readonly p: Person) {}
  check = (m: Readonly<Model>) => m.state.claimedBy !== undefined;
  async run(m: Model, r: Real): Promise<void> {
    const { subscriptionId, token } = app.standIn.purchase({ planId: 'pro-monthly', name: 'Into' });
    const got = await landing(r, this.p, { token, organization: r.org });
    const [want, next] = landInto(m.state, this.p);
    step(m, this.toString(), want, answerOf(got));
    // Refused, whatever the reason: Marketplace activated nothing (billing starts only at activation).
    expect(app.standIn.activations, `the run: ${m.script.join(', ')}`).not.toContain(
      subscriptionId,
    );
    m.state = next;
    await same(m, r);
  }
  toString = () => `${this.p} lands a new purchase into the organization`;
}

class InviteCommand implements Command {
  constructor(
    readonly by: Person,
    readonly p: Person,
    readonly role: Role,
  ) {}
  check = (m: Readonly<Model>) => m.state.claimedBy !== undefined && this.by !== this.p;
  async run(m: Model, r: Real): Promise<void> {
    const [wantInvite, wantAccept, next] = inviteAndAccept(m.state, this.by, this.p, this.role);
    const invited = await invoke(
      app.handler('membership-invitations'),
      'POST',
      'tenant/invitations',
      {
        headers: inOrg(r, this.by),
        body: { email: `${oid(r, this.p)}@example.com`, roles: [this.role] },
      },
    );
    step(m, `${this.by} invites ${this.p} as ${this.role}`, wantInvite, answerOf(invited));
    if (invited.status === 201) {
      const token = new URL(String(invited.body.acceptUrl)).searchParams.get('invitation') ?? '';
      const accepted = await invoke(
        app.handler('membership-accept'),
        'POST',
        'invitations/accept',
        {
          headers: person(r, this.p),
          body: { token },
        },
      );
      step(m, `${this.p} accepts`, wantAccept ?? { status: 0 }, answerOf(accepted));
    }
    m.state = next;
    await same(m, r);
  }
  toString = () => `${this.by} invites ${this.p} as ${this.role}`;
}

class RemoveCommand implements Command {
  constructor(
    readonly by: Person,
    readonly p: Person,
  ) {}
  check = (m: Readonly<Model>) => m.state.claimedBy !== undefined;
  async run(m: Model, r: Real): Promise<void> {
    const [want, next] = remove(m.state, this.by, this.p);
    const got = await invoke(
      app.handler('membership-member'),
      'DELETE',
      `tenant/members/${oid(r, this.p)}`,
      {
        headers: inOrg(r, this.by),
        params: { userId: oid(r, this.p) },
      },
    );
    step(m, this.toString(), want, answerOf(got));
    m.state = next;
    await same(m, r);
  }
  toString = () => (this.by === this.p ? `${this.p} leaves` : `${this.by} removes ${this.p}`);
}

/** One person's `POST api/tenants`, `k` at once. */
class CreateCommand implements Command {
  constructor(
    readonly p: Person,
    readonly k: number,
  ) {}
  check = () => true;
  async run(m: Model, r: Real): Promise<void> {
    const [want, next] = createMany(m.state, this.p, this.k);
    const got = await Promise.all(
      Array.from({ length: this.k }, (_, i) =>
        invoke(app.handler('tenants-admin'), 'POST', 'tenants', {
          headers: person(r, this.p),
          body: { name: `${this.p} ${String(i)}` },
        }),
      ),
    );
    const order = (a: Answer, b: Answer) => a.status - b.status;
    step(m, this.toString(), want.sort(order), got.map(answerOf).sort(order));
    m.state = next;
    await same(m, r);
  }
  toString = () => `${this.p} creates ${String(this.k)} at once`;
}

class DeleteCommand implements Command {
  constructor(readonly by: Person) {}
  check = (m: Readonly<Model>) => m.state.claimedBy !== undefined;
  async run(m: Model, r: Real): Promise<void> {
    const [want, next] = ownerDelete(m.state, this.by);
    const got = answerOf(
      await invoke(app.handler('tenant-self'), 'DELETE', 'tenant', { headers: inOrg(r, this.by) }),
    );
    // The delete's success status is the owners model's to pin: any 2xx is the reference's 200.
    step(m, this.toString(), want, got.status < 300 ? { status: 200 } : got);
    m.state = next;
    await same(m, r);
  }
  toString = () => `${this.by} deletes the organization`;
}

const person$ = fc.constantFrom<Person>(...PEOPLE);
const commands = [
  person$.map((p) => new LandCommand(p)),
  person$.map((p) => new LandIntoCommand(p)),
  fc
    .tuple(person$, person$, fc.constantFrom<Role>('Owner', 'Member'))
    .map(([by, p, role]) => new InviteCommand(by, p, role)),
  fc.tuple(person$, person$).map(([by, p]) => new RemoveCommand(by, p)),
  fc.tuple(person$, fc.integer({ min: 1, max: 6 })).map(([p, k]) => new CreateCommand(p, k)),
  fc
    .tuple(person$, fc.nat({ max: 2 }))
    .filter(([, n]) => n === 0)
    .map(([p]) => new DeleteCommand(p)),
];

const fresh = (): { model: Model; real: Real } => {
  const { subscriptionId } = app.standIn.purchase({ planId: 'pro-monthly', name: 'Landing' });
  return {
    model: { state: START, script: [] },
    real: { subscriptionId, run: `r${String(++runs)}x${String(Date.now() % 100000)}`, org: '' },
  };
};

describe('the doors an Owner comes in by (the Marketplace landing, POST api/tenants) against the ways out, against the reference', () => {
  it('agree on every answer, the memberships and every person’s owned organizations after every step', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.commands(commands, { maxCommands: COMMANDS, size: 'max' }),
        async (cmds) => {
          await fc.asyncModelRun(fresh, cmds);
        },
      ),
      { numRuns: RUNS, seed: SEED, endOnFailure: true },
    );
  });

  it('regression: a removed buyer reopening the landing page is barred, never an Owner again', async () => {
    await fc.asyncModelRun(fresh, [
      new LandCommand('ada'),
      new InviteCommand('ada', 'bob', 'Owner'),
      new RemoveCommand('bob', 'ada'),
      new LandCommand('ada'),
    ]);
  });

  it('regression: a buyer who left reopening the landing page is not its Owner again', async () => {
    await fc.asyncModelRun(fresh, [
      new LandCommand('ada'),
      new InviteCommand('ada', 'bob', 'Owner'),
      new RemoveCommand('ada', 'ada'),
      new LandCommand('ada'),
    ]);
  });

  // Found probing round 13 under `atakora dev` (test/cli/dev-people-landing.test.ts): a new purchase's landing asking
  // for an organization its Owner deleted linked and activated it (there, 302 where 403; here, where the landed
  // organization holds a purchase already, 409 `billing-channel-taken` where 403 `tenant-suspended`).
  it('regression: no new purchase lands into an organization its Owner deleted', async () => {
    await fc.asyncModelRun(fresh, [
      new LandCommand('ada'),
      new LandIntoCommand('ada'),
      new DeleteCommand('ada'),
      new LandIntoCommand('ada'),
      new LandIntoCommand('bob'),
    ]);
  });

  it('regression: six creations at once pass no bound, and the landing counts it', async () => {
    await fc.asyncModelRun(fresh, [
      new CreateCommand('mal', 6),
      new LandCommand('mal'),
      new LandCommand('ada'),
      new CreateCommand('ada', 6),
    ]);
  });
});
