/**
 * The model-based test of one billing channel per organization (test/model/README.md, "One channel"): random
 * sequences, each on a fresh organization of an app selling `pro` through Stripe and Azure Marketplace
 * (test/runtime/support/channel-app.ts: the real routes, both stand-ins), of its Owner's Checkout, the customer paying
 * it — the webhook's events delivered at once, or held (the endpoint unreachable) and delivered after later steps —,
 * Marketplace landings of new purchases with `?organization=`, the Stripe subscription canceled, the purchase
 * unsubscribed, and the operator giving a Stripe customer; run on channel-reference.ts and the runtime. Every answer
 * and, after every step, the record's plan, Stripe subscription, Marketplace link, customer and metered channel must
 * be the reference's, and Stripe must hold exactly the live subscriptions the reference says (no organization billed
 * by both channels, no refused subscription left billing).
 *
 * `ATAKORA_MODEL_RUNS`, `ATAKORA_MODEL_SEED`, `ATAKORA_MODEL_COMMANDS` as in data-plane.model.test.ts.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { meteringChannelOf } from '../../src/contract/marketplace/billing-channel.js';
import { marketplaceLinkOf } from '../../src/contract/marketplace/marketplace-link.js';
import { billingOf } from '../../src/contract/tenants.js';
import { type ChannelApp, startChannelApp } from '../runtime/support/channel-app.js';
import { invoke, type Reply } from '../runtime/support/http.js';
import { type LocalCosmos, startLocalCosmos } from '../runtime/support/local-cosmos.js';
import { recordOf } from '../runtime/support/marketplace-app.js';
import { actingAs, operator } from './billing-app.js';
import { MODEL_RUNS } from './budget.js';
import {
  type ChannelState,
  checkout,
  delivered,
  type Expected,
  land,
  metered,
  operatorCustomer,
  paid,
  START,
  stripeCanceled,
  unsubscribed,
} from './channel-reference.js';

const RUNS = Number(process.env.ATAKORA_MODEL_RUNS ?? Math.max(4, Math.ceil(MODEL_RUNS / 2)));
const SEED = Number(process.env.ATAKORA_MODEL_SEED ?? 59);
const COMMANDS = Number(process.env.ATAKORA_MODEL_COMMANDS ?? 10);
const at = '2026-01-01T00:00:00.000Z';

let cosmos: LocalCosmos;
let both: ChannelApp;
let runs = 0;
beforeAll(async () => {
  cosmos = await startLocalCosmos({ plain: true });
  both = await startChannelApp(cosmos);
});
afterAll(async () => {
  await both?.close();
  await cosmos?.stop();
});

interface Model {
  state: ChannelState;
}
/** The run's organization, its latest open session, the held events, the live purchase, the customers given. */
interface Real {
  org: string;
  session?: string;
  held: string[];
  purchase?: string;
  customers: number;
}
type Command = fc.AsyncCommand<Model, Real>;

const codeOf = (r: Reply) =>
  String((r.body as { type?: string } | undefined)?.type ?? '').replace(
    'urn:atakora:problem:',
    '',
  ) || undefined;
const placeOf = (status: string | undefined, live: readonly string[]) =>
  status === undefined ? 'none' : live.includes(status) ? 'live' : 'ended';

/** After every step: the record and what Stripe bills are the reference's. */
async function same(m: Model, r: Real): Promise<void> {
  const stored = (await both.app.tenants.item(r.org, r.org).read<Record<string, unknown>>())
    .resource as Record<string, unknown>;
  const billing = billingOf(stored['billing']);
  const link = marketplaceLinkOf(stored['marketplace']);
  const rec = await recordOf(both.app, r.org);
  // Every subscription a Checkout of this organization made: live ones are exactly the linked one and a held one.
  const liveAtStripe = [...both.stripe.billing.sessions.values()]
    .filter((s) => s['client_reference_id'] === r.org && s['subscription'])
    .map((s) => both.stripe.billing.subscriptions.get(String(s['subscription']))?.['status'])
    .filter((s) => s === 'active' || s === 'trialing').length;
  expect({
    plan: rec?.plan,
    stripe: placeOf(billing?.subscription?.status, ['active', 'trialing', 'past_due']),
    market: placeOf(link?.status, ['Subscribed', 'Suspended', 'PendingFulfillmentStart']),
    customer: !billing ? 'none' : billing.subscription ? 'subscription' : 'operator',
    metered: meteringChannelOf({ billing, marketplace: link }),
    liveAtStripe,
  }).toEqual({
    plan: m.state.plan,
    stripe: m.state.stripe,
    market: m.state.market,
    customer: m.state.customer,
    metered: metered(m.state),
    liveAtStripe: (m.state.stripe === 'live' ? 1 : 0) + (m.state.held ? 1 : 0),
  });
}

function answered(got: Reply, want: Expected): void {
  expect({ status: got.status, code: got.status >= 400 ? codeOf(got) : undefined }).toEqual({
    status: want.status,
    code: want.code,
  });
}

class CheckoutCommand implements Command {
  // A second Checkout while a paid one's events are still on their way would be a second subscription of one
  // organization (not this model's subject: billing.model.test.ts holds one subscription per organization).
  check = (m: Readonly<Model>) => !m.state.held;
  async run(m: Model, r: Real): Promise<void> {
    const got = await invoke(
      both.app.handler('atakora-tenant-billing-checkout'),
      'POST',
      'tenant/billing/checkout',
      { headers: actingAs('ada', r.org), body: { plan: 'pro' } },
    );
    const [want, next] = checkout(m.state);
    answered(got, want);
    if (got.status === 200)
      r.session = [...both.stripe.billing.sessions.values()]
        .filter((s) => s['client_reference_id'] === r.org)
        .map((s) => String(s['id']))
        .at(-1);
    m.state = next;
    await same(m, r);
  }
  toString = () => 'checkout';
}

class PayCommand implements Command {
  constructor(readonly held: boolean) {}
  check = (m: Readonly<Model>) => m.state.open && !m.state.held;
  async run(m: Model, r: Real): Promise<void> {
    const before = both.stripe.stripeEvents.length;
    const hook = both.stripe.webhook;
    if (this.held) both.stripe.webhook = null;
    try {
      await both.stripe.completeCheckout(r.session ?? '');
      await both.stripe.settled();
    } finally {
      both.stripe.webhook = hook;
    }
    if (this.held) r.held = both.stripe.stripeEvents.slice(before).map((e) => e.id);
    r.session = undefined;
    m.state = paid(m.state, this.held)[1];
    await same(m, r);
  }
  toString = () => (this.held ? 'pay (webhook unreachable)' : 'pay');
}

class DeliverCommand implements Command {
  check = (m: Readonly<Model>) => m.state.held;
  async run(m: Model, r: Real): Promise<void> {
    for (const id of r.held) expect((await both.stripe.resend(id)).status).toBe(200);
    r.held = [];
    m.state = delivered(m.state)[1];
    await same(m, r);
  }
  toString = () => 'deliver the held events';
}

class LandCommand implements Command {
  check = () => true;
  async run(m: Model, r: Real): Promise<void> {
    const { subscriptionId, token } = both.app.standIn.purchase({ planId: 'pro-monthly' });
    const got = await both.app.land(token, 'ada', { organization: r.org });
    const [want, next] = land(m.state);
    answered(got, want);
    if (got.status === 302) r.purchase = subscriptionId;
    m.state = next;
    await same(m, r);
  }
  toString = () => 'land a purchase';
}

class CancelStripeCommand implements Command {
  check = (m: Readonly<Model>) => m.state.stripe === 'live';
  async run(m: Model, r: Real): Promise<void> {
    const stored = await recordOf(both.app, r.org);
    const id = String((stored?.billing?.subscription as { id?: string } | undefined)?.id);
    await both.stripe.cancelSubscription(id);
    await both.stripe.settled();
    m.state = stripeCanceled(m.state);
    await same(m, r);
  }
  toString = () => 'cancel the Stripe subscription';
}

class UnsubscribeCommand implements Command {
  check = (m: Readonly<Model>) => m.state.market === 'live';
  async run(m: Model, r: Real): Promise<void> {
    const done = await both.app.standIn.unsubscribe(r.purchase ?? '');
    expect(done.delivery.status).toBe(200);
    m.state = unsubscribed(m.state);
    await same(m, r);
  }
  toString = () => 'unsubscribe the purchase';
}

class OperatorCustomerCommand implements Command {
  // A customer given over a live subscription would orphan it (not this model's subject).
  check = (m: Readonly<Model>) => m.state.stripe !== 'live' && !m.state.held && !m.state.open;
  async run(m: Model, r: Real): Promise<void> {
    // A customer the operator made in Stripe (Customers → Add customer): a later Checkout reuses it.
    const customer = String(both.stripe.billing.createCustomer({ name: r.org })['id']);
    r.customers++;
    const got = await invoke(both.app.handler('tenants-admin-item'), 'PATCH', `tenants/${r.org}`, {
      headers: operator(),
      body: {
        billing: { stripeCustomerId: customer },
      },
      params: { id: r.org },
    });
    expect(got.status).toBe(200);
    m.state = operatorCustomer(m.state);
    await same(m, r);
  }
  toString = () => 'the operator gives a Stripe customer';
}

const commands = [
  fc.constant(new CheckoutCommand()),
  fc.boolean().map((held) => new PayCommand(held)),
  fc.constant(new DeliverCommand()),
  fc.constant(new LandCommand()),
  fc.constant(new CancelStripeCommand()),
  fc.constant(new UnsubscribeCommand()),
  fc.constant(new OperatorCustomerCommand()),
];

/** A fresh organization on the free plan, Ada its Owner. */
async function fresh(): Promise<Real> {
  const org = `ch-${String(++runs)}`;
  await both.app.tenants.items.upsert({
    id: org,
    plan: 'free',
    status: 'active',
    createdOn: at,
    updatedOn: at,
  });
  await both.app.members.items.upsert({
    id: `${org}|ada`,
    tenant: org,
    userId: 'ada',
    roles: ['Owner'],
    addedOn: at,
    via: 'created',
  });
  return { org, held: [], customers: 0 };
}

async function script(steps: readonly Command[]): Promise<void> {
  const m: Model = { state: START };
  const r = await fresh();
  for (const step of steps) if (step.check(m)) await step.run(m, r);
}

describe('one billing channel per organization (model)', () => {
  it('random checkouts, payments delivered late, landings, cancellations and the operator’s customer', async () => {
    await fc.assert(
      fc.asyncProperty(fc.commands(commands, { maxCommands: COMMANDS }), async (cmds) => {
        await fc.asyncModelRun(
          async () => ({ model: { state: START }, real: await fresh() }),
          cmds,
        );
      }),
      { numRuns: RUNS, seed: SEED, endOnFailure: true },
    );
  });

  it('regression: a Checkout paid while the webhook is unreachable, a landing, then the late events', async () => {
    await script([
      new CheckoutCommand(),
      new PayCommand(true),
      new LandCommand(),
      new DeliverCommand(),
    ]);
  });

  it('regression: a Checkout opened before the landing and paid after it', async () => {
    await script([new CheckoutCommand(), new LandCommand(), new PayCommand(false)]);
  });

  it('regression: the operator’s customer after a landing is metered only once the purchase ends', async () => {
    await script([
      new LandCommand(),
      new OperatorCustomerCommand(),
      new LandCommand(),
      new UnsubscribeCommand(),
      new LandCommand(),
    ]);
  });
});
