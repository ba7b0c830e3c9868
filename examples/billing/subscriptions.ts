/**
 * Plans customers buy themselves (docs/billing.md, "Subscriptions"): organizations (`tenants.by: 'membership'`) on
 * `free` until an Owner upgrades on Stripe Checkout; Stripe's signed webhook (`POST api/billing/stripe`) then puts
 * the organization on the plan of the subscription's price, and its limits follow. The page (`site/`, no bundler)
 * shows the organization's plan and limits and has the Owner's Upgrade and Manage-billing buttons. Its requests
 * are metered (`api_requests`) as examples/billing/backend.ts's are.
 *
 *   # Locally, with the Stripe stand-in of @atakora/component/testing (docs/billing.md, "Try it locally"):
 *   STRIPE_API_BASE=http://127.0.0.1:<stand-in port> STRIPE_KEY=sk_test_local STRIPE_WEBHOOK_SECRET=whsec_local \
 *     npx atakora dev examples/billing/subscriptions.ts --user owner@example.com
 *   npx atakora usage export examples/billing/subscriptions.ts --local --close-hour   # this hour, now
 *   # In Stripe (test mode): a product with a monthly price; its id in plans.pro.stripe.price; a webhook endpoint at
 *   # https://<function app>/api/billing/stripe; both secrets into Key Vault, then deploy.
 *   npx atakora secret set examples/billing/subscriptions.ts STRIPE_KEY --environment prod
 *   npx atakora secret set examples/billing/subscriptions.ts STRIPE_WEBHOOK_SECRET --environment prod
 *   npx atakora deploy examples/billing/subscriptions.ts --environment prod
 *
 * Paths are relative to the working directory (run it from the repository root).
 */
import { defineBackend } from '@atakora/component/backend';
import { CrudApi } from '@atakora/component/crud';
import { StaticSite } from '@atakora/component/web';

export default defineBackend(
  {
    projects: CrudApi.define('ProjectApi', {
      entityName: 'Project',
      schema: {
        id: { type: 'string', maxLength: 36 },
        name: { type: 'string', required: true, maxLength: 120 },
      },
    }),
    web: StaticSite.define('BillingWeb', { sourceDirectory: './examples/billing/site' }),
  },
  {
    backendId: 'plans',
    environment: 'dev',
    tenants: {
      by: 'membership',
      createTenants: 'any-user',
      plans: {
        free: { requestsPerMinute: 60, storageMb: 100 },
        // The price's id from the Stripe dashboard (a recurring price, not the product's prod_…).
        pro: {
          requestsPerMinute: 1200,
          storageMb: 10_000,
          stripe: { price: 'price_1QpLansPro0001' },
        },
      },
      defaultPlan: 'free',
      billing: {
        stripe: {
          secret: 'STRIPE_KEY',
          webhookSecret: 'STRIPE_WEBHOOK_SECRET',
          meters: { requests: 'api_requests' },
        },
        onCanceled: 'default-plan',
      },
    },
  },
);
