/**
 * The model-based test of subscriptions (test/model/README.md, "Subscriptions"): random sequences of billing route
 * calls by an organization's Owner, Admin and Member and by an outsider, interleaved with what customers do in
 * Stripe — pay an open Checkout (the latest or an older one), a payment failing or recovering, a plan change in the
 * portal, a cancel — run on the reference (billing-reference.ts) and on the real runtime with the Stripe stand-in,
 * whose signed webhooks the runtime applies — and the operator suspending or resuming the organization. Every answer
 * (status, problem, the billing view) and, after every change, the organization's plan, status, subscription status
 * and customer must agree with the reference. Run twice: `onCanceled: 'default-plan'` and `'suspend'` (an organization
 * billing suspended whose Owners can still pay to come back).
 *
 * `ATAKORA_MODEL_RUNS`, `ATAKORA_MODEL_SEED`, `ATAKORA_MODEL_COMMANDS` as in data-plane.model.test.ts.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { invoke } from '../runtime/support/http.js';
import { type LocalCosmos, startLocalCosmos } from '../runtime/support/local-cosmos.js';
import { actingAs, type BillingApp, operator, startBillingApp } from './billing-app.js';
import {
  afterCheckoutPaid,
  afterOperator,
  afterSubscription,
  type BillingRoute,
  type BillingState,
  billingAnswer,
  changeable,
  type OnCanceled,
  PLANS,
  PRICES,
  type Role,
  type SubscriptionStatus,
} from './billing-reference.js';

const RUNS = Number(process.env.ATAKORA_MODEL_RUNS ?? 12);
const SEED = Number(process.env.ATAKORA_MODEL_SEED ?? 59);
const COMMANDS = Number(process.env.ATAKORA_MODEL_COMMANDS ?? 20);
const at = '2026-01-01T00:00:00.000Z';
/** How often each command ran to each answer (`ATAKORA_MODEL_STATS=1` prints it): a run of refusals finds little. */
const STATS = new Map<string, number>();
const tally = (k: string) => STATS.set(k, (STATS.get(k) ?? 0) + 1);

/** The callers: their roles in the run's organization (null: an Owner of another one). */
const CALLERS: readonly { readonly user: string; readonly roles: readonly Role[] | null }[] = [
  { user: 'ada', roles: ['Owner'] },
  { user: 'bob', roles: ['Admin'] },
  { user: 'mel', roles: ['Member'] },
  { user: 'olga', roles: ['Admin', 'Owner'] },
  { user: 'gus', roles: null },
];

/** One app per `onCanceled`, each on its own Cosmos DB server (a customer id is one organization's registry-wide). */
const servers: LocalCosmos[] = [];
const apps = new Map<OnCanceled, BillingApp>();
let app: BillingApp;
let onCanceled: OnCanceled = 'default-plan';
const use = (mode: OnCanceled) => {
  onCanceled = mode;
  app = apps.get(mode)!;
};
beforeAll(async () => {
  for (const mode of ['default-plan', 'suspend'] as const) {
    const cosmos = await startLocalCosmos();
    servers.push(cosmos);
    apps.set(
      mode,
      await startBillingApp(
        cosmos,
        { free: {}, pro: {}, team: {} },
        { [PRICES.pro]: 'pro', [PRICES.team]: 'team' },
        [
          { id: PRICES.pro, unitAmount: 2900 },
          { id: PRICES.team, unitAmount: 9900 },
        ],
        { onCanceled: mode },
      ),
    );
  }
});
afterAll(async () => {
  for (const a of apps.values()) await a.close();
  for (const c of servers) await c.stop();
  if (process.env.ATAKORA_MODEL_STATS)
    console.log(
      [...STATS]
        .sort()
        .map(([k, n]) => `${k}: ${String(n)}`)
        .join('\n'),
    );
});

/** The model's side: the organization's billing and the Checkouts opened and not paid yet (plan, session id). */
interface Model {
  state: BillingState;
  open: { id: string; plan: string }[];
}
/** The real side: the run's own organization (fresh each run: no cache holds it). */
interface Real {
  org: string;
}
type Command = fc.AsyncCommand<Model, Real>;

const ROUTES: Record<BillingRoute, [string, 'GET' | 'POST', string]> = {
  checkout: ['atakora-tenant-billing-checkout', 'POST', 'tenant/billing/checkout'],
  portal: ['atakora-tenant-billing-portal', 'POST', 'tenant/billing/portal'],
  billing: ['atakora-tenant-billing', 'GET', 'tenant/billing'],
  tenant: ['tenant-self', 'GET', 'tenant'],
};

const record = async (org: string) =>
  (await app.tenants.item(org, org).read<Record<string, unknown>>()).resource as unknown as {
    plan: string;
    status: string;
    suspendedBy?: string;
    billing?: { stripeCustomerId?: string; subscription?: { id: string; status: string } };
  };

/** After a change in Stripe: the record's plan, status, subscription status and customer are the model's. */
async function sameRecord(m: Model, r: Real): Promise<void> {
  const rec = await record(r.org);
  expect({
    plan: rec.plan,
    suspended: rec.status === 'suspended' ? (rec.suspendedBy ?? 'operator') : null,
    status: rec.billing?.subscription?.status ?? null,
    customer: rec.billing?.stripeCustomerId ?? null,
  }).toEqual({
    plan: m.state.plan,
    suspended: m.state.suspended ?? null,
    status: m.state.subscription?.status ?? null,
    customer: m.state.customer ?? null,
  });
}

class CallCommand implements Command {
  constructor(
    readonly who: number,
    readonly route: BillingRoute,
    readonly plan: string,
  ) {}
  check = () => true;
  async run(m: Model, r: Real): Promise<void> {
    const caller = CALLERS[this.who]!;
    const [name, method, path] = ROUTES[this.route];
    const body = this.route === 'checkout' ? { plan: this.plan } : undefined;
    const got = await invoke(app.handler(name), method, path, {
      headers: actingAs(caller.user, r.org),
      ...(body ? { body } : {}),
    });
    const want = billingAnswer(this.route, caller.roles, m.state, this.plan);
    tally(`${this.route} ${String(got.status)}`);
    expect({
      status: got.status,
      code: String(got.body?.type ?? '').replace('urn:atakora:problem:', '') || undefined,
      ...(want.view ? { view: { plan: got.body?.plan, status: got.body?.status } } : {}),
    }).toEqual({ status: want.status, code: want.code, ...(want.view ? { view: want.view } : {}) });
    if (this.route === 'checkout' && got.status === 200) {
      const id = /\/c\/pay\/(cs_[A-Za-z0-9]+)$/.exec(String(got.body?.url))?.[1] ?? '';
      m.open.push({ id, plan: this.plan });
    }
  }
  toString = () =>
    `${CALLERS[this.who]!.user} ${this.route}${this.route === 'checkout' ? ` ${this.plan}` : ''}`;
}

/** A customer pays an open Checkout (`pick` among them: the latest, or an older one opened before). */
class PayCommand implements Command {
  constructor(readonly pick: number) {}
  check = (m: Readonly<Model>) => m.open.length > 0;
  async run(m: Model, r: Real): Promise<void> {
    const [session] = m.open.splice(this.pick % m.open.length, 1);
    await app.standIn.completeCheckout(session!.id);
    // The customer Stripe billed: the organization's, reused by the session, or a new one for a session opened
    // before the organization had one. The reference decides what it changes.
    const customer = String(app.standIn.billing.sessions.get(session!.id)?.['customer']);
    const before = m.state;
    m.state = afterCheckoutPaid(m.state, session!.plan, customer, onCanceled);
    tally(m.state === before ? 'pay: another customer, nothing changes' : 'pay: applied');
    await sameRecord(m, r);
  }
  toString = () => `pay #${String(this.pick)}`;
}

/** The subscription changes in Stripe: a status (failed or recovered payment, cancel) or a plan (the portal). */
class StripeCommand implements Command {
  constructor(readonly change: { status?: SubscriptionStatus; plan?: 'pro' | 'team' }) {}
  check = (m: Readonly<Model>) => changeable(m.state);
  async run(m: Model, r: Real): Promise<void> {
    const id = String((await record(r.org)).billing?.subscription?.id);
    const sub = m.state.subscription!;
    if (this.change.plan) {
      await app.standIn.updateSubscription(id, { price: PRICES[this.change.plan] });
      m.state = afterSubscription(m.state, { ...sub, plan: this.change.plan }, onCanceled);
    } else {
      const status = this.change.status!;
      await app.standIn.updateSubscription(id, { status });
      m.state = afterSubscription(m.state, { ...sub, status }, onCanceled);
    }
    tally(`stripe → ${m.state.plan} ${String(m.state.subscription?.status)}`);
    await sameRecord(m, r);
  }
  toString = () => `stripe ${JSON.stringify(this.change)}`;
}

/** The operator suspends or resumes the organization (`PATCH api/tenants/{id}` as the TenantAdmin). */
class OperatorCommand implements Command {
  constructor(readonly suspend: boolean) {}
  check = () => true;
  async run(m: Model, r: Real): Promise<void> {
    const got = await invoke(app.handler('tenants-admin-item'), 'PATCH', `tenants/${r.org}`, {
      headers: operator(),
      params: { id: r.org },
      body: { status: this.suspend ? 'suspended' : 'active' },
    });
    expect(got.status).toBe(200);
    m.state = afterOperator(m.state, this.suspend);
    await sameRecord(m, r);
  }
  toString = () => `operator ${this.suspend ? 'suspend' : 'resume'}`;
}

// The statuses that end a subscription first: fast-check favours the first values of a list.
const commands = [
  fc
    .tuple(
      fc.nat({ max: CALLERS.length - 1 }),
      fc.constantFrom<BillingRoute>('checkout', 'portal', 'billing', 'tenant'),
      fc.constantFrom(...PLANS),
    )
    .map(([w, route, plan]) => new CallCommand(w, route, plan)),
  // Owners open more Checkouts than the random callers would, so payments happen.
  fc.constantFrom(...(['pro', 'team'] as const)).map((p) => new CallCommand(0, 'checkout', p)),
  fc.nat({ max: 3 }).map((n) => new PayCommand(n)),
  fc
    .constantFrom<SubscriptionStatus>('canceled', 'past_due', 'unpaid', 'active', 'trialing')
    .map((status) => new StripeCommand({ status })),
  fc.constantFrom(...(['pro', 'team'] as const)).map((plan) => new StripeCommand({ plan })),
  // Rarer than the rest: a run the operator suspends at once tests little else.
  fc
    .tuple(fc.boolean(), fc.nat({ max: 3 }))
    .filter(([, n]) => n === 0)
    .map(([suspend]) => new OperatorCommand(suspend)),
];

let runs = 0;
/** A fresh organization of the run, its callers members of it (gus of another), on the default plan. */
async function freshOrganization(): Promise<Real> {
  runs++;
  const org = `org-${String(runs)}`;
  await app.tenants.items.upsert({
    id: org,
    plan: 'free',
    status: 'active',
    createdOn: at,
    updatedOn: at,
  });
  for (const c of CALLERS)
    await app.members.items.upsert({
      id: `${c.roles ? org : 'elsewhere'}|${c.user}`,
      tenant: c.roles ? org : 'elsewhere',
      userId: c.user,
      roles: c.roles ?? ['Owner'],
      addedOn: at,
    });
  return { org };
}
const fresh = (): Model => ({ state: { plan: 'free' }, open: [] });

describe.each(['default-plan', 'suspend'] as const)(
  'subscriptions (onCanceled %s): the billing routes and the plan following the subscription, against the reference',
  (mode) => {
    beforeAll(() => use(mode));
    it('agree on every answer and on the plan after every change in Stripe', async () => {
      await fc.assert(
        fc.asyncProperty(
          fc.commands(commands, { maxCommands: COMMANDS, size: 'max' }),
          async (cmds) => {
            const real = await freshOrganization();
            await fc.asyncModelRun(() => ({ model: fresh(), real }), cmds);
          },
        ),
        { numRuns: RUNS, seed: SEED, endOnFailure: true },
      );
    });

    // A whole life, always run: two Checkouts opened before the first payment (the older one paid later makes a
    // second customer: nothing changes), a failed payment kept on its plan, a plan change in the portal, unpaid →
    // the default plan, a new Checkout allowed again, a cancel.
    it('replays a subscription’s whole life', async () => {
      const real = await freshOrganization();
      const script: Command[] = [
        new CallCommand(2, 'billing', 'free'),
        new CallCommand(0, 'portal', 'free'),
        new CallCommand(0, 'checkout', 'pro'),
        new CallCommand(3, 'checkout', 'team'),
        new PayCommand(1),
        new CallCommand(1, 'billing', 'free'),
        new CallCommand(0, 'checkout', 'team'),
        new PayCommand(0),
        new StripeCommand({ status: 'past_due' }),
        new CallCommand(0, 'billing', 'free'),
        new StripeCommand({ plan: 'pro' }),
        new StripeCommand({ status: 'unpaid' }),
        new CallCommand(0, 'checkout', 'pro'),
        new PayCommand(0),
        new CallCommand(4, 'billing', 'free'),
        new StripeCommand({ status: 'canceled' }),
        new CallCommand(3, 'portal', 'free'),
        // Canceled: suspended under 'suspend' — the members shut out, the Owners and Admins still see their billing,
        // an Owner pays again and the organization comes back.
        new CallCommand(2, 'tenant', 'free'),
        new CallCommand(1, 'billing', 'free'),
        new CallCommand(1, 'checkout', 'team'),
        new CallCommand(2, 'billing', 'free'),
        new CallCommand(0, 'checkout', 'team'),
        new PayCommand(0),
        new CallCommand(2, 'tenant', 'free'),
        // The operator's suspension closes everything, even to Owners; a payment does not lift it.
        new StripeCommand({ status: 'unpaid' }),
        new OperatorCommand(true),
        new CallCommand(0, 'billing', 'free'),
        new CallCommand(0, 'checkout', 'pro'),
        new OperatorCommand(false),
        new CallCommand(0, 'checkout', 'pro'),
        new OperatorCommand(true),
        new PayCommand(0),
        new CallCommand(3, 'billing', 'free'),
        new OperatorCommand(false),
        new CallCommand(2, 'tenant', 'free'),
      ];
      await fc.asyncModelRun(() => ({ model: fresh(), real }), script);
    });
  },
);
