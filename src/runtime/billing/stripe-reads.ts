// What the CLI reads of Stripe besides meter event summaries, through the official SDK's client the billing module
// made (atakora-billing.ts `stripeReader`): the prices an invoice is computed with, and the meter error reports of
// events Stripe accepted and then refused. Type-only use of the SDK here: this file never loads it.
import type Stripe from 'stripe';

/** A price as the invoice reads it (Stripe API reference, "The Price object"), tiers expanded. */
export interface StripePriceRead {
  readonly id: string;
  readonly currency: string;
  readonly product: string;
  readonly billing_scheme: string;
  readonly unit_amount: number | null;
  readonly unit_amount_decimal: string | null;
  readonly tiers_mode: string | null;
  readonly tiers: readonly {
    readonly up_to: number | null;
    readonly unit_amount: number | null;
    readonly unit_amount_decimal: string | null;
    readonly flat_amount: number | null;
    readonly flat_amount_decimal: string | null;
  }[];
  readonly transform_quantity: { readonly divide_by: number; readonly round: string } | null;
  /** `month`, `year`…; null for a one-time price. */
  readonly interval: string | null;
  /** The meter id of a metered price, else null. */
  readonly meter: string | null;
}

/** One `v1.billing.meter.error_report_triggered` event's errors of one type, on one meter. */
export interface MeterErrorReport {
  readonly eventName: string;
  readonly code: string;
  /** How many events of this type Stripe refused in the report's window (more than the samples, often). */
  readonly count: number;
  readonly windowStart: string;
  readonly windowEnd: string;
  /** The events Stripe names as samples: their identifiers (ours) and Stripe's message. */
  readonly samples: readonly { readonly identifier: string; readonly message: string }[];
}

const productId = (p: Stripe.Price['product']): string => (typeof p === 'string' ? p : p.id);

/** The SDK's price as {@link StripePriceRead}. */
export function priceRead(p: Stripe.Price): StripePriceRead {
  return {
    id: p.id,
    currency: p.currency,
    product: productId(p.product),
    billing_scheme: p.billing_scheme,
    unit_amount: p.unit_amount,
    unit_amount_decimal: p.unit_amount_decimal === null ? null : String(p.unit_amount_decimal),
    tiers_mode: p.tiers_mode,
    tiers: (p.tiers ?? []).map((t) => ({
      up_to: t.up_to,
      unit_amount: t.unit_amount,
      unit_amount_decimal: t.unit_amount_decimal === null ? null : String(t.unit_amount_decimal),
      flat_amount: t.flat_amount,
      flat_amount_decimal: t.flat_amount_decimal === null ? null : String(t.flat_amount_decimal),
    })),
    transform_quantity: p.transform_quantity,
    interval: p.recurring?.interval ?? null,
    meter: p.recurring?.meter ?? null,
  };
}

/**
 * Every active price attached to one of the account's meters, by the meter's event name (`GET v1/billing/meters`,
 * then `GET v1/prices?active=true` with `expand[]=data.tiers`, keeping those whose `recurring.meter` is set).
 *
 * @example
 * ```ts
 * (await meterPrices(stripe)).get('api_requests'); // [{ id: 'price_…', unit_amount_decimal: '0.01', … }]
 * ```
 */
export async function meterPrices(stripe: Stripe): Promise<Map<string, StripePriceRead[]>> {
  const names = new Map<string, string>();
  for await (const m of stripe.billing.meters.list({ limit: 100 })) names.set(m.id, m.event_name);
  const out = new Map<string, StripePriceRead[]>();
  for await (const p of stripe.prices.list({ active: true, limit: 100, expand: ['data.tiers'] })) {
    const name = p.recurring?.meter ? names.get(p.recurring.meter) : undefined;
    if (name !== undefined) out.set(name, [...(out.get(name) ?? []), priceRead(p)]);
  }
  return out;
}

/**
 * The meter error reports Stripe raised on each of `eventNames`' meters: `GET v2/core/events` with `object_id` the
 * meter's id and `types: ['v1.billing.meter.error_report_triggered']` (Stripe API reference, v2 Core "List events"
 * and "Event types": "This event occurs when there are invalid async usage events for a given meter"; its data's
 * `reason.error_types[]` name a `code`, an `error_count` and `sample_errors[]` with `request.identifier`). Stripe
 * keeps events 30 days.
 *
 * @example
 * ```ts
 * await meterErrorReports(stripe, ['api_requests']); // [{ eventName: 'api_requests', code: '…', count: 2, … }]
 * ```
 */
export async function meterErrorReports(
  stripe: Stripe,
  eventNames: readonly string[],
): Promise<MeterErrorReport[]> {
  const ids = new Map<string, string>();
  for await (const m of stripe.billing.meters.list({ limit: 100 })) ids.set(m.event_name, m.id);
  const out: MeterErrorReport[] = [];
  for (const eventName of eventNames) {
    const id = ids.get(eventName);
    if (id === undefined) continue;
    for await (const e of stripe.v2.core.events.list({
      object_id: id,
      types: ['v1.billing.meter.error_report_triggered'],
    })) {
      if (e.type !== 'v1.billing.meter.error_report_triggered') continue;
      for (const t of e.data.reason.error_types)
        out.push({
          eventName,
          code: t.code,
          count: t.error_count,
          windowStart: e.data.validation_start,
          windowEnd: e.data.validation_end,
          samples: t.sample_errors.map((s) => ({
            identifier: s.request.identifier,
            message: s.error_message,
          })),
        });
    }
  }
  return out;
}

/** One line of Stripe's invoice preview: what it bills, for which service period, at which price. */
export interface PreviewLine {
  readonly description: string | null;
  /** In the currency's minor unit (cents), as Stripe gives it. */
  readonly amount: number;
  readonly quantity: number | null;
  readonly price?: string;
  /** The line's service period (Unix seconds): a licensed fee's next period, a metered price's current one. */
  readonly periodStart: number;
  readonly periodEnd: number;
}

/**
 * The upcoming invoice of a customer's subscription as Stripe previews it (`POST v1/invoices/create_preview`, stripe-node
 * `invoices.createPreview`; `GET v1/invoices/upcoming` and `retrieveUpcoming` were removed in API version
 * 2025-03-31.basil — stripe-node 18.0.0's changelog: "Remove support for `listUpcomingLines` and `retrieveUpcoming`
 * methods on resource `Invoice`"): Stripe's own figure, per billing period — a licensed price billed for the next
 * period in advance, a metered price for the current period in arrears (Stripe API reference, "Create a preview
 * invoice"; "The Invoice object", `period_start`/`period_end`; each line's `period`).
 */
export interface StripeInvoicePreview {
  readonly currency: string;
  /** Minor units, as Stripe gives them. */
  readonly subtotal: number;
  readonly total: number;
  readonly amountDue: number;
  /** The invoice's window for invoice items (Unix seconds). */
  readonly periodStart: number;
  readonly periodEnd: number;
  readonly lines: readonly PreviewLine[];
  /** Stripe had more lines than its first page (ten by default) holds: the total still counts them all. */
  readonly moreLines: boolean;
}

const lineOf = (l: Stripe.InvoiceLineItem): PreviewLine => {
  const price = l.pricing?.price_details?.price;
  const id = typeof price === 'string' ? price : price?.id;
  return {
    description: l.description,
    amount: l.amount,
    quantity: l.quantity,
    ...(id !== undefined ? { price: id } : {}),
    periodStart: l.period.start,
    periodEnd: l.period.end,
  };
};

/**
 * Stripe's preview of the customer's next invoice — of `subscription` when given, else of the customer's subscription
 * Stripe picks ("If neither `subscription` nor `subscription_details.items` is provided, you will retrieve the next
 * upcoming invoice from among the customer's subscriptions") —, or null when Stripe has none to preview (400
 * `invoice_upcoming_none`: no subscription, or a canceled one).
 *
 * @example
 * ```ts
 * const preview = await invoicePreview(stripe, 'cus_A1', 'sub_1'); // { total: 2900, currency: 'usd', lines: [...] }
 * ```
 */
export async function invoicePreview(
  stripe: Stripe,
  customer: string,
  subscription?: string,
): Promise<StripeInvoicePreview | null> {
  let invoice: Stripe.Invoice;
  try {
    invoice = await stripe.invoices.createPreview({
      customer,
      ...(subscription !== undefined ? { subscription } : {}),
    });
  } catch (e) {
    if ((e as { code?: string }).code === 'invoice_upcoming_none') return null;
    throw e;
  }
  return {
    currency: invoice.currency,
    subtotal: invoice.subtotal,
    total: invoice.total,
    amountDue: invoice.amount_due,
    periodStart: invoice.period_start,
    periodEnd: invoice.period_end,
    lines: invoice.lines.data.map(lineOf),
    moreLines: invoice.lines.has_more,
  };
}

/**
 * The id of a Stripe field that is an id, or the object it names when the call expanded it (`expand[]`).
 *
 * @example
 * ```ts
 * stripeIdOf('in_1'); // 'in_1'
 * stripeIdOf({ id: 'in_1', object: 'invoice' }); // 'in_1'
 * ```
 */
export const stripeIdOf = (v: unknown): string | undefined =>
  typeof v === 'string'
    ? v
    : typeof (v as { id?: unknown } | null)?.id === 'string'
      ? (v as { id: string }).id
      : undefined;
