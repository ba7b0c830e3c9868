import type { HttpHandler, HttpResponseInit } from '@azure/functions';
import { BILLING_DOORS, type BillingDoor } from '../../model/lives/organization-life.js';
import type { TenantBillingView } from '../../contract/tenant-billing.js';
import type { RuntimeAuth } from '../../model/runtime-manifest.js';
import { cosmosErrorResponse } from '../http/cosmos-errors.js';
import { jsonResponse, methodNotAllowed, problemResponse } from '../http/response.js';
import type { AuthorizedContext, RuntimeServices } from '../pipeline/context.js';
import { serve } from '../pipeline/serve.js';
import type { SubscriptionsApi } from './subscriptions-wiring.js';
import { NO_STORE, notStripe, openCheckout, returnPage } from './billing-checkout.js';

const ENDED = new Set(['canceled', 'unpaid', 'incomplete_expired']);

/** Stripe or the registry failing: 503 (Stripe) or the registry's answer, never a 500 of the caller's making. */
async function guarded(run: () => Promise<HttpResponseInit>): Promise<HttpResponseInit> {
  try {
    return await run();
  } catch (e) {
    const cosmos = cosmosErrorResponse(e, 'the tenant registry');
    if (cosmos) return cosmos;
    if (typeof (e as { type?: unknown }).type === 'string')
      return problemResponse(
        'billing-unavailable',
        'Stripe could not be reached; nothing changed.',
        {
          headers: { 'Retry-After': '30' },
        },
      );
    throw e;
  }
}

type Ctx = AuthorizedContext<null>;

const rolesOf = (ctx: Ctx) => ctx.caller.membership;

/**
 * The organization's billing routes (DESIGN §2, "Subscriptions drive plans"), through the request pipeline in the
 * request's organization: `POST api/tenant/billing/checkout { plan }` (an Owner) → `{ url }` of a Checkout Session
 * on the plan's price — the server's, from `plans.<name>.stripe.price`; any price in the body is never read —, the
 * organization as `client_reference_id` and its customer reused; `POST api/tenant/billing/portal` (an Owner) →
 * `{ url }` of a Customer Portal session; `GET api/tenant/billing` (an Owner or an Admin) → plan, subscription and
 * Stripe's invoice preview.
 *
 * @example
 * ```ts
 * const h = createBillingHandlers(policy, api, services);
 * app.http('atakora-tenant-billing-checkout', { route: 'tenant/billing/checkout', methods: ['POST'], handler: h.checkout });
 * ```
 */
export function createBillingHandlers(
  policy: RuntimeAuth,
  api: SubscriptionsApi,
  services: RuntimeServices,
): Record<'billing' | 'checkout' | 'portal', HttpHandler> {
  const endpoint = (
    method: 'GET' | 'POST',
    door: BillingDoor,
    run: (ctx: Ctx, tenant: string) => Promise<HttpResponseInit>,
  ) => {
    // The route's rule is its door's in an active organization; a suspended or deleted one's admission opens it to
    // fewer (organization-life.ts BILLING_DOORS: billing's suspension to its Owners to pay, a deletion to its Owners).
    const roles = BILLING_DOORS.active[door] ?? [];
    return serve<null>(
      {
        policy,
        billingDoor: door,
        route: (ctx) =>
          ctx.method === method
            ? { ok: true, value: null }
            : methodNotAllowed([method], ctx.request.method),
        handle: (ctx) => {
          const m = rolesOf(ctx);
          if (!m)
            return Promise.resolve(
              problemResponse(
                'not-a-member',
                'This route acts in an organization you are a member of.',
              ),
            );
          if (!m.roles.some((r) => roles.includes(r)))
            return Promise.resolve(
              problemResponse(
                'access-denied',
                `Only ${roles.join(' or ')} of ${m.tenant} manage its billing.`,
                {
                  rules: [`roles: [${roles.map((r) => `'${r}'`).join(', ')}]`],
                },
              ),
            );
          return guarded(() => run(ctx, m.tenant));
        },
      },
      services,
    );
  };
  return {
    checkout: endpoint('POST', 'checkout', (ctx, tenant) =>
      openCheckout(api, ctx.request, tenant, returnPage(api, policy, ctx.request), {
        id: ctx.caller.id ?? '',
        ...(ctx.caller.email !== undefined ? { email: ctx.caller.email } : {}),
        via: 'api',
      }),
    ),
    portal: endpoint('POST', 'portal', async (ctx, tenant) => {
      const customer = (await api.admin.read(tenant))?.record.billing?.stripeCustomerId;
      if (!customer)
        return problemResponse(
          'billing-customer-missing',
          `${tenant} has no Stripe customer yet: subscribe first (POST api/tenant/billing/checkout).`,
        );
      const stripe = await api.stripe();
      if (!stripe) return notStripe();
      const { url } = await stripe.portal(customer, returnPage(api, policy, ctx.request));
      return jsonResponse(200, { url }, NO_STORE);
    }),
    billing: endpoint('GET', 'billing', async (_ctx, tenant) => {
      const record = (await api.admin.read(tenant))?.record;
      const sub = record?.billing?.subscription;
      const customer = record?.billing?.stripeCustomerId;
      let invoice: Record<string, unknown> | null = null;
      if (sub && customer && !ENDED.has(sub.status)) {
        const stripe = await api.stripe();
        invoice = stripe ? await stripe.preview(customer, sub.id) : null;
      }
      // How it pays: a live Marketplace link (anything but Unsubscribed) or a live Stripe subscription — one channel
      // per organization —, else neither (a free organization, or one whose subscription ended).
      const market =
        record?.marketplace?.status === 'Unsubscribed' ? undefined : record?.marketplace;
      const live = sub && !ENDED.has(sub.status) ? sub : undefined;
      const view: TenantBillingView = {
        plan: record?.plan ?? api.registry.defaultPlan,
        channel: market ? 'marketplace' : live ? 'stripe' : null,
        status: sub?.status ?? null,
        subscription: sub ?? null,
        trialEnd: (market ? undefined : live?.trialEnd) ?? null,
        quantity: (market ? market.quantity : live?.quantity) ?? null,
        invoice,
      };
      return jsonResponse(200, view, NO_STORE);
    }),
  };
}
