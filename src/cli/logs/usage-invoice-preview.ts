import type { StripeReader } from '../../runtime/billing/atakora-billing.js';
import type { BillingStore } from '../../runtime/billing/billing-store.js';
import type { StripeInvoicePreview } from '../../runtime/billing/stripe-reads.js';

/**
 * Stripe's own figure for a tenant: the preview of its subscription's next invoice (`invoices.createPreview`), per
 * Stripe's billing period — the plan's fee for the next period in advance, each metered price's usage of the current
 * period in arrears, with whatever Stripe adds (proration, discounts, taxes). Amounts in the currency's major unit.
 */
export interface StripeInvoiceView {
  readonly source: 'stripe-preview';
  /** The subscription previewed (the registry's, as the webhook recorded it), when known. */
  readonly subscription?: string;
  readonly currency: string;
  readonly total: number;
  readonly amountDue: number;
  /** The invoice's window (ISO): Stripe's `period_start`/`period_end`. */
  readonly periodStart: string;
  readonly periodEnd: string;
  readonly lines: readonly {
    readonly description: string | null;
    readonly amount: number;
    readonly quantity: number | null;
    readonly price?: string;
    /** The line's service period (ISO). */
    readonly periodStart: string;
    readonly periodEnd: string;
  }[];
  /** Stripe holds more lines than its first page: `total` counts them all. */
  readonly moreLines: boolean;
}

const iso = (seconds: number) => new Date(seconds * 1000).toISOString();
const major = (minor: number) => Math.round(minor) / 100;

/** A preview Stripe refused for this tenant (a customer it does not know, say): its answer, masked. */
export interface StripeInvoiceUnread {
  readonly source: 'stripe-preview';
  readonly error: string;
}

/** Stripe's preview as the report shows it. */
export function previewView(p: StripeInvoicePreview, subscription?: string): StripeInvoiceView {
  return {
    source: 'stripe-preview',
    ...(subscription !== undefined ? { subscription } : {}),
    currency: p.currency,
    total: major(p.total),
    amountDue: major(p.amountDue),
    periodStart: iso(p.periodStart),
    periodEnd: iso(p.periodEnd),
    lines: p.lines.map((l) => ({
      description: l.description,
      amount: major(l.amount),
      quantity: l.quantity,
      ...(l.price !== undefined ? { price: l.price } : {}),
      periodStart: iso(l.periodStart),
      periodEnd: iso(l.periodEnd),
    })),
    moreLines: p.moreLines,
  };
}

/**
 * Stripe's preview of the next invoice of each tenant with a customer (of `tenant` alone when given): of the
 * subscription the webhook recorded on its registry record, else of the customer's own (Stripe picks it). `null`
 * for a tenant Stripe has nothing to preview for (no subscription, or a canceled one); Stripe's answer for one it
 * refuses (a customer it does not hold).
 *
 * @example
 * ```ts
 * (await stripePreviews(reader, store, undefined)).get('contoso')?.total; // 29.5
 * ```
 */
export async function stripePreviews(
  reader: StripeReader,
  store: BillingStore,
  tenant: string | undefined,
): Promise<Map<string, StripeInvoiceView | StripeInvoiceUnread | null>> {
  const out = new Map<string, StripeInvoiceView | StripeInvoiceUnread | null>();
  for (const c of await store.customers()) {
    if (tenant !== undefined && c.tenant !== tenant) continue;
    try {
      const preview = await reader.preview(c.customer, c.subscription);
      out.set(c.tenant, preview ? previewView(preview, c.subscription) : null);
    } catch (e) {
      // Stripe's refusal of this one tenant (400/404: a customer or subscription it does not hold) is shown on its
      // line; anything else (the key, an outage) fails the report as every other read does.
      const status = (e as { status?: number }).status;
      if (status !== 400 && status !== 404) throw e;
      out.set(c.tenant, { source: 'stripe-preview', error: (e as Error).message });
    }
  }
  return out;
}
