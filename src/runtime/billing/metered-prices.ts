// Which metered prices a Checkout subscribes the organization to, beside its plan's. Stripe bills meter events only
// through a subscription item on a price whose `recurring.meter` is that meter (Stripe API reference, "Meters": "attach
// the billing meter to a price and attach the price to a subscription to charge the user"), so a subscription of the
// plan's price alone never invoices the usage the export sends. The server picks them, never the client: one active
// metered price per meter the export sends to; a meter with several is the operator's to settle.
import type { SubscriptionsStripe } from './subscriptions-port.js';

/** How long a lookup is reused: prices change in the dashboard rarely, and a refused checkout forgets it at once. */
export const METERED_PRICES_TTL_MS = 5 * 60_000;

/** The metered prices of a checkout, or the meters whose price is ambiguous (several active prices). */
export type MeteredLineItems =
  | { readonly ok: true; readonly prices: readonly string[] }
  | {
      readonly ok: false;
      readonly ambiguous: readonly { readonly meter: string; readonly prices: readonly string[] }[];
    };

/**
 * The metered line items of a checkout, read through `stripe.meteredPrices` (`GET v1/billing/meters`, `GET
 * v1/prices?active=true`, as `usage --month` prices them) and kept {@link METERED_PRICES_TTL_MS}; `forget()` drops
 * the kept answer (a checkout Stripe refused: a price archived meanwhile). A meter without an active metered price
 * adds nothing (its usage is sent, not invoiced: `usage --billing --check` says so).
 *
 * @example
 * ```ts
 * const metered = meteredLineItems(['api_requests'], () => Date.now());
 * const items = await metered.read(stripe); // { ok: true, prices: ['price_req'] }
 * ```
 */
export function meteredLineItems(
  eventNames: readonly string[],
  now: () => number,
): {
  read(stripe: SubscriptionsStripe): Promise<MeteredLineItems>;
  forget(): void;
} {
  let kept:
    | {
        readonly at: number;
        readonly stripe: SubscriptionsStripe;
        readonly value: MeteredLineItems;
      }
    | undefined;
  return {
    async read(stripe) {
      if (eventNames.length === 0) return { ok: true, prices: [] };
      if (kept && kept.stripe === stripe && now() - kept.at < METERED_PRICES_TTL_MS)
        return kept.value;
      const byMeter = await stripe.meteredPrices(eventNames);
      const ambiguous = [...new Set(eventNames)]
        .map((meter) => ({ meter, prices: [...(byMeter.get(meter) ?? [])].sort() }))
        .filter((m) => m.prices.length > 1);
      const value: MeteredLineItems =
        ambiguous.length > 0
          ? { ok: false, ambiguous }
          : {
              ok: true,
              prices: [...new Set(eventNames)].flatMap((m) => byMeter.get(m) ?? []),
            };
      // An ambiguity is not kept: once the operator archives a price, the next checkout goes through.
      kept = value.ok ? { at: now(), stripe, value } : undefined;
      return value;
    },
    forget() {
      kept = undefined;
    },
  };
}
