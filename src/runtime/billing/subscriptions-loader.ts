import type { SubscriptionsStripe } from './subscriptions-port.js';

/**
 * The SDK's subscriptions client, loaded on first use from the package's billing file (beside the export's client,
 * with `stripe` bundled): an app without `tenants.billing` never parses it.
 *
 * @example
 * ```ts
 * const stripe = await loadSubscriptionsStripe(key, process.env.STRIPE_API_BASE);
 * ```
 */
export async function loadSubscriptionsStripe(
  key: string,
  apiBase: string | undefined,
): Promise<SubscriptionsStripe> {
  const { stripeSubscriptions } = await import('./atakora-billing.js');
  return stripeSubscriptions({ key, apiBase });
}
