// The stand-in's prices: flat recurring (licensed) ones a plan is sold at, and metered ones on a billing meter that
// price its usage — the fields of Stripe's API reference, "The Price object", that Atakora reads, and the arithmetic
// Stripe applies to a metered quantity on an invoice (`transform_quantity`, per unit or tiered).

type Obj = Record<string, unknown>;

/**
 * A price the stand-in knows (as created in the dashboard): monthly, recurring. Without `meter` it is licensed (the
 * plan's fee, `unitAmount` in the currency's minor unit); with `meter` (a meter's event name) it is metered, per unit
 * (`unitAmountDecimal`, minor units, fractions allowed) or tiered, with an optional `transformQuantity`.
 */
export interface StandInPrice {
  readonly id: string;
  /** Per unit, in the currency's minor unit (2900 = $29.00). */
  readonly unitAmount?: number;
  /** Per unit with fractions of the minor unit ('0.5' = half a cent); wins over `unitAmount`. */
  readonly unitAmountDecimal?: string;
  readonly currency?: string;
  readonly product?: string;
  /** The event name of the meter this price bills (a metered price). */
  readonly meter?: string;
  readonly tiersMode?: 'graduated' | 'volume';
  readonly tiers?: readonly {
    readonly upTo: number | null;
    readonly unitAmountDecimal?: string;
    readonly flatAmountDecimal?: string;
  }[];
  /** Divide the quantity before pricing, rounding `up` or `down` (Stripe's `transform_quantity`). */
  readonly transformQuantity?: { readonly divideBy: number; readonly round: 'up' | 'down' };
  /** Default true; an inactive price is listed only when asked for. */
  readonly active?: boolean;
}

const num = (v: string | undefined): number | null => (v === undefined ? null : Number(v));

/**
 * A price as the API answers it (`GET v1/prices/{id}`, each item of `GET v1/prices`, a subscription item's `price`).
 *
 * @example
 * ```ts
 * priceObject({ id: 'price_pro', unitAmount: 2900 }, []).unit_amount; // 2900
 * ```
 */
export function priceObject(
  p: StandInPrice,
  meters: readonly { readonly id: string; readonly event_name: string }[],
): Obj {
  const meter = p.meter === undefined ? null : meters.find((m) => m.event_name === p.meter);
  const unit = p.unitAmountDecimal ?? (p.unitAmount === undefined ? null : String(p.unitAmount));
  return {
    id: p.id,
    object: 'price',
    active: p.active ?? true,
    billing_scheme: p.tiers ? 'tiered' : 'per_unit',
    currency: p.currency ?? 'usd',
    livemode: false,
    product: p.product ?? `prod_${p.id.replace(/^price_/, '')}`,
    recurring: {
      interval: 'month',
      interval_count: 1,
      meter: meter ? meter.id : null,
      usage_type: p.meter === undefined ? 'licensed' : 'metered',
    },
    tiers_mode: p.tiersMode ?? null,
    ...(p.tiers
      ? {
          tiers: p.tiers.map((t) => ({
            up_to: t.upTo,
            unit_amount_decimal: t.unitAmountDecimal ?? null,
            unit_amount: num(t.unitAmountDecimal),
            flat_amount_decimal: t.flatAmountDecimal ?? null,
            flat_amount: num(t.flatAmountDecimal),
          })),
        }
      : {}),
    transform_quantity: p.transformQuantity
      ? { divide_by: p.transformQuantity.divideBy, round: p.transformQuantity.round }
      : null,
    type: 'recurring',
    unit_amount_decimal: unit,
    unit_amount: unit !== null && Number.isInteger(Number(unit)) ? Number(unit) : null,
  };
}

/**
 * What `quantity` units cost on a price object, in the minor unit, rounded as Stripe rounds a line's amount:
 * `transform_quantity` first, then per unit, or tiers (`graduated`: each tier's units at its rate plus its flat
 * amount; `volume`: every unit at the tier the total falls in).
 *
 * @example
 * ```ts
 * amountOf(priceObject({ id: 'price_req', meter: 'api_requests', unitAmountDecimal: '0.5' }, meters), 33); // 17
 * ```
 */
export function amountOf(price: Obj, quantity: number): number {
  const t = price['transform_quantity'] as { divide_by: number; round: 'up' | 'down' } | null;
  const q = t ? (t.round === 'up' ? Math.ceil : Math.floor)(quantity / t.divide_by) : quantity;
  const tiers = price['tiers'] as
    | {
        up_to: number | null;
        unit_amount_decimal: string | null;
        flat_amount_decimal: string | null;
      }[]
    | undefined;
  if (!tiers) return Math.round(q * Number(price['unit_amount_decimal'] ?? 0));
  const rate = (x: string | null) => Number(x ?? 0);
  if (price['tiers_mode'] === 'volume') {
    const tier = tiers.find((x) => x.up_to === null || q <= x.up_to) ?? tiers[tiers.length - 1];
    return tier
      ? Math.round(q * rate(tier.unit_amount_decimal) + rate(tier.flat_amount_decimal))
      : 0;
  }
  let total = 0;
  let below = 0;
  for (const tier of tiers) {
    if (q <= below) break;
    const top = tier.up_to ?? Number.POSITIVE_INFINITY;
    const units = Math.min(q, top) - below;
    total += units * rate(tier.unit_amount_decimal) + rate(tier.flat_amount_decimal);
    below = top;
  }
  return Math.round(total);
}

/** `GET v1/prices` ("List all prices": `active` filtered, one page) over the stand-in's prices. */
export function listPrices(
  prices: Iterable<Obj>,
  active: string | null,
  expand: readonly string[] = [],
): Obj {
  const data = [...prices]
    .filter((p) => active === null || String(p['active']) === active)
    .map((p) => shownPrice(p, expand.includes('data.tiers')));
  return { object: 'list', data, has_more: false, url: '/v1/prices' };
}

/**
 * A price as an answer shows it: `tiers` only when expanded (`expand[]=tiers`, or `data.tiers` on a list). Stripe's
 * OpenAPI marks the price's `tiers` includable — out of the schema's `required` list, the field "not included by
 * default. To include it in the response, expand the `tiers` field" (API reference, "The Price object", tiers) — so
 * a reader that forgets the expand gets no tiers and would price a tiered meter at nothing.
 */
export function shownPrice(price: Obj, tiersExpanded: boolean): Obj {
  if (tiersExpanded || !('tiers' in price)) return price;
  const { tiers: _tiers, ...rest } = price;
  return rest;
}

/** The `expand[]` values of a request's parameters (stripe-node sends `expand[0]=…`). */
export function expandsOf(form: URLSearchParams): string[] {
  return [...form.entries()]
    .filter(([k]) => k === 'expand' || k.startsWith('expand['))
    .map(([, v]) => v);
}
