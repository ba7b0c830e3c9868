/**
 * The model-based test of subscriptions composed with the organization's life (test/model/README.md,
 * "Subscriptions"): random sequences of billing route calls by an organization's Owner, Admin and Member and by an
 * outsider, interleaved with what customers do in Stripe — pay an open Checkout (the latest, or an older one a newer
 * one expired), a payment failing or recovering, a plan change in the portal, a cancel, a period's end, an event sent
 * again — run on the reference (billing-reference.ts, on the lives of src/model/lives) and on the real runtime with
 * the Stripe stand-in, whose signed webhooks the runtime applies; the operator suspending, resuming or creating an
 * organization of the same id; an Owner deleting and undeleting it; days passing and the erase timer. Every answer
 * (status, problem, the billing view, the return URLs), and after every change the stored record (a tombstone once
 * erased) and the webhook's audit lines must agree with the reference. Run twice: `onCanceled: 'default-plan'` and
 * `'suspend'`.
 *
 * `ATAKORA_MODEL_RUNS`, `ATAKORA_MODEL_SEED`, `ATAKORA_MODEL_COMMANDS` as in data-plane.model.test.ts.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { type LocalCosmos, startLocalCosmos } from '../runtime/support/local-cosmos.js';
import { type BillingApp, startBillingApp } from './billing-app.js';
import {
  CALLERS,
  CallCommand,
  CliEraseCommand,
  DayCommand,
  DeleteCommand,
  EraseCommand,
  type Model,
  OperatorCommand,
  PayCommand,
  PeriodEndCommand,
  type Real,
  RecreateCommand,
  ReplayCommand,
  StripeCommand,
  UndeleteCommand,
} from './billing-commands.js';
import {
  type BillingRoute,
  type OnCanceled,
  PLANS,
  PRICES,
  type SubscriptionStatus,
} from './billing-reference.js';
import { MODEL_RUNS } from './budget.js';
import { DeliverLateCommand, PayLateCommand, whileNotLate } from './billing-late-commands.js';

// Sized by the suite's budget (budget.ts: 12 backends of seed 59; 16 before); longer runs by ATAKORA_MODEL_RUNS.
const RUNS = Number(process.env.ATAKORA_MODEL_RUNS ?? MODEL_RUNS);
const SEED = Number(process.env.ATAKORA_MODEL_SEED ?? 59);
const COMMANDS = Number(process.env.ATAKORA_MODEL_COMMANDS ?? 20);
const at = '2026-01-01T00:00:00.000Z';
/** How often each command ran to each answer (`ATAKORA_MODEL_STATS=1` prints it): a run of refusals finds little. */
const STATS = new Map<string, number>();
const tally = (k: string) => STATS.set(k, (STATS.get(k) ?? 0) + 1);

/** One app per `onCanceled`, each on its own Cosmos DB server (a customer id is one organization's registry-wide). */
const servers: LocalCosmos[] = [];
const apps = new Map<OnCanceled, BillingApp>();
beforeAll(async () => {
  for (const mode of ['default-plan', 'suspend'] as const) {
    const cosmos = await startLocalCosmos({ plain: true });
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

type Command = fc.AsyncCommand<Model, Real>;

// Weighted, so a run pays and changes its subscription more often than it is erased (an erased organization only
// refuses); the statuses that end a subscription first: fast-check favours the first values of a list.
const commands = [
  fc.oneof(
    {
      weight: 6,
      arbitrary: fc
        .tuple(
          fc.nat({ max: CALLERS.length - 1 }),
          fc.constantFrom<BillingRoute>('checkout', 'portal', 'billing', 'tenant'),
          fc.constantFrom(...PLANS),
        )
        .map(([w, route, plan]): Command => new CallCommand(w, route, plan)),
    },
    // Owners open more Checkouts than the random callers would, so payments happen.
    {
      weight: 4,
      arbitrary: fc
        .constantFrom(...(['pro', 'team'] as const))
        .map((p): Command => new CallCommand(0, 'checkout', p)),
    },
    {
      weight: 5,
      arbitrary: fc.nat({ max: 3 }).map((n): Command => whileNotLate(new PayCommand(n))),
    },
    {
      weight: 3,
      arbitrary: fc
        .constantFrom<SubscriptionStatus>('canceled', 'past_due', 'unpaid', 'active', 'trialing')
        .map((status): Command => whileNotLate(new StripeCommand({ status }))),
    },
    {
      weight: 2,
      arbitrary: fc
        .constantFrom(...(['pro', 'team'] as const))
        .map((plan): Command => whileNotLate(new StripeCommand({ plan }))),
    },
    {
      weight: 2,
      arbitrary: fc.constant(null).map((): Command => whileNotLate(new PeriodEndCommand())),
    },
    {
      weight: 1,
      arbitrary: fc.constant(null).map((): Command => whileNotLate(new ReplayCommand())),
    },
    // Mostly the Owners delete and undelete; the others are refused.
    {
      weight: 1,
      arbitrary: fc
        .constantFrom(0, 0, 3, 1, 4)
        .map((w): Command => whileNotLate(new DeleteCommand(w))),
    },
    {
      weight: 2,
      arbitrary: fc
        .constantFrom(0, 3, 3, 2, 4)
        .map((w): Command => whileNotLate(new UndeleteCommand(w))),
    },
    { weight: 2, arbitrary: fc.constant(null).map((): Command => whileNotLate(new DayCommand())) },
    {
      weight: 1,
      arbitrary: fc.constant(null).map((): Command => whileNotLate(new EraseCommand())),
    },
    {
      weight: 1,
      arbitrary: fc.constant(null).map((): Command => whileNotLate(new RecreateCommand())),
    },
    {
      weight: 1,
      arbitrary: fc.constant(null).map((): Command => whileNotLate(new CliEraseCommand())),
    },
    {
      weight: 1,
      arbitrary: fc.boolean().map((suspend): Command => whileNotLate(new OperatorCommand(suspend))),
    },
    // Stripe's events late: paid while the webhook is unreachable, the retries later (billing-late-commands.ts).
    { weight: 2, arbitrary: fc.constant(null).map((): Command => new PayLateCommand()) },
    { weight: 2, arbitrary: fc.constant(null).map((): Command => new DeliverLateCommand()) },
  ),
];

let runs = 0;
/** A fresh organization of the run, its callers members of it (gus of another), on the default plan. */
async function freshOrganization(app: BillingApp, onCanceled: OnCanceled): Promise<Real> {
  runs++;
  const org = `org-${String(runs)}`;
  const name = `Organization ${String(runs)}`;
  await app.tenants.items.upsert({
    id: org,
    name,
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
      email: `${c.user}@example.com`,
      roles: c.roles ?? ['Owner'],
      addedOn: at,
    });
  return { org, name, run: { app, onCanceled, tally } };
}
const fresh = (): Model => ({
  state: { life: 'active', plan: 'free' },
  opened: [],
  payable: undefined,
  script: [],
});

/** Run `script` in a fresh organization of the `mode` app. */
async function replay(mode: OnCanceled, script: readonly Command[]): Promise<void> {
  const real = await freshOrganization(apps.get(mode)!, mode);
  await fc.asyncModelRun(() => ({ model: fresh(), real }), script);
}

describe.each(['default-plan', 'suspend'] as const)(
  'subscriptions (onCanceled %s): the billing routes, the plan and the organization’s life, against the reference',
  (mode) => {
    it('agree on every answer, the record after every change and the webhook’s audit lines', async () => {
      await fc.assert(
        fc.asyncProperty(
          fc.commands(commands, { maxCommands: COMMANDS, size: 'max' }),
          async (cmds) => {
            const real = await freshOrganization(apps.get(mode)!, mode);
            await fc.asyncModelRun(() => ({ model: fresh(), real }), cmds);
          },
        ),
        { numRuns: RUNS, seed: SEED, endOnFailure: true },
      );
    });

    // A whole life, always run: two Checkouts opened before the first payment (the older one expired: paying it
    // changes nothing), a failed payment kept on its plan, a plan change in the portal, unpaid → the default plan, a
    // new Checkout allowed again, a cancel.
    it('replays a subscription’s whole life', async () => {
      await replay(mode, [
        new CallCommand(2, 'billing', 'free'),
        new CallCommand(0, 'portal', 'free'),
        new CallCommand(0, 'checkout', 'pro'),
        new CallCommand(3, 'checkout', 'team'),
        new PayCommand(1),
        new CallCommand(1, 'billing', 'free'),
        new PayCommand(0),
        new CallCommand(0, 'checkout', 'team'), // 409 subscription-exists
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
      ]);
    });

    // A Checkout paid while Stripe's events cannot be delivered, the Owner checking out again meanwhile: the paid one
    // linked and 409 (before: 200 — a second subscription billed beside the first, and a second trial); the late
    // events then change nothing; a later payment on time and a late one after a cancel.
    it('a Checkout paid whose events are late: the next Checkout links it, never a second subscription', async () => {
      await replay(mode, [
        new CallCommand(0, 'checkout', 'team'),
        new PayLateCommand(),
        new CallCommand(0, 'billing', 'free'),
        new CallCommand(0, 'checkout', 'pro'), // 409 subscription-exists: the team Checkout linked
        new CallCommand(0, 'billing', 'free'),
        new ReplayCommand(),
        new StripeCommand({ status: 'canceled' }),
        new CallCommand(0, 'checkout', 'pro'),
        new PayLateCommand(),
        new DeliverLateCommand(),
        new CallCommand(0, 'checkout', 'team'), // 409: the pro subscription lives
      ]);
    });

    // The "delete, cancel, undelete": an Owner deletes with a live subscription (its end scheduled, the
    // billing view and the portal still the Owners'), the period ends, the Owner undeletes: never active on the paid
    // plan without a paying subscription.
    it('delete, the period ends, undelete: onCanceled applied, never the paid plan without a subscription', async () => {
      await replay(mode, [
        new CallCommand(0, 'checkout', 'pro'),
        new PayCommand(0),
        new DeleteCommand(0),
        new CallCommand(0, 'billing', 'free'), // the Owner's view: scheduled
        new CallCommand(1, 'billing', 'free'), // an Admin: tenant-suspended
        new CallCommand(0, 'portal', 'free'),
        new CallCommand(0, 'checkout', 'team'), // no new Checkout while deleted
        new PeriodEndCommand(),
        new UndeleteCommand(0),
        new CallCommand(2, 'tenant', 'free'),
        new CallCommand(0, 'checkout', 'team'),
      ]);
    });

    // The steps exactly (shown failing on the runtime before: under 'suspend', "ada undeletes" left the
    // organization active on pro with a canceled subscription).
    it('delete, cancel, undelete: the cancel applied at the undelete', async () => {
      await replay(mode, [
        new CallCommand(0, 'checkout', 'pro'),
        new PayCommand(0),
        new DeleteCommand(0),
        new StripeCommand({ status: 'canceled' }),
        new UndeleteCommand(0),
        new CallCommand(2, 'tenant', 'free'),
        new CallCommand(0, 'checkout', 'pro'),
      ]);
    });

    // Found by the property (seed 7, 60 runs of 30): the operator's resume of a deleted organization kept its
    // `deleteOn`, so a later suspension by the operator read as the deletion again — and the erase timer took it.
    it('an operator’s resume ends a deletion: a later suspension is not erased', async () => {
      await replay(mode, [
        new DeleteCommand(0),
        new OperatorCommand(false),
        new DayCommand(),
        new DayCommand(),
        new OperatorCommand(true),
        new EraseCommand(),
        new UndeleteCommand(0), // 409: the operator's suspension, not a deletion
      ]);
    });

    // Deleted and undeleted before the period ends: the subscription resumes, nothing was lost.
    it('delete then undelete before the period ends resumes the subscription', async () => {
      await replay(mode, [
        new CallCommand(0, 'checkout', 'team'),
        new PayCommand(0),
        new DeleteCommand(3),
        new DayCommand(),
        new UndeleteCommand(3),
        new CallCommand(1, 'billing', 'free'),
        new PeriodEndCommand(), // renews
        new CallCommand(2, 'tenant', 'free'),
      ]);
    });

    // The "an organization's id outlives the organization": deleted with a live subscription and erased, its
    // id is 409 to the operator, every later event of its subscription 2xx and ignored, its audit log one line.
    it('an erased id is never given again, and its subscription reaches nobody', async () => {
      await replay(mode, [
        new CallCommand(0, 'checkout', 'pro'),
        new PayCommand(0),
        new CallCommand(0, 'checkout', 'team'), // 409 subscription-exists
        new DeleteCommand(0),
        new DayCommand(),
        new DayCommand(),
        new UndeleteCommand(0), // 410
        new EraseCommand(),
        new RecreateCommand(),
        new ReplayCommand(),
        new CallCommand(0, 'billing', 'free'),
        new UndeleteCommand(0),
        new DeleteCommand(0),
      ]);
    });

    // The operator's erase (the CLI) of an organization that pays: a tombstone at once, its subscription left to the
    // operator (named on the receipt) and reaching no one — its renewal, a replay, a recreate of its id.
    it('the operator’s tenant delete leaves a tombstone too; the subscription it leaves reaches no one', async () => {
      await replay(mode, [
        new CallCommand(0, 'checkout', 'team'),
        new PayCommand(0),
        new CliEraseCommand(),
        new RecreateCommand(),
        new ReplayCommand(),
        new CallCommand(3, 'billing', 'free'),
        new UndeleteCommand(0),
      ]);
    });
  },
);
