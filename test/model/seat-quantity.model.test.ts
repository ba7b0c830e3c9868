/**
 * The model-based test of a per-seat Stripe subscription's quantity (test/model/README.md, "Per-seat quantity"):
 * random sequences, each on a fresh organization whose Owner opened a Checkout of the per-seat `team` plan, of people
 * joining (an invitation accepted) and members removed — before the Checkout is paid, after, and in pairs whose first
 * update reaches Stripe only after the second's (the stand-in's `faults.holdItemUpdates`) — the Checkout paid, and
 * the subscription moved to the flat `pro` price and back in the portal. After every step the quantity the Stripe
 * stand-in bills must be what seat-quantity-reference.ts predicts: the members, on the per-seat price.
 *
 * `ATAKORA_MODEL_RUNS`, `ATAKORA_MODEL_SEED`, `ATAKORA_MODEL_COMMANDS` as in data-plane.model.test.ts.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MEMBERSHIP_FUNCTIONS } from '../../src/contract/members.js';
import { principalHeader } from '../runtime/support/built-app.js';
import { invoke } from '../runtime/support/http.js';
import { type LocalCosmos, startLocalCosmos } from '../runtime/support/local-cosmos.js';
import { actingAs, type BillingApp, seedOrganization, startTeamSeatsApp } from './billing-app.js';
import { MODEL_RUNS } from './budget.js';
import {
  billedQuantity,
  joined,
  removed,
  type SeatState,
  SEATS_START,
} from './seat-quantity-reference.js';

const RUNS = Number(process.env.ATAKORA_MODEL_RUNS ?? Math.max(4, Math.ceil(MODEL_RUNS / 2)));
const SEED = Number(process.env.ATAKORA_MODEL_SEED ?? 59);
const COMMANDS = Number(process.env.ATAKORA_MODEL_COMMANDS ?? 10);
const PEOPLE = ['p1', 'p2', 'p3', 'p4', 'p5'];
const at = '2026-01-01T00:00:00.000Z';

let cosmos: LocalCosmos;
let app: BillingApp;
let runs = 0;
beforeAll(async () => {
  cosmos = await startLocalCosmos({ plain: true });
  app = await startTeamSeatsApp(cosmos, false);
});
afterAll(async () => {
  await app?.close();
  await cosmos?.stop();
});

interface Model {
  state: SeatState;
}
/** The run's organization and its open Checkout. */
interface Real {
  org: string;
  session: string;
}
type Command = fc.AsyncCommand<Model, Real>;

const fn = (name: keyof typeof MEMBERSHIP_FUNCTIONS) => app.handler(MEMBERSHIP_FUNCTIONS[name]);
const person = (user: string) =>
  principalHeader([
    ['tid', `${user}-directory`],
    ['oid', user],
    ['verified_primary_email', `${user}@example.com`],
  ]);
const userOf = (r: Real, p: string) => `${r.org}-${p}`;

async function join(r: Real, user: string): Promise<void> {
  const made = await invoke(fn('invitations'), 'POST', 'tenant/invitations', {
    headers: actingAs(`${r.org}-owner`, r.org),
    body: { email: `${user}@example.com`, roles: ['Member'] },
  });
  expect(made.status).toBe(201);
  const accepted = await invoke(fn('accept'), 'POST', 'invitations/accept', {
    headers: person(user),
    body: { token: new URL(String(made.body.acceptUrl)).searchParams.get('invitation') ?? '' },
  });
  expect(accepted.status).toBe(201);
}
async function remove(r: Real, user: string): Promise<void> {
  const gone = await invoke(fn('member'), 'DELETE', `tenant/members/${user}`, {
    headers: actingAs(`${r.org}-owner`, r.org),
    params: { userId: user },
  });
  expect(gone.status).toBe(204);
}

/** The subscription Stripe holds for the organization's record: its price and quantity. */
async function billed(r: Real): Promise<{ price?: string; quantity?: number }> {
  const record = (await app.tenants.item(r.org, r.org).read()).resource as {
    billing?: { subscription?: { id: string } };
  };
  const id = record.billing?.subscription?.id;
  const sub = id ? app.standIn.billing.subscriptions.get(id) : undefined;
  const item = (
    sub?.['items'] as { data: { quantity?: number; price: { id: string } }[] } | undefined
  )?.data[0];
  return { price: item?.price.id, quantity: item?.quantity };
}

/** After every step, every update landed: Stripe bills the reference's quantity. */
async function same(m: Model, r: Real): Promise<void> {
  await app.standIn.settled();
  const want = billedQuantity(m.state);
  const got = await billed(r);
  if (m.state.paid) expect(got.price).toBe(m.state.price);
  if (want !== undefined) expect(got.quantity).toBe(want);
}

class JoinCommand implements Command {
  constructor(readonly who: string) {}
  check = (m: Readonly<Model>) => !m.state.members.includes(this.who);
  async run(m: Model, r: Real): Promise<void> {
    await join(r, userOf(r, this.who));
    m.state = joined(m.state, this.who);
    await same(m, r);
  }
  toString = () => `join ${this.who}`;
}

class RemoveCommand implements Command {
  constructor(readonly pick: number) {}
  check = (m: Readonly<Model>) => m.state.members.length > 0;
  async run(m: Model, r: Real): Promise<void> {
    const who = m.state.members[this.pick % m.state.members.length] ?? '';
    await remove(r, userOf(r, who));
    m.state = removed(m.state, who);
    await same(m, r);
  }
  toString = () => `remove #${String(this.pick)}`;
}

/**
 * `who` joins, and their update reaches Stripe only after the next change's (`then`: another join, or two removals) —
 * an older count landing after a newer one.
 */
class ReorderedCommand implements Command {
  constructor(
    readonly who: string,
    readonly then: { join: string } | { remove: number },
  ) {}
  // On the per-seat price only: on the flat one no quantity is written, so nothing would be held.
  check = (m: Readonly<Model>) =>
    m.state.paid &&
    m.state.price === 'price_team' &&
    !m.state.members.includes(this.who) &&
    ('join' in this.then
      ? this.then.join !== this.who && !m.state.members.includes(this.then.join)
      : m.state.members.length >= 2);
  async run(m: Model, r: Real): Promise<void> {
    app.standIn.faults.holdItemUpdates = 1;
    const first = join(r, userOf(r, this.who));
    for (let i = 0; i < 600 && (app.standIn.faults.holdItemUpdates ?? 0) > 0; i++)
      await new Promise((go) => setTimeout(go, 25));
    m.state = joined(m.state, this.who);
    if ('join' in this.then) {
      await join(r, userOf(r, this.then.join));
      m.state = joined(m.state, this.then.join);
    } else {
      // Two removals: the count they leave differs from the one Stripe held before the join (a single removal would
      // bring it back to it, and nothing would be sent for the held update to wait behind).
      const others = m.state.members.filter((p) => p !== this.who);
      for (const k of [0, 1]) {
        const who = others[(this.then.remove + k) % others.length];
        if (who === undefined || !m.state.members.includes(who)) continue;
        await remove(r, userOf(r, who));
        m.state = removed(m.state, who);
      }
    }
    await first;
    app.standIn.faults.holdItemUpdates = 0;
    await same(m, r);
  }
  toString = () =>
    `join ${this.who} held behind ${'join' in this.then ? `join ${this.then.join}` : `remove #${String(this.then.remove)}`}`;
}

class PayCommand implements Command {
  check = (m: Readonly<Model>) => !m.state.paid;
  async run(m: Model, r: Real): Promise<void> {
    await app.standIn.completeCheckout(r.session);
    m.state = { ...m.state, paid: true };
    await same(m, r);
  }
  toString = () => 'pay the Checkout';
}

class PortalMoveCommand implements Command {
  check = (m: Readonly<Model>) => m.state.paid;
  async run(m: Model, r: Real): Promise<void> {
    const price = m.state.price === 'price_team' ? 'price_pro' : 'price_team';
    const record = (await app.tenants.item(r.org, r.org).read()).resource as {
      billing: { subscription: { id: string } };
    };
    await app.standIn.updateSubscription(record.billing.subscription.id, { price });
    m.state = { ...m.state, price };
    await same(m, r);
  }
  toString = () => 'move the plan in the portal';
}

const who = fc.constantFrom(...PEOPLE);
const commands = [
  who.map((p) => new JoinCommand(p)),
  fc.nat(9).map((n) => new RemoveCommand(n)),
  fc
    .tuple(
      who,
      fc.oneof(
        who.map((j) => ({ join: j })),
        fc.nat(9).map((n) => ({ remove: n })),
      ),
    )
    .map(([p, then]) => new ReorderedCommand(p, then)),
  fc.constant(new PayCommand()),
  fc.constant(new PortalMoveCommand()),
];

/** A fresh organization, its Owner, and the Owner's open Checkout of the per-seat `team`. */
async function fresh(): Promise<Real> {
  const org = `seats-${String(++runs)}`;
  await seedOrganization(app, org, `${org}-owner`, at);
  const opened = await invoke(
    app.handler('atakora-tenant-billing-checkout'),
    'POST',
    'tenant/billing/checkout',
    { headers: actingAs(`${org}-owner`, org), body: { plan: 'team' } },
  );
  expect(opened.status).toBe(200);
  const session = [...app.standIn.billing.sessions.values()]
    .filter((s) => s['client_reference_id'] === org)
    .at(-1);
  return { org, session: String(session?.['id']) };
}

describe('a per-seat subscription’s quantity (model)', () => {
  it('joins, removals, updates out of order, the first link and portal moves', async () => {
    await fc.assert(
      fc.asyncProperty(fc.commands(commands, { maxCommands: COMMANDS }), async (cmds) => {
        await fc.asyncModelRun(
          async () => ({ model: { state: SEATS_START }, real: await fresh() }),
          cmds,
        );
      }),
      { numRuns: RUNS, seed: SEED, endOnFailure: true },
    );
  });

  it('story: members join while the Checkout is open, a join held behind a removal, a move to flat and back', async () => {
    const m: Model = { state: SEATS_START };
    const r = await fresh();
    for (const step of [
      new JoinCommand('p1'),
      new JoinCommand('p2'),
      new PayCommand(),
      new ReorderedCommand('p3', { remove: 0 }),
      new PortalMoveCommand(),
      new JoinCommand('p4'),
      new PortalMoveCommand(),
    ])
      if (step.check(m)) await step.run(m, r);
    // The Owner, p3 and p4.
    expect(billedQuantity(m.state)).toBe(3);
  });
});
