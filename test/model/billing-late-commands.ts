/**
 * Stripe's events late (test/model/README.md, "Subscriptions"): a customer pays the payable Checkout while the
 * webhook cannot be reached — Stripe keeps the events and retries them "for up to three days" (docs.stripe.com
 * /webhooks, "Automatic retries") — and the retries arrive later; meanwhile the Owner, still seeing the organization
 * unpaid, may check out again (billing-reference.ts `checkoutWithLatePayment`: the paid one is linked, 409). While a
 * payment is late only the billing routes and the retries run (`whileNotLate` holds every other command back), so
 * the reference stays the one of billing-reference.ts.
 */
import type fc from 'fast-check';
import { expect } from 'vitest';
import { afterCheckoutPaid } from './billing-reference.js';
import { inStripe, type Model, type Real } from './billing-commands.js';

type Command = fc.AsyncCommand<Model, Real>;

/** The customer pays the payable Checkout while Stripe's endpoint is unreachable: nothing changes yet. */
export class PayLateCommand implements Command {
  check = (m: Readonly<Model>) => m.payable !== undefined && m.late === undefined;
  async run(m: Model, r: Real): Promise<void> {
    const standIn = r.run.app.standIn;
    const id = m.payable!;
    const plan = m.opened.find((o) => o.id === id)?.plan ?? '';
    await inStripe(m, r, `pay ${plan} (${id}), its events undelivered`, async () => {
      const hook = standIn.webhook;
      const before = standIn.stripeEvents.length;
      standIn.webhook = null;
      try {
        await standIn.completeCheckout(id);
      } finally {
        standIn.webhook = hook;
      }
      const customer = String(standIn.billing.sessions.get(id)?.['customer']);
      m.late = { plan, customer, events: standIn.stripeEvents.slice(before).map((e) => e.id) };
      m.payable = undefined;
      r.run.tally('pay late');
      return m.state;
    });
  }
  toString = () => 'pay the payable Checkout, its events late';
}

/** Stripe's retries of a late payment's events arrive: the paid Checkout linked, as on time. */
export class DeliverLateCommand implements Command {
  check = (m: Readonly<Model>) => m.late !== undefined;
  async run(m: Model, r: Real): Promise<void> {
    const late = m.late!;
    await inStripe(m, r, 'Stripe retries the late events', async () => {
      for (const id of late.events)
        expect((await r.run.app.standIn.resend(id)).status, `retry of ${id}`).toBeLessThan(300);
      m.late = undefined;
      return afterCheckoutPaid(m.state, late.plan, late.customer, r.run.onCanceled);
    });
    r.run.tally('late events delivered');
  }
  toString = () => 'deliver the late events';
}

/** `inner`, held back while a payment is late (only the billing routes and the retries run then). */
export function whileNotLate(inner: Command): Command {
  return {
    check: (m) => m.late === undefined && inner.check(m),
    run: (m, r) => inner.run(m, r),
    toString: () => inner.toString(),
  };
}
