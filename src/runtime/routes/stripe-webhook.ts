import type { HttpHandler, HttpResponseInit } from '@azure/functions';
import { jsonResponse, problemResponse } from '../http/response.js';
import { applyFailed, retryLater } from '../http/webhook-retry.js';
import { subscriptionApplied } from '../billing/subscription-state.js';
import { auditBillingChanges } from '../billing/billing-audit.js';
import { keepSeatQuantity } from '../billing/seat-quantity.js';
import { marketplaceLive } from '../../contract/marketplace/marketplace-link.js';
import { refuseCheckout } from './checkout-refusal.js';
import type {
  StripeCheckoutSession,
  StripeSubscription,
  SubscriptionsStripe,
  VerifiedEvent,
} from '../billing/subscriptions-port.js';
import type { SubscriptionsApi } from './subscriptions-wiring.js';

const SUBSCRIPTION_EVENTS = new Set([
  'customer.subscription.created',
  'customer.subscription.updated',
  'customer.subscription.deleted',
]);

// What the answer says: 2xx for every verified event (applied, a repeat, or not ours) so Stripe stops retrying.
const received = (outcome: 'applied' | 'duplicate' | 'ignored' | 'refused') =>
  jsonResponse(200, { received: true, outcome });

const unavailable = (detail: string) => retryLater('billing-unavailable', detail);

/**
 * `POST api/billing/stripe`, Stripe's webhook (DESIGN §2, "Subscriptions drive plans"): anonymous to App Service but
 * signed — the `Stripe-Signature` checked by the SDK's `stripe.webhooks.constructEvent` on the raw body with its
 * default 300 s tolerance (docs.stripe.com/webhooks#verify-events), else 400 `webhook-signature-invalid` saying
 * nothing of why. A verified event is applied once (its id kept on the record, written with the record's ETag) and
 * as Stripe holds it now — the subscription and the session are read back, never taken from the event, so a stale,
 * replayed or out-of-order event applies today's state. `checkout.session.completed` links the session's customer
 * and subscription to its `client_reference_id` only when that organization's record kept the session (its Owner
 * opened it: `POST api/tenant/billing/checkout`) — refused when another organization holds that customer, the
 * organization holds another, or another of its subscriptions still lives, and refused — its subscription canceled,
 * answered `refused` — when an Azure Marketplace purchase bills that organization since the session opened (one
 * channel per organization, checkout-refusal.ts); `customer.subscription.*` moves only the
 * subscription the organization holding its customer linked (never by its metadata). An event of an erased
 * organization (a tombstone) is answered 2xx and changes nothing. Every change is audited (`via: 'webhook'`).
 * Written here, the record is forgotten by this instance's registry cache; every other instance reads it within 30 s.
 *
 * @example
 * ```ts
 * app.http('atakora-billing-stripe', { route: 'billing/stripe', methods: ['POST'], authLevel: 'anonymous', handler: createStripeWebhook(api) });
 * ```
 */
export function createStripeWebhook(api: SubscriptionsApi): HttpHandler {
  return async (request): Promise<HttpResponseInit> => {
    if (request.method.toUpperCase() !== 'POST')
      return problemResponse('method-not-allowed', 'Stripe posts its events.', {
        headers: { Allow: 'POST' },
      });
    const secret = api.webhookSecret();
    const stripe = await api.stripe();
    if (!secret || !stripe)
      return unavailable(
        `App settings ${api.subscriptions.webhookSecret} and the Stripe key must hold values (atakora secret set); ` +
          'Stripe retries the event.',
      );
    const payload = await request.text();
    let event: VerifiedEvent;
    try {
      event = stripe.verify(payload, request.headers.get('stripe-signature') ?? '', secret);
    } catch {
      // Never why (a wrong secret, a stale timestamp, a changed body): a forger learns nothing.
      return problemResponse('webhook-signature-invalid', 'The Stripe-Signature does not verify.');
    }
    try {
      return await applyEvent(api, stripe, event);
    } catch (e) {
      return applyFailed(e, 'billing-unavailable', (err) => {
        const type = (err as { type?: unknown }).type;
        return typeof type === 'string' && /^Stripe/.test(type)
          ? 'Stripe could not be read; Stripe retries the event.'
          : undefined;
      });
    }
  };
}

async function applyEvent(
  api: SubscriptionsApi,
  stripe: SubscriptionsStripe,
  event: VerifiedEvent,
): Promise<HttpResponseInit> {
  if (event.type === 'checkout.session.completed')
    return linkSession(api, stripe, await stripe.session(event.objectId), event.id);
  if (SUBSCRIPTION_EVENTS.has(event.type)) {
    const sub = await stripe.subscription(event.objectId);
    if (!sub) return received('ignored');
    // Only the organization holding the customer — and, there, only the subscription it linked (subscriptionApplied):
    // never one named by the subscription's metadata, which a newcomer with an erased organization's id would inherit.
    const holders = await api.byCustomer(sub.customer);
    const [tenant] = holders;
    if (holders.length !== 1 || tenant === undefined) return received('ignored');
    return seatsAfter(
      api,
      tenant,
      await apply(api, stripe, { tenant, subscriptionId: sub.id }, event.id, sub),
    );
  }
  return received('ignored');
}

/**
 * Link a paid Checkout Session (as Stripe holds it now) to the organization that opened it, as its
 * `checkout.session.completed` does — `eventId` kept as applied: the event's, or `checkout:<session>` when a new
 * Checkout finds it paid before its event arrived (checkout-paid.ts). Anything but a complete session of an
 * organization's own customer links nothing (`ignored`).
 */
export async function linkSession(
  api: SubscriptionsApi,
  stripe: SubscriptionsStripe,
  session: StripeCheckoutSession | undefined,
  eventId: string,
): Promise<HttpResponseInit> {
  const tenant = session?.clientReferenceId;
  if (
    !session ||
    session.status !== 'complete' ||
    !tenant ||
    !session.customer ||
    !session.subscription
  )
    return received('ignored');
  // A customer is one organization's: a session naming another's customer links nothing.
  const holders = await api.byCustomer(session.customer);
  if (holders.some((h) => h !== tenant)) return received('ignored');
  return seatsAfter(
    api,
    tenant,
    await apply(
      api,
      stripe,
      { tenant, subscriptionId: session.subscription, session: session.id },
      eventId,
    ),
  );
}

/**
 * After an event answered 2xx (applied, or a repeat: Stripe retries an event the seats failed on), a per-seat
 * subscription's quantity made the members: a subscription first linked by its Checkout (members joined while it was
 * open) or moved to a per-seat price in the portal holds a quantity no join or removal set (seat-quantity.ts). A
 * Stripe failure throws: 5xx, and Stripe's retry sets it.
 */
async function seatsAfter(
  api: SubscriptionsApi,
  tenant: string,
  answer: HttpResponseInit,
): Promise<HttpResponseInit> {
  // Any 2xx: keepSeatQuantity reads the record and acts only on the live per-seat subscription it holds.
  if (!api.rooms || answer.status !== 200) return answer;
  const rooms = api.rooms;
  await keepSeatQuantity(
    {
      billing: api,
      rooms,
      record: async (t) => (await api.admin.read(t))?.record,
      ...(api.countMembers ? { counted: api.countMembers } : {}),
    },
    tenant,
  );
  return answer;
}

/**
 * Apply the subscription `target` names to its organization's record: read again on a concurrent write (another
 * event, the operator, an Owner), at most a few times; an organization that is gone or erased (a tombstone reads as
 * none) answers 2xx and changes nothing; every change audited as the webhook's.
 */
async function apply(
  api: SubscriptionsApi,
  stripe: SubscriptionsStripe,
  target: { readonly tenant: string; readonly subscriptionId: string; readonly session?: string },
  eventId: string,
  read?: StripeSubscription,
): Promise<HttpResponseInit> {
  for (let attempt = 0; attempt < 5; attempt++) {
    const tagged = await api.admin.read(target.tenant);
    if (!tagged) return received('ignored');
    if (tagged.record.billing?.events?.includes(eventId)) return received('duplicate');
    // Linked only through a Checkout Session this organization's Owner opened (kept on its record at checkout).
    if (target.session !== undefined && !tagged.record.checkoutSessions?.includes(target.session))
      return received('ignored');
    // One channel per organization: a Checkout opened before a Marketplace landing and paid after it is refused and
    // its subscription canceled (checkout-refusal.ts) — read at this record's version, so a landing writing meanwhile
    // is seen on the next attempt, and a landing after this write sees the Stripe subscription (409).
    if (target.session !== undefined && marketplaceLive(tagged.record.marketplace)) {
      const refused = await refuseCheckout(api, stripe, {
        tenant: target.tenant,
        tagged,
        session: target.session,
        subscriptionId: target.subscriptionId,
        eventId,
      });
      if (refused === 'refused') return received('refused');
      continue;
    }
    const sub = attempt === 0 && read ? read : await stripe.subscription(target.subscriptionId);
    if (!sub) return received('ignored');
    const next = subscriptionApplied(
      tagged.record,
      sub,
      api.subscriptions,
      api.registry.defaultPlan,
      eventId,
      api.now().toISOString(),
      target.session,
    );
    if (!next) return received('ignored');
    const written = await api.admin.replace(next, tagged.etag);
    if (written === 'missing') return received('ignored');
    if (written !== 'changed') {
      api.forget(target.tenant);
      await auditBillingChanges(api, tagged.record, next, eventId);
      return received('applied');
    }
  }
  return unavailable('The organization changed too often meanwhile; Stripe retries the event.');
}
