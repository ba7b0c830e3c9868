/**
 * A team SaaS that sells three packaged plans (docs/packaging.md): `free` (3 seats, 2 projects, no features),
 * `team` (a per-seat Stripe price with a 14-day trial, more projects and reports, verified domains, the audit log,
 * agents over MCP and the application's own `reports`) and `enterprise` (unlimited seats and items, directory sign-in,
 * SCIM, search and exports as well). The runtime keeps each plan's doors: a fourth member of a free organization is
 * 402 `seat-limit`, its third project 402 `item-limit`, its audit log 402 `feature-not-in-plan`. `reports` is the
 * application's feature: the report summary handler (src/report-summary.ts) asks `callerOf(request).features`, and
 * creating a report is allowed by an access rule with `feature: 'reports'` — on `free` that rule does not apply.
 *
 *   npx atakora plan examples/billing/packages.ts   # each plan as a package: price, seats, items, features, cost
 *   # Locally, with the Stripe stand-in of @atakora/component/testing (docs/billing.md, "Try it locally"):
 *   STRIPE_API_BASE=http://127.0.0.1:<stand-in port> STRIPE_KEY=sk_test_local STRIPE_WEBHOOK_SECRET=whsec_local \
 *     npx atakora dev examples/billing/packages.ts --user owner@example.com
 *   # In Stripe (test mode): a per-seat monthly price for team, a monthly price for enterprise; their ids below.
 *   npx atakora secret set examples/billing/packages.ts STRIPE_KEY --environment prod
 *   npx atakora secret set examples/billing/packages.ts STRIPE_WEBHOOK_SECRET --environment prod
 *   npx atakora deploy examples/billing/packages.ts --environment prod
 *
 * Paths are relative to the working directory (run it from the repository root).
 */
import { defineBackend } from '@atakora/component/backend';
import { CrudApi } from '@atakora/component/crud';
import { FunctionsApp } from '@atakora/component/functions';

export default defineBackend(
  {
    // Each organization's projects: free holds 2, team 100, enterprise any number.
    projects: CrudApi.define('ProjectApi', {
      entityName: 'Project',
      schema: {
        id: { type: 'string', maxLength: 36 },
        name: { type: 'string', required: true, maxLength: 120 },
      },
    }),
    // Reports: every member reads them; creating one is what the paid plans sell (the rule applies only on plans
    // that include the application's feature 'reports').
    reports: CrudApi.define('ReportApi', {
      entityName: 'Report',
      schema: {
        id: { type: 'string', maxLength: 36 },
        title: { type: 'string', required: true, maxLength: 120 },
      },
      access: [
        { allow: 'authenticated', operations: ['read', 'list'] },
        { allow: 'authenticated', operations: ['create', 'update', 'delete'], feature: 'reports' },
      ],
    }),
    // A summary of the organization's work, for plans with 'reports' (src/report-summary.ts: callerOf's features).
    summary: FunctionsApp.define('ReportSummary', {
      runtime: 'node',
      functions: {
        'report-summary': {
          trigger: 'http',
          route: 'reports-summary',
          methods: ['GET'],
          handler: './examples/billing/src/report-summary.ts',
          data: ['ProjectApi', 'ReportApi'],
        },
      },
    }),
  },
  {
    backendId: 'packaged',
    environment: 'dev',
    auth: { signInAudience: 'AzureADMultipleOrgs', allowedTenants: 'any' },
    tenants: {
      by: 'membership',
      createTenants: 'any-user',
      defaultPlan: 'free',
      plans: {
        free: {
          members: 3,
          items: { ProjectApi: 2 },
          features: [],
          // Free to the customer: the plan shows what an organization at its limits costs you.
          monthlyFeeUsd: 0,
          requestsPerMinute: 60,
          requestUnitsPerDay: 50_000,
          storageMb: 100,
        },
        team: {
          members: 25,
          items: { ProjectApi: 100, ReportApi: 500 },
          features: ['domains', 'audit', 'mcp', 'reports'],
          requestsPerMinute: 300,
          requestUnitsPerDay: 500_000,
          storageMb: 5_000,
          // A seat's price: Stripe bills it × the organization's members (the subscription item's quantity).
          monthlyFeeUsd: 15,
          stripe: { price: 'price_1QpLansTeamSeat', perSeat: true, trialDays: 14 },
        },
        enterprise: {
          features: [
            'domains',
            'directory',
            'scim',
            'audit',
            'search',
            'mcp',
            'exports',
            'reports',
          ],
          requestsPerMinute: 6_000,
          requestUnitsPerDay: 20_000_000,
          storageMb: 100_000,
          // Its amount is Stripe's (a contract price): the plan shows no margin without monthlyFeeUsd.
          stripe: { price: 'price_1QpLansEnterprs' },
        },
      },
      billing: {
        stripe: { secret: 'STRIPE_KEY', webhookSecret: 'STRIPE_WEBHOOK_SECRET', meters: {} },
        onCanceled: 'default-plan',
      },
    },
    // Agents over MCP (docs/mcp.md): the door the 'mcp' feature opens on team and enterprise.
    mcp: true,
  },
);
