/**
 * Sold on Azure Marketplace beside Stripe (docs/billing.md, "Azure Marketplace"): organizations buy `pro` or `team`
 * either on Stripe Checkout or as a SaaS offer in Azure Marketplace (on their Azure bill, counting toward their
 * Microsoft commitment). The plan registers the landing page's sign-in (any Entra directory and personal Microsoft
 * accounts) and prints what Partner Center's Technical configuration asks for: the landing page and webhook URLs, the
 * publisher tenant and the fulfillment app. A purchase lands on `api/marketplace/landing`, which signs the buyer in,
 * makes them the Owner of a new organization (or links one they own) on the mapped plan and activates the
 * subscription; Microsoft's webhook (`api/marketplace/webhook`) changes plans, suspends, reinstates and unsubscribes;
 * each hour's requests above the plan's included quantity go to the Metering Service from the usage ledger. An
 * organization is billed by one channel.
 *
 *   # Locally, with the Marketplace stand-in of @atakora/component/testing (docs/billing.md, "Try Marketplace locally"):
 *   ATAKORA_MARKETPLACE_API=http://127.0.0.1:<stand-in port> MARKETPLACE_SECRET=<the stand-in's client secret> \
 *     npx atakora dev examples/billing/marketplace.ts --user buyer@example.com
 *   # Azure: the fulfillment app's client secret (and the landing sign-in's, once the plan registered it) into Key
 *   # Vault, then deploy, then paste the printed URLs into Partner Center.
 *   npx atakora secret set examples/billing/marketplace.ts MARKETPLACE_SECRET --environment prod
 *   npx atakora deploy examples/billing/marketplace.ts --environment prod
 *   npx atakora secret set examples/billing/marketplace.ts MARKETPLACE_LANDING_SECRET --environment prod
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
    web: StaticSite.define('MarketplaceWeb', { sourceDirectory: './examples/billing/site' }),
  },
  {
    backendId: 'sold',
    environment: 'dev',
    tenants: {
      by: 'membership',
      createTenants: 'any-user',
      plans: {
        free: { requestsPerMinute: 60, storageMb: 100 },
        pro: {
          requestsPerMinute: 1200,
          storageMb: 10_000,
          stripe: { price: 'price_1QpLansPro0001' },
        },
        team: {
          requestsPerMinute: 6000,
          storageMb: 50_000,
          stripe: { price: 'price_1QpLansTeam001' },
        },
      },
      defaultPlan: 'free',
      billing: {
        stripe: {
          secret: 'STRIPE_KEY',
          webhookSecret: 'STRIPE_WEBHOOK_SECRET',
          meters: { requests: 'api_requests' },
        },
        marketplace: {
          // Partner Center → the offer's Offer ID, and its Technical configuration's tenant and application IDs.
          offer: 'sold-projects',
          publisherTenantId: '72f988bf-86f1-41af-91ab-2d7cd011db47',
          clientId: '5b1c7a3e-8d2f-4c2d-9e8f-1a2b3c4d5e6f',
          // The fulfillment app's client secret: a Key Vault secret (atakora secret set), never in this file.
          secret: 'MARKETPLACE_SECRET',
          plans: { pro: 'pro-monthly', team: 'team-monthly' },
          dimensions: { requests: 'api_calls' },
          // What each plan's base fee includes per billing term: only requests above it are metered.
          included: { pro: { requests: 100_000 }, team: { requests: 1_000_000 } },
        },
        onCanceled: 'default-plan',
      },
    },
  },
);
