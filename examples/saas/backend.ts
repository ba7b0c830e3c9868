/**
 * A multi-tenant SaaS: one Cosmos DB account, one Function App and one Web PubSub for every customer, each customer
 * a Microsoft Entra directory (a *tenant*) admitted by a registry the backend owns — onboarding and suspension are
 * data, not a deploy — on a plan whose bounds the runtime enforces per tenant, with a bound per user on top so that
 * no one user starves their colleagues. Every request is counted in the usage ledger, refused ones included, and
 * `atakora usage` prices each tenant's share. docs/tenants.md walks through it; test/packaging/saas-example.test.ts
 * runs these steps.
 *
 *   npx atakora dev examples/saas/backend.ts    # signed in as the Local Developer of local-dev: the home directory
 *   # In a second terminal, while dev runs: register two customers (no deploy); <port> is the one dev printed.
 *   npx atakora tenant add examples/saas/backend.ts contoso --name Contoso --plan pro --local
 *   npx atakora tenant add examples/saas/backend.ts fabrikam --name Fabrikam --local   # the default plan: free
 *   curl -i -H 'x-atakora-dev-user: alice@contoso' http://127.0.0.1:<port>/api/projects   # 200, RateLimit headers
 *   curl -H 'x-atakora-dev-user: alice@contoso' http://127.0.0.1:<port>/api/tenant        # plan, limits, usage
 *   curl -H 'x-atakora-dev-user: eve@northwind' http://127.0.0.1:<port>/api/projects      # 403 tenant-not-registered
 *   # alice's 31st request in a UTC minute: 429 rate-limited (Retry-After); bob@contoso is still served
 *   npx atakora tenant suspend examples/saas/backend.ts fabrikam --local   # fabrikam's users: 403 tenant-suspended
 *   npx atakora tenant resume examples/saas/backend.ts fabrikam --local
 *   npx atakora tenant list examples/saas/backend.ts --local
 *   npx atakora usage examples/saas/backend.ts --local   # requests (refused too), RU, bytes, sockets, $ per tenant
 *   curl -H 'x-atakora-dev-user: alice@contoso' http://127.0.0.1:<port>/api/stats/projects  # dataOf, as alice
 *   npx vitest run examples/saas/project-stats.test.ts  # that handler tested as its callers (startBackend)
 *   # Agents: an MCP client at http://127.0.0.1:<port>/api/mcp (docs/mcp.md) lists project_list, project_stats, …
 *   npx atakora plan examples/saas/backend.ts            # and each plan's worst-case monthly cost per tenant
 *   npx atakora verify examples/saas/backend.ts          # who may do what, proven; atakora.access.json beside it
 *   npx atakora deploy examples/saas/backend.ts          # then: tenant add … --environment dev, no --local
 *
 * The operator's console does the same over HTTP: the TenantAdmin API (`api/tenants`, `client.tenants`), open only
 * to the home directory's users with the `TenantAdmin` app role (`x-atakora-dev-user:
 * ops@local-dev;roles=TenantAdmin` under dev) and never rate-limited. A customer's administrator grants consent
 * once (docs/sign-in.md). The plan's realtime line is the true worst case — every write the largest event the
 * schema admits, sent to every socket: `name`'s maxLength keeps it to a few KB (docs/tenants.md, "How big an event
 * can be"). Paths are relative to the working directory (run it from the repository root).
 */
import { defineBackend } from '@atakora/component/backend';
import { CrudApi } from '@atakora/component/crud';
import { FileStore } from '@atakora/component/files';
import { FunctionsApp } from '@atakora/component/functions';

export default defineBackend(
  {
    // Each customer's projects, in the customer's own partition, live on every open page of that customer only.
    projects: CrudApi.define('ProjectApi', {
      entityName: 'Project',
      schema: {
        // A bounded id (the runtime's generated ids are 36 characters) keeps each event's two copies of it short.
        id: { type: 'string', maxLength: 36 },
        tenantId: 'string',
        // maxLength bounds every realtime event this API sends: `atakora plan` prices a plan's realtime messages by
        // the largest event the schema admits (a string without one may make a 1 MB event: 489 billed messages).
        name: { type: 'string', required: true, maxLength: 120 },
        done: { type: 'boolean', default: false },
      },
      partitionKey: '/tenantId',
      realtime: true,
    }),
    // Each customer's files (its own folder); their bytes count against the plan's storageMb with the items'.
    files: FileStore.define('ProjectFiles', {
      maxSizeMb: 10,
      contentTypes: ['image/png', 'image/jpeg', 'application/pdf', 'text/plain'],
    }),
    // Project statistics computed with the caller's data (dataOf: src/project-stats.ts), also an MCP tool.
    reports: FunctionsApp.define('Reports', {
      runtime: 'node',
      functions: {
        'project-stats': {
          trigger: 'http',
          route: 'stats/projects',
          methods: ['GET'],
          handler: './examples/saas/src/project-stats.ts',
          data: ['ProjectApi'],
          mcp: {
            description:
              "Counts of your organization's open and done projects, and the newest open ones.",
          },
        },
      },
    }),
  },
  {
    backendId: 'saas',
    environment: 'dev',
    auth: { signInAudience: 'AzureADMultipleOrgs', allowedTenants: 'registry' },
    tenants: {
      // Every bound of a plan is optional (absent: unbounded) — each here is set, so `atakora plan` prices a
      // finite worst case for both. Minutes and days are UTC; storage is items' and files' bytes together.
      plans: {
        free: {
          requestsPerMinute: 300,
          requestUnitsPerDay: 200_000,
          storageMb: 100,
          realtimeConnections: 10,
        },
        pro: {
          requestsPerMinute: 3_000,
          requestUnitsPerDay: 5_000_000,
          storageMb: 10_000,
          realtimeConnections: 200,
        },
      },
      defaultPlan: 'free',
      // Only directories you register are served (`'open'` would register a directory at its first request).
      signUp: 'invite',
      // Whatever the plan, one user gets at most 30 requests a minute (429 rate-limited, policy "user") and 3 live
      // sockets (negotiate's 429 too-many-connections): their colleagues keep the rest of the tenant's bounds.
      perUser: { requestsPerMinute: 30, realtimeConnections: 3 },
    },
    // One Web PubSub for every tenant: Free_F1's 20 connections would be one free tenant's bound twice over.
    // Standard_S1 holds 1,000 a unit (about $49 a month); `atakora plan` says how many tenants per plan fit.
    realtime: { sku: 'Standard_S1', units: 1 },
    // Continuous backup (7 days, no storage charge): `atakora tenant restore` puts one customer back in time.
    backup: { mode: 'continuous7Days' },
    // An MCP server at api/mcp for each customer's agents: read tools (projects, project_stats) under the same
    // tenant, rules, limits and ledger as the API (docs/mcp.md); writes stay off.
    mcp: true,
  },
);
