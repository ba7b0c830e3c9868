import { TENANT_BILLING_FUNCTIONS, TENANT_BILLING_ROUTES } from '../../contract/tenant-billing.js';
import { createBillingHandlers } from './billing-routes.js';
import { createStripeWebhook } from './stripe-webhook.js';
import { countedWebhook } from './counted-webhook.js';
import type { AppServices } from './app-services.js';
import type { AddRoute, RegisterDeps } from './register-deps.js';

/**
 * With `tenants.billing.stripe.webhookSecret` on an organization registry: the billing routes of the request's
 * organization (`api/tenant/billing`, `/checkout`, `/portal`) and Stripe's webhook (`api/billing/stripe`, anonymous
 * to App Service and to the pipeline: its signature is its admission). A record the webhook writes is forgotten by
 * this instance's registry cache; the others read it again within their 30 s bound (registry-cache.ts).
 *
 * @example
 * ```ts
 * registerBillingRoutes(deps, appServices(manifest, deps), add);
 * ```
 */
export function registerBillingRoutes(deps: RegisterDeps, app: AppServices, add: AddRoute): void {
  const policy = deps.caller;
  const api = app.subscriptions;
  if (!policy || !api) return;
  const h = createBillingHandlers(policy, api, app.services);
  add(TENANT_BILLING_FUNCTIONS.billing, TENANT_BILLING_ROUTES.billing, h.billing);
  add(TENANT_BILLING_FUNCTIONS.checkout, TENANT_BILLING_ROUTES.checkout, h.checkout);
  add(TENANT_BILLING_FUNCTIONS.portal, TENANT_BILLING_ROUTES.portal, h.portal);
  // Anonymous and signed: counted once under `anonymous`, never limited (counted-webhook.ts).
  add(
    TENANT_BILLING_FUNCTIONS.webhook,
    TENANT_BILLING_ROUTES.webhook,
    countedWebhook(createStripeWebhook(api), policy, app.services),
    { host: ['POST'], listed: ['POST'] },
  );
}
