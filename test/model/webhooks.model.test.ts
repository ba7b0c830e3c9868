/**
 * The model-based test of outbound webhooks (test/model/README.md, "Webhooks"): random writes of three
 * organizations' notes (create, update, delete, by an Owner, an Admin, a Member), members removed, and plans losing
 * and regaining `webhooks`, run on the real runtime against the local Cosmos DB server with one endpoint per
 * organization. The model says what each endpoint must receive: its own organization's events only, those its
 * `events` take, while its plan has `webhooks` (when the event is recorded, and when it is sent: the queue drains
 * after the actions), each item's in the order it was written, each note as its
 * organization's Owner read it right after the write. Every delivery is verified with `standardwebhooks` under the
 * endpoint's own secret.
 *
 * `ATAKORA_MODEL_RUNS`, `ATAKORA_MODEL_SEED`, `ATAKORA_MODEL_COMMANDS` as in data-plane.model.test.ts.
 */
import type { Container } from '@azure/cosmos';
import type { HttpFunctionOptions, HttpHandler } from '@azure/functions';
import fc from 'fast-check';
import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { RuntimeAuth } from '../../src/model/runtime-manifest.js';
import { cosmosAuditStore } from '../../src/runtime/audit/audit-store.js';
import { registerCrudRoutes } from '../../src/runtime/register-routes.js';
import type { WebhookJob } from '../../src/runtime/webhooks/webhook-queue.js';
import { noteEntity } from '../runtime/support/entities.js';
import { invoke } from '../runtime/support/http.js';
import { type LocalCosmos, startLocalCosmos } from '../runtime/support/local-cosmos.js';
import { member, record, reseed, who } from '../runtime/support/organization-calls.js';
import { membershipAuth } from '../runtime/support/registry-auth.js';
import { type Receiver, startReceiver } from '../runtime/support/webhook-receiver.js';
import { MODEL_RUNS } from './budget.js';
import { organizationsStore } from '../runtime/support/organizations-app.js';

const RUNS = Number(process.env.ATAKORA_MODEL_RUNS ?? MODEL_RUNS);
const SEED = Number(process.env.ATAKORA_MODEL_SEED ?? 59);
const COMMANDS = Number(process.env.ATAKORA_MODEL_COMMANDS ?? 25);

const policy: RuntimeAuth = membershipAuth(
  'home-dir',
  {
    plans: { basic: { features: ['audit'] }, pro: { features: ['audit', 'webhooks'] } },
    defaultPlan: 'basic',
  },
  { createTenants: 'any-user', audit: 'audit' },
);
const ORGS = ['acme', 'globex', 'initech'] as const;
type Org = (typeof ORGS)[number];
/** Each organization's Owner, Admin and Member; the endpoint's events. */
const PEOPLE: Record<Org, readonly [string, string, string]> = {
  acme: ['ada', 'al', 'bob'],
  globex: ['gus', 'gia', 'gil'],
  initech: ['ivy', 'ian', 'ike'],
};
const EVENTS: Record<Org, string[]> = {
  acme: ['*'],
  globex: ['note.*'],
  initech: ['note.created', 'member.removed'],
};
const CACHE_MS = 31_000;

type Action =
  | { kind: 'create'; org: Org; by: 0 | 1 | 2; title: string }
  | { kind: 'update' | 'delete'; org: Org; by: 0 | 1 | 2; pick: number; title: string }
  | { kind: 'remove-member'; org: Org }
  | { kind: 'plan'; org: Org; plan: 'basic' | 'pro' };

const actionArb: fc.Arbitrary<Action> = fc.oneof(
  {
    weight: 4,
    arbitrary: fc.record({
      kind: fc.constant('create' as const),
      org: fc.constantFrom(...ORGS),
      by: fc.constantFrom(0 as const, 1 as const, 2 as const),
      title: fc.string({ minLength: 1, maxLength: 12 }),
    }),
  },
  {
    weight: 3,
    arbitrary: fc.record({
      kind: fc.constantFrom('update' as const, 'delete' as const),
      org: fc.constantFrom(...ORGS),
      by: fc.constantFrom(0 as const, 1 as const, 2 as const),
      pick: fc.nat(),
      title: fc.string({ minLength: 1, maxLength: 12 }),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('remove-member' as const),
      org: fc.constantFrom(...ORGS),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('plan' as const),
      org: fc.constantFrom(...ORGS),
      plan: fc.constantFrom('basic' as const, 'pro' as const),
    }),
  },
);

/** What one delivery carries, as the model and the receiver compare it. */
interface Seen {
  readonly type: string;
  readonly chain: string;
  readonly data: unknown;
}

/** The model: which notes each organization holds, its plan, whether its Member is still one, what each endpoint must get. */
interface ModelState {
  notes: Record<Org, string[]>;
  plan: Record<Org, 'basic' | 'pro'>;
  memberLeft: Record<Org, boolean>;
  expected: Record<Org, Seen[]>;
}
const takes = (org: Org, type: string) =>
  EVENTS[org].some(
    (e) => e === '*' || e === type || (e.endsWith('.*') && type.startsWith(e.slice(0, -1))),
  );

let cosmos: LocalCosmos;
let c: { members: Container; tenants: Container; audit: Container };
let receiver: Receiver;
let now = Date.parse('2026-05-01T08:00:00.000Z');
const fns = new Map<string, HttpFunctionOptions>();
const queued: WebhookJob[] = [];
let runJob: ((job: WebhookJob) => Promise<void>) | undefined;

beforeAll(async () => {
  cosmos = await startLocalCosmos();
  receiver = await startReceiver();
  const { members, tenants, audit, notes } = await organizationsStore(cosmos);
  c = { members, tenants, audit };
  registerCrudRoutes(
    { http: (name, o) => fns.set(name, o) },
    { version: 1, backendId: 'orgs', entities: [noteEntity], auth: policy },
    {
      containerFor: () => notes,
      caller: policy,
      audit: { store: cosmosAuditStore(audit), now: () => new Date(now) },
      tenantRegistry: { now: () => now },
      webhooks: {
        allowLoopback: true,
        now: () => now,
        timeoutMs: 2000,
        queue: {
          attach: (run) => {
            runJob = run;
          },
          send: (job) => {
            queued.push(job);
            return Promise.resolve();
          },
        },
      },
    },
  );
});
afterAll(async () => {
  await receiver?.stop();
  await cosmos?.stop();
});

const call = (
  user: string,
  org: Org,
  name: string,
  method: string,
  path: string,
  o: { body?: unknown; params?: Record<string, string> } = {},
) => {
  const f = fns.get(name);
  if (!f) throw new Error(`no function ${name}`);
  return invoke(f.handler as HttpHandler, method, path, {
    headers: { ...who(user), 'x-atakora-tenant': org },
    ...o,
  });
};
const drain = async () => {
  while (queued.length > 0) {
    const job = queued.shift();
    if (job) await runJob?.(job);
  }
};
const setPlan = async (org: Org, plan: string) => {
  await c.tenants.items.upsert(record(org, plan));
  now += CACHE_MS;
};

/** One action on the runtime and on the model. */
async function step(m: ModelState, a: Action): Promise<void> {
  const expect1 = (org: Org, seen: Seen) => {
    if (m.plan[org] === 'pro' && takes(org, seen.type)) m.expected[org].push(seen);
  };
  if (a.kind === 'plan') {
    await setPlan(a.org, a.plan);
    m.plan[a.org] = a.plan;
    return;
  }
  const [owner, admin, member] = PEOPLE[a.org];
  if (a.kind === 'remove-member') {
    const r = await call(owner, a.org, 'membership-member', 'DELETE', `tenant/members/${member}`, {
      params: { userId: member },
    });
    expect(r.status).toBe(m.memberLeft[a.org] ? 404 : 204);
    if (!m.memberLeft[a.org])
      expect1(a.org, { type: 'member.removed', chain: `member:${member}`, data: member });
    m.memberLeft[a.org] = true;
    return;
  }
  const by = [owner, admin, member][a.by] ?? owner;
  // A Member removed writes nothing: its writes are refused, and no event is owed.
  const refused = a.by === 2 && m.memberLeft[a.org];
  if (a.kind === 'create') {
    const r = await call(by, a.org, 'NoteApi-collection', 'POST', 'notes', {
      body: { title: a.title },
    });
    expect(r.status).toBe(refused ? 403 : 201);
    if (refused) return;
    const id = String(r.body.id);
    m.notes[a.org].push(id);
    const read = await call(owner, a.org, 'NoteApi-item', 'GET', `notes/${id}`, { params: { id } });
    expect1(a.org, { type: 'note.created', chain: `note:${id}`, data: read.body });
    return;
  }
  const held = m.notes[a.org];
  const id = held[a.pick % Math.max(1, held.length)];
  if (id === undefined || refused) return;
  const r = await call(
    by,
    a.org,
    'NoteApi-item',
    a.kind === 'update' ? 'PATCH' : 'DELETE',
    `notes/${id}`,
    {
      params: { id },
      ...(a.kind === 'update' ? { body: { title: a.title } } : {}),
    },
  );
  expect(r.status).toBe(a.kind === 'update' ? 200 : 204);
  if (a.kind === 'delete') {
    held.splice(held.indexOf(id), 1);
    expect1(a.org, { type: 'note.deleted', chain: `note:${id}`, data: { id } });
    return;
  }
  const read = await call(owner, a.org, 'NoteApi-item', 'GET', `notes/${id}`, { params: { id } });
  expect1(a.org, { type: 'note.updated', chain: `note:${id}`, data: read.body });
}

/** Each chain's deliveries in order: what "in order per item" promises (chains interleave freely). */
const byChain = (seen: readonly Seen[]) => {
  const out: Record<string, unknown[]> = {};
  for (const s of seen) (out[s.chain] ??= []).push([s.type, s.data]);
  return out;
};

describe('webhooks: only the organization’s own events, as its Owner reads them, in order per item', () => {
  it('matches the model over random writes, removals and plan changes', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(actionArb, { minLength: 1, maxLength: COMMANDS }), run),
      { numRuns: RUNS, seed: SEED, endOnFailure: true },
    );
  });

  // Seed 59, run 5, with the plan check dropped (any active organization's endpoints delivered to): acme's note
  // written after its downgrade was delivered. Kept as a script: a plan without webhooks sends nothing.
  it('a downgraded organization gets nothing (regression script)', async () => {
    await run([
      { kind: 'create', org: 'initech', by: 1, title: 'a' },
      { kind: 'plan', org: 'acme', plan: 'basic' },
      { kind: 'create', org: 'acme', by: 1, title: 'b' },
      { kind: 'remove-member', org: 'globex' },
      { kind: 'plan', org: 'globex', plan: 'basic' },
      { kind: 'update', org: 'acme', by: 2, pick: 1, title: 'c' },
      { kind: 'plan', org: 'acme', plan: 'pro' },
      { kind: 'delete', org: 'acme', by: 0, pick: 0, title: '' },
    ]);
  });
});

/** One run: fresh organizations and endpoints, the actions on the runtime and the model, every endpoint compared. */
async function run(actions: readonly Action[]): Promise<void> {
  now += 86_400_000;
  queued.length = 0;
  receiver.received.length = 0;
  await reseed(
    c,
    ORGS.map((o) => record(o, 'pro')),
    ORGS.flatMap((o) =>
      PEOPLE[o].map((p, i) => member(o, p, [['Owner', 'Admin', 'Member'][i] ?? 'Member'])),
    ),
  );
  now += CACHE_MS;
  const secrets = {} as Record<Org, string>;
  for (const org of ORGS) {
    const r = await call(PEOPLE[org][0], org, 'membership-webhooks', 'POST', 'tenant/webhooks', {
      body: { url: receiver.url(`/${org}`), events: EVENTS[org] },
    });
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    secrets[org] = String(r.body.secret);
  }
  const m: ModelState = {
    notes: { acme: [], globex: [], initech: [] },
    plan: { acme: 'pro', globex: 'pro', initech: 'pro' },
    memberLeft: { acme: false, globex: false, initech: false },
    expected: { acme: [], globex: [], initech: [] },
  };
  for (const a of actions) await step(m, a);
  await drain();
  for (const org of ORGS) {
    const got: Seen[] = receiver.received
      .filter((r) => r.path === `/${org}`)
      .map((r) => {
        const spy = vi.spyOn(Date, 'now').mockReturnValue(now);
        try {
          const p = new Webhook(secrets[org]).verify(
            r.body,
            r.headers as Record<string, string>,
          ) as {
            type: string;
            tenant: string;
            data: Record<string, unknown>;
          };
          expect(p.tenant).toBe(org);
          const member = p.type.startsWith('member.');
          const subject = (p.data['subject'] as { id?: string } | undefined)?.id;
          return {
            type: p.type,
            chain: member ? `member:${String(subject)}` : `note:${String(p.data['id'])}`,
            data: member ? subject : p.data,
          };
        } finally {
          spy.mockRestore();
        }
      });
    // Sent only while the plan has webhooks too: the queue is drained after the actions, so an organization whose
    // plan lacks it by then has everything it recorded given up unsent (webhook-runner.ts `notServed`).
    expect(byChain(got), org).toEqual(byChain(m.plan[org] === 'pro' ? m.expected[org] : []));
  }
}
