import { metadataOf } from './stripe-standin-form.js';

// What a paid subscription leaves at Stripe and how it is refunded, at the API version the SDK pins
// (2026-10-28.endive): the first invoice (`in_…`, `status: 'paid'`, the subscription's `latest_invoice`), the
// PaymentIntent that paid it (`pi_…`, its charge `ch_…`) and the invoice payment linking them — since API version
// 2025-03-31.basil an invoice has no `payment_intent`: its payments are Invoice Payments ("Invoice Payments represent
// payments made against invoices … accessed … by expanding the payments field on the Invoice resource [or] by using
// the Invoice Payment retrieve and list endpoints", API reference, "Invoice Payments"; `GET /v1/invoice_payments?
// invoice=…&status=paid`, `payment.type: 'payment_intent'`, `payment.payment_intent`). Refunds (`POST /v1/refunds`,
// API reference, "Create a refund": "When you create a new refund, you must specify a Charge or a PaymentIntent
// object on which to create it … Once entirely refunded, a charge can't be refunded again. This method will raise an
// error when called on an already-refunded charge, or when trying to refund more money than is left on a charge"):
// the unkind answers are 400 `charge_already_refunded` ("Charge ch_… has already been refunded.",
// docs.stripe.com/error-codes#charge-already-refunded), 400 `charge_disputed` for a payment the customer disputed
// ("Charge ch_… has been charged back; cannot issue a refund.", docs.stripe.com/error-codes#charge-disputed) and 400
// `resource_missing` on `payment_intent` for an unknown one.

type Obj = Record<string, unknown>;
type Answer = { readonly status: number; readonly body: unknown };

const refusal = (code: string, message: string, param?: string): Answer => ({
  status: 400,
  body: {
    error: {
      type: 'invalid_request_error',
      code,
      message,
      ...(param ? { param } : {}),
      doc_url: `https://stripe.com/docs/error-codes/${code.replaceAll('_', '-')}`,
    },
  },
});

/**
 * The stand-in's invoices, PaymentIntents, invoice payments and refunds: `pay` records a subscription's first invoice
 * paid, `handle` answers the routes on them.
 */
export class StandInPayments {
  readonly invoices = new Map<string, Obj>();
  readonly paymentIntents = new Map<string, Obj>();
  readonly invoicePayments: Obj[] = [];
  readonly refunds: Obj[] = [];
  /** PaymentIntents the customer disputed (a chargeback): refunds of them are refused `charge_disputed`. */
  readonly disputed = new Set<string>();

  constructor(
    private readonly id: (prefix: string) => string,
    private readonly seconds: () => number,
  ) {}

  /** The subscription's invoice of `amount` (cents) paid by a new PaymentIntent: the invoice's id. */
  pay(subscription: Obj, amount: number, currency = 'usd'): string {
    const invoice = this.id('in');
    this.invoices.set(invoice, {
      id: invoice,
      object: 'invoice',
      customer: subscription['customer'],
      status: 'paid',
      amount_due: amount,
      amount_paid: amount,
      currency,
      parent: {
        type: 'subscription_details',
        subscription_details: { subscription: subscription['id'] },
      },
      created: this.seconds(),
    });
    // A trial's first invoice is of 0 and paid by nothing: no PaymentIntent, no invoice payment.
    if (amount === 0) return invoice;
    const pi = this.id('pi');
    this.paymentIntents.set(pi, {
      id: pi,
      object: 'payment_intent',
      amount,
      amount_received: amount,
      currency,
      status: 'succeeded',
      customer: subscription['customer'],
      latest_charge: this.id('ch'),
      amount_refunded: 0,
    });
    this.invoicePayments.push({
      id: this.id('inpay'),
      object: 'invoice_payment',
      invoice,
      amount_paid: amount,
      amount_requested: amount,
      currency,
      is_default: true,
      status: 'paid',
      payment: { type: 'payment_intent', payment_intent: pi },
      created: this.seconds(),
    });
    return invoice;
  }

  /** Refund what is left of PaymentIntent `pi` as the Dashboard would (no API call): the refund. */
  refundAll(pi: string): Answer {
    const form = new URLSearchParams({ payment_intent: pi });
    return this.refund(form);
  }

  /** The routes on these objects; undefined for a route that is not theirs. */
  handle(method: string, path: string, form: URLSearchParams): Answer | undefined {
    if (method === 'GET' && path === '/v1/invoice_payments') {
      const invoice = form.get('invoice');
      const status = form.get('status');
      const data = this.invoicePayments.filter(
        (p) => (!invoice || p['invoice'] === invoice) && (!status || p['status'] === status),
      );
      return {
        status: 200,
        body: { object: 'list', data, has_more: false, url: '/v1/invoice_payments' },
      };
    }
    const invoiceId = /^\/v1\/invoices\/([^/]+)$/.exec(path)?.[1];
    if (method === 'GET' && invoiceId !== undefined && invoiceId !== 'create_preview') {
      const invoice = this.invoices.get(invoiceId);
      return invoice
        ? { status: 200, body: invoice }
        : {
            status: 404,
            body: {
              error: {
                type: 'invalid_request_error',
                code: 'resource_missing',
                param: 'id',
                message: `No such invoice: '${invoiceId}'`,
              },
            },
          };
    }
    if (method === 'POST' && path === '/v1/refunds') return this.refund(form);
    return undefined;
  }

  private refund(form: URLSearchParams): Answer {
    const id = form.get('payment_intent') ?? '';
    if (!id)
      return refusal(
        'parameter_missing',
        'Missing required param: payment_intent.',
        'payment_intent',
      );
    const pi = this.paymentIntents.get(id);
    if (!pi)
      return refusal('resource_missing', `No such payment_intent: '${id}'`, 'payment_intent');
    const charge = String(pi['latest_charge']);
    if (this.disputed.has(id))
      return refusal(
        'charge_disputed',
        `Charge ${charge} has been charged back; cannot issue a refund.`,
      );
    const left = Number(pi['amount_received']) - Number(pi['amount_refunded']);
    if (left <= 0)
      return refusal('charge_already_refunded', `Charge ${charge} has already been refunded.`);
    const amount = form.get('amount') === null ? left : Number(form.get('amount'));
    if (!Number.isInteger(amount) || amount <= 0 || amount > left)
      return refusal(
        'amount_too_large',
        `Refund amount (${String(amount)}) is greater than unrefunded amount on charge (${String(left)})`,
        'amount',
      );
    pi['amount_refunded'] = Number(pi['amount_refunded']) + amount;
    const refund: Obj = {
      id: this.id('re'),
      object: 'refund',
      amount,
      charge,
      currency: pi['currency'],
      payment_intent: id,
      reason: form.get('reason'),
      metadata: metadataOf(form, 'metadata'),
      status: 'succeeded',
      created: this.seconds(),
    };
    this.refunds.push(refund);
    return { status: 200, body: refund };
  }
}
