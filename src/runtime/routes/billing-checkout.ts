import type { HttpRequest, HttpResponseInit } from '@azure/functions';
import { MAX_CHECKOUT_SESSIONS, type TenantRecord } from '../../contract/tenants.js';
import { marketplaceLive } from '../../contract/marketplace/marketplace-link.js';
import type { RuntimeAuth } from '../../model/runtime-manifest.js';
import { readJsonObject } from '../http/body.js';
import { jsonResponse, problemResponse } from '../http/response.js';
import type { AuditActor } from '../../contract/audit.js';
import {
  CustomerMissingAtStripe,
  type SubscriptionsStripe,
} from '../billing/subscriptions-port.js';
import { replaceMissingCustomer } from './checkout-customer.js';
import { checkoutQuantity } from '../billing/seat-quantity.js';
import { paidCheckout, stillSubscribed } from './checkout-paid.js';
import type { SubscriptionsApi } from './subscriptions-wiring.js';

/** A billing answer is the caller's own, never a cache's. */
export const NO_STORE = { 'Cache-Control': 'no-store' };

/** The Stripe key unset or unresolved: 503, nothing changed. */
export const notStripe = () =>
  problemResponse(
    'billing-unavailable',
    'The Stripe key is not set (an empty app setting or an unresolved Key Vault reference); nothing changed.',
    { headers: { 'Retry-After': '30' } },
  );

/**
 * Where Stripe sends the customer back (DESIGN §2): `tenants.billing.returnUrl`, else the site invitation links open
 * (`RuntimeAuth.acceptUrl`: `tenants.acceptUrl` or the StaticSite), else the API's own origin — never the request's
 * `Origin` or `Referer`, which any page or script sets: a Stripe page would otherwise redirect wherever they said.
 *
 * @example
 * ```ts
 * returnPage(api, policy, request); // 'https://app.contoso.com/settings/billing'
 * ```
 */
export function returnPage(
  api: Pick<SubscriptionsApi, 'subscriptions'>,
  policy: Pick<RuntimeAuth, 'acceptUrl'>,
  request: Pick<HttpRequest, 'url'>,
): string {
  const configured = api.subscriptions.returnUrl;
  if (configured) return configured;
  try {
    if (policy.acceptUrl) return `${new URL(policy.acceptUrl).origin}/`;
  } catch {
    // An accept URL that is no URL (an unresolved reference): the API's own origin below.
  }
  return `${new URL(request.url).origin}/`;
}

/** `page` with `?billing=<outcome>` (Checkout's success and cancel pages). */
function withOutcome(page: string, outcome: 'success' | 'canceled'): string {
  const url = new URL(page);
  url.searchParams.set('billing', outcome);
  return url.toString();
}

/** The price of the plan a body names (the server's: a price in the body is never read), or the 400. */
function priceOf(
  api: SubscriptionsApi,
  plan: unknown,
): { readonly price: string; readonly plan: string } | HttpResponseInit {
  const price =
    typeof plan === 'string'
      ? Object.entries(api.subscriptions.prices).find(([, p]) => p === plan)?.[0]
      : undefined;
  if (typeof plan === 'string' && price !== undefined) return { price, plan };
  return problemResponse(
    'plan-not-for-sale',
    `Name a plan sold through Stripe: ${[...new Set(Object.values(api.subscriptions.prices))].sort().join(', ')}.`,
  );
}

/**
 * `POST api/tenant/billing/checkout { plan }`: a Checkout Session on the plan's price (the server's), the
 * organization's customer reused — 400 `plan-not-for-sale` for a plan not sold through Stripe, 409
 * `subscription-exists` while a subscription lives (one subscription per organization: the portal changes plans).
 * The session's id is kept on the record (the webhook links only such a session) and the ones opened before it
 * expire (API reference, "Expire a Checkout Session"): at most one Checkout of the organization can be paid. A stored
 * customer Stripe does not know is replaced by a new one once (checkout-customer.ts), never a 5xx.
 *
 * @example
 * ```ts
 * // POST /api/tenant/billing/checkout { "plan": "pro" } → 200 { "url": "https://checkout.stripe.com/c/pay/cs_…" }
 * ```
 */
export async function openCheckout(
  api: SubscriptionsApi,
  request: HttpRequest,
  tenant: string,
  page: string,
  actor: AuditActor,
): Promise<HttpResponseInit> {
  const body = await readJsonObject(request);
  if (!body.ok) return body.response;
  const sold = priceOf(api, body.value['plan']);
  if (!('price' in sold)) return sold;
  const tagged = await api.admin.read(tenant);
  // One billing channel per organization: an Azure Marketplace subscription bills this one already.
  if (marketplaceLive(tagged?.record.marketplace))
    return problemResponse(
      'billing-channel-taken',
      `${tenant} is billed through Azure Marketplace: change its plan there (Azure portal → SaaS → the subscription), ` +
        'or unsubscribe it before a Stripe checkout; no checkout was opened.',
    );
  const subscribed = stillSubscribed(tagged?.record);
  if (subscribed) return subscribed;
  const stripe = await api.stripe();
  if (!stripe) return notStripe();
  // Beside the plan's price, the metered price of each meter the export sends: without one, usage is never invoiced.
  const metered = await api.metered.read(stripe);
  if (!metered.ok)
    return problemResponse(
      'billing-meter-price-ambiguous',
      `Stripe has several active prices on ${metered.ambiguous
        .map((m) => `meter ${m.meter} (${m.prices.join(', ')})`)
        .join(' and ')}: the server cannot choose which one bills this organization's usage. ` +
        'The operator archives all but one in Stripe (Product catalog → the price → Archive); no checkout was opened.',
    );
  // A per-seat plan opens with the organization's members as its quantity, a plan with a trial with its days
  // (billing/seat-quantity.ts; Stripe's API reference, "Create a Checkout Session").
  const quantity = await checkoutQuantity(
    api.subscriptions,
    api.rooms,
    tenant,
    sold.price,
    () => api.countMembers?.(tenant) ?? Promise.resolve(1),
  );
  // One trial per organization: an organization one of whose subscriptions had a trial checks out without
  // (`billing.trialUsed`, written by the webhook from Stripe's `trial_start`).
  const trialDays =
    tagged?.record.billing?.trialUsed === true
      ? undefined
      : api.subscriptions.trialDays?.[sold.price];
  const open = (customer: string | undefined) =>
    stripe
      .checkout({
        price: sold.price,
        quantity,
        ...(trialDays !== undefined ? { trialDays } : {}),
        metered: metered.prices,
        tenant,
        customer,
        successUrl: withOutcome(page, 'success'),
        cancelUrl: withOutcome(page, 'canceled'),
      })
      .catch((e: unknown) => {
        // A price archived since the lookup: the next checkout reads the prices again.
        if (!(e instanceof CustomerMissingAtStripe)) api.metered.forget();
        throw e;
      });
  const stored = tagged?.record.billing?.stripeCustomerId;
  const session = await open(stored).catch(async (e: unknown) => {
    // The stored customer is gone at Stripe: a new one in its place (recorded, audited), and the Checkout once more.
    if (!(e instanceof CustomerMissingAtStripe)) throw e;
    const customer = await replaceMissingCustomer(api, stripe, tenant, e.customer, actor);
    return customer === null ? null : open(customer);
  });
  if (session === null)
    return problemResponse(
      'conflict',
      `Organization ${tenant} changed meanwhile: open the checkout again.`,
    );
  const older = await keepSession(api, tenant, session.id);
  if (older === undefined) {
    await stripe.expire(session.id);
    return problemResponse(
      'conflict',
      `Organization ${tenant} changed meanwhile: open the checkout again.`,
    );
  }
  await expireAll(stripe, older);
  // A Checkout paid before its event reached us is the organization's subscription: linked, this one expired.
  const paid = await paidCheckout(api, stripe, tenant, older);
  if (paid) {
    await stripe.expire(session.id);
    return paid;
  }
  return jsonResponse(200, { url: session.url }, NO_STORE);
}

/**
 * Keep `session` on the organization's record (the newest {@link MAX_CHECKOUT_SESSIONS}): the ids it held before,
 * or undefined when the record kept changing (or went: the checkout is then expired by the caller).
 */
async function keepSession(
  api: SubscriptionsApi,
  tenant: string,
  session: string,
): Promise<readonly string[] | undefined> {
  for (let attempt = 0; attempt < 5; attempt++) {
    const tagged = await api.admin.read(tenant);
    if (!tagged) return undefined;
    const before = tagged.record.checkoutSessions ?? [];
    const next: TenantRecord = {
      ...tagged.record,
      checkoutSessions: [...before, session].slice(-MAX_CHECKOUT_SESSIONS),
    };
    const written = await api.admin.replace(next, tagged.etag);
    if (written === 'missing') return undefined;
    if (written !== 'changed') {
      api.forget(tenant);
      return before;
    }
  }
  return undefined;
}

/** Expire each of `sessions` (Stripe leaves one paid or expired as it is). */
export async function expireAll(
  stripe: SubscriptionsStripe,
  sessions: readonly string[],
): Promise<void> {
  for (const id of sessions) await stripe.expire(id);
}
