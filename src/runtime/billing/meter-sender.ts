import { maskStripeKeys } from '../../model/billing.js';

/**
 * One Stripe meter event as the export sends it (`POST v1/billing/meter_events`): the meter's event name, the
 * contract's identifier, the hour's start and `payload: { stripe_customer_id, value }` (Stripe API reference,
 * "Create a billing meter event").
 *
 * @example
 * ```ts
 * const e: MeterEvent = {
 *   eventName: 'api_requests', identifier: 'saas:prod:contoso:2026-11-25T10:requests', customer: 'cus_A1',
 *   value: 412, timestamp: 1795600800,
 * };
 * ```
 */
export interface MeterEvent {
  readonly eventName: string;
  readonly identifier: string;
  readonly customer: string;
  readonly value: number;
  /** Seconds since the epoch. */
  readonly timestamp: number;
}

/**
 * What became of a send: Stripe holds it (`sent`, or `duplicate`: it held that identifier already — the proof a
 * crashed run's event got there), try again later (`retry`: 429, 5xx, no answer; `rateLimited` for a 429),
 * `refused` for good (4xx: an unknown customer or meter, a timestamp outside the window), or `stop` (the key is
 * refused: 401/403 — every other send would be too).
 */
export type SendOutcome =
  | { readonly kind: 'sent' }
  | { readonly kind: 'duplicate' }
  | {
      readonly kind: 'retry';
      readonly rateLimited: boolean;
      readonly status?: number;
      readonly message: string;
    }
  | { readonly kind: 'refused' | 'stop'; readonly status?: number; readonly message: string };

/**
 * How the export reaches Stripe (runtime/billing/atakora-billing.ts: the official `stripe` SDK). `hourValues` reads
 * the meter event summaries of one customer (Stripe API reference, "List billing meter event summaries",
 * `value_grouping_window=hour`): what Stripe aggregated per hour, for `--check` and for a record whose send is older
 * than Stripe's 24-hour identifier window.
 */
export interface MeterEventSender {
  send(event: MeterEvent): Promise<SendOutcome>;
  hourValues(
    eventName: string,
    customer: string,
    fromSeconds: number,
    toSeconds: number,
  ): Promise<ReadonlyMap<number, number>>;
}

/**
 * `text` with the key and anything shaped like a Stripe secret or restricted key masked: an error Stripe or the
 * network returns may quote the key it was sent ("Invalid API Key provided: sk_test_…"), and the export logs errors.
 *
 * @example
 * ```ts
 * scrubKey('Invalid API Key provided: sk_test_51Habc', 'sk_test_51Habc'); // 'Invalid API Key provided: [key]'
 * ```
 */
export function scrubKey(text: string, key: string): string {
  let out = key.length >= 8 ? text.split(key).join('[key]') : text;
  out = maskStripeKeys(out);
  return out.length > 500 ? `${out.slice(0, 500)}…` : out;
}
