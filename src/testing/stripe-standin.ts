import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

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
}

/**
 * A loopback stand-in for the Stripe API as its reference documents the calls the billing export makes, driven by
 * the official `stripe` SDK (`STRIPE_API_BASE=<base>`):
 *
 * - `POST /v1/billing/meter_events` (form-encoded; "Create a billing meter event"): `event_name` of an active meter
 *   (at most 100 characters), `identifier` (at most 100, unique "within a rolling period of at least 24 hours": a
 *   second one is 400 invalid_request_error "An event already exists with identifier …" with
 *   `Stripe-Should-Retry: false`, as Stripe answers), `timestamp` "within the past 35 calendar days or up to 5
 *   minutes in the future" (400 otherwise, `param: timestamp`), `payload[stripe_customer_id]` and `payload[value]`
 *   ("only accepts whole number values", "Record usage for billing with the API"). Answers the
 *   `billing.meter_event` object.
 * - `GET /v1/billing/meters` ("List billing meters") and `GET /v1/billing/meters/{id}/event_summaries` ("List
 *   billing meter event summaries": `customer`, `start_time` and `end_time` on minute boundaries,
 *   `value_grouping_window=hour`): each hour's `aggregated_value` (sum) of the customer's events.
 * - 401 for any other key than `key` (Stripe masks the key it quotes: `sk_test_****` and its last four).
 * - `faults`: 429 (`rate_limit`, "Too many requests") or 503 (`api_error`) for the next N creates; a delay on each;
 *   `echoKey`: every request 401 with the key quoted unmasked.
 */
export async function startStripeStandIn(options: {
  readonly key: string;
  readonly meters: readonly string[];
  readonly now?: () => number;
}): Promise<{
  base: string;
  events: TakenEvent[];
  /** Every create the stand-in answered (status and identifier), faults and refusals included. */
  creates: { status: number; identifier: string }[];
  /** Authorization headers seen (to prove the key goes only to Stripe). */
  authorizations: Set<string>;
  faults: StripeFaults;
  close(): Promise<void>;
}> {
  const now = options.now ?? Date.now;
  const meters = options.meters.map((event_name, i) => ({
    id: `mtr_test_${String(i + 1).padStart(4, '0')}`,
    object: 'billing.meter',
    event_name,
    status: 'active',
    default_aggregation: { formula: 'sum' },
    customer_mapping: { event_payload_key: 'stripe_customer_id', type: 'by_id' },
    value_settings: { event_payload_key: 'value' },
    livemode: false,
  }));
  const events: TakenEvent[] = [];
  const creates: { status: number; identifier: string }[] = [];
  const authorizations = new Set<string>();
  const faults: StripeFaults = { count: 0, delayMs: 0 };
  const server: Server = createServer((req, res) => {
    void read(req).then(async (text) => {
      const send = (status: number, body: unknown, headers: Record<string, string> = {}) => {
        if (res.destroyed) return;
        res.writeHead(status, { 'content-type': 'application/json', ...headers });
        res.end(JSON.stringify(body));
      };
      const error = (status: number, e: Record<string, unknown>, headers = {}) =>
        send(status, { error: e }, headers);
      const auth = req.headers.authorization ?? '';
      authorizations.add(auth);
      if (faults.echoKey)
        return error(401, {
          type: 'invalid_request_error',
          message: `Invalid API Key provided: ${auth.replace(/^Bearer /, '')}`,
        });
      if (auth !== `Bearer ${options.key}`)
        return error(401, {
          type: 'invalid_request_error',
          message: `Invalid API Key provided: sk_test_****${auth.slice(-4)}`,
        });
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      if (req.method === 'POST' && url.pathname === '/v1/billing/meter_events') {
        if (faults.delayMs > 0) await new Promise((r) => setTimeout(r, faults.delayMs));
        const form = new URLSearchParams(text);
        const identifier = form.get('identifier') ?? '';
        const answer = (status: number, body: Record<string, unknown>, headers = {}) => {
          creates.push({ status, identifier });
          if (status >= 400) error(status, body, headers);
          else send(status, body);
        };
        if (faults.count > 0 && faults.status) {
          faults.count--;
          return faults.status === 429
            ? answer(429, {
                type: 'invalid_request_error',
                code: 'rate_limit',
                message: 'Too many requests hit the API too quickly.',
              })
            : answer(503, { type: 'api_error', message: 'Service unavailable.' });
        }
        const eventName = form.get('event_name') ?? '';
        const timestamp = Number(form.get('timestamp') ?? Math.floor(now() / 1000));
        const customer = form.get('payload[stripe_customer_id]') ?? '';
        const value = form.get('payload[value]') ?? '';
        const invalid = (param: string, message: string) =>
          answer(400, { type: 'invalid_request_error', param, message });
        if (!meters.some((m) => m.event_name === eventName) || eventName.length > 100)
          return invalid(
            'event_name',
            `No active meter was found matching event_name ${eventName}.`,
          );
        if (identifier.length === 0 || identifier.length > 100)
          return invalid('identifier', 'Identifier must be 1 to 100 characters.');
        if (!/^\d+$/.test(value))
          return invalid('payload[value]', 'The value must be a whole number.');
        if (!customer.startsWith('cus_'))
          return invalid('payload[stripe_customer_id]', 'No such customer.');
        const nowSeconds = now() / 1000;
        if (timestamp < nowSeconds - 35 * 86_400)
          return invalid('timestamp', 'Timestamp must be within the past 35 days.');
        if (timestamp > nowSeconds + 300)
          return invalid('timestamp', 'Timestamp must be no more than 5 minutes in the future.');
        const earlier = events.find(
          (e) => e.identifier === identifier && e.created > now() - 24 * 3_600_000,
        );
        if (earlier)
          return answer(
            400,
            {
              type: 'invalid_request_error',
              message: `An event already exists with identifier ${identifier}.`,
            },
            { 'stripe-should-retry': 'false' },
          );
        const taken: TakenEvent = {
          event_name: eventName,
          identifier,
          timestamp,
          payload: { stripe_customer_id: customer, value },
          created: now(),
        };
        events.push(taken);
        const { created: _taken, ...event } = taken;
        return answer(200, {
          object: 'billing.meter_event',
          created: Math.floor(now() / 1000),
          livemode: false,
          ...event,
        });
      }
      if (req.method === 'GET' && url.pathname === '/v1/billing/meters')
        return send(200, {
          object: 'list',
          data: meters,
          has_more: false,
          url: '/v1/billing/meters',
        });
      const summaries = /^\/v1\/billing\/meters\/([^/]+)\/event_summaries$/.exec(url.pathname);
      if (req.method === 'GET' && summaries) {
        const meter = meters.find((m) => m.id === decodeURIComponent(summaries[1] ?? ''));
        if (!meter) return error(404, { type: 'invalid_request_error', message: 'No such meter.' });
        const customer = url.searchParams.get('customer') ?? '';
        const start = Number(url.searchParams.get('start_time'));
        const end = Number(url.searchParams.get('end_time'));
        if (!customer || start % 60 !== 0 || end % 60 !== 0 || !(end > start))
          return error(400, {
            type: 'invalid_request_error',
            param: 'start_time',
            message: 'start_time and end_time must be aligned with minute boundaries.',
          });
        const byHour = new Map<number, number>();
        for (const e of events)
          if (
            e.event_name === meter.event_name &&
            e.payload.stripe_customer_id === customer &&
            e.timestamp >= start &&
            e.timestamp < end
          ) {
            const hour = e.timestamp - (e.timestamp % 3600);
            byHour.set(hour, (byHour.get(hour) ?? 0) + Number(e.payload.value));
          }
        const data = [...byHour.entries()]
          .sort((a, b) => a[0] - b[0])
          .map(([hour, value]) => ({
            id: `mtrusg_test_${String(hour)}`,
            object: 'billing.meter_event_summary',
            aggregated_value: value,
            start_time: hour,
            end_time: hour + 3600,
            livemode: false,
            meter: meter.id,
          }));
        return send(200, { object: 'list', data, has_more: false, url: url.pathname });
      }
      return error(404, {
        type: 'invalid_request_error',
        message: `Unrecognized request URL (${req.method ?? ''} ${url.pathname}).`,
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    base: `http://127.0.0.1:${String(port)}`,
    events,
    creates,
    authorizations,
    faults,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function read(req: IncomingMessage): Promise<string> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
  });
}
