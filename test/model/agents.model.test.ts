/**
 * The model-based test of agents' grants beside the memberships (test/model/README.md, "Agents' grants"): random
 * sequences of people connecting an agent to an organization (the consent page, Allow, the code's exchange), the
 * agent refreshing, sending `tools/list` and `tools/call` to `api/mcp` (naming its organization, another or none)
 * and revoking itself, the grants listed and revoked by their person and by Owners and Admins — interleaved with
 * removals, leaving, role changes, re-admissions, the operator's suspensions and plan moves, an Owner's delete and
 * undelete, and time passing — run on the reference model (src/access/model/agent-grants.ts) and on the real runtime
 * (test/runtime/support/agents-app.ts) against the local Cosmos DB server. Every answer must be the model's: a
 * removed person's grant dies with the membership.
 *
 * One instance answers every request, so its caches forget what it changes at once (a revocation, a removal, an
 * Owner's delete); the operator's writes go around it, and the run's clock passes the registry cache's 30 s bound
 * after each. `ATAKORA_MODEL_RUNS`, `ATAKORA_MODEL_SEED`, `ATAKORA_MODEL_COMMANDS` as in data-plane.model.test.ts.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, it } from 'vitest';
import type { AgentMessage } from '../../src/access/model/agent-grants.js';
import type { ModelState } from '../../src/access/model/model-state.js';
import type { AgentsApp } from '../runtime/support/agents-app.js';
import { type LocalCosmos, startLocalCosmos } from '../runtime/support/local-cosmos.js';
import { member, record, reseed } from '../runtime/support/organization-calls.js';
import {
  type AgentSide,
  Connect,
  List,
  Member,
  Operator,
  ORGS,
  Owner,
  Pass,
  PEOPLE,
  Readmit,
  Refresh,
  Revoke,
  START,
  START_PLANS,
  STATS,
  Use,
} from './agent-commands.js';
import { Elsewhere, Erase, type Racer, Scim, startLife } from './agent-life-commands.js';
import { startAgentModelApps } from './agent-model-app.js';
import { MODEL_RUNS } from './budget.js';

const RUNS = Number(process.env.ATAKORA_MODEL_RUNS ?? Math.max(4, Math.ceil(MODEL_RUNS / 2)));
const SEED = Number(process.env.ATAKORA_MODEL_SEED ?? 59);
const COMMANDS = Number(process.env.ATAKORA_MODEL_COMMANDS ?? 25);

let cosmos: LocalCosmos;
let app: AgentsApp;
/** The second instance (agent-model-app.ts): agents' MCP requests only, answered from its own caches. */
let other: AgentsApp;

beforeAll(async () => {
  cosmos = await startLocalCosmos();
  [app, other] = await startAgentModelApps(cosmos);
});
afterAll(async () => {
  await app?.stop();
  await other?.stop();
  await cosmos?.stop();
  if (process.env.ATAKORA_MODEL_STATS)
    console.log(
      [...STATS]
        .sort()
        .map(([k, n]) => `${k}: ${String(n)}`)
        .join('\n'),
    );
});

/** Each run from the usual organizations, every cache of the run before past its bound. */
async function fresh(): Promise<AgentSide> {
  app.clock.now += 3_600_000;
  await reseed(
    app.c,
    ORGS.map((o) => record(o, START_PLANS[o])),
    // Each membership with its person's address, as an invitation's acceptance records it: an invitation to a
    // member's address is theirs (409 `already-a-member`).
    START.map(([org, user, role]) => ({
      ...member(org, user, [role]),
      email: `${user}@example.com`,
    })),
  );
  const memberships = new Map<string, Map<string, readonly string[]>>();
  for (const [org, user, role] of START)
    memberships.set(org, (memberships.get(org) ?? new Map()).set(user, [role]));
  const state: ModelState = {
    items: new Map(),
    registry: new Map(
      ORGS.map((o) => [o, { plan: START_PLANS[o] ?? 'free', status: 'active' as const }]),
    ),
    memberships,
    invitations: [],
    agentGrants: [],
  };
  const side: AgentSide = { state, tokens: [], script: [], history: [] };
  await startLife(side, app, other);
  return side;
}

const people = fc.constantFrom(...PEOPLE);
const orgs = fc.constantFrom(...ORGS);
const index = fc.nat(7);
/** Who acts where: mostly a pair the usual organizations make (a member of it), sometimes anyone anywhere. */
const memberOf = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(...START.map(([org, user]) => [user, org] as const)) },
  fc.tuple(people, orgs),
);
/** An Owner or an Admin where they start, mostly; else anyone. */
const manager = fc.oneof(
  {
    weight: 3,
    arbitrary: fc.constantFrom(
      ...START.filter(([, , r]) => r === 'Owner' || r === 'Admin').map(
        ([org, user]) => [user, org] as const,
      ),
    ),
  },
  fc.tuple(people, orgs),
);
const roles = fc.constantFrom(['Member'], ['Admin'], ['Guest'], ['Owner']);
const message: fc.Arbitrary<AgentMessage> = fc.constantFrom(
  { method: 'tools/list' as const },
  { method: 'tools/list' as const },
  { call: 'list' as const },
  { call: 'create' as const },
);

const connect = memberOf.map(([u, o]) => new Connect(u, o));
const racer: fc.Arbitrary<Racer> = fc.oneof(
  index.map((i): Racer => ({ kind: 'refresh', index: i })),
  index.map((i): Racer => ({ kind: 'use', index: i })),
  manager.map(([by, org]): Racer => ({ kind: 'undelete', by, org })),
  memberOf.map(([user, org]): Racer => ({ kind: 'connect', user, org })),
);
const refresh = index.map((i) => new Refresh(i));
/** Mostly naming no organization (the token's own is implied), sometimes one of the three. */
const named = fc.oneof(
  { weight: 3, arbitrary: fc.constant(undefined) },
  orgs.map((o): string | undefined => o),
);
const use = fc.tuple(index, named, message).map(([i, n, msg]) => new Use(i, n, msg));
/** The agents' own steps weigh most (a run spent on refused people's moves finds little); the lives change between. */
const commands = [
  connect,
  connect,
  refresh,
  refresh,
  use,
  use,
  use,
  use,
  fc
    .tuple(
      index,
      fc.oneof(
        fc.constant('person' as const),
        fc.constant('agent' as const),
        manager.map(([user, org]) => ({ user, org })),
        people.map((user) => ({ user })),
      ),
    )
    .map(([i, by]) => new Revoke(i, by)),
  fc.oneof(
    people.map((u) => new List(u, undefined)),
    manager.map(([u, o]) => new List(u, o)),
  ),
  // Removals (by the organization's Owner mostly), leaving, role changes.
  fc
    .tuple(manager, people, fc.option(roles, { nil: undefined }))
    .map(([[by, org], target, r]) => new Member(by, org, target, r)),
  memberOf.map(([u, o]) => new Member(u, o, u, undefined)),
  fc
    .tuple(manager, people, roles)
    .map(([[by, org], invitee, r]) => new Readmit(by, org, invitee, r)),
  fc
    .tuple(orgs, fc.constantFrom('free', 'pro', 'suspended', 'active') as fc.Arbitrary<'free'>)
    .map(([o, to]) => new Operator(o, to)),
  fc.tuple(manager, fc.boolean()).map(([[by, org], un]) => new Owner(by, org, un)),
  // Now and then past the access tokens' 10 minutes: the agent refreshes, or its token is 401.
  fc.constantFrom(5_000, 31_000, 31_000, 11 * 60_000).map((ms) => new Pass(ms)),
  // SCIM deprovisioning and re-activating people of acme and globex (agent-grant-exits.ts).
  fc
    .tuple(
      fc.constantFrom('acme' as const, 'globex' as const),
      people,
      fc.constantFrom('off' as const, 'off' as const, 'on' as const, 'delete' as const),
    )
    .map(([o, u, op]) => new Scim(o, u, op)),
  // The other instance answering an agent within its caches' 30 s.
  fc.tuple(index, named, message).map(([i, n, msg]) => new Elsewhere(i, n, msg)),
  fc.tuple(index, named, message).map(([i, n, msg]) => new Elsewhere(i, n, msg)),
  // Days pass and the daily erase runs, alone or racing an agent, an undelete or a connection.
  fc
    .tuple(fc.constantFrom(0, 1, 2, 3), fc.option(racer, { nil: undefined, freq: 2 }))
    .map(([d, r]) => new Erase(d, r)),
];

describe("agents' grants: the model and the runtime agree", () => {
  it('on random connections, refreshes, MCP calls and revocations beside the membership’s life', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.commands(commands, { maxCommands: COMMANDS, size: 'max' }),
        async (cmds) => {
          const side = await fresh();
          // Every run starts with three agents connected (a Member's and an Admin's in acme, an Admin's in
          // globex): the grants the random steps then use, end and list.
          const start = [
            new Connect('bob', 'acme'),
            new Connect('al', 'acme'),
            new Connect('bob', 'globex'),
          ];
          await fc.asyncModelRun(() => ({ model: side, real: app }), [...start, ...cmds]);
          if (process.env.ATAKORA_MODEL_STATS)
            console.log(`run of ${String(side.script.length)} steps`);
        },
      ),
      { numRuns: RUNS, seed: SEED, endOnFailure: process.env.ATAKORA_MODEL_SHRINK === undefined },
    );
  });

  /** A fixed script, run as the property runs its commands. */
  const script = async (cmds: Iterable<fc.AsyncCommand<AgentSide, AgentsApp>>) => {
    const side = await fresh();
    await fc.asyncModelRun(() => ({ model: side, real: app }), cmds);
  };
  const list = { method: 'tools/list' as const };

  it('regression (seed 59, run 10, shrunk): a grant that died with its membership is no connected agent', async () => {
    // The runtime listed it at api/me/agents after its person left (and revoked it again at DELETE: 204).
    await script([
      new Connect('al', 'acme'),
      new Member('al', 'acme', 'al', undefined),
      new List('al', undefined),
      new Revoke(0, 'person'),
    ]);
  });

  it("a removed person's grant dies with it, and stays dead when an Owner admits them again", async () => {
    await script([
      new Connect('bob', 'acme'),
      new Use(0, undefined, list),
      new Use(0, 'globex', list),
      new Member('ada', 'acme', 'bob', undefined),
      new Refresh(0),
      new Use(0, undefined, list),
      new List('ada', 'acme'),
      new Readmit('ada', 'acme', 'bob', ['Admin']),
      new Refresh(0),
      new Use(0, undefined, { call: 'list' }),
      new List('bob', undefined),
      new List('al', 'acme'),
      new Revoke(0, 'person'),
      new Connect('bob', 'acme'),
      new Use(1, undefined, list),
      new Use(1, 'acme', { call: 'create' }),
      new List('bob', undefined),
    ]);
  });

  it("the organization's life and plan: refused while they say so, served again after", async () => {
    await script([
      new Connect('bob', 'acme'),
      new Operator('acme', 'free'),
      new Refresh(0),
      new Use(0, undefined, list),
      new Operator('acme', 'pro'),
      new Refresh(0),
      new Owner('ada', 'acme', false),
      new Refresh(0),
      new Use(0, undefined, list),
      new List('bob', undefined),
      new Owner('ada', 'acme', true),
      new Refresh(0),
      new Use(0, undefined, list),
      new Member('ada', 'acme', 'bob', ['Guest']),
      new Use(0, undefined, list),
      new Use(0, undefined, { call: 'list' }),
      new Operator('acme', 'suspended'),
      new Refresh(0),
      new Operator('acme', 'active'),
      new Pass(11 * 60_000),
      new Use(0, undefined, list),
      new Refresh(0),
      new Use(0, undefined, list),
      new Revoke(0, { user: 'al', org: 'acme' }),
      new Refresh(0),
      new Use(0, undefined, list),
      new Revoke(0, 'agent'),
    ]);
  });

  it("a deprovisioned person's grant fails at once here and within 30 s elsewhere; re-activated and re-admitted, they connect again", async () => {
    await script([
      new Connect('bob', 'acme'),
      new Elsewhere(0, undefined, list),
      new Scim('acme', 'bob', 'off'),
      new Refresh(0),
      new Use(0, undefined, list),
      new Elsewhere(0, undefined, list),
      new Pass(31_000),
      new Elsewhere(0, undefined, list),
      new Scim('acme', 'bob', 'on'),
      new Readmit('ada', 'acme', 'bob', ['Member']),
      new Refresh(0),
      new Elsewhere(0, undefined, list),
      new List('bob', undefined),
      new Connect('bob', 'acme'),
      new Use(1, undefined, list),
      new Scim('acme', 'bob', 'delete'),
      new Refresh(1),
      new Scim('acme', 'ada', 'off'),
    ]);
  });

  it("a deleted organization's grants fail, an undelete serves them again, and after the erase nothing comes back", async () => {
    await script([
      new Connect('al', 'acme'),
      new Owner('ada', 'acme', false),
      new Refresh(0),
      new Elsewhere(0, undefined, list),
      new Owner('ada', 'acme', true),
      new Refresh(0),
      new Use(0, undefined, list),
      new Owner('ada', 'acme', false),
      new Erase(1, { kind: 'refresh', index: 0 }),
      new Erase(2, { kind: 'undelete', by: 'ada', org: 'acme' }),
      new Refresh(0),
      new Use(0, undefined, list),
      new Elsewhere(0, undefined, list),
      new List('al', undefined),
      new Owner('ada', 'acme', true),
      new Connect('al', 'acme'),
      new Scim('acme', 'al', 'on'),
    ]);
  });
});
