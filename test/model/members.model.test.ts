/**
 * The model-based test of tenants by membership (test/model/README.md, "Memberships"): random backends whose
 * tenants are organizations (`tenants.by: 'membership'`, `createTenants: 'any-user'`), random organizations created,
 * invitations sent and accepted (by the invited person, or first by someone else, sometimes twice), roles changed and
 * members removed, interleaved with data requests of every principal naming an organization (or none) — all run on
 * the reference model (src/access/model/membership.ts beside the CRUD model) and on the real runtime against the
 * local Cosmos DB server. Every answer, the final data and the final memberships must agree: no access after a
 * removal, none across organizations, roles the membership's and never the token's (Ada and Evan carry an Admin app
 * role that counts for nothing here).
 *
 * `ATAKORA_MODEL_RUNS`, `ATAKORA_MODEL_SEED`, `ATAKORA_MODEL_COMMANDS` as in data-plane.model.test.ts.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { joinRequestList } from '../../src/access/model/joins.js';
import { membershipList } from '../../src/access/model/membership.js';
import { barList, viaList } from '../../src/access/model/member-lives.js';
import { type LocalCosmos, startLocalCosmos } from '../runtime/support/local-cosmos.js';
import { backendArbitrary, backendOf, requestArbitrary, type RequestSpec } from './arbitraries.js';
import { describeBackend, type ModelBackend, ORGANIZATIONS, PRINCIPALS } from './backend.js';
import { type ModelSide, RequestCommand, STATS } from './commands.js';
import { JoinCommand, type JoinSpec } from './join-commands.js';
import { MEMBER_ROLES, MemberCommand, type MemberSpec } from './member-commands.js';
import { EMPTY, finalData } from './reference-model.js';
import { barsOf, membershipsOf, realData, viasOf, withMembership } from './real-readback.js';
import { manifestOf, planOf, type RealApp, serve } from './real-app.js';
import { MODEL_RUNS } from './budget.js';
import { deadline } from '../support/patience.js';

const RUNS = Number(process.env.ATAKORA_MODEL_RUNS ?? MODEL_RUNS);
const SEED = Number(process.env.ATAKORA_MODEL_SEED ?? 59);
const COMMANDS = Number(process.env.ATAKORA_MODEL_COMMANDS ?? 25);
const [ALICE, BOB, ADA, EVE] = [0, 1, 2, 3];

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
        .map(([k, n]) => `${k}: ${n}`)
        .join('\n'),
    );
});

type Command = fc.AsyncCommand<ModelSide, RealApp>;

const principal = fc.nat({ max: PRINCIPALS.length - 1 });
const organization = fc.nat({ max: ORGANIZATIONS.length - 1 });
const roles = fc.subarray([...MEMBER_ROLES]);
/** Who sends a membership command: mostly the usual setup's members (Owners and Bob), where changes take effect. */
const member = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(ALICE, BOB, EVE) },
  { weight: 1, arbitrary: principal },
);
const memberSpecs: fc.Arbitrary<MemberSpec> = fc
  .oneof(
    {
      weight: 1,
      arbitrary: fc.record({
        kind: fc.constant('organization' as const),
        p: member,
        org: organization,
      }),
    },
    {
      weight: 3,
      arbitrary: fc.record({
        kind: fc.constant('join' as const),
        p: member,
        invitee: principal,
        acceptor: fc.oneof(
          { weight: 3, arbitrary: fc.constant(-1) },
          { weight: 1, arbitrary: principal },
        ),
        org: organization,
        roles,
        twice: fc.boolean(),
        later: fc.oneof(
          { weight: 2, arbitrary: fc.constant(false) },
          { weight: 1, arbitrary: fc.constant(true) },
        ),
      }),
    },
    {
      weight: 1,
      arbitrary: fc.record({
        kind: fc.constant('accept' as const),
        p: member,
        which: fc.nat({ max: 7 }),
      }),
    },
    {
      weight: 2,
      arbitrary: fc.record({
        kind: fc.constant('roles' as const),
        p: member,
        target: member,
        org: organization,
        roles,
      }),
    },
    {
      weight: 2,
      arbitrary: fc.record({
        kind: fc.constant('remove' as const),
        p: member,
        target: member,
        org: organization,
      }),
    },
    {
      weight: 1,
      arbitrary: fc.record(
        {
          kind: fc.constant('directory' as const),
          p: member,
          org: organization,
          op: fc.constantFrom('link' as const, 'link' as const, 'read' as const, 'unlink' as const),
          forged: fc.oneof(
            { weight: 4, arbitrary: fc.constant(false) },
            { weight: 1, arbitrary: fc.constant(true) },
          ),
          role: fc.constantFrom(...MEMBER_ROLES),
          requireDirectory: fc.boolean(),
        },
        { requiredKeys: ['kind', 'p', 'org', 'op'] },
      ),
    },
  )
  .map((s) => (s.kind === 'join' && s.acceptor === -1 ? { ...s, acceptor: s.invitee } : s));

/**
 * Data requests naming an organization (mostly org-one or org-two, sometimes one nobody created) or none, mostly by
 * the principals the usual setup makes members (a budget spent on not-a-member finds little).
 */
const requests = fc
  .tuple(
    requestArbitrary,
    fc.oneof(
      { weight: 6, arbitrary: fc.constant(-1) },
      { weight: 2, arbitrary: fc.constant(0) },
      { weight: 2, arbitrary: fc.constant(1) },
      { weight: 1, arbitrary: fc.constant(2) },
      { weight: 1, arbitrary: fc.constant(undefined) },
    ),
    fc.oneof(
      { weight: 3, arbitrary: fc.constantFrom(ALICE, BOB) },
      { weight: 1, arbitrary: fc.constantFrom(ADA, EVE) },
      { weight: 1, arbitrary: principal },
    ),
  )
  .map(([r, org, p]): RequestSpec => ({ ...r, org, p }));

/** Where most runs start: Alice owns org-one, Eve owns org-two, Bob is a member of org-one. */
const SETUP: MemberSpec[] = [
  { kind: 'organization', p: ALICE, org: 0 },
  { kind: 'organization', p: EVE, org: 1 },
  { kind: 'join', p: ALICE, invitee: BOB, acceptor: BOB, org: 0, roles: ['Member'], twice: false },
];

async function runMembershipModel(b: ModelBackend, commands: Iterable<Command>): Promise<void> {
  const app = await serve(cosmos, b, manifestOf(b, planOf(b)));
  try {
    const model: ModelSide = { backend: b, state: EMPTY, script: [], events: new Map() };
    await fc.asyncModelRun(() => ({ model, real: app }), commands);
    const where = `${describeBackend(b)}\nthe run's requests:\n  ${model.script.join('\n  ')}`;
    expect(await realData(app), `final data of\n  ${where}`).toEqual(finalData(model.state));
    const { resources } = await (app.members ?? app.containers[0]!).items
      .query<{
        id: string;
        roles: string[];
        kind?: string;
        tenant: string;
        userId: string;
        via?: string;
        by?: string;
      }>('SELECT * FROM c')
      .fetchAll();
    const pending = resources
      .filter((r) => r.kind === 'join-request')
      .map((r) => `${r.tenant}|${r.userId}`)
      .sort();
    expect(pending, `final join requests of\n  ${where}`).toEqual(joinRequestList(model.state));
    expect(membershipsOf(resources), `final memberships of\n  ${where}`).toEqual(
      membershipList(model.state.memberships),
    );
    // Each member's door (`via`), and who is barred: one life per person and organization.
    expect(viasOf(resources), `final doors of\n  ${where}`).toEqual(viaList(model.state));
    expect(barsOf(resources), `final bars of\n  ${where}`).toEqual(barList(model.state));
  } finally {
    await app.dispose();
  }
}

/** Per-organization notes (/tenantId) with an Admin rule, and a shared catalogue (/id): where roles and tenants meet. */
const NOTES_AND_CATALOGUE = withMembership(
  backendOf({
    multi: true,
    realtime: false,
    entities: [
      { key: 'tenantId', shared: false, rules: 2 },
      { key: 'id', shared: true, rules: 3 },
    ],
    edges: [],
  }),
);

describe('memberships agree with the reference model', () => {
  it(
    'random backends: organizations, invitations, role changes and removals interleaved with data requests',
    async () =>
      fc.assert(
        fc.asyncProperty(
          backendArbitrary().map(withMembership),
          fc.oneof(
            { weight: 4, arbitrary: fc.constant(true) },
            { weight: 1, arbitrary: fc.constant(false) },
          ),
          fc.commands(
            [
              fc.oneof(
                { weight: 3, arbitrary: requests.map((s): Command => new RequestCommand(s)) },
                { weight: 2, arbitrary: memberSpecs.map((s): Command => new MemberCommand(s)) },
              ),
            ],
            { maxCommands: COMMANDS, size: 'max' },
          ),
          async (b, setup, commands) =>
            runMembershipModel(b, [
              ...(setup ? SETUP.map((s) => new MemberCommand(s)) : []),
              ...commands,
            ]),
        ),
        { seed: SEED, numRuns: RUNS },
      ),
    deadline(Math.max(300_000, RUNS * 20_000)),
  );

  it(
    'focused: roles and removals on per-organization notes and a shared catalogue, from the usual setup',
    async () =>
      fc.assert(
        fc.asyncProperty(
          fc.commands(
            [
              fc.oneof(
                { weight: 2, arbitrary: requests.map((s): Command => new RequestCommand(s)) },
                {
                  weight: 1,
                  arbitrary: memberSpecs
                    .filter((s) => s.kind !== 'organization')
                    .map((s): Command => new MemberCommand(s)),
                },
              ),
            ],
            { maxCommands: COMMANDS, size: 'max' },
          ),
          async (commands) =>
            runMembershipModel(NOTES_AND_CATALOGUE, [
              ...SETUP.map((s) => new MemberCommand(s)),
              ...commands,
            ]),
        ),
        { seed: SEED, numRuns: Math.max(4, Math.round(RUNS / 3)) },
      ),
    300_000,
  );
});

describe('memberships: fixed stories', () => {
  it('Ada’s token role counts for nothing; after Bob is removed he reaches nothing of org-one', async () => {
    const create = (p: number, org: number | undefined): RequestSpec => ({
      kind: 'create',
      p,
      e: 0,
      id: 'a',
      region: undefined,
      name: undefined,
      refs: [],
      attack: undefined,
      org,
    });
    await runMembershipModel(NOTES_AND_CATALOGUE, [
      ...SETUP.map((s) => new MemberCommand(s)),
      new RequestCommand(create(BOB, 0)),
      new RequestCommand({
        kind: 'list',
        p: ADA,
        e: 0,
        expand: [false, false, false],
        count: false,
        org: 0,
      }),
      new MemberCommand({ kind: 'remove', p: ALICE, target: BOB, org: 0 }),
      new RequestCommand({
        kind: 'list',
        p: BOB,
        e: 0,
        expand: [false, false, false],
        count: false,
        org: 0,
      }),
      new RequestCommand({
        kind: 'read',
        p: BOB,
        e: 0,
        id: 'a',
        region: undefined,
        expand: [false, false, false],
        org: 0,
      }),
      new RequestCommand(create(EVE, 0)),
    ]);
  });
});

describe('memberships: invitations die with their inviter’s right to send them', () => {
  it('an Admin removed after inviting: the invitation answers 410 and the invitee never joins', async () => {
    await runMembershipModel(NOTES_AND_CATALOGUE, [
      ...SETUP.map((s) => new MemberCommand(s)),
      new MemberCommand({ kind: 'roles', p: ALICE, target: BOB, org: 0, roles: ['Admin'] }),
      new MemberCommand({
        kind: 'join',
        p: BOB,
        invitee: ADA,
        acceptor: ADA,
        org: 0,
        roles: ['Admin'],
        twice: false,
        later: true,
      }),
      new MemberCommand({ kind: 'remove', p: ALICE, target: BOB, org: 0 }),
      new MemberCommand({ kind: 'accept', p: ADA, which: 1 }),
    ]);
  });
  it('an Owner demoted to Admin: the Owner invitation dies, the Member one lives', async () => {
    await runMembershipModel(NOTES_AND_CATALOGUE, [
      ...SETUP.map((s) => new MemberCommand(s)),
      new MemberCommand({ kind: 'roles', p: ALICE, target: BOB, org: 0, roles: ['Owner'] }),
      ...[['Owner'], ['Member']].map(
        (roles, i) =>
          new MemberCommand({
            kind: 'join',
            p: BOB,
            invitee: i === 0 ? ADA : EVE,
            acceptor: i === 0 ? ADA : EVE,
            org: 0,
            roles,
            twice: false,
            later: true,
          }),
      ),
      new MemberCommand({ kind: 'roles', p: ALICE, target: BOB, org: 0, roles: ['Admin'] }),
      new MemberCommand({ kind: 'accept', p: ADA, which: 1 }),
      new MemberCommand({ kind: 'accept', p: EVE, which: 2 }),
    ]);
  });
});

describe('memberships: organizations one user may own are bounded', () => {
  it('Alice owns two (tenants.maxOrganizationsPerUser): a third is 409 organization-limit, whatever its id', async () => {
    await runMembershipModel(NOTES_AND_CATALOGUE, [
      new MemberCommand({ kind: 'organization', p: ALICE, org: 0 }),
      new MemberCommand({ kind: 'organization', p: ALICE, org: 1 }),
      new MemberCommand({ kind: 'organization', p: ALICE, org: 2 }),
      new MemberCommand({ kind: 'organization', p: ALICE, org: 0 }),
      new MemberCommand({ kind: 'organization', p: EVE, org: 2 }),
    ]);
  });
});

describe('memberships: invitation e-mail (tenants.email) is resent and bounded per organization and day', () => {
  it('a resend voids the link before it; sends and resends share the day’s bound of 4; org-two counts apart', async () => {
    const later = (p: number, invitee: number, org: number) =>
      new MemberCommand({
        kind: 'join',
        p,
        invitee,
        acceptor: invitee,
        org,
        roles: ['Member'],
        twice: false,
        later: true,
      });
    await runMembershipModel(NOTES_AND_CATALOGUE, [
      ...SETUP.map((s) => new MemberCommand(s)), // org-one's first e-mail: Bob's invitation
      later(ALICE, ADA, 0), // the second
      new MemberCommand({ kind: 'resend', p: ALICE, which: 1 }), // the third; Ada's old link 410
      new MemberCommand({ kind: 'resend', p: BOB, which: 1 }), // a Member: 403, nothing counted
      new MemberCommand({ kind: 'resend', p: ALICE, which: 0 }), // accepted already: 404
      later(ALICE, EVE, 0), // the fourth
      new MemberCommand({ kind: 'resend', p: ALICE, which: 1 }), // 429 invitation-limit
      later(ALICE, ADA, 0), // 429: nothing created
      later(EVE, BOB, 1), // org-two's day is its own: 201
      new MemberCommand({ kind: 'accept', p: ADA, which: 1 }), // the link of the first resend joins
    ]);
  });
});

describe('directory sign-in: fixed stories', () => {
  const list = (p: number, org: number | undefined): RequestSpec => ({
    kind: 'list',
    p,
    e: 0,
    expand: [false, false, false],
    count: false,
    org,
  });
  it('Alice links her directory: Ada joins on her first request; requireDirectory refuses Eve, not Alice', async () => {
    const EVAN = 4;
    await runMembershipModel(NOTES_AND_CATALOGUE, [
      ...SETUP.map((s) => new MemberCommand(s)),
      // Eve (another directory) forges Alice's: 403; Bob (a Member) may not link: 403.
      new MemberCommand({ kind: 'directory', p: EVE, org: 1, op: 'link', forged: true }),
      new MemberCommand({ kind: 'directory', p: BOB, org: 0, op: 'link' }),
      new MemberCommand({ kind: 'directory', p: ALICE, org: 0, op: 'link', role: 'Owner' }),
      new MemberCommand({ kind: 'directory', p: ALICE, org: 0, op: 'link', role: 'Admin' }),
      // Eve's directory is Evan's: she links it to org-two, and it cannot go to org-one too.
      new MemberCommand({ kind: 'directory', p: EVE, org: 1, op: 'link' }),
      new RequestCommand(list(ADA, undefined)),
      new RequestCommand(list(EVAN, 1)),
      new MemberCommand({ kind: 'directory', p: ADA, org: 0, op: 'read' }),
      new MemberCommand({
        kind: 'join',
        p: ALICE,
        invitee: EVE,
        acceptor: EVE,
        org: 0,
        roles: ['Member'],
        twice: false,
      }),
      new RequestCommand(list(EVE, 0)),
      new MemberCommand({
        kind: 'directory',
        p: ALICE,
        org: 0,
        op: 'link',
        role: 'Admin',
        requireDirectory: true,
      }),
      new RequestCommand(list(EVE, 0)),
      new RequestCommand(list(BOB, 0)),
      new MemberCommand({ kind: 'remove', p: ALICE, target: ADA, org: 0 }),
      new RequestCommand(list(ADA, 0)),
      new MemberCommand({ kind: 'directory', p: ALICE, org: 0, op: 'unlink' }),
      new RequestCommand(list(EVE, 0)),
    ]);
  });
});

describe('directory sign-in: an outsider refused, then joinable', () => {
  it('Ada, refused before Alice links her directory, joins on her next request (the serving instance at once)', async () => {
    const list = (p: number, org: number | undefined): RequestSpec => ({
      kind: 'list',
      p,
      e: 0,
      expand: [false, false, false],
      count: false,
      org,
    });
    // The runtime keeps an outsider's refusal for the membership cache's bound (runtime/members/join-misses.ts);
    // a link made on the instance that serves the next request must forget it: the model's answer is at once.
    await runMembershipModel(NOTES_AND_CATALOGUE, [
      ...SETUP.map((s) => new MemberCommand(s)),
      new RequestCommand(list(ADA, 0)),
      new RequestCommand(list(ADA, 0)),
      new RequestCommand(list(ADA, undefined)),
      new MemberCommand({ kind: 'directory', p: ALICE, org: 0, op: 'link' }),
      new RequestCommand(list(ADA, 0)),
      new RequestCommand(list(ADA, undefined)),
    ]);
  });
});

describe('regressions: the counterexamples the membership model found', () => {
  it('a directory join through dataOf keeps the token’s e-mail (an invitation to the member is 409)', async () => {
    // Seed 59 of the random property (25 runs), failed after 7 runs, shrunk 24 times: Evan's first request, through
    // a handler's dataOf, joined org-two by Eve's directory; the model's dataOf door sent his token without the
    // verified e-mail its REST requests carry, so the membership had none and Eve's invitation to him was 201.
    await runMembershipModel(withMembership(NOTES_AND_CATALOGUE), [
      ...SETUP.map((s) => new MemberCommand(s)),
      new MemberCommand({ kind: 'directory', p: EVE, org: 1, op: 'link' }),
      new RequestCommand({
        kind: 'create',
        p: 4,
        e: 0,
        id: 'a',
        region: undefined,
        name: undefined,
        refs: [],
        attack: 'tenantId',
        org: 1,
        door: 'data',
      }),
      new MemberCommand({
        kind: 'join',
        p: EVE,
        invitee: 4,
        acceptor: 4,
        org: 1,
        roles: [],
        twice: false,
      }),
    ]);
  });

  it('a shared item of one organization’s member shows its owner to nobody else', async () => {
    // Seed 59 of the focused property (25 runs), failed after 2 runs, shrunk 8 times (path 1:3:4:3:3:3:3:4:4): Bob,
    // a member of org-one, owns an item of the shared catalogue; Alice lists it and sees "ownerId": "bob" — a user
    // id handed to whoever reads shared data, which with organizations is every organization's users (as every
    // directory's with a multi-tenant sign-in, where the runtime hides it).
    await runMembershipModel(NOTES_AND_CATALOGUE, [
      ...SETUP.map((s) => new MemberCommand(s)),
      new RequestCommand({
        kind: 'legacy',
        p: BOB,
        e: 1,
        id: 'a',
        region: undefined,
        refs: [],
        org: 0,
      }),
      new RequestCommand({
        kind: 'list',
        p: ALICE,
        e: 1,
        expand: [false, false, false],
        count: false,
        org: 0,
      }),
    ]);
  });
});

const [MAL] = [5];
const joinCmd = (spec: JoinSpec) => new JoinCommand(spec);
/** Org-one (Alice's) verifies example.com — everybody's domain — and sets who joins through it. */
const domainOfOrgOne = (join: number, role = 0): Command[] => [
  joinCmd({ kind: 'domain', org: 0, domain: 0 }),
  joinCmd({ kind: 'set-join', p: ALICE, org: 0, domain: 0, join, role }),
];

describe('memberships: joins by verified domain', () => {
  it('auto: a verified e-mail on the domain joins at once as its role; twice is already-a-member; an unverified one never', async () => {
    await runMembershipModel(NOTES_AND_CATALOGUE, [
      ...SETUP.map((s) => new MemberCommand(s)),
      joinCmd({ kind: 'join', p: ADA, org: 0, unverified: false }), // no domain yet: 404
      ...domainOfOrgOne(2, 1), // auto, as Admin
      joinCmd({ kind: 'joinable', p: ADA, unverified: true }), // nothing listed
      joinCmd({ kind: 'join', p: ADA, org: 0, unverified: true }), // 403 email-not-verified
      joinCmd({ kind: 'joinable', p: ADA, unverified: false }),
      joinCmd({ kind: 'join', p: ADA, org: 1, unverified: false }), // org-two does not admit it: 404
      joinCmd({ kind: 'join', p: ADA, org: 2, unverified: false }), // nobody created it: the same 404
      joinCmd({ kind: 'join', p: ADA, org: 0, unverified: false }), // 201 as Admin
      joinCmd({ kind: 'join', p: ADA, org: 0, unverified: false }), // 409 already-a-member
      joinCmd({ kind: 'joinable', p: BOB, unverified: false }), // a member: nothing listed
      new RequestCommand({
        kind: 'list',
        p: ADA,
        e: 0,
        expand: [false, false, false],
        count: false,
        org: 0,
      }),
    ]);
  });

  it('request: pending until an Admin answers; a Member may not; org-two cannot take the domain', async () => {
    await runMembershipModel(NOTES_AND_CATALOGUE, [
      ...SETUP.map((s) => new MemberCommand(s)),
      ...domainOfOrgOne(1),
      joinCmd({ kind: 'domain', org: 1, domain: 0 }), // taken by org-one
      joinCmd({ kind: 'join', p: MAL, org: 0, unverified: false }), // 202
      joinCmd({ kind: 'join', p: MAL, org: 0, unverified: false }), // 409 join-request-exists
      joinCmd({ kind: 'joinable', p: MAL, unverified: false }), // pending: true
      joinCmd({ kind: 'answer', p: BOB, org: 0, requester: MAL, approve: true }), // 403
      joinCmd({ kind: 'answer', p: EVE, org: 0, requester: MAL, approve: true }), // 403 not-a-member
      new MemberCommand({ kind: 'roles', p: ALICE, target: BOB, org: 0, roles: ['Admin'] }),
      joinCmd({ kind: 'answer', p: BOB, org: 0, requester: MAL, approve: false }), // 204
      joinCmd({ kind: 'join', p: MAL, org: 0, unverified: false }), // asks again: 202
      joinCmd({ kind: 'answer', p: ALICE, org: 0, requester: MAL, approve: true }), // 201 Member
      joinCmd({ kind: 'answer', p: ALICE, org: 0, requester: MAL, approve: true }), // 404
      joinCmd({ kind: 'join', p: ADA, org: 0, unverified: false }), // 202, left pending at the end
    ]);
  });

  it('a domain gone unverified stops joins: its pending request expires, org-two may then claim it', async () => {
    await runMembershipModel(NOTES_AND_CATALOGUE, [
      ...SETUP.map((s) => new MemberCommand(s)),
      ...domainOfOrgOne(1),
      joinCmd({ kind: 'join', p: MAL, org: 0, unverified: false }), // 202
      joinCmd({ kind: 'lapse', domain: 0 }),
      joinCmd({ kind: 'joinable', p: ADA, unverified: false }), // nothing
      joinCmd({ kind: 'join', p: ADA, org: 0, unverified: false }), // 404
      joinCmd({ kind: 'answer', p: ALICE, org: 0, requester: MAL, approve: true }), // 410
      joinCmd({ kind: 'domain', org: 1, domain: 0 }), // claimed by org-two now
      joinCmd({ kind: 'set-join', p: EVE, org: 1, domain: 0, join: 2, role: 0 }),
      joinCmd({ kind: 'set-join', p: ALICE, org: 0, domain: 0, join: 2, role: 0 }), // its own, unverified: 200
      joinCmd({ kind: 'join', p: ADA, org: 0, unverified: false }), // 404: org-one no longer holds it
      joinCmd({ kind: 'join', p: ADA, org: 1, unverified: false }), // 201 in org-two
    ]);
  });
});

const joinSpecs: fc.Arbitrary<JoinSpec> = fc.oneof(
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('domain' as const),
      org: organization,
      domain: fc.nat(1),
    }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('lapse' as const), domain: fc.nat(1) }) },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('set-join' as const),
      p: member,
      org: organization,
      domain: fc.oneof(
        { weight: 4, arbitrary: fc.constant(0) },
        { weight: 1, arbitrary: fc.constant(1) },
      ),
      join: fc.nat(2),
      role: fc.nat(1),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('joinable' as const),
      p: principal,
      unverified: fc.boolean(),
    }),
  },
  {
    weight: 3,
    arbitrary: fc.record({
      kind: fc.constant('join' as const),
      p: principal,
      org: organization,
      unverified: fc.oneof(
        { weight: 4, arbitrary: fc.constant(false) },
        { weight: 1, arbitrary: fc.constant(true) },
      ),
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('answer' as const),
      p: member,
      org: organization,
      requester: principal,
      approve: fc.boolean(),
    }),
  },
);

describe('memberships and joins agree with the reference model', () => {
  it(
    'focused: domains verified and lapsing, joins auto and by request, answers, roles and removals, with data requests',
    async () =>
      fc.assert(
        fc.asyncProperty(
          fc.commands(
            [
              fc.oneof(
                { weight: 1, arbitrary: requests.map((s): Command => new RequestCommand(s)) },
                {
                  weight: 1,
                  arbitrary: memberSpecs
                    .filter(
                      (s) => s.kind === 'roles' || s.kind === 'remove' || s.kind === 'organization',
                    )
                    .map((s): Command => new MemberCommand(s)),
                },
                { weight: 3, arbitrary: joinSpecs.map((s): Command => new JoinCommand(s)) },
              ),
            ],
            { maxCommands: COMMANDS, size: 'max' },
          ),
          async (commands) =>
            runMembershipModel(NOTES_AND_CATALOGUE, [
              ...SETUP.map((s) => new MemberCommand(s)),
              ...domainOfOrgOne(1),
              ...commands,
            ]),
        ),
        { seed: SEED, numRuns: Math.max(4, Math.round(RUNS / 3)) },
      ),
    300_000,
  );
});

describe('one life per person and organization: removed means barred from every door', () => {
  // Shown failing on the runtime before the lives (seed-independent, the first request of each): Bob, removed by
  // Alice, joined org-one again through its domain at once — "bob joins org-one: expected 403 member-barred, got
  // 201" — and through its linked directory on his next request.
  const list = (p: number, org: number | undefined): RequestSpec => ({
    kind: 'list',
    p,
    e: 0,
    expand: [false, false, false],
    count: false,
    org,
  });
  it('Bob, removed, is refused by the domain (auto and by request) and the directory; an Admin’s invitation does not re-admit him, an Owner’s does', async () => {
    await runMembershipModel(NOTES_AND_CATALOGUE, [
      ...SETUP.map((s) => new MemberCommand(s)),
      ...domainOfOrgOne(2), // auto, as Member
      new MemberCommand({ kind: 'remove', p: ALICE, target: BOB, org: 0 }),
      joinCmd({ kind: 'joinable', p: BOB, unverified: false }), // nothing listed
      joinCmd({ kind: 'join', p: BOB, org: 0, unverified: false }), // 403 member-barred
      joinCmd({ kind: 'set-join', p: ALICE, org: 0, domain: 0, join: 1, role: 0 }),
      joinCmd({ kind: 'join', p: BOB, org: 0, unverified: false }), // by request: 403 too
      new MemberCommand({ kind: 'directory', p: ALICE, org: 0, op: 'link' }),
      new RequestCommand(list(BOB, 0)), // his directory's first request: not-a-member
      new RequestCommand(list(ADA, 0)), // Ada, never removed, joins through it
      new MemberCommand({ kind: 'roles', p: ALICE, target: ADA, org: 0, roles: ['Admin'] }),
      new MemberCommand({
        kind: 'join',
        p: ADA,
        invitee: BOB,
        acceptor: BOB,
        org: 0,
        roles: ['Member'],
        twice: false,
      }), // an Admin's invitation: 201 sent, 403 member-barred on acceptance (it stays open)
      new MemberCommand({ kind: 'resend', p: ALICE, which: 1 }), // the Owner sends it now: Bob joins
      new RequestCommand(list(BOB, 0)),
    ]);
  });

  it('a member who leaves is barred from nothing: Bob leaves and joins again through the domain', async () => {
    await runMembershipModel(NOTES_AND_CATALOGUE, [
      ...SETUP.map((s) => new MemberCommand(s)),
      ...domainOfOrgOne(2),
      new MemberCommand({ kind: 'remove', p: BOB, target: BOB, org: 0 }), // leaves
      joinCmd({ kind: 'join', p: BOB, org: 0, unverified: false }), // 201
    ]);
  });

  it('a removal and a join at once: the removal stands, whichever came first', async () => {
    await runMembershipModel(NOTES_AND_CATALOGUE, [
      ...SETUP.map((s) => new MemberCommand(s)),
      ...domainOfOrgOne(2),
      ...[0, 1, 2, 3].flatMap(() => [
        joinCmd({ kind: 'race', p: ALICE, org: 0, target: BOB }),
        // Only an Owner's invitation brings him back for the next round.
        new MemberCommand({
          kind: 'join',
          p: ALICE,
          invitee: BOB,
          acceptor: BOB,
          org: 0,
          roles: ['Member'],
          twice: false,
        }),
      ]),
    ]);
  });
});

describe('the organizations one user may own are counted wherever they become an Owner', () => {
  // Shown failing before: "bob accepts invitation 1 …: expected 409 organization-limit, got 201" (one account ran
  // 6 organizations against a bound of 3 through Owner invitations and handoffs).
  it('an Owner invitation accepted and a role change to Owner are 409 organization-limit past the bound', async () => {
    const invite = (p: number, invitee: number, roles: string[], later = false) =>
      new MemberCommand({
        kind: 'join',
        p,
        invitee,
        acceptor: invitee,
        org: 0,
        roles,
        twice: false,
        later,
      });
    await runMembershipModel(NOTES_AND_CATALOGUE, [
      new MemberCommand({ kind: 'organization', p: ALICE, org: 0 }),
      new MemberCommand({ kind: 'organization', p: BOB, org: 1 }),
      new MemberCommand({ kind: 'organization', p: BOB, org: 2 }), // Bob owns two: the bound
      invite(ALICE, BOB, ['Owner']), // 409 organization-limit; the invitation stays open
      invite(ALICE, BOB, ['Member']), // 409 invitation-exists
      invite(ALICE, EVE, ['Member']),
      new MemberCommand({ kind: 'roles', p: ALICE, target: EVE, org: 0, roles: ['Owner'] }), // 200: Eve owns one
      new MemberCommand({ kind: 'accept', p: BOB, which: 0 }), // still 409
    ]);
  });
  it('a handoff: Bob, owning two, cannot be made an Owner of a third', async () => {
    await runMembershipModel(NOTES_AND_CATALOGUE, [
      new MemberCommand({ kind: 'organization', p: ALICE, org: 0 }),
      new MemberCommand({
        kind: 'join',
        p: ALICE,
        invitee: BOB,
        acceptor: BOB,
        org: 0,
        roles: ['Member'],
        twice: false,
      }),
      new MemberCommand({ kind: 'organization', p: BOB, org: 1 }),
      new MemberCommand({ kind: 'organization', p: BOB, org: 2 }),
      new MemberCommand({ kind: 'roles', p: ALICE, target: BOB, org: 0, roles: ['Owner'] }), // 409
      new MemberCommand({ kind: 'roles', p: ALICE, target: BOB, org: 0, roles: ['Admin'] }), // 200
    ]);
  });
});

describe('directory links need authority in the directory', () => {
  // Shown failing before: "bob links 1111… to org-one: expected 403 directory-admin-required, got 200" — any Owner
  // signed in from a directory linked it, and its users' first requests landed in that organization.
  it('Bob, an Owner but an ordinary user of his directory, may not link it; Alice, its Global Administrator, may', async () => {
    await runMembershipModel(NOTES_AND_CATALOGUE, [
      ...SETUP.map((s) => new MemberCommand(s)),
      new MemberCommand({ kind: 'roles', p: ALICE, target: BOB, org: 0, roles: ['Owner'] }),
      new MemberCommand({ kind: 'directory', p: BOB, org: 0, op: 'link' }), // 403
      new MemberCommand({ kind: 'directory', p: BOB, org: 0, op: 'read' }), // 404: nothing linked
      new MemberCommand({ kind: 'directory', p: ALICE, org: 0, op: 'link' }), // 200
    ]);
  });
});
