import { METER_KEYS, type MeterKey } from '../../model/billing.js';
import type { TenantPlan } from '../../model/config.js';
import type { RuntimeBilling } from '../../model/runtime-manifest.js';
import type { StripeReader } from '../../runtime/billing/atakora-billing.js';
import type { BillingStore } from '../../runtime/billing/billing-store.js';
import { hourKeyAt, hourTotals, meterValues } from '../../runtime/billing/meter-values.js';
import type { StripePriceRead } from '../../runtime/billing/stripe-reads.js';
import { num } from '../../runtime/usage/tenant-usage.js';
import { priceAmount, priceText } from './stripe-price-amount.js';
import type { StripeInvoiceUnread, StripeInvoiceView } from './usage-invoice-preview.js';

/** One line of a tenant's invoice: the plan's price, or a meter's quantity at its price. */
export interface InvoiceLine {
  /** `plan`, or the meter (`requests`, `requestUnits`, `storedGbHours`, `realtimeMessages`). */
  readonly item: 'plan' | MeterKey;
  /** The plan's name, or the meter's Stripe event name. */
  readonly name: string;
  readonly quantity: number;
  /** The Stripe price (`price_…`) the line is priced with, when one is known. */
  readonly price?: string;
  /** The price in words (`usd 0.0001 / unit`). */
  readonly unitPrice?: string;
  /** In the currency's major unit (two decimals); absent when not priced (no key, no price). */
  readonly amount?: number;
}

/** What Stripe will invoice a tenant for the month so far, as its prices price the ledger's quantities. */
export interface TenantInvoice {
  readonly customer: string;
  /** Whether the amounts are Stripe's prices (read with the key); false: quantities only. */
  readonly priced: boolean;
  /** The prices' currency (lower case, as Stripe writes it); absent when not priced. */
  readonly currency?: string;
  readonly lines: readonly InvoiceLine[];
  /** The lines' amounts summed; absent when not priced. */
  readonly total?: number;
  /** What the reader should know: a meter with no price, several prices on one meter, a fee from the config. */
  readonly notes: readonly string[];
}

/**
 * The invoices of a month: per tenant with a Stripe customer our estimate (`tenants`: the calendar month's
 * quantities at Stripe's prices), how it was priced, and — for the month in progress, with the key — Stripe's own
 * preview of each subscription's next invoice (`previews`, usage-invoice-preview.ts).
 */
export interface MonthInvoices {
  readonly priced: boolean;
  /** In words: prices read from Stripe with the key, or quantities only and why. */
  readonly note: string;
  readonly tenants: ReadonlyMap<string, TenantInvoice>;
  /** Stripe's preview per tenant (null: Stripe has none to preview); absent when it was not read, and why in `previewNote`. */
  readonly previews?: ReadonlyMap<string, StripeInvoiceView | StripeInvoiceUnread | null>;
  readonly previewNote?: string;
}

const money = (minor: number): number => Math.round(minor) / 100;

/**
 * Each billed tenant's invoice for the month from `fromMs` to `toMs` (hours; the open one so far): the plan's price
 * (`plans.<name>.stripe.price`, read from Stripe; else the config's `monthlyFeeUsd`) and per declared meter the
 * month's quantity — the same whole values the export sends (runtime/billing/meter-values.ts) — at the active
 * price Stripe has on that meter (the one of the plan's product when there are several). Without a reader
 * (no key) the lines carry quantities only.
 *
 * @example
 * ```ts
 * const inv = await monthInvoices({ billing, plans, store, reader, plansOf, fromMs, toMs });
 * inv.tenants.get('contoso')?.total; // 33.12
 * ```
 */
export async function monthInvoices(o: {
  readonly billing: RuntimeBilling;
  readonly plans: Readonly<Record<string, TenantPlan>>;
  readonly store: BillingStore;
  readonly reader: StripeReader | undefined;
  /** Each tenant's plan (the registry's). */
  readonly planOf: (tenant: string) => string | undefined;
  readonly fromMs: number;
  readonly toMs: number;
  readonly tenant?: string | undefined;
}): Promise<MonthInvoices> {
  const meters = METER_KEYS.filter((m) => o.billing.meters[m] !== undefined);
  const customers = (await o.store.customers()).filter(
    (c) => o.tenant === undefined || c.tenant === o.tenant,
  );
  const onMeters: ReadonlyMap<string, readonly StripePriceRead[]> =
    o.reader && customers.length ? await o.reader.meterPrices() : new Map();
  const planPrices = new Map<string, StripePriceRead>();
  const tenants = new Map<string, TenantInvoice>();
  const from = hourKeyAt(o.fromMs);
  const to = hourKeyAt(Math.ceil(o.toMs / 3_600_000) * 3_600_000);
  for (const { tenant, customer } of customers) {
    const planName = o.planOf(tenant);
    const plan = planName === undefined ? undefined : o.plans[planName];
    const priceId = plan?.stripe?.price;
    if (o.reader && priceId && !planPrices.has(priceId))
      planPrices.set(priceId, await o.reader.price(priceId));
    const planPrice = priceId ? planPrices.get(priceId) : undefined;
    const ledger = await o.store.ledger(tenant, new Date(o.fromMs).toISOString());
    const storedNow = ledger.stored.reduce(
      (s, i) => s + num(i['itemBytes']) + num(i['fileBytes']),
      0,
    );
    const values = meterValues(hourTotals(ledger.hours), storedNow, meters, from, to);
    const notes: string[] = [];
    const lines: InvoiceLine[] = [];
    if (planName !== undefined) {
      const fee = plan?.monthlyFeeUsd;
      if (planPrice)
        lines.push({
          item: 'plan',
          name: planName,
          quantity: 1,
          price: planPrice.id,
          unitPrice: priceText(planPrice),
          amount: money(priceAmount(planPrice, 1)),
        });
      else {
        lines.push({
          item: 'plan',
          name: planName,
          quantity: 1,
          ...(priceId ? { price: priceId } : {}),
          ...(o.reader && fee !== undefined ? { amount: fee } : {}),
        });
        if (o.reader && !priceId)
          notes.push(
            fee === undefined
              ? `plan ${planName} names no Stripe price (plans.${planName}.stripe.price) and no monthlyFeeUsd: ` +
                  'its line is 0'
              : `plan ${planName}'s price is its monthlyFeeUsd (no plans.${planName}.stripe.price to read)`,
          );
      }
    }
    for (const meter of meters) {
      const name = o.billing.meters[meter] ?? '';
      let quantity = 0;
      for (const byMeter of values.values()) quantity += byMeter.get(meter) ?? 0;
      const candidates: readonly StripePriceRead[] = onMeters.get(name) ?? [];
      const price =
        candidates.find((p) => planPrice !== undefined && p.product === planPrice.product) ??
        candidates[0];
      if (o.reader && !price)
        notes.push(`meter ${name} has no active price in Stripe: Stripe bills it nothing`);
      if (price && candidates.length > 1)
        notes.push(
          `meter ${name} has ${String(candidates.length)} active prices; priced with ${price.id}`,
        );
      lines.push({
        item: meter,
        name,
        quantity,
        ...(price
          ? {
              price: price.id,
              unitPrice: priceText(price),
              amount: money(priceAmount(price, quantity)),
            }
          : o.reader
            ? { amount: 0 }
            : {}),
      });
    }
    const currency =
      planPrice?.currency ??
      lines.map((l) => l.price && currencyOf(onMeters, l.price)).find(Boolean);
    const total = lines.reduce((s, l) => s + Math.round((l.amount ?? 0) * 100), 0);
    tenants.set(tenant, {
      customer,
      priced: o.reader !== undefined,
      ...(o.reader ? { currency: currency ?? 'usd', total: money(total) } : {}),
      lines,
      notes,
    });
  }
  return {
    priced: o.reader !== undefined,
    note: o.reader
      ? `Our estimate of the calendar month: the plan's price and each meter's quantity × the price Stripe has on ` +
        `it (read with ${o.billing.secret}); Stripe invoices per billing period — its own figure is its preview.`
      : `Quantities only: ${o.billing.secret} is not set here, so Stripe's prices were not read (set it to see ` +
        'the amounts).',
    tenants,
  };
}

function currencyOf(
  onMeters: ReadonlyMap<string, readonly StripePriceRead[]>,
  id: string,
): string | undefined {
  for (const prices of onMeters.values()) {
    const p = prices.find((x) => x.id === id);
    if (p) return p.currency;
  }
  return undefined;
}
