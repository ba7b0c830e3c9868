import type { TakenEvent } from './stripe-standin-meters.js';
import { amountOf } from './stripe-standin-prices.js';

// The invoice a subscription's next bill would be, as `invoices.createPreview` answers it (Stripe API reference,
// "Create a preview invoice"; the line fields of `stripe`'s InvoiceLineItem type): a licensed item billed for the
// next period in advance (unit amount × quantity), a metered item billed for the current period in arrears — its
// quantity the sum of the customer's meter events in that period, priced as its price says (`amountOf`).

type Obj = Record<string, unknown>;

/** What the preview reads besides the subscription: the meters, the events they took, and an id maker. */
export interface PreviewContext {
  readonly meters: readonly { readonly id: string; readonly event_name: string }[];
  readonly events: readonly TakenEvent[];
  /** The subscription's pending proration lines (stripe-standin-proration.ts), invoiced with the next invoice. */
  readonly prorations?: readonly Obj[];
  readonly id: (prefix: string) => string;
}

const MONTH = 30 * 86_400;

/**
 * The preview invoice of `sub` (a subscription object of the stand-in).
 *
 * @example
 * ```ts
 * previewInvoice(sub, { meters, events, id: (p) => `${p}_1` }).total; // 2900 + metered usage
 * ```
 */
export function previewInvoice(sub: Obj, ctx: PreviewContext): Obj {
  const items = (sub['items'] as { data: Obj[] }).data;
  const lines = items.map((i) => {
    const price = i['price'] as Obj;
    const recurring = price['recurring'] as { meter: string | null; usage_type: string };
    const start = Number(i['current_period_start']);
    const end = Number(i['current_period_end']);
    const metered = recurring.usage_type === 'metered';
    const eventName = ctx.meters.find((m) => m.id === recurring.meter)?.event_name;
    const quantity = metered
      ? ctx.events
          .filter(
            (e) =>
              e.event_name === eventName &&
              e.payload.stripe_customer_id === sub['customer'] &&
              e.timestamp >= start &&
              e.timestamp < end,
          )
          .reduce((n, e) => n + Number(e.payload.value), 0)
      : Number(i['quantity']);
    const amount = metered ? amountOf(price, quantity) : Number(price['unit_amount']) * quantity;
    return {
      id: ctx.id('il'),
      object: 'line_item',
      amount,
      subtotal: amount,
      currency: price['currency'],
      description: `${String(quantity)} × ${String(price['product'])}`,
      quantity,
      period: metered ? { start, end } : { start: end, end: end + MONTH },
      pricing: {
        type: 'price_details',
        price_details: { price: price['id'], product: price['product'] },
        unit_amount_decimal: price['unit_amount_decimal'],
      },
      parent: {
        type: 'subscription_item_details',
        subscription_item_details: { subscription: sub['id'], subscription_item: i['id'] },
      },
      livemode: false,
    };
  });
  const all: Obj[] = [...(ctx.prorations ?? []), ...lines];
  const total = all.reduce((n, l) => n + Number(l['amount']), 0);
  const first = items[0] ?? {};
  return {
    id: null,
    object: 'invoice',
    status: 'draft',
    customer: sub['customer'],
    currency: lines[0]?.currency ?? 'usd',
    lines: { object: 'list', has_more: false, data: all },
    subtotal: total,
    total,
    amount_due: total,
    period_start: first['current_period_start'],
    period_end: first['current_period_end'],
    livemode: false,
  };
}
