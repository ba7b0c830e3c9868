import { TENANT_BILLING_ROUTES, type TenantBillingView } from '../contract/tenant-billing.js';
import { PLANS_ROUTE, type PlanOfferList } from '../contract/plans/plan-offers.js';
import { apiPrefixOf } from './domains-client.js';
import { send, type Transport } from './transport.js';
import type { BillingClient } from './types.js';

type Signal = { readonly signal?: AbortSignal } | undefined;
const signal = (o: Signal) => (o?.signal ? { signal: o.signal } : {});

/**
 * `client.billing` (subscriptions drive plans): the billing of the organization the client acts in
 * (`createClient({ tenant })`, sent as `X-Atakora-Tenant`), over the API a component's base URL belongs to.
 *
 * @example
 * ```ts
 * const billing = billingMember(transport);
 * ```
 */
export function billingMember(t: Transport): BillingClient {
  const at: Transport = { ...t, baseUrl: apiPrefixOf(t.baseUrl) };
  const url = async (route: string, body: object | undefined, options: Signal) =>
    (
      await send(at, {
        method: 'POST',
        path: `/${route}`,
        ...(body ? { body } : {}),
        ...signal(options),
      })
    ).body as { url: string };
  return {
    // In no organization: no X-Atakora-Tenant needed, the transport's is harmless (the route reads none).
    plans: async (options) =>
      (await send(at, { method: 'GET', path: `/${PLANS_ROUTE}`, ...signal(options) }))
        .body as PlanOfferList,
    checkout: (plan, options) => url(TENANT_BILLING_ROUTES.checkout, { plan }, options),
    portal: (options) => url(TENANT_BILLING_ROUTES.portal, undefined, options),
    get: async (options) =>
      (
        await send(at, {
          method: 'GET',
          path: `/${TENANT_BILLING_ROUTES.billing}`,
          ...signal(options),
        })
      ).body as TenantBillingView,
  };
}
