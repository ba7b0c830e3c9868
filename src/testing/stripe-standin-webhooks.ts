import { createHmac } from 'node:crypto';

/** One event as Stripe sends it to a webhook endpoint (API reference, "The Event object"). */
export interface StandInEvent {
  readonly id: string;
  readonly object: 'event';
  readonly api_version: string;
  readonly created: number;
  readonly type: string;
  readonly data: { readonly object: Record<string, unknown> };
  readonly livemode: false;
  readonly pending_webhooks: number;
  readonly request: { readonly id: null; readonly idempotency_key: null };
}

/** One delivery: the event, the endpoint's answer (0 when it could not be reached) and the signature sent. */
export interface Delivery {
  readonly event: StandInEvent;
  readonly status: number;
  readonly signature: string;
}

/**
 * The `Stripe-Signature` header of `payload` as Stripe makes it (docs.stripe.com/webhooks#verify-manually):
 * `t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<payload>" keyed with the endpoint's signing secret>` — the scheme
 * the SDK's `stripe.webhooks.constructEvent` checks (and its `generateTestHeaderString` makes).
 *
 * @example
 * ```ts
 * const event = { id: 'evt_1', type: 'customer.subscription.updated', data: { object: {} } };
 * const header = stripeSignature(JSON.stringify(event), 'whsec_test', Math.floor(Date.now() / 1000));
 * // 't=1764206400,v1=5257a869…'
 * ```
 */
export function stripeSignature(payload: string, secret: string, timestamp: number): string {
  const v1 = createHmac('sha256', secret)
    .update(`${String(timestamp)}.${payload}`, 'utf8')
    .digest('hex');
  return `t=${String(timestamp)},v1=${v1}`;
}

/**
 * Post `event` to `url` signed with `secret` at `timestamp` (default: now), as Stripe delivers it: JSON, the
 * `Stripe-Signature` header, `User-Agent: Stripe/1.0`. Never throws: an unreachable endpoint is status 0.
 *
 * @example
 * ```ts
 * const { status } = await deliverEvent(url, 'whsec_test', event);
 * ```
 */
export async function deliverEvent(
  url: string,
  secret: string,
  event: StandInEvent,
  timestamp = Math.floor(Date.now() / 1000),
  body = JSON.stringify(event, null, 2),
): Promise<Delivery> {
  const signature = stripeSignature(body, secret, timestamp);
  try {
    const res = await fetch(url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json; charset=utf-8',
        'stripe-signature': signature,
        'user-agent': 'Stripe/1.0 (+https://stripe.com/docs/webhooks)',
      },
      body,
    });
    await res.arrayBuffer();
    return { event, status: res.status, signature };
  } catch {
    return { event, status: 0, signature };
  }
}
