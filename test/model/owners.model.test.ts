/**
 * The model-based test of organizations their Owners run (test/model/README.md, "Owners"): membership backends whose
 * Owners rename, delete and undelete their organization while days pass on the run's clock and the daily erase runs
 * through the timer the app registers — interleaved with data requests of every principal, invitations, role changes,
 * removals and directory links — all run on the reference model (src/access/model/owner-states.ts beside
 * membership.ts and the CRUD model) and on the real runtime against the local Cosmos DB server. Every answer, the
 * final data, memberships and registry must agree: a deleted organization refused to everyone (its Owner may only
 * undelete it), an undeleted one whole again, an erased one gone — its data, members and record — for everyone.
 *
 * `ATAKORA_MODEL_RUNS`, `ATAKORA_MODEL_SEED`, `ATAKORA_MODEL_COMMANDS` as in data-plane.model.test.ts.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { membershipList } from '../../src/access/model/membership.js';
import { REGISTRY_CACHE_DEFAULTS } from '../../src/runtime/tenants/registry-cache.js';
import { CREATOR_TENANT_FIELD } from '../../src/runtime/values/system-fields.js';
import { type LocalCosmos, startLocalCosmos } from '../runtime/support/local-cosmos.js';
import { backendArbitrary, backendOf, requestArbitrary, type RequestSpec } from './arbitraries.js';
import { describeBackend, type ModelBackend, PRINCIPALS } from './backend.js';
import { type ModelSide, RequestCommand, STATS } from './commands.js';
import { MEMBER_ROLES, MemberCommand, type MemberSpec } from './member-commands.js';
import { KeyCommand, type KeySpec, keyedRequests, keySpecArbitrary } from './key-commands.js';
import { OwnerCommand, type OwnerSpec, type RunClock, runsOn } from './owner-commands.js';
import { EMPTY, finalData } from './reference-model.js';
import { membershipsOf, realData, withMembership } from './real-readback.js';
import { manifestOf, planOf, type RealApp, serve } from './real-app.js';
import { MODEL_RUNS } from './budget.js';
import { deadline } from '../support/patience.js';

const RUNS = Number(process.env.ATAKORA_MODEL_RUNS ?? MODEL_RUNS);
const SEED = Number(process.env.ATAKORA_MODEL_SEED ?? 59);
const COMMANDS = Number(process.env.ATAKORA_MODEL_COMMANDS ?? 25);
const [ALICE, BOB, ADA, EVE] = [0, 1, 2, 3];
/** `tenants.deleteAfterDays` of these runs: two, so a run of a few days meets both sides of it. */
const DELETE_AFTER_DAYS = 2;
/** Where each run's clock starts: noon UTC (days pass whole, so each is a new UTC day). */
const START = Date.parse('2026-03-02T12:00:00.000Z');

let cosmos: LocalCosmos;
beforeAll(async () => {
  cosmos = await startLocalCosmos({ plain: true });
});
afterAll(async () => {
  await cosmos?.stop();
  if (process.env.ATAKORA_MODEL_STATS)
    console.log(
      [...STATS]
        .sort()
        .map(([k, n]) => `${k}: ${String(n)}`)
        .join('\n'),
    );
});

/** A generated backend whose tenants are organizations their Owners may delete (erased two days later). */
function withOwners(b: ModelBackend): ModelBackend {
  return { ...withMembership(b), deleteAfterDays: DELETE_AFTER_DAYS };
}

type Command = fc.AsyncCommand<ModelSide, RealApp>;

const principal = fc.nat({ max: PRINCIPALS.length - 1 });
const organization = fc.oneof(
  { weight: 4, arbitrary: fc.constant(0) },
  { weight: 2, arbitrary: fc.constant(1) },
  { weight: 1, arbitrary: fc.constant(2) },
);
/** Who sends an Owner command: mostly the usual setup's members (Alice and Eve own, Bob is a Member). */
const member = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(ALICE, BOB, EVE) },
  { weight: 1, arbitrary: principal },
);
const ownerSpecs: fc.Arbitrary<OwnerSpec> = fc.oneof(
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('rename' as const),
      p: member,
      org: organization,
      name: fc.nat(3),
    }),
  },
  {
    weight: 3,
    arbitrary: fc.record({ kind: fc.constant('delete' as const), p: member, org: organization }),
  },
  {
    weight: 3,
    arbitrary: fc.record({ kind: fc.constant('undelete' as const), p: member, org: organization }),
  },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('mine' as const), p: principal }) },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('days' as const),
      days: fc.integer({ min: 1, max: 2 }),
    }),
  },
  { weight: 2, arbitrary: fc.constant({ kind: 'erase' as const }) },
);
const memberSpecs: fc.Arbitrary<MemberSpec> = fc.oneof(
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('organization' as const),
      p: member,
      org: organization,
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('join' as const),
      p: member,
      invitee: principal,
      acceptor: principal,
      org: organization,
      roles: fc.subarray([...MEMBER_ROLES]),
      twice: fc.constant(false),
      later: fc.boolean(),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({ kind: fc.constant('accept' as const), p: member, which: fc.nat(7) }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('roles' as const),
      p: member,
      target: member,
      org: organization,
      roles: fc.subarray([...MEMBER_ROLES]),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('remove' as const),
      p: member,
      target: member,
      org: organization,
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('directory' as const),
      p: member,
      org: organization,
      op: fc.constantFrom('link' as const, 'read' as const),
    }),
  },
);
/** Data requests naming an organization (mostly org-one), mostly by its members. */
const requests = fc
  .tuple(
    requestArbitrary,
    organization,
    fc.oneof(
      { weight: 3, arbitrary: fc.constantFrom(ALICE, BOB) },
      { weight: 1, arbitrary: fc.constantFrom(ADA, EVE) },
      { weight: 1, arbitrary: principal },
    ),
  )
  .map(([r, org, p]): RequestSpec => ({ ...r, org, p }));

/** Alice owns org-one, Eve owns org-two, Bob is a member of org-one. */
const SETUP: Command[] = [
  new MemberCommand({ kind: 'organization', p: ALICE, org: 0 }),
  new MemberCommand({ kind: 'organization', p: EVE, org: 1 }),
  new MemberCommand({
    kind: 'join',
    p: ALICE,
    invitee: BOB,
    acceptor: BOB,
    org: 0,
    roles: ['Member'],
    twice: false,
  }),
];

async function runOwnersModel(b: ModelBackend, commands: Iterable<Command>): Promise<void> {
  const clock: RunClock = { start: START, now: START };
  const app = await serve(cosmos, b, manifestOf(b, planOf(b)), {
    registryCache: { now: () => clock.now, maxAgeMs: REGISTRY_CACHE_DEFAULTS.maxAgeMs },
  });
  try {
    const model: ModelSide = { backend: b, state: EMPTY, script: [], events: new Map() };
    runsOn(model, clock);
    await fc.asyncModelRun(() => ({ model, real: app }), commands);
    const where = `${describeBackend(b)}\nthe run's requests:\n  ${model.script.join('\n  ')}`;
    expect(await realData(app), `final data of\n  ${where}`).toEqual(finalData(model.state));
    const { resources } = await app
      .members!.items.query<{ id: string; roles: string[]; kind?: string }>('SELECT * FROM c')
      .fetchAll();
    expect(membershipsOf(resources), `final memberships of\n  ${where}`).toEqual(
      membershipList(model.state.memberships),
    );
    const records = (
      await app
        .registry!.items.query<{ id: string; status: string; deleteOn?: string }>(
          'SELECT c.id, c.status, c.deleteOn FROM c',
        )
        .fetchAll()
    ).resources
      .map((r) => [r.id, r.status, r.status === 'suspended' ? (r.deleteOn ?? null) : null])
      .sort();
    const tombstones = (
      await app
        .registry!.items.query<Record<string, unknown>>("SELECT * FROM c WHERE c.status = 'erased'")
        .fetchAll()
    ).resources.map((t) =>
      Object.keys(t)
        .filter((k) => !k.startsWith('_'))
        .sort(),
    );
    expect(tombstones, `tombstones hold nothing else, in\n  ${where}`).toEqual(
      tombstones.map(() => ['erasedOn', 'id', 'status']),
    );
    // An erased organization is a tombstone: its id and `erased`, nothing else (the CLI's and the timer's alike).
    const modelled = [
      ...[...(model.state.registry ?? new Map())].map(([id, r]) => [
        id,
        r.status,
        r.status === 'suspended' && r.deleteOn !== undefined
          ? new Date(r.deleteOn).toISOString()
          : null,
      ]),
      ...[...(model.state.tombstones ?? new Map())].map(([id]) => [id, 'erased', null]),
    ].sort();
    expect(records, `final registry of\n  ${where}`).toEqual(modelled);
    // An erased organization's stored bytes leave the ledger with its data: one re-created with its id starts at 0.
    // A shared item's owner is its hidden creator field, which realData leaves out: read from the stored items.
    const owners = new Set<unknown>();
    for (const [i, c] of app.containers.entries())
      for (const doc of (await c.items.query<Record<string, unknown>>('SELECT * FROM c').fetchAll())
        .resources)
        owners.add(b.entities[i]?.shared ? doc[CREATOR_TENANT_FIELD] : doc['tenantId']);
    const left: Record<string, number> = {};
    const erased: Record<string, number> = {};
    for (const line of (
      await app
        .usage!.items.query<{ tenant: string; itemBytes?: number; fileBytes?: number }>(
          "SELECT c.tenant, c.itemBytes, c.fileBytes FROM c WHERE c.kind = 'stored'",
        )
        .fetchAll()
    ).resources)
      if (
        !records.some(([id, status]) => id === line.tenant && status !== 'erased') &&
        !owners.has(line.tenant)
      ) {
        left[line.tenant] =
          (left[line.tenant] ?? 0) + (line.itemBytes ?? 0) + (line.fileBytes ?? 0);
        erased[line.tenant] = 0;
      }
    expect(left, `stored bytes of erased organizations in\n  ${where}`).toEqual(erased);
  } finally {
    await app.dispose();
  }
}

/** Per-organization notes (/tenantId) with an Admin rule, and a shared catalogue (/id) every member writes to (its owner's): what an erase must find. */
const NOTES_AND_CATALOGUE = withOwners(
  backendOf({
    multi: true,
    realtime: false,
    entities: [
      { key: 'tenantId', shared: false, rules: 2 },
      { key: 'id', shared: true, rules: 4 },
    ],
    edges: [],
  }),
);

const owner = (spec: OwnerSpec) => new OwnerCommand(spec);
/** Key commands: mostly by the setup's Owners and Bob in their organizations. */
const keySpecs = keySpecArbitrary(member, organization);
const key = (spec: KeySpec): Command => new KeyCommand(spec);
/** A key run starts with an Admin key of org-one (Alice's) and a Member key of org-two (Eve's). */
const KEYS: Command[] = [
  key({ kind: 'create-key', p: ALICE, org: 0, role: 'Admin' }),
  key({ kind: 'create-key', p: EVE, org: 1, role: 'Member', days: 1 }),
];
const list = (p: number, org: number, e = 0): Command =>
  new RequestCommand({ kind: 'list', p, e, expand: [false, false, false], count: false, org });
const create = (p: number, org: number, e: number, id: string): Command =>
  new RequestCommand({
    kind: 'create',
    p,
    e,
    id,
    region: undefined,
    name: undefined,
    refs: [],
    attack: undefined,
    org,
  });

describe('owners: deleted, undeleted and erased organizations (fixed stories)', () => {
  it('a deleted organization is refused to all; only its Owner undeletes it, and everything is back', async () => {
    await runOwnersModel(NOTES_AND_CATALOGUE, [
      ...SETUP,
      create(BOB, 0, 0, 'a'),
      create(BOB, 0, 1, 'b'),
      owner({ kind: 'rename', p: BOB, org: 0, name: 0 }), // a Member: 403
      owner({ kind: 'rename', p: ALICE, org: 0, name: 1 }), // trimmed
      owner({ kind: 'delete', p: BOB, org: 0 }), // 403
      owner({ kind: 'delete', p: ALICE, org: 0 }), // 202
      owner({ kind: 'mine', p: BOB }), // suspended, deleteOn
      list(BOB, 0),
      list(ALICE, 0, 1),
      owner({ kind: 'rename', p: ALICE, org: 0, name: 0 }), // 403 tenant-suspended
      owner({ kind: 'delete', p: ALICE, org: 0 }), // 403 tenant-suspended
      owner({ kind: 'undelete', p: BOB, org: 0 }), // 403
      owner({ kind: 'undelete', p: EVE, org: 0 }), // 403
      owner({ kind: 'undelete', p: EVE, org: 1 }), // 409 not deleted
      owner({ kind: 'days', days: 1 }),
      owner({ kind: 'erase' }), // nothing due
      owner({ kind: 'undelete', p: ALICE, org: 0 }), // 200
      list(BOB, 0),
      owner({ kind: 'mine', p: ALICE }),
    ]);
  });

  it('past deleteAfterDays: undelete is final, the erase takes data, members and record; the id is never given again', async () => {
    await runOwnersModel(NOTES_AND_CATALOGUE, [
      ...SETUP,
      create(BOB, 0, 0, 'a'),
      create(BOB, 0, 1, 'b'),
      create(EVE, 1, 1, 'c'),
      new MemberCommand({
        kind: 'join',
        p: ALICE,
        invitee: ADA,
        acceptor: ADA,
        org: 0,
        roles: ['Admin'],
        twice: false,
        later: true,
      }),
      owner({ kind: 'delete', p: ALICE, org: 0 }),
      new MemberCommand({ kind: 'accept', p: ADA, which: 1 }), // 403 tenant-suspended
      owner({ kind: 'days', days: 2 }),
      owner({ kind: 'undelete', p: ALICE, org: 0 }), // 410 final
      owner({ kind: 'erase' }), // org-one
      owner({ kind: 'mine', p: BOB }), // nothing
      list(BOB, 0), // 403 not-a-member
      list(EVE, 1, 1), // org-two's item kept
      owner({ kind: 'undelete', p: ALICE, org: 0 }), // 403: no Owner of anything
      new MemberCommand({ kind: 'accept', p: ADA, which: 1 }), // 410
      owner({ kind: 'erase' }), // nothing left
      new MemberCommand({ kind: 'organization', p: EVE, org: 0 }), // 409: org-one is a tombstone
      list(BOB, 0),
      list(EVE, 0), // not-a-member: the tombstone admits no one
      owner({ kind: 'mine', p: EVE }),
    ]);
  });
});

describe('owners: what an erase frees', () => {
  it('an erased organization’s linked directory and its shared items are gone: another organization may link it', async () => {
    await runOwnersModel(NOTES_AND_CATALOGUE, [
      ...SETUP,
      new MemberCommand({ kind: 'directory', p: ALICE, org: 0, op: 'link' }),
      create(ALICE, 0, 1, 'a'),
      new RequestCommand({
        kind: 'legacy',
        p: BOB,
        e: 1,
        id: 'b',
        region: undefined,
        refs: [],
        org: 0,
      }),
      owner({ kind: 'delete', p: ALICE, org: 0 }),
      owner({ kind: 'days', days: 2 }),
      owner({ kind: 'erase' }),
      new MemberCommand({ kind: 'organization', p: ALICE, org: 2 }),
      new MemberCommand({ kind: 'directory', p: ALICE, org: 2, op: 'link' }), // 200: the claim went with org-one
      list(ADA, 2, 1), // Ada joins org-none by the directory; the unstamped legacy item is still listed
    ]);
  });
});

describe('owners: organization API keys beside the people (a key is a member of its role, never more)', () => {
  it(
    'random backends: keys created, revoked and used among data requests, deletes, undeletes, days and erases',
    async () =>
      fc.assert(
        fc.asyncProperty(
          backendArbitrary().map(withOwners),
          fc.commands(
            [
              fc.oneof(
                { weight: 2, arbitrary: requests.map((s): Command => new RequestCommand(s)) },
                {
                  weight: 3,
                  arbitrary: keyedRequests(requests).map((s): Command => new RequestCommand(s)),
                },
                { weight: 2, arbitrary: keySpecs.map((s): Command => new KeyCommand(s)) },
                { weight: 1, arbitrary: memberSpecs.map((s): Command => new MemberCommand(s)) },
                { weight: 1, arbitrary: ownerSpecs.map((s): Command => new OwnerCommand(s)) },
              ),
            ],
            { maxCommands: COMMANDS, size: 'max' },
          ),
          async (b, commands) => runOwnersModel(b, [...SETUP, ...KEYS, ...commands]),
        ),
        { seed: SEED, numRuns: Math.max(4, Math.round(RUNS / 3)) },
      ),
    deadline(Math.max(300_000, RUNS * 20_000)),
  );
});

describe('owners: an API key’s life (fixed story)', () => {
  it('a key acts as a member of its role (its id the owner), never on another organization, and dies with its life and its organization’s', async () => {
    const byKey = (k: number, spec: RequestSpec): Command =>
      new RequestCommand({ ...spec, key: k });
    const keyList = (k: number, org = -1) =>
      byKey(k, { kind: 'list', p: 0, e: 0, expand: [false, false, false], count: false, org });
    await runOwnersModel(NOTES_AND_CATALOGUE, [
      ...SETUP,
      ...KEYS,
      key({ kind: 'create-key', p: ALICE, org: 0, role: 'Owner' }), // 400: never an Owner
      key({ kind: 'create-key', p: BOB, org: 0, role: 'Member' }), // 403: a Member
      byKey(0, {
        kind: 'create',
        p: 0,
        e: 1,
        id: 'a',
        region: undefined,
        name: undefined,
        refs: [],
        attack: undefined,
        org: -1,
      }),
      byKey(1, {
        kind: 'patch',
        p: 0,
        e: 1,
        id: 'a',
        region: undefined,
        field: 0,
        value: null,
        attack: undefined,
        org: -1,
      }),
      keyList(0, 1), // 403 api-key-not-allowed
      keyList(1),
      owner({ kind: 'days', days: 1 }),
      keyList(1), // 401: expired
      owner({ kind: 'delete', p: ALICE, org: 0 }),
      keyList(0), // 403 tenant-suspended, as its members
      owner({ kind: 'days', days: 2 }),
      owner({ kind: 'erase' }),
      keyList(0), // 401: its organization erased
      key({ kind: 'revoke-key', p: EVE, org: 1, key: 1 }),
      key({ kind: 'create-key', p: EVE, org: 1, role: 'Admin', days: 4 }),
      byKey(2, { kind: 'list', p: 0, e: 1, expand: [false, false, false], count: false, org: 1 }),
    ]);
  });
});

describe('owners: an API key at the MCP and dataOf doors (fixed story)', () => {
  it('dataOf in a handler the key calls acts as the member of its role in its organization; api/mcp refuses the key', async () => {
    const byKey = (k: number, spec: RequestSpec): Command =>
      new RequestCommand({ ...spec, key: k });
    const note = (id: string) => ({
      kind: 'create' as const,
      p: 0,
      e: 1,
      id,
      region: undefined,
      name: undefined,
      refs: [],
      attack: undefined,
      org: -1,
    });
    const keyList = (k: number, door: 'mcp' | 'data', org = -1) =>
      byKey(k, {
        kind: 'list',
        p: 0,
        e: 0,
        expand: [false, false, false],
        count: false,
        org,
        door,
      });
    await runOwnersModel(NOTES_AND_CATALOGUE, [
      ...SETUP,
      ...KEYS,
      // Shown able to fail with key-tenants.ts letting keys through at api/mcp (seed 59's first run, shrunk to
      // this request): 200 {"items":[]} where 403 api-key-not-allowed.
      keyList(0, 'mcp'),
      keyList(0, 'mcp', 0), // its own organization named: the door refuses, not the organization
      byKey(0, { ...note('a'), door: 'mcp' }), // 403: nothing written
      byKey(0, { ...note('a'), door: 'data' }), // 201: the Admin key's item, its id the owner, in org-one
      byKey(1, { ...note('b'), door: 'data' }), // the Member key of org-two: its own item in org-two
      keyList(0, 'data'), // org-one's items only
      keyList(1, 'data', 0), // 403 api-key-not-allowed: another organization named
      byKey(1, {
        kind: 'patch',
        p: 0,
        e: 1,
        id: 'b',
        region: undefined,
        field: 0,
        value: null,
        attack: undefined,
        org: -1,
        door: 'data',
      }), // its own item, by the owner rule
      key({ kind: 'revoke-key', p: ALICE, org: 0, key: 0 }),
      keyList(0, 'data'), // 401: revoked, at the function's gate
      keyList(0, 'mcp'), // 401 before the door's 403
    ]);
  });
});

describe('owners agree with the reference model', () => {
  it(
    'random backends: renames, deletes, undeletes, days and erases among data requests and membership changes',
    async () =>
      fc.assert(
        fc.asyncProperty(
          backendArbitrary().map(withOwners),
          fc.commands(
            [
              fc.oneof(
                { weight: 3, arbitrary: requests.map((s): Command => new RequestCommand(s)) },
                { weight: 1, arbitrary: memberSpecs.map((s): Command => new MemberCommand(s)) },
                { weight: 2, arbitrary: ownerSpecs.map((s): Command => new OwnerCommand(s)) },
              ),
            ],
            { maxCommands: COMMANDS, size: 'max' },
          ),
          async (b, commands) => runOwnersModel(b, [...SETUP, ...commands]),
        ),
        { seed: SEED, numRuns: Math.max(4, Math.round(RUNS / 2)) },
      ),
    deadline(Math.max(300_000, RUNS * 20_000)),
  );

  it(
    'focused: per-organization notes and a shared catalogue, from the usual setup',
    async () =>
      fc.assert(
        fc.asyncProperty(
          fc.commands(
            [
              fc.oneof(
                { weight: 2, arbitrary: requests.map((s): Command => new RequestCommand(s)) },
                { weight: 1, arbitrary: memberSpecs.map((s): Command => new MemberCommand(s)) },
                { weight: 2, arbitrary: ownerSpecs.map((s): Command => new OwnerCommand(s)) },
              ),
            ],
            { maxCommands: COMMANDS, size: 'max' },
          ),
          async (commands) => runOwnersModel(NOTES_AND_CATALOGUE, [...SETUP, ...commands]),
        ),
        { seed: SEED, numRuns: Math.max(4, Math.round(RUNS / 3)) },
      ),
    300_000,
  );
});
