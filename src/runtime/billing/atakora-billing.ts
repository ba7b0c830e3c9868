/**
 * The billing export's Stripe client: the official `stripe` SDK (an optional peer; bundled into its own file of the
 * Function App package, loaded only by an app whose manifest has billing), as Stripe's API reference documents
 * `POST v1/billing/meter_events`, `GET v1/billing/meters` and `GET v1/billing/meters/{id}/event_summaries`.
 */
import Stripe from 'stripe';
import type { MeterEvent, MeterEventSender, SendOutcome } from './meter-sender.js';
import { scrubKey } from './meter-sender.js';
import {
  type PermissionOutcome,
  probePermission,
  StripeKeyRefused,
} from './stripe-permission-probes.js';
import type { StripePermission } from './stripe-permissions.js';
import {
  type MeterErrorReport,
  meterErrorReports,
  meterPrices,
  invoicePreview,
  priceRead,
  type StripeInvoicePreview,
  type StripePriceRead,
} from './stripe-reads.js';

/** Where and how to reach Stripe: the key, and `STRIPE_API_BASE` (a stand-in's `http://127.0.0.1:<port>`) if set. */
export interface StripeSenderOptions {
  readonly key: string;
  readonly apiBase?: string | undefined;
  /** Per request (default 20 s). */
  readonly timeoutMs?: number;
}

/**
 * A {@link MeterEventSender} on the official SDK. The SDK retries a connection failure, a 409 and a 5xx twice with
 * its own backoff (its `maxNetworkRetries`), each with the same request: Stripe's identifier makes those harmless. A
 * 429 it leaves to the caller ("Monitor for 429 status codes and implement a retry mechanism with an exponential
 * back-off schedule", Stripe, "Record usage for billing with the API", Rate limits): the export backs off.
 *
 * @example
 * ```ts
 * const sender = stripeSender({ key: process.env.STRIPE_KEY ?? '', apiBase: process.env.STRIPE_API_BASE });
 * await sender.send({ eventName: 'api_requests', identifier, customer: 'cus_A1', value: 12, timestamp });
 * ```
 */
export function stripeSender(options: StripeSenderOptions): MeterEventSender {
  const stripe = clientOf(options);
  const meterIds = new Map<string, string>();
  const meterOf = async (eventName: string): Promise<string | undefined> => {
    if (meterIds.size === 0)
      for await (const meter of stripe.billing.meters.list({ limit: 100 }))
        meterIds.set(meter.event_name, meter.id);
    return meterIds.get(eventName);
  };
  return {
    async send(event: MeterEvent): Promise<SendOutcome> {
      try {
        await stripe.billing.meterEvents.create({
          event_name: event.eventName,
          identifier: event.identifier,
          timestamp: event.timestamp,
          payload: { stripe_customer_id: event.customer, value: String(event.value) },
        });
        return { kind: 'sent' };
      } catch (e) {
        return outcomeOf(e, options.key);
      }
    },
    async hourValues(eventName, customer, fromSeconds, toSeconds) {
      const out = new Map<number, number>();
      // Read errors are thrown to the caller (`--check`, the export's old records), which prints or logs them: masked
      // as the sends' are, since an answer may quote the key it was sent.
      try {
        const id = await meterOf(eventName);
        if (id === undefined) return out;
        for await (const s of stripe.billing.meters.listEventSummaries(id, {
          customer,
          start_time: fromSeconds,
          end_time: toSeconds,
          value_grouping_window: 'hour',
          limit: 100,
        }))
          out.set(s.start_time, (out.get(s.start_time) ?? 0) + s.aggregated_value);
      } catch (e) {
        throw new StripeReadError(
          scrubKey(e instanceof Error ? e.message : String(e), options.key),
          (e as { statusCode?: number }).statusCode,
        );
      }
      return out;
    },
  };
}

const clientOf = (options: StripeSenderOptions): Stripe =>
  new Stripe(options.key, {
    maxNetworkRetries: 2,
    timeout: options.timeoutMs ?? 20_000,
    telemetry: false,
    appInfo: { name: 'atakora-billing' },
    ...baseOf(options.apiBase),
  });

/** What the CLI reads of Stripe for the invoice and `--check` (runtime/billing/stripe-reads.ts). */
export interface StripeReader {
  /** `GET v1/prices/{id}` (tiers expanded). */
  price(id: string): Promise<StripePriceRead>;
  /** Every active price on a meter, by the meter's event name. */
  meterPrices(): Promise<Map<string, StripePriceRead[]>>;
  /** The `v1.billing.meter.error_report_triggered` events of these meters. */
  errorReports(eventNames: readonly string[]): Promise<MeterErrorReport[]>;
  /** Stripe's preview of the customer's next invoice (`invoices.createPreview`), or null when it has none. */
  preview(customer: string, subscription?: string): Promise<StripeInvoicePreview | null>;
}

/**
 * A {@link StripeReader} on the official SDK; every failure a {@link StripeReadError}, its message masked.
 *
 * @example
 * ```ts
 * const prices = await stripeReader({ key, apiBase: process.env.STRIPE_API_BASE }).meterPrices();
 * ```
 */
export function stripeReader(options: StripeSenderOptions): StripeReader {
  const stripe = clientOf(options);
  const masked = async <T>(read: () => Promise<T>): Promise<T> => {
    try {
      return await read();
    } catch (e) {
      throw new StripeReadError(
        scrubKey(e instanceof Error ? e.message : String(e), options.key),
        (e as { statusCode?: number }).statusCode,
      );
    }
  };
  return {
    price: (id) =>
      masked(async () => priceRead(await stripe.prices.retrieve(id, { expand: ['tiers'] }))),
    meterPrices: () => masked(() => meterPrices(stripe)),
    errorReports: (names) => masked(() => meterErrorReports(stripe, names)),
    preview: (customer, subscription) =>
      masked(() => invoicePreview(stripe, customer, subscription)),
  };
}

/**
 * `atakora usage --billing --check`'s probe of the key's permissions (stripe-permission-probes.ts): one call per
 * permission, nothing written; a key Stripe refuses outright (401) is a {@link StripeReadError}, messages masked.
 *
 * @example
 * ```ts
 * const probe = stripePermissionProbe({ key, apiBase: process.env.STRIPE_API_BASE });
 * const outcome = await probe(STRIPE_PERMISSIONS[0]); // { state: 'missing', stripe: 'rak_…', message }
 * ```
 */
export function stripePermissionProbe(
  options: StripeSenderOptions,
): (permission: Pick<StripePermission, 'id'>) => Promise<PermissionOutcome> {
  // No retries: a probe is a question, and its 5xx is reported as unverified rather than asked three times.
  const stripe = new Stripe(options.key, {
    maxNetworkRetries: 0,
    timeout: options.timeoutMs ?? 20_000,
    telemetry: false,
    appInfo: { name: 'atakora-billing' },
    ...baseOf(options.apiBase),
  });
  return async (permission) => {
    try {
      return await probePermission(stripe, permission, (m) => scrubKey(m, options.key));
    } catch (e) {
      if (e instanceof StripeKeyRefused) throw new StripeReadError(e.message, e.status);
      throw e;
    }
  };
}

/** A read of Stripe (meters, summaries) that failed: its message masked (scrubKey), its HTTP status when it had one. */
export class StripeReadError extends Error {
  constructor(
    message: string,
    readonly status: number | undefined,
  ) {
    super(message);
    this.name = 'StripeReadError';
  }
}

/** `STRIPE_API_BASE` as the SDK's `host`, `port` and `protocol`; nothing (Stripe's own) when unset or unreadable. */
function baseOf(apiBase: string | undefined): {
  host?: string;
  port?: number;
  protocol?: 'http' | 'https';
} {
  if (!apiBase) return {};
  let url: URL;
  try {
    url = new URL(apiBase);
  } catch {
    return {};
  }
  const protocol = url.protocol === 'http:' ? 'http' : 'https';
  return {
    host: url.hostname,
    port: url.port ? Number(url.port) : protocol === 'http' ? 80 : 443,
    protocol,
  };
}

/**
 * A failed create as an outcome (the SDK's error types, stripe-node src/Error.ts): a duplicate identifier — Stripe
 * answers 400 "An event already exists with identifier …" — is proof the event got there.
 */
function outcomeOf(e: unknown, key: string): SendOutcome {
  const err = e as { type?: string; statusCode?: number; code?: string; message?: string };
  const message = scrubKey(err.message ?? String(e), key);
  const status = err.statusCode;
  const withStatus = status === undefined ? {} : { status };
  if (
    err.type === 'StripeInvalidRequestError' &&
    (err.code === 'resource_already_exists' ||
      err.code === 'duplicate_meter_event' ||
      /already exists/i.test(message))
  )
    return { kind: 'duplicate' };
  if (err.type === 'StripeRateLimitError')
    return { kind: 'retry', rateLimited: true, message, ...withStatus };
  if (err.type === 'StripeAuthenticationError' || err.type === 'StripePermissionError')
    return { kind: 'stop', message, ...withStatus };
  if (
    err.type === 'StripeAPIError' ||
    err.type === 'StripeConnectionError' ||
    err.type === 'StripeIdempotencyError' ||
    status === undefined ||
    status >= 500 ||
    status === 409
  )
    return { kind: 'retry', rateLimited: false, message, ...withStatus };
  return { kind: 'refused', message, ...withStatus };
}
export { stripeSubscriptions } from './stripe-subscriptions-sdk.js';
