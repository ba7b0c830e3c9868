/**
 * A SaaS whose customers pay for what they use: each tenant's usage from the ledger goes to Stripe Billing Meters,
 * hour by hour, exactly once (docs/billing.md). `pro` costs $49 a month plus its requests and storage; `free` only
 * its metered use. The Stripe key is the secret `STRIPE_KEY` — Key Vault in Azure, an environment variable under
 * `atakora dev` — and never in this file.
 *
 *   # In Stripe (test mode): meters api_requests and stored_gb_hours (Sum), a price on each, a customer per tenant.
 *   export STRIPE_KEY=sk_test_…               # or STRIPE_API_BASE=http://127.0.0.1:<port> for a stand-in
 *   npx atakora dev examples/billing/backend.ts
 *   # In a second terminal, while dev runs:
 *   npx atakora tenant add examples/billing/backend.ts contoso --plan pro --local
 *   npx atakora tenant set examples/billing/backend.ts contoso --stripe-customer cus_NffrFeUfNV2Hib --local
 *   npx atakora usage export examples/billing/backend.ts --local      # every closed hour not sent yet, now
 *   npx atakora usage examples/billing/backend.ts --billing --check --local   # ledger = sent = Stripe?
 *   npx atakora usage examples/billing/backend.ts --month 2026-11 --local    # plan fee beside metered cost
 *   # Azure: the key into Key Vault (value on stdin), then deploy; the timer runs 10 minutes past every hour.
 *   npx atakora secret set examples/billing/backend.ts STRIPE_KEY --environment prod
 *   npx atakora deploy examples/billing/backend.ts --environment prod
 *
 * Paths are relative to the working directory (run it from the repository root).
 */
import { defineBackend } from '@atakora/component/backend';
import { CrudApi } from '@atakora/component/crud';

export default defineBackend(
  {
    // Each customer's projects, in the customer's own partition.
    projects: CrudApi.define('ProjectApi', {
      entityName: 'Project',
      schema: {
        id: { type: 'string', maxLength: 36 },
        tenantId: 'string',
        name: { type: 'string', required: true, maxLength: 120 },
      },
      partitionKey: '/tenantId',
    }),
  },
  {
    backendId: 'billed',
    auth: { signInAudience: 'AzureADMultipleOrgs', allowedTenants: 'registry' },
    tenants: {
      plans: {
        free: { requestsPerMinute: 120, storageMb: 100 },
        pro: { requestsPerMinute: 6000, storageMb: 10_000, monthlyFeeUsd: 49 },
      },
      defaultPlan: 'free',
      billing: {
        stripe: {
          secret: 'STRIPE_KEY',
          meters: { requests: 'api_requests', storedGbHours: 'stored_gb_hours' },
        },
      },
    },
  },
);
