import type Stripe from 'stripe';
import { stripeIdOf } from './stripe-reads.js';
import type { RefundOutcome } from './subscriptions-port.js';

// Refunding a refused Checkout's first payment, at the API version stripe-node 23 pins (2026-10-28.endive). Since
// 2025-03-31.basil an invoice has no `payment_intent`: its payments are Invoice Payments ("Invoice Payments represent
// payments made against invoices … By using the Invoice Payment retrieve and list endpoints", API reference, "Invoice
// Payments"; `GET /v1/invoice_payments?invoice=…&status=paid`, each `payment.payment_intent` when `payment.type` is
// `payment_intent`). The subscription's `latest_invoice` ("The most recent invoice this subscription has generated",
// "The Subscription object") is, for a subscription-mode Checkout just paid, the invoice it paid. "Create a refund"
// (https://docs.stripe.com/api/refunds/create): "When you create a new refund, you must specify a Charge or a
// PaymentIntent object on which to create it … Once entirely refunded, a charge can't be refunded again. This method
// will raise an error when called on an already-refunded charge".

/** A 4xx Stripe will answer the same way again (not a rate limit): the refund's refusal, not a failure to retry. */
function refusalOf(e: unknown): RefundOutcome['refused'] | undefined {
  const err = e as { statusCode?: number; code?: string; type?: string; message?: string };
  const status = err.statusCode ?? 0;
  if (status < 400 || status >= 500 || status === 429) return undefined;
  return {
    code: err.code ?? (status === 403 ? 'permission-denied' : (err.type ?? 'refused')),
    message: err.message ?? '',
  };
}

/**
 * Refund every paid payment of subscription `id`'s latest invoice, whole, each sent with `${key}:${paymentIntent}` as
 * its idempotency key ("Idempotent requests": a retry with the same key gets the first answer, so a webhook redelivered
 * after a crash refunds once). A gone subscription or an invoice nothing paid: none.
 *
 * @example
 * ```ts
 * await refundLatestInvoice(stripe, 'sub_1', 'atakora-refund:sub_1'); // [{ paymentIntent: 'pi_1', refund: 're_1', amount: 2900, currency: 'usd' }]
 * ```
 */
export async function refundLatestInvoice(
  stripe: Stripe,
  id: string,
  key: string,
): Promise<RefundOutcome[]> {
  let invoice: string | undefined;
  try {
    invoice = stripeIdOf((await stripe.subscriptions.retrieve(id)).latest_invoice);
  } catch (e) {
    if ((e as { statusCode?: number }).statusCode === 404) return [];
    throw e;
  }
  if (!invoice) return [];
  const payments = await stripe.invoicePayments.list({ invoice, status: 'paid' });
  const out: RefundOutcome[] = [];
  for (const p of payments.data) {
    const pi =
      p.payment.type === 'payment_intent' ? stripeIdOf(p.payment.payment_intent) : undefined;
    if (!pi) continue;
    try {
      const refund = await stripe.refunds.create(
        {
          payment_intent: pi,
          metadata: { atakora_subscription: id, atakora_reason: 'billing-channel-taken' },
        },
        { idempotencyKey: `${key}:${pi}` },
      );
      out.push({
        paymentIntent: pi,
        refund: refund.id,
        amount: refund.amount,
        currency: refund.currency,
      });
    } catch (e) {
      const refused = refusalOf(e);
      if (!refused) throw e;
      out.push({ paymentIntent: pi, refused });
    }
  }
  return out;
}
