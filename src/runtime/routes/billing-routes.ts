import type { HttpHandler, HttpRequest, HttpResponseInit } from '@azure/functions';
import { ADMIN_ROLE, OWNER_ROLE } from '../../contract/members.js';
import type { TenantBillingView } from '../../contract/tenant-billing.js';
import { marketplaceLive } from '../../contract/marketplace/marketplace-link.js';
import type { RuntimeAuth } from '../../model/runtime-manifest.js';
import { readJsonObject } from '../http/body.js';
import { cosmosErrorResponse } from '../http/cosmos-errors.js';
import { jsonResponse, methodNotAllowed, problemResponse } from '../http/response.js';
import type { AuthorizedContext, RuntimeServices } from '../pipeline/context.js';
import { serve } from '../pipeline/serve.js';
import type { SubscriptionsApi } from './subscriptions-wiring.js';

const NO_STORE = { 'Cache-Control': 'no-store' };
const ENDED = new Set(['canceled', 'unpaid', 'incomplete_expired']);

/**
 * Where Stripe sends the customer back: the calling page's origin (`Origin`, else `Referer`'s) — the app's own page
 * that asked — else the API's own. Never a URL of the body: the route is no open redirect.
 */
function returnBase(request: HttpRequest): string {
  for (const name of ['origin', 'referer']) {
    const v = request.headers.get(name);
    if (!v) continue;
    try {
      const url = new URL(v);
      if (url.protocol === 'https:' || url.protocol === 'http:') return url.origin;
    } catch {
      // not a URL: the next candidate
    }
  }
  return new URL(request.url).origin;
}

const notStripe = () =>
  problemResponse(
    'billing-unavailable',
    'The Stripe key is not set (an empty app setting or an unresolved Key Vault reference); nothing changed.',
    { headers: { 'Retry-After': '30' } },
  );

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
    roles: readonly string[],
    run: (ctx: Ctx, tenant: string) => Promise<HttpResponseInit>,
  ) =>
    serve<null>(
      {
        policy,
        // Billing suspended (onCanceled 'suspend'): these roles still reach the route, so Owners pay to come back.
        billingRoles: roles,
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
  return {
    checkout: endpoint('POST', [OWNER_ROLE], (ctx, tenant) => openCheckout(api, ctx, tenant)),
    portal: endpoint('POST', [OWNER_ROLE], async (ctx, tenant) => {
      const customer = (await api.admin.read(tenant))?.record.billing?.stripeCustomerId;
      if (!customer)
        return problemResponse(
          'billing-customer-missing',
          `${tenant} has no Stripe customer yet: subscribe first (POST api/tenant/billing/checkout).`,
        );
      const stripe = await api.stripe();
      if (!stripe) return notStripe();
      const { url } = await stripe.portal(customer, `${returnBase(ctx.request)}/`);
      return jsonResponse(200, { url }, NO_STORE);
    }),
    billing: endpoint('GET', [OWNER_ROLE, ADMIN_ROLE], async (_ctx, tenant) => {
      const record = (await api.admin.read(tenant))?.record;
      const sub = record?.billing?.subscription;
      const customer = record?.billing?.stripeCustomerId;
      let invoice: Record<string, unknown> | null = null;
      if (sub && customer && !ENDED.has(sub.status)) {
        const stripe = await api.stripe();
        invoice = stripe ? await stripe.preview(customer, sub.id) : null;
      }
      const view: TenantBillingView = {
        plan: record?.plan ?? api.registry.defaultPlan,
        status: sub?.status ?? null,
        subscription: sub ?? null,
        invoice,
      };
      return jsonResponse(200, view, NO_STORE);
    }),
  };
}

/** `POST api/tenant/billing/checkout { plan }`: the plan's price (the server's), the organization's customer reused. */
async function openCheckout(
  api: SubscriptionsApi,
  ctx: Ctx,
  tenant: string,
): Promise<HttpResponseInit> {
  const body = await readJsonObject(ctx.request);
  if (!body.ok) return body.response;
  const plan = body.value['plan'];
  const price =
    typeof plan === 'string'
      ? Object.entries(api.subscriptions.prices).find(([, p]) => p === plan)?.[0]
      : undefined;
  if (typeof plan !== 'string' || price === undefined)
    return problemResponse(
      'plan-not-for-sale',
      `Name a plan sold through Stripe: ${[...new Set(Object.values(api.subscriptions.prices))].sort().join(', ')}.`,
    );
  const tagged = await api.admin.read(tenant);
  // One billing channel per organization: an Azure Marketplace subscription bills this one already.
  if (marketplaceLive(tagged?.record.marketplace))
    return problemResponse(
      'billing-channel-taken',
      `${tenant} is billed through Azure Marketplace: change its plan there (Azure portal → SaaS → the subscription), ` +
        'or unsubscribe it before a Stripe checkout; no checkout was opened.',
    );
  const sub = tagged?.record.billing?.subscription;
  if (tagged?.record.plan === plan && sub && !ENDED.has(sub.status))
    return problemResponse(
      'plan-not-for-sale',
      `${tenant} is on ${plan} already: change or cancel it in the portal (POST api/tenant/billing/portal).`,
    );
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
  const base = returnBase(ctx.request);
  const { url } = await stripe
    .checkout({
      price,
      metered: metered.prices,
      tenant,
      customer: tagged?.record.billing?.stripeCustomerId,
      successUrl: `${base}/?billing=success`,
      cancelUrl: `${base}/?billing=canceled`,
    })
    .catch((e: unknown) => {
      // A price archived since the lookup: the next checkout reads the prices again.
      api.metered.forget();
      throw e;
    });
  return jsonResponse(200, { url }, NO_STORE);
}
