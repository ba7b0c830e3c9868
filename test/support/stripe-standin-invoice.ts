// What the Stripe stand-in (src/testing/stripe-standin.ts) answers besides meter events and their summaries, for the invoice
// (`atakora usage --month`) and `--billing --check`: prices, and the meter error reports Stripe raises for events it
// accepted and then could not apply. Each is an extension the stand-in calls first on every request it authorized.

import type { StandInExtension, StandInState } from '../../src/testing/stripe-standin.js';

/**
 * A price as the stand-in keeps it: a flat recurring price (no `meter`) or a metered one on the meter of that event
 * name, per unit (`unit_amount_decimal`, in the currency's minor unit) or tiered, with an optional
 * `transform_quantity` (Stripe API reference, "The Price object").
 */
export interface StandInPrice {
  readonly id: string;
  readonly product?: string;
  readonly currency?: string;
  readonly meter?: string;
  readonly unit_amount_decimal?: string;
  readonly tiers_mode?: 'graduated' | 'volume';
  readonly tiers?: readonly {
    readonly up_to: number | null;
    readonly unit_amount_decimal?: string;
    readonly flat_amount_decimal?: string;
  }[];
  readonly transform_quantity?: { readonly divide_by: number; readonly round: 'up' | 'down' };
  readonly active?: boolean;
}

const error = (status: number, message: string, code?: string) => ({
  status,
  body: { error: { type: 'invalid_request_error', message, ...(code ? { code } : {}) } },
});

/** A price as the API answers it: `GET v1/prices/{id}` and each item of `GET v1/prices`. */
function priceObject(p: StandInPrice, state: StandInState): Record<string, unknown> {
  const meter = p.meter === undefined ? null : state.meters.find((m) => m.event_name === p.meter);
  const tiered = p.tiers !== undefined;
  const unit = p.unit_amount_decimal ?? null;
  return {
    id: p.id,
    object: 'price',
    active: p.active ?? true,
    billing_scheme: tiered ? 'tiered' : 'per_unit',
    currency: p.currency ?? 'usd',
    livemode: false,
    product: p.product ?? 'prod_test_0001',
    recurring: {
      interval: 'month',
      interval_count: 1,
      meter: meter ? meter.id : null,
      usage_type: p.meter === undefined ? 'licensed' : 'metered',
    },
    tiers_mode: p.tiers_mode ?? null,
    ...(tiered
      ? {
          tiers: p.tiers?.map((t) => ({
            up_to: t.up_to,
            unit_amount_decimal: t.unit_amount_decimal ?? null,
            unit_amount: t.unit_amount_decimal === undefined ? null : Number(t.unit_amount_decimal),
            flat_amount_decimal: t.flat_amount_decimal ?? null,
            flat_amount: t.flat_amount_decimal === undefined ? null : Number(t.flat_amount_decimal),
          })),
        }
      : {}),
    transform_quantity: p.transform_quantity ?? null,
    type: 'recurring',
    unit_amount_decimal: unit,
    unit_amount: unit !== null && Number.isInteger(Number(unit)) ? Number(unit) : null,
  };
}

/**
 * Prices: `GET v1/prices` ("List all prices": `active`, `type`, one page) and `GET v1/prices/{id}` ("Retrieve a
 * price"; 404 `resource_missing` for an unknown id).
 *
 * @example
 * ```ts
 * const stripe = await startStripeStandIn({ key, meters: ['api_requests'], extend: standInPrices([...]) });
 * ```
 */
export function standInPrices(prices: readonly StandInPrice[]): StandInExtension {
  return (method, url, state) => {
    if (method !== 'GET') return undefined;
    if (url.pathname === '/v1/prices') {
      const active = url.searchParams.get('active');
      const data = prices
        .filter((p) => active === null || String(p.active ?? true) === active)
        .map((p) => priceObject(p, state));
      return { status: 200, body: { object: 'list', data, has_more: false, url: '/v1/prices' } };
    }
    const one = /^\/v1\/prices\/([^/]+)$/.exec(url.pathname);
    if (!one) return undefined;
    const price = prices.find((p) => p.id === decodeURIComponent(one[1] ?? ''));
    return price
      ? { status: 200, body: priceObject(price, state) }
      : error(404, `No such price: '${one[1] ?? ''}'`, 'resource_missing');
  };
}

/**
 * Events Stripe accepts and refuses later: a meter event whose customer is in `unknownCustomers` is taken (200) and,
 * when next anything is asked, taken back out of the meter's events (never aggregated) into a
 * `v1.billing.meter.error_report_triggered` event (Stripe API reference, v2 "Event types": "occurs when there are
 * invalid async usage events for a given meter"; its `data.reason.error_types[]` with `code`
 * `meter_event_customer_not_found`, `error_count` and `sample_errors[].request.identifier`), listed by `GET
 * v2/core/events` with `object_id` the meter's id.
 *
 * @example
 * ```ts
 * const stripe = await startStripeStandIn({ key, meters, extend: standInErrorReports(['cus_Gone']) });
 * ```
 */
export function standInErrorReports(unknownCustomers: readonly string[]): StandInExtension {
  const reports: Record<string, unknown>[] = [];
  return (method, url, state) => {
    const refused = state.events.filter((e) =>
      unknownCustomers.includes(e.payload.stripe_customer_id),
    );
    for (const meter of state.meters) {
      const mine = refused.filter((e) => e.event_name === meter.event_name);
      if (mine.length === 0) continue;
      const at = new Date().toISOString();
      reports.push({
        id: `evt_test_${String(reports.length + 1).padStart(6, '0')}`,
        object: 'v2.core.event',
        type: 'v1.billing.meter.error_report_triggered',
        created: at,
        livemode: false,
        related_object: {
          id: meter.id,
          type: 'billing.meter',
          url: `/v1/billing/meters/${meter.id}`,
        },
        data: {
          developer_message_summary: `${String(mine.length)} invalid meter event(s).`,
          validation_start: at,
          validation_end: at,
          reason: {
            error_count: mine.length,
            error_types: [
              {
                code: 'meter_event_customer_not_found',
                error_count: mine.length,
                // Stripe samples a few of each type; here every one.
                sample_errors: mine.map((e) => ({
                  error_message: `No customer with id ${e.payload.stripe_customer_id}.`,
                  request: { identifier: e.identifier },
                })),
              },
            ],
          },
        },
      });
    }
    for (const e of refused) state.events.splice(state.events.indexOf(e), 1);
    if (method !== 'GET' || url.pathname !== '/v2/core/events') return undefined;
    const objectId = url.searchParams.get('object_id');
    if (!objectId) return error(400, 'object_id is required.');
    const types = [...url.searchParams.entries()]
      .filter(([k]) => k === 'types' || k.startsWith('types['))
      .map(([, v]) => v);
    const data = reports.filter(
      (r) =>
        (r['related_object'] as { id: string }).id === objectId &&
        (types.length === 0 || types.includes(String(r['type']))),
    );
    return { status: 200, body: { data, next_page_url: null, previous_page_url: null } };
  };
}

/**
 * Several extensions, asked in order (every one sees every request: an error report is made whatever is asked).
 *
 * @example
 * ```ts
 * extend: standInExtensions(standInPrices(prices), standInErrorReports(['cus_Gone']))
 * ```
 */
export function standInExtensions(...all: readonly StandInExtension[]): StandInExtension {
  return (method, url, state) => {
    let answer: ReturnType<StandInExtension>;
    for (const one of all) {
      const said = one(method, url, state);
      answer ??= said;
    }
    return answer;
  };
}
