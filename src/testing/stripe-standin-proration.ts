// Prorations of a subscription item's quantity change, as Stripe makes them (docs.stripe.com/billing/subscriptions/
// prorations: "Changes to a subscription such as upgrading or downgrading can result in prorated charges" — by
// default, `proration_behavior: create_prorations`, "We also prorate when you make quantity changes"): two pending
// invoice items on the customer, a credit for the unused time on the old quantity and a charge for the remaining time
// on the new one, each for the fraction of the period left, invoiced with the next invoice — so the upcoming invoice
// preview (`invoices.createPreview`) lists them beside the next period's charge, marked as prorations
// (InvoiceLineItem `parent.subscription_item_details.proration: true`).

type Obj = Record<string, unknown>;

const day = (seconds: number) =>
  new Date(seconds * 1000).toLocaleDateString('en-GB', {
    day: 'numeric',
    month: 'short',
    year: 'numeric',
    timeZone: 'UTC',
  });

/**
 * The two proration lines of `item` (on subscription `sub`) moving from `before` to its quantity now, at `now`
 * (seconds): none when nothing is left of the period, the quantity did not change, or the price is metered (billed
 * in arrears by its events). Amounts in the price's smallest unit, rounded as Stripe rounds each line.
 *
 * @example
 * ```ts
 * prorationLines(sub, item, 3, nowSeconds, (p) => `${p}_1`); // [{ amount: -1350, … }, { amount: 1800, … }]
 * ```
 */
export function prorationLines(
  sub: Obj,
  item: Obj,
  before: number,
  now: number,
  id: (prefix: string) => string,
): Obj[] {
  const price = item['price'] as Obj;
  const recurring = price['recurring'] as { usage_type?: string } | undefined;
  const after = Number(item['quantity']);
  const start = Number(item['current_period_start']);
  const end = Number(item['current_period_end']);
  if (recurring?.usage_type === 'metered' || after === before || end <= now || end <= start)
    return [];
  const left = (end - now) / (end - start);
  const unit = Number(price['unit_amount'] ?? 0);
  const line = (quantity: number, sign: 1 | -1, words: string): Obj => {
    const amount = sign * Math.round(unit * quantity * left);
    return {
      id: id('il'),
      object: 'line_item',
      amount,
      subtotal: amount,
      currency: price['currency'],
      description: `${words} ${String(quantity)} × ${String(price['product'])} after ${day(now)}`,
      quantity,
      period: { start: now, end },
      pricing: {
        type: 'price_details',
        price_details: { price: price['id'], product: price['product'] },
        unit_amount_decimal: price['unit_amount_decimal'],
      },
      parent: {
        type: 'subscription_item_details',
        subscription_item_details: {
          subscription: sub['id'],
          subscription_item: item['id'],
          proration: true,
        },
      },
      livemode: false,
    };
  };
  return [line(before, -1, 'Unused time on'), line(after, 1, 'Remaining time on')];
}
