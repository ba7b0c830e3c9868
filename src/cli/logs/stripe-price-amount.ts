// What a Stripe price charges for a quantity, as Stripe computes an invoice line (Stripe API reference, "The Price
// object": `billing_scheme`, `unit_amount_decimal`, `tiers`, `tiers_mode`, `transform_quantity`; Billing docs,
// "Tiered pricing" and "Usage-based pricing models"): pure, so the invoice `atakora usage --month` shows is tested
// against the stand-in's prices and the same rules. Amounts in the currency's minor unit (cents).

/** The fields of a Stripe price the amount depends on (what `GET v1/prices` answers, tiers expanded). */
export interface PriceTerms {
  readonly id: string;
  readonly currency: string;
  /** `per_unit` or `tiered`. */
  readonly billing_scheme?: string | null;
  readonly unit_amount?: number | null;
  readonly unit_amount_decimal?: string | null;
  /** `graduated` or `volume`, for a tiered price. */
  readonly tiers_mode?: string | null;
  readonly tiers?:
    | readonly {
        readonly up_to: number | null;
        readonly unit_amount?: number | null;
        readonly unit_amount_decimal?: string | null;
        readonly flat_amount?: number | null;
        readonly flat_amount_decimal?: string | null;
      }[]
    | null;
  readonly transform_quantity?: { readonly divide_by: number; readonly round: string } | null;
}

const decimal = (d: string | null | undefined, n: number | null | undefined): number => {
  const v = d === null || d === undefined ? n : Number(d);
  return typeof v === 'number' && Number.isFinite(v) ? v : 0;
};

/**
 * The amount (minor units, rounded to a whole one as an invoice line is) `price` charges for `quantity`: per unit
 * (after `transform_quantity`: divided, rounded up or down), or tiered — `graduated` (each tier's units at its price,
 * plus its flat amount once reached) or `volume` (every unit at the tier the total falls in, plus that tier's flat
 * amount).
 *
 * @example
 * ```ts
 * priceAmount({ id: 'price_R', currency: 'usd', unit_amount_decimal: '0.01' }, 41_230); // 412 (cents)
 * ```
 */
export function priceAmount(price: PriceTerms, quantity: number): number {
  const q = Math.max(0, quantity);
  if (price.billing_scheme === 'tiered' && price.tiers && price.tiers.length > 0) {
    const tiers = price.tiers;
    if (price.tiers_mode === 'volume') {
      const tier = tiers.find((t) => t.up_to === null || q <= t.up_to) ?? tiers[tiers.length - 1];
      if (!tier || q === 0) return 0;
      return Math.round(
        q * decimal(tier.unit_amount_decimal, tier.unit_amount) +
          decimal(tier.flat_amount_decimal, tier.flat_amount),
      );
    }
    let total = 0;
    let below = 0;
    for (const t of tiers) {
      if (q <= below) break;
      const upTo = t.up_to === null ? q : Math.min(q, t.up_to);
      total +=
        (upTo - below) * decimal(t.unit_amount_decimal, t.unit_amount) +
        decimal(t.flat_amount_decimal, t.flat_amount);
      below = upTo;
    }
    return Math.round(total);
  }
  const transform = price.transform_quantity;
  const units =
    transform && transform.divide_by > 0
      ? (transform.round === 'down' ? Math.floor : Math.ceil)(q / transform.divide_by)
      : q;
  return Math.round(units * decimal(price.unit_amount_decimal, price.unit_amount));
}

/**
 * The unit price in words, for the invoice's lines: `$0.01 / unit`, `$10 / 1,000 units`, `tiered (graduated)`.
 *
 * @example
 * ```ts
 * priceText({ id: 'price_R', currency: 'usd', unit_amount_decimal: '0.01' }); // 'usd 0.0001 / unit'
 * ```
 */
export function priceText(price: PriceTerms): string {
  const cur = price.currency.toLowerCase();
  if (price.billing_scheme === 'tiered') return `tiered (${price.tiers_mode ?? 'graduated'})`;
  const unit = decimal(price.unit_amount_decimal, price.unit_amount) / 100;
  const per = price.transform_quantity?.divide_by;
  return per && per > 1
    ? `${cur} ${String(unit)} / ${per.toLocaleString('en-US')} units`
    : `${cur} ${String(unit)} / unit`;
}
