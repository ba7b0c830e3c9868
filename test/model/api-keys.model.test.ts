/**
 * The model-based test of organization API keys (test/model/README.md, "API keys"): random keys created (by Owners,
 * Admins, Members, of allowed and refused roles and lives), revoked (by their organization, by another), used on the
 * data routes and on a people route (naming their organization, another or none), interleaved with days passing,
 * plans losing and regaining `api-keys`, and organizations suspended, resumed and erased — run on the reference
 * model (api-keys-reference.ts) and on the real runtime against the local Cosmos DB server. Every answer's status
 * and problem must agree, and a key's list of notes must hold exactly its organization's.
 *
 * `ATAKORA_MODEL_RUNS`, `ATAKORA_MODEL_SEED`, `ATAKORA_MODEL_COMMANDS` as in data-plane.model.test.ts.
 */
import type { Container } from '@azure/cosmos';
import type { HttpFunctionOptions, HttpHandler } from '@azure/functions';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RuntimeAuth, RuntimeEntity } from '../../src/model/runtime-manifest.js';
import { cosmosAuditStore } from '../../src/runtime/audit/audit-store.js';
import { noteEntity } from '../runtime/support/entities.js';
import { invoke, type Reply } from '../runtime/support/http.js';
import { type LocalCosmos, startLocalCosmos } from '../runtime/support/local-cosmos.js';
import { registerNotesApp } from '../runtime/support/notes-app.js';
import { code, member, record, reseed, who } from '../runtime/support/organization-calls.js';
import {
  type OrganizationsStore,
  organizationsStore,
} from '../runtime/support/organizations-app.js';
import { membershipAuth } from '../runtime/support/registry-auth.js';
import {
  type Answer,
  createKey,
  DAY_MS,
  type KeysState,
  keyRequest,
  MAX_DAYS,
  PER_ORGANIZATION,
  revokeKey,
} from './api-keys-reference.js';
import { MODEL_RUNS } from './budget.js';

const RUNS = Number(process.env.ATAKORA_MODEL_RUNS ?? MODEL_RUNS);
const SEED = Number(process.env.ATAKORA_MODEL_SEED ?? 59);
const COMMANDS = Number(process.env.ATAKORA_MODEL_COMMANDS ?? 25);

const policy: RuntimeAuth = membershipAuth(
  'home-dir',
  { plans: { basic: { features: [] }, pro: { features: ['api-keys'] } }, defaultPlan: 'basic' },
  { createTenants: 'any-user', apiKeys: { perOrganization: PER_ORGANIZATION, maxDays: MAX_DAYS } },
);
const notes: RuntimeEntity = {
  ...noteEntity,
  access: [
    { allow: 'role', role: 'Admin' },
    { allow: 'role', role: 'Member', operations: ['read', 'list'] },
    { allow: 'owner', operations: ['create', 'read', 'update', 'delete'] },
  ],
};
const ORGS = ['acme', 'globex'] as const;
const PEOPLE = {
  ada: ['acme', 'Owner'],
  al: ['acme', 'Admin'],
  bob: ['acme', 'Member'],
  gus: ['globex', 'Owner'],
} as const;
/** How long the registry's and the memberships' caches may keep an answer: a change holds on the next request past it. */
const CACHE_MS = 31_000;

let cosmos: LocalCosmos;
let c: OrganizationsStore;
let box: Container;
let clock = Date.parse('2026-05-01T00:00:00.000Z');
const fns = new Map<string, HttpFunctionOptions>();

beforeAll(async () => {
  cosmos = await startLocalCosmos();
  c = await organizationsStore(cosmos);
  box = c.notes;
  const deps = {
    audit: { store: cosmosAuditStore(c.audit) },
    tenantRegistry: { now: () => clock },
  };
  registerNotesApp(fns, policy, box, deps, { backendId: 'keys', entities: [notes] });
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

const fn = (name: string) => fns.get(name)?.handler as HttpHandler;
/** How often each command got each answer (`ATAKORA_MODEL_STATS=1` prints it: a budget spent on 401s finds little). */
const STATS = new Map<string, number>();
const answerOf = (r: Reply, what = ''): Answer => {
  const answer = r.status < 300 ? { status: r.status } : { status: r.status, code: code(r) };
  const k = `${what} ${String(answer.status)} ${answer.code ?? ''}`;
  STATS.set(k, (STATS.get(k) ?? 0) + 1);
  return answer;
};

/** The model and, beside it, each created key's id and secret (by the index the model keeps it at). */
interface Side {
  state: KeysState;
  readonly secrets: { id: string; key: string }[];
}
type Command = fc.AsyncCommand<Side, Side>;

const person = (user: keyof typeof PEOPLE, org: string) => ({
  ...who(user),
  'x-atakora-tenant': org,
});

class Create implements Command {
  constructor(
    readonly user: keyof typeof PEOPLE,
    readonly org: string,
    readonly role: 'Admin' | 'Member' | 'Owner',
    readonly days: number | undefined,
  ) {}
  check = () => true;
  async run(m: Side) {
    const want = createKey(m.state, this.user, this.org, this.role, this.days);
    const r = await invoke(fn('membership-api-keys'), 'POST', 'tenant/api-keys', {
      headers: person(this.user, this.org),
      body: {
        name: 'k',
        role: this.role,
        ...(this.days !== undefined ? { expiresInDays: this.days } : {}),
      },
    });
    expect(answerOf(r, 'create'), this.toString()).toEqual(want.answer);
    if (want.key) {
      m.state = { ...m.state, keys: [...m.state.keys, want.key] };
      m.secrets.push({ id: r.body.id, key: r.body.key });
    }
  }
  toString = () =>
    `${this.user} creates a ${this.role} key in ${this.org} for ${String(this.days)} days`;
}

class Revoke implements Command {
  constructor(
    readonly user: keyof typeof PEOPLE,
    readonly org: string,
    readonly index: number,
  ) {}
  check = (m: Readonly<Side>) => m.state.keys.length > 0;
  async run(m: Side) {
    const at = this.index % m.state.keys.length;
    const want = revokeKey(m.state, this.user, this.org, at);
    const id = m.secrets[at]?.id ?? 'none';
    const r = await invoke(fn('membership-api-key'), 'DELETE', `tenant/api-keys/${id}`, {
      headers: person(this.user, this.org),
      params: { id },
    });
    expect(answerOf(r, 'revoke'), this.toString()).toEqual(want);
    if (want.status === 204)
      m.state = {
        ...m.state,
        keys: m.state.keys.map((k, i) => (i === at ? { ...k, revoked: true } : k)),
      };
  }
  toString = () => `${this.user} revokes key #${String(this.index)} in ${this.org}`;
}

class Use implements Command {
  constructor(
    readonly index: number,
    readonly route: 'list' | 'create' | 'people',
    readonly named: string | undefined,
  ) {}
  check = (m: Readonly<Side>) => m.state.keys.length > 0;
  async run(m: Side) {
    const at = this.index % m.state.keys.length;
    const want = keyRequest(m.state, at, this.route, this.named);
    const headers = {
      authorization: `Bearer ${m.secrets[at]?.key ?? ''}`,
      ...(this.named !== undefined ? { 'x-atakora-tenant': this.named } : {}),
    };
    const r =
      this.route === 'people'
        ? await invoke(fn('membership-members'), 'GET', 'tenant/members', { headers })
        : this.route === 'list'
          ? await invoke(fn('NoteApi-collection'), 'GET', 'notes', { headers })
          : await invoke(fn('NoteApi-collection'), 'POST', 'notes', {
              headers,
              body: { title: 't' },
            });
    expect(answerOf(r, this.route), this.toString()).toEqual(want.answer);
    if (want.count !== undefined) expect(r.body.items, this.toString()).toHaveLength(want.count);
    const org = m.state.keys[at]?.org;
    if (want.answer.status === 201 && org !== undefined) {
      const o = m.state.orgs[org]!;
      m.state = { ...m.state, orgs: { ...m.state.orgs, [org]: { ...o, notes: o.notes + 1 } } };
    }
  }
  toString = () => `key #${String(this.index)} ${this.route} naming ${String(this.named)}`;
}

class Pass implements Command {
  constructor(readonly ms: number) {}
  check = () => true;
  async run(m: Side) {
    clock += this.ms;
    m.state = { ...m.state, now: clock };
  }
  toString = () => `${String(this.ms)} ms pass`;
}

class Change implements Command {
  constructor(
    readonly org: string,
    readonly to: 'basic' | 'pro' | 'suspended' | 'active' | 'erased',
  ) {}
  check = (m: Readonly<Side>) => m.state.orgs[this.org]?.status !== 'erased';
  async run(m: Side) {
    const o = m.state.orgs[this.org]!;
    const next =
      this.to === 'basic' || this.to === 'pro'
        ? { ...o, featured: this.to === 'pro' }
        : { ...o, status: this.to };
    if (next.status === 'erased') await c.tenants.item(this.org, this.org).delete();
    else
      await c.tenants.items.upsert({
        ...record(this.org, next.featured ? 'pro' : 'basic'),
        status: next.status,
      });
    // Past the registry cache's bound: the change holds on the next request of every kind.
    clock += CACHE_MS;
    m.state = { ...m.state, now: clock, orgs: { ...m.state.orgs, [this.org]: next } };
  }
  toString = () => `${this.org} becomes ${this.to}`;
}

const users = fc.constantFrom(...(Object.keys(PEOPLE) as (keyof typeof PEOPLE)[]));
const orgs = fc.constantFrom(...ORGS);
const index = fc.nat({ max: 11 });
/** Who creates where: mostly an Owner or an Admin in their own organization; now and then anyone anywhere. */
const creator = fc.oneof(
  {
    weight: 4,
    arbitrary: fc.constantFrom(['ada', 'acme'], ['al', 'acme'], ['gus', 'globex']) as fc.Arbitrary<
      [keyof typeof PEOPLE, string]
    >,
  },
  fc.tuple(
    users,
    fc.oneof(
      orgs.map((o) => o as string),
      fc.constant('initech'),
    ),
  ),
);
const create = fc
  .tuple(
    creator,
    fc.constantFrom('Admin', 'Member', 'Member', 'Owner') as fc.Arbitrary<
      'Admin' | 'Member' | 'Owner'
    >,
    fc.option(fc.integer({ min: 0, max: MAX_DAYS + 1 }), { nil: undefined }),
  )
  .map(([[u, o], r, d]) => new Create(u, o, r, d));
const revoke = fc.tuple(users, orgs, index).map(([u, o, i]) => new Revoke(u, o, i));
const use = fc
  .tuple(
    index,
    fc.constantFrom('list', 'list', 'create', 'people') as fc.Arbitrary<
      'list' | 'create' | 'people'
    >,
    fc.option(
      orgs.map((o) => o as string),
      { nil: undefined, freq: 3 },
    ),
  )
  .map(([i, r, n]) => new Use(i, r, n));
/** Creates and uses weigh most (a run of few keys finds little); time, plans and states change now and then. */
const commands = [
  create,
  create,
  create,
  revoke,
  use,
  use,
  use,
  use,
  fc.constantFrom(5_000, 29_000, DAY_MS, 7 * DAY_MS, 31 * DAY_MS).map((ms) => new Pass(ms)),
  fc
    .tuple(
      orgs,
      fc.constantFrom('basic', 'pro', 'suspended', 'active', 'erased') as fc.Arbitrary<
        'basic' | 'pro' | 'suspended' | 'active' | 'erased'
      >,
    )
    .map(([o, t]) => new Change(o, t)),
];

async function fresh(): Promise<Side> {
  // Past every cache's bound: this run's organizations are read afresh.
  clock += CACHE_MS;
  await reseed(
    c,
    ORGS.map((o) => record(o, 'pro')),
    Object.entries(PEOPLE).map(([user, [org, role]]) => member(org, user, [role])),
  );
  const { resources } = await box.items
    .query<{ id: string; tenantId: string }>('SELECT c.id, c.tenantId FROM c')
    .fetchAll();
  for (const r of resources) await box.item(r.id, r.tenantId).delete();
  const orgsState = Object.fromEntries(
    ORGS.map((o) => [
      o,
      {
        members: Object.fromEntries(
          Object.entries(PEOPLE)
            .filter(([, [org]]) => org === o)
            .map(([u, [, role]]) => [u, role]),
        ),
        featured: true,
        status: 'active' as const,
        notes: 0,
      },
    ]),
  );
  return { state: { now: clock, orgs: orgsState, keys: [] }, secrets: [] };
}

describe('organization API keys: the model and the runtime agree', () => {
  it('on random key lives, uses, plans and organization states', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.commands(commands, { maxCommands: COMMANDS, size: 'max' }),
        async (cmds) => {
          const side = await fresh();
          await fc.asyncModelRun(() => ({ model: side, real: side }), cmds);
        },
      ),
      { numRuns: RUNS, seed: SEED, endOnFailure: true },
    );
  });

  it('a downgrade leaves the keys revocable: revoked on basic, the key is 401 back on pro', async () => {
    // Issue #123: every key route once answered 402 on a plan without api-keys, revoking too — the keys an Owner
    // could not revoke came back to life on the next upgrade.
    const side = await fresh();
    await fc.asyncModelRun(
      () => ({ model: side, real: side }),
      [
        new Create('ada', 'acme', 'Member', 10),
        new Change('acme', 'basic'),
        new Revoke('bob', 'acme', 0),
        new Revoke('ada', 'acme', 0),
        new Change('acme', 'pro'),
        new Use(0, 'list', undefined),
      ],
    );
  });

  it('regression (seed 59, run 18): an erased organization’s key naming another is 401, not 403', async () => {
    // The runtime once decided the route and the named organization before reading the key's organization.
    const side = await fresh();
    await fc.asyncModelRun(
      () => ({ model: side, real: side }),
      [
        new Create('gus', 'globex', 'Member', 27),
        new Change('globex', 'erased'),
        new Use(0, 'list', 'acme'),
        new Use(0, 'people', undefined),
      ],
    );
  });
});
