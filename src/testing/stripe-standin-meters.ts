import type { IncomingMessage } from 'node:http';

/** One meter event the stand-in took, as Stripe's API reference names its fields. */
export interface TakenEvent {
  readonly event_name: string;
  readonly identifier: string;
  readonly timestamp: number;
  readonly payload: { readonly stripe_customer_id: string; readonly value: string };
  /** When it was taken (ms, the stand-in's clock). */
  readonly created: number;
}

/** Faults to answer with: the next `count` meter event creates get `status` (429 or 503); `delayMs` holds each. */
export interface StripeFaults {
  status?: 429 | 503;
  count: number;
  delayMs: number;
  /**
   * Answer every request 401 quoting the key it was sent in full (a proxy or a stand-in that does not mask it as
   * Stripe does): whatever prints the error must mask it.
   */
  echoKey?: boolean;
  /**
   * Hold the next N subscription item updates (`POST /v1/subscription_items/{id}`) until a later one has been
   * applied (or 10 s passed): two updates sent in one order reach Stripe in the other, as two requests over two
   * connections may ("Stripe doesn't guarantee delivery of events in the order in which they're generated" holds of
   * requests too: nothing orders two API calls but their caller).
   */
  holdItemUpdates?: number;
  /**
   * Refuse the next `count` subscription item updates (`POST /v1/subscription_items/{id}`) as Stripe does when it
   * cannot take them: 500 `api_error` (API reference, "Errors": "Codes in the 5xx range indicate an error with
   * Stripe's servers") or 429 `rate_limit` ("Rate limits": "If you send many requests in quick succession, you might
   * see error responses with status code 429"). Nothing is changed; the SDK's own retries take from `count` too.
   */
  failItemUpdates?: { status: 429 | 500; count: number };
}

/** A subscription item update `faults.failItemUpdates` refuses: answered (taking one from its count), true. */
export function refuseItemUpdate(
  faults: StripeFaults,
  send: (status: number, body: unknown) => void,
): boolean {
  const fail = faults.failItemUpdates;
  if (!fail || fail.count <= 0) return false;
  fail.count--;
  const refusal =
    fail.status === 429
      ? {
          status: 429,
          body: {
            error: {
              type: 'invalid_request_error',
              code: 'rate_limit',
              message: 'Too many requests hit the API too quickly.',
            },
          },
        }
      : {
          status: 500,
          body: { error: { type: 'api_error', message: 'An unknown error occurred.' } },
        };
  send(refusal.status, refusal.body);
  return true;
}

/** What the meter routes read and answer with (the stand-in's state and its answer helpers). */
export interface MeterContext {
  readonly req: IncomingMessage;
  readonly url: URL;
  readonly text: string;
  readonly send: (status: number, body: unknown, headers?: Record<string, string>) => void;
  readonly error: (
    status: number,
    e: Record<string, unknown>,
    headers?: Record<string, string>,
  ) => void;
  readonly faults: StripeFaults;
  readonly creates: { status: number; identifier: string }[];
  readonly events: TakenEvent[];
  readonly meters: readonly { id: string; event_name: string }[];
  readonly now: () => number;
  /** How long a taken event stays out of the summaries (ms): Stripe aggregates meter events asynchronously. */
  readonly lag?: number;
}

/**
 * The meter event routes of the stand-in (`POST /v1/billing/meter_events`, `GET /v1/billing/meters`,
 * `GET /v1/billing/meters/{id}/event_summaries`), as stripe-standin.ts documents them; true when it answered.
 *
 * @example
 * ```ts
 * if (await meterRoutes(ctx)) return;
 * ```
 */
export async function meterRoutes(ctx: MeterContext): Promise<boolean> {
  const { req, url, text, send, error, faults, creates, events, meters, now } = ctx;
  const aggregatedBy = now() - (ctx.lag ?? 0);
  if (req.method === 'POST' && url.pathname === '/v1/billing/meter_events') {
    if (faults.delayMs > 0) await new Promise((r) => setTimeout(r, faults.delayMs));
    const form = new URLSearchParams(text);
    // Optional: "If you don't specify an identifier, we auto-generate one" (Record usage for billing with the API).
    const identifier =
      form.get('identifier') ?? `mev_test_${String(creates.length + 1).padStart(8, '0')}`;
    const answer = (status: number, body: Record<string, unknown>, headers = {}) => {
      creates.push({ status, identifier });
      if (status >= 400) error(status, body, headers);
      else send(status, body);
    };
    if (faults.count > 0 && faults.status) {
      faults.count--;
      if (faults.status === 429)
        answer(429, {
          type: 'invalid_request_error',
          code: 'rate_limit',
          message: 'Too many requests hit the API too quickly.',
        });
      else answer(503, { type: 'api_error', message: 'Service unavailable.' });
      return true;
    }
    const eventName = form.get('event_name') ?? '';
    const timestamp = Number(form.get('timestamp') ?? Math.floor(now() / 1000));
    const customer = form.get('payload[stripe_customer_id]') ?? '';
    const value = form.get('payload[value]') ?? '';
    const invalid = (param: string, message: string) => {
      answer(400, { type: 'invalid_request_error', param, message });
    };
    if (!meters.some((m) => m.event_name === eventName) || eventName.length > 100) {
      invalid('event_name', `No active meter was found matching event_name ${eventName}.`);
      return true;
    }
    if (identifier.length === 0 || identifier.length > 100) {
      invalid('identifier', 'Identifier must be 1 to 100 characters.');
      return true;
    }
    if (!/^\d+$/.test(value)) {
      invalid('payload[value]', 'The value must be a whole number.');
      return true;
    }
    if (!customer.startsWith('cus_')) {
      invalid('payload[stripe_customer_id]', 'No such customer.');
      return true;
    }
    const nowSeconds = now() / 1000;
    if (timestamp < nowSeconds - 35 * 86_400) {
      invalid('timestamp', 'Timestamp must be within the past 35 days.');
      return true;
    }
    if (timestamp > nowSeconds + 300) {
      invalid('timestamp', 'Timestamp must be no more than 5 minutes in the future.');
      return true;
    }
    const earlier = events.find(
      (e) => e.identifier === identifier && e.created > now() - 24 * 3_600_000,
    );
    if (earlier) {
      answer(
        400,
        {
          type: 'invalid_request_error',
          message: `An event already exists with identifier ${identifier}.`,
        },
        { 'stripe-should-retry': 'false' },
      );
      return true;
    }
    const taken: TakenEvent = {
      event_name: eventName,
      identifier,
      timestamp,
      payload: { stripe_customer_id: customer, value },
      created: now(),
    };
    events.push(taken);
    const { created: _taken, ...event } = taken;
    answer(200, {
      object: 'billing.meter_event',
      created: Math.floor(now() / 1000),
      livemode: false,
      ...event,
    });
    return true;
  }
  if (req.method === 'GET' && url.pathname === '/v1/billing/meters') {
    send(200, {
      object: 'list',
      data: meters,
      has_more: false,
      url: '/v1/billing/meters',
    });
    return true;
  }
  const summaries = /^\/v1\/billing\/meters\/([^/]+)\/event_summaries$/.exec(url.pathname);
  if (req.method === 'GET' && summaries) {
    const meter = meters.find((m) => m.id === decodeURIComponent(summaries[1] ?? ''));
    if (!meter) {
      error(404, { type: 'invalid_request_error', message: 'No such meter.' });
      return true;
    }
    const customer = url.searchParams.get('customer') ?? '';
    const start = Number(url.searchParams.get('start_time'));
    const end = Number(url.searchParams.get('end_time'));
    const window = windowOf(url.searchParams.get('value_grouping_window'));
    if (!customer || start % window.align !== 0 || end % window.align !== 0 || !(end > start)) {
      error(400, {
        type: 'invalid_request_error',
        param: 'start_time',
        message: `start_time and end_time must be aligned with ${window.name} boundaries.`,
      });
      return true;
    }
    const buckets = new Map<number, number>();
    for (const e of events)
      if (
        e.event_name === meter.event_name &&
        e.payload.stripe_customer_id === customer &&
        e.timestamp >= start &&
        e.timestamp < end &&
        e.created <= aggregatedBy
      ) {
        const from = window.size === 0 ? start : e.timestamp - (e.timestamp % window.size);
        buckets.set(from, (buckets.get(from) ?? 0) + Number(e.payload.value));
      }
    const data = [...buckets.entries()]
      .sort((a, b) => a[0] - b[0])
      .map(([from, value]) => ({
        id: `mtrusg_test_${String(from)}`,
        object: 'billing.meter_event_summary',
        aggregated_value: value,
        start_time: from,
        end_time: window.size === 0 ? end : from + window.size,
        livemode: false,
        meter: meter.id,
      }));
    send(200, { object: 'list', data, has_more: false, url: url.pathname });
    return true;
  }
  return false;
}

/**
 * How `value_grouping_window` groups the summaries (Stripe's OpenAPI, "List billing meter event summaries": "If not
 * specified, a single event summary would be returned for the specified time range. For hourly granularity, start and
 * end times must align with hour boundaries … For daily granularity, start and end times must align with UTC day
 * boundaries"; without it, with minute boundaries): each summary's span (0: the whole range) and the alignment asked.
 */
function windowOf(value: string | null): { size: number; align: number; name: string } {
  if (value === 'hour') return { size: 3600, align: 3600, name: 'hour' };
  if (value === 'day') return { size: 86_400, align: 86_400, name: 'day' };
  return { size: 0, align: 60, name: 'minute' };
}

/** The active billing meters of these event names, as `GET /v1/billing/meters` lists them. */
export function meterObjects(names: readonly string[]) {
  return names.map((event_name, i) => ({
    id: `mtr_test_${String(i + 1).padStart(4, '0')}`,
    object: 'billing.meter',
    event_name,
    status: 'active',
    default_aggregation: { formula: 'sum' },
    customer_mapping: { event_payload_key: 'stripe_customer_id', type: 'by_id' },
    value_settings: { event_payload_key: 'value' },
    livemode: false,
  }));
}
