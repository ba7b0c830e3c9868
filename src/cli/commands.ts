/** Help text per command. */
export const HELP: Record<string, string> = {
  main: `atakora — plan and synthesize Atakora backends

Usage:
  atakora plan <entry> [--json | --format text|markdown|mermaid|json|html] [--out <file>] [--base before.json]
  atakora synth <entry> [--out cdktf.out] [--resource-group <name>]
  atakora diff <before> <after> [--json | --format text|markdown|json|html] [--out <file>]
  atakora dev <entry> [--port 7071] [--user <user>[@<tenant>]] [--tenant <tenant>] [--roles <role>,<role>]
  atakora deploy <entry> [stack…] [--auto-approve] [--allow-data-loss] [--no-verify] [--terraform <bin>] …
  atakora destroy <entry> [stack…] [--auto-approve] [--allow-data-loss] [--terraform <bin>] …
  atakora openapi <entry> [--out openapi.json] [--environment <name>]
  atakora secret set|list|remove <entry> [NAME] [--environment <name>]   (a value from stdin, never an argument)
  atakora auth setup <entry> [--environment <name>] [--rotate-secrets]   (customer sign-in: Microsoft Graph)
  atakora sandbox <entry> [--delete] [--once] [deploy flags…]
  atakora migrate <entry> [--environment <name> | --local] [--component <Id>] [--dry-run]
  atakora verify <entry> [--update] [--json] [--environment <name>]
  atakora seed <entry> (--environment <name> --tenant <tid> | --local [--tenant <tid>]) [--component Id] [--replace]
  atakora logs <entry> [--environment <name>] [--tenant <tid>] [--since 1h] [--follow] [--json]
  atakora usage <entry> [--environment <name> | --local] [--since 30d] [--tenant <tid>] [--json | --csv]
  atakora tenant add|set|suspend|resume|list|members|export|import|delete|restore <entry> … (--environment <name> | --local)
  atakora <command> --help
  atakora --version

<entry> is a .ts/.mts/.cts/.js/.mjs/.cjs module, ESM or CommonJS, exporting a backend, a builder, or a
function returning one (or an array): \`export default\`, \`module.exports\` or named exports.
Exit codes: 0 clean, 1 plan errors or limit violations (or an AtakoraError, or an entry that fails to
load, or a plan over its --max-monthly-usd / --max-cost-increase-usd budget), 2 usage errors.
ATAKORA_DEBUG=1 prints the stack of an unexpected error.
--environment <name> (plan, synth, diff, dev, deploy, destroy, secret, openapi, logs, usage) overrides the config's
environment: every resource name, the stack name and the redirect URIs follow it (e.g. --environment pr-7 for a
preview).
deploy/destroy: 0 deployed (and verified), 1 refused or failed, 2 usage errors.`,
  plan: `atakora plan <entry> [--json] [--format text|markdown|mermaid|json|html] [--by-type] [--out <file>]
  [--base before.json] [--max-monthly-usd N] [--max-cost-increase-usd N]

Print each backend's plan: resources with their consumers, warnings, limit violations and the cost
summary; what apply creates (the Terraform resource count, --by-type by Terraform type; the endpoints;
the Entra ID registrations) and what must be true before you deploy (subscription, roles at subscription
scope, directory permission, resource providers, deployer addresses). --json prints the ResourcePlan (an
array when the entry has several backends), whose deploys list every Terraform resource.
With tenant plans, every format prints each plan's worst-case cost per tenant and each plan as a package: its
price (per seat, trial, Marketplace plan), seats, items, features, the cost to serve an organization at its
limits and the margin (docs/packaging.md).
Plan review: --format html writes one self-contained page (no network; opens from file:// and as a CI
artifact): the architecture as a diagram, the cost per resource shared vs unshared, before you deploy, the
issues. --out <file> writes the output to the file (several backends: one file each, named
<file>-<backendId>-<environment>) and prints its path. --base before.json (a plan saved with --json, e.g. from
the main branch) adds what changes — added, changed, replaced, removed, data loss flagged — and the monthly
cost delta; the Markdown's first line states the delta (the estimate without a base).
Budget gate: --max-monthly-usd N exits 1 when a plan's estimated monthly cost is over N US dollars;
--max-cost-increase-usd N (with --base) when it rises more than N over the base's. Each verdict is printed
on stderr, naming the estimate and the budget.
Exits 0 when clean, 1 when a plan has errors or limit violations or is over budget, 2 on usage errors.`,
  synth: `atakora synth <entry> [--out cdktf.out] [--resource-group <name>]

Write the Terraform JSON the way \`cdktf synth\` does: one stack per backend, named
<backendId>-<environment> (then -<location> when two share that), in <out>/stacks/<stack>/cdk.tf.json. Then:
  terraform -chdir=<out>/stacks/<stack> init && terraform -chdir=<out>/stacks/<stack> plan
The resource group defaults to rg-<stack>. <out> is created when missing, parents too.`,
  diff: `atakora diff <before> <after> [--json] [--format text|markdown|json|html] [--out <file>]
  [--max-monthly-usd N] [--max-cost-increase-usd N] [--allow-schema-change]

Compare two saved plans (JSON files written by \`atakora plan --json\`) or a saved plan with an entry.
Lists adds, removes, in-place changes and replacements; a replacement or removal of a stateful resource
(Cosmos DB, Storage, Key Vault, Service Bus) is data loss and makes the exit code 1. A CrudApi schema change
stored items cannot follow (a removal, a type change, a field required without default) without a schemaVersion
rise is SCHEMA_MIGRATION_REQUIRED, and a schemaVersion that goes down (a rollback: items the newer version
wrote could not be written) SCHEMA_VERSION_ROLLBACK, both exit code 1 (docs/schema-evolution.md);
--allow-schema-change prints them as warnings instead.
--format html writes the review page of <after> with <before> as its base (see atakora plan --help);
the Markdown's first line states the monthly cost delta. --max-monthly-usd N and --max-cost-increase-usd N
make the exit code 1 when <after>'s estimate, or its rise over <before>'s, is over N US dollars.`,
  dev: `atakora dev <entry> [--port 7071] [--user <user>[@<tenant>]] [--tenant <tenant>] [--roles <role>,<role>] [--data-dir <dir>]

Serve the backend locally as deployed: each Node Function App's package (the CRUD runtime and your
handlers) is built as apply builds it and loaded by a local worker; HTTP functions and CRUD routes answer
on http://127.0.0.1:<port>/api/..., against a local Cosmos DB protocol server (needs the optional peer
@vercel/cosmosdb-server). Timers fire on their schedule (UTC); invoke a queue (or timer) function with
  curl -X POST http://127.0.0.1:<port>/admin/functions/<name> -H 'x-functions-key: <admin key>' -d '{"input": {...}}'
(the admin key is printed in the banner, new each run; a web page cannot invoke functions). Only Host
localhost, 127.0.0.1 and [::1] are answered; anonymous callers get 401 on every route but /api/health, and
pages of origins not in auth.devOrigins/corsOrigins are anonymous. --data-dir <dir> keeps the local data
across restarts (default: gone at stop).
Sign-in as App Service authentication does it: every request is made as --user of --tenant holding the
app roles --roles (default: a "Local Developer" of tenant local-dev, no roles); a request names another
caller with the header
  x-atakora-dev-user: <user>@<tenant>[;roles=<role>,<role>]        (or: anonymous, for none)
CrudApi access rules (owner, role, authenticated) apply exactly as deployed.
With tenants by membership (tenants.by: 'membership') a user named by an email — --user alice@example.com, or
x-atakora-dev-user: bob@example.com — signs in with that verified email (invitations check it); the request's
organization is its X-Atakora-Tenant header, and roles come from the membership, not --roles.
and a caller-sent x-ms-client-principal is dropped. Browsers on auth.devOrigins (default
http://localhost:5173) and corsOrigins get CORS answers. See docs/sign-in.md.
Start-up steps are reported on stderr; the banner lists what each route serves (a read-only CrudApi: GET).
Saving the entry or a handler file restarts the apps on the same ports (the local data stays); handler
stack traces point at your files (source maps). Ctrl+C stops everything. The first backend is served.
Traces: each app shows its last 1,000 requests with their spans at http://127.0.0.1:<port>/_atakora/traces (in
the banner); with OTEL_EXPORTER_OTLP_ENDPOINT set (OTEL_EXPORTER_OTLP_PROTOCOL http/protobuf or http/json) the
spans also go there over OTLP/HTTP (the Aspire dashboard, Jaeger). See docs/observability.md.
Not emulated locally: Cosmos DB TTL (items never expire), token validation (the dev sign-in stands in
for it), queue triggers (invoke them through /admin/functions), settings known only at deploy.`,
  deploy: `atakora deploy <entry> [stack…] [--auto-approve] [--allow-data-loss] [--no-verify] [--no-sync]
  [--allow-schema-change] [--verify-timeout 300] [--out cdktf.out] [--resource-group <name>] [--terraform <bin>]
  [--backend azurerm] [--backend-config k=v …] [--swa <bin>] [--skip-preflight] [--admit-address <ip|auto>]
  [--no-auth-setup]

Synthesize (as atakora synth), then a preflight before any Terraform: a subscription id for every stack,
Azure credentials (a Resource Manager token from the chain the deploy uses), the subscription readable,
the resource providers registered or registered by the stack, and — where Entra registrations are created —
the directory permission; each failure is one DEPLOY_PREFLIGHT_FAILED naming the fix (--skip-preflight or
ATAKORA_SKIP_PREFLIGHT=1 skips it, e.g. behind a proxy that only Terraform may pass). Then every secret the
backend declares must have a value in the environment's Key Vault (SECRET_MISSING names each; set them with
atakora secret set), except on the first deploy of an environment, which creates the vault. Then for each stack, in
dependency order, in <out>/stacks/<stack>:
  terraform init -input=false [-backend-config=…]   terraform plan -input=false -out=atakora.tfplan
  terraform show -json atakora.tfplan               terraform apply -input=false atakora.tfplan
Only the plan that was shown is applied. A delete or replacement of a resource that holds data (Cosmos DB
account, database, container; storage account; Key Vault; Service Bus namespace) stops the deploy before
apply, naming each address and Terraform's reason; --allow-data-loss goes ahead. A CrudApi schema change
that stored items cannot follow (a field removed, retyped, or made required without a default) against the
schema deployed (the Function App's ATAKORA_MANIFEST in the state the plan was made against) stops it too,
unless schemaVersion rises with a migration for each step: SCHEMA_MIGRATION_REQUIRED naming the component and
field; a schemaVersion lower than the deployed one is SCHEMA_VERSION_ROLLBACK (--allow-schema-change goes
ahead; a first deploy has nothing to compare). On a terminal the summary
is shown and you are asked; --auto-approve does not ask; without a terminal and without --auto-approve
nothing is applied. Then: each component's endpoint (terraform output), the Function Apps' trigger sync
(Resource Manager; --no-sync skips), the Key Vault references of every app that reads a secret set before the
run, refreshed until Resolved (SECRET_REFERENCE_UNRESOLVED otherwise; 600 s, or --verify-timeout when given),
and GET <app>/api/health until 200 within --verify-timeout seconds (--no-verify skips both). The binary: --terraform, else ATAKORA_TERRAFORM, else terraform, else tofu on PATH.
Customer sign-in: after apply, a backend with auth.signInAudience 'customers' gets its user flow, social
identity providers and app links in its external tenant through Microsoft Graph, as atakora auth setup makes
them (see atakora auth --help); --no-auth-setup skips it (run atakora auth setup later).
Sites: after apply, each StaticSite with a sourceDirectory is built (buildCommand) and uploaded with its
atakora.config.json by the Static Web Apps CLI (--swa, else ATAKORA_SWA, else node_modules/.bin/swa, else swa
on PATH), its deployment token read through Resource Manager with the deployer's identity; then its URL must
serve the uploaded index.html within --verify-timeout (--no-verify skips).
State: cdktf's local file by default; --backend azurerm writes an azurerm backend block (state key
<stack>.tfstate) completed by --backend-config at init, e.g.
  --backend azurerm --backend-config resource_group_name=rg-tfstate --backend-config storage_account_name=sttfstate
  --backend-config container_name=tfstate --backend-config use_azuread_auth=true
Isolated backends from CI: --admit-address <ip|auto> (or ATAKORA_ADMIT_ADDRESS) adds that public IPv4 address
(auto: asked of ATAKORA_IP_ECHO_URL, default https://api.ipify.org) to every IP rule list the stacks write
(the deployment storage accounts) for this run: a narrow terraform apply -target of those accounts first, the
run with it, then — also when the run fails — a narrow apply without it (ADMIT_ADDRESS_NOT_REMOVED if that
fails). IP rules do not apply to callers in the account's own Azure region. A stack without IP rules: a notice.
Exit codes: 0 deployed (and verified), 1 refused or failed, 2 usage errors.`,
  destroy: `atakora destroy <entry> [stack…] [--environment <name>] [--auto-approve] [--allow-data-loss] [--out cdktf.out]
  [--resource-group <name>] [--terraform <bin>] [--backend azurerm] [--backend-config k=v …] [--admit-address <ip|auto>]

Synthesize, then for each stack in reverse dependency order: terraform init, plan -destroy -out, show -json,
the same data-loss guard (destroying a Cosmos DB account, storage account, Key Vault … needs
--allow-data-loss, and a backend with preventDestroy: false, or Terraform itself refuses), the same
confirmation, then apply of that plan. --admit-address admits the runner around the destroy as for deploy.
Exit codes: 0 destroyed, 1 refused or failed, 2 usage errors.`,
  secret: `atakora secret set <entry> <NAME> [--environment <name>] [--resource-group <name>] [--no-refresh]
  [--wait-seconds 600]
atakora secret list <entry> [NAME] [--environment <name>] [--resource-group <name>]
atakora secret remove <entry> <NAME> [--environment <name>] [--resource-group <name>] [--no-refresh]

A secret a FunctionsApp declares (secrets: ['STRIPE_KEY']) in the environment's Key Vault, through the Key
Vault data plane with your Entra credentials (az login, ARM_* variables or OIDC): the value goes to Key Vault
only — never to Terraform state, the plan, cdktf.out or any output. set reads the value from stdin
  printf %s "$STRIPE_KEY" | atakora secret set backend.ts STRIPE_KEY --environment prod
or, on a terminal, from a hidden prompt; never from an argument. The Key Vault secret's name is the declared
name with "-" for "_" (STRIPE-KEY). After set, each Function App that reads the secret is asked to refresh its
Key Vault references, and their status is read until every one is Resolved, refreshing again in between, for up
to --wait-seconds (600: a new role takes up to 10 minutes); one still unresolved is SECRET_REFERENCE_UNRESOLVED
(exit 1) naming it and its status. After remove the apps are asked to refresh once. --no-refresh skips both. list prints
names, versions and dates, never values. The vault's name comes from the deployment target as deploy names
it: ARM_SUBSCRIPTION_ID and the resource group (rg-<stack> unless --resource-group). Setting needs the
'Key Vault Secrets Officer' role on the vault. ATAKORA_KEYVAULT_ENDPOINT overrides the data plane's URL
({vault} stands for the vault's name). See docs/secrets.md.
Exit codes: 0 done, 1 an error (unknown secret, vault not found: the environment was never deployed, access
denied: the role to grant), 2 usage errors.`,
  auth: `atakora auth setup <entry> [--environment <name>] [--resource-group <name>] [--rotate-secrets]

A customer sign-in (auth.signInAudience 'customers') in its Microsoft Entra External ID tenant, through
Microsoft Graph v1.0 — what Terraform cannot declare:
  - the social identity providers (auth.identityProviders: Google, Facebook) with their client ids (the config's,
    else GOOGLE_CLIENT_ID / FACEBOOK_APP_ID, else the vault's secret of that name) and their secrets from the environment's Key Vault
    (GOOGLE_CLIENT_SECRET, FACEBOOK_APP_SECRET: atakora secret set);
  - the sign-up and sign-in user flow <backendId>-<environment>-sign-in with the email method
    (auth.emailSignIn: one-time code or password) and those providers;
  - the stack's app registrations (found by display name) linked to the flow.
Idempotent: everything is found first (the flow by its display name, a provider by its type) and only what
differs is written; each change is printed, a second run prints "Nothing to change". A secret is never printed,
and is sent only when a provider is created or its client id changes (--rotate-secrets sends the vault's again).
atakora deploy runs it after apply. Graph is called in the external tenant: sign in there (az login --tenant <id>
--allow-no-subscriptions) as a user holding External ID User Flow Administrator and External Identity Provider
Administrator, or as a service principal with EventListener.ReadWrite.All, IdentityProvider.ReadWrite.All and
Application.Read.All; a refusal names the one missing (AUTH_SETUP_PERMISSION_MISSING). ATAKORA_GRAPH_ENDPOINT
overrides Graph's URL, ATAKORA_GRAPH_TOKEN the token (it must be the external tenant's). See docs/sign-in.md#customers.
Exit codes: 0 done (changed or not), 1 an error, 2 usage errors.`,
  sandbox: `atakora sandbox <entry> [--delete] [--once] [--terraform <bin>] [--out cdktf.out] [--no-verify] …

Your own cloud environment: deploys the entry's (first) backend as environment sbx-<name>-<hash>, named after
the user az account show reports (the name's first letters and a hash of tenant and user: two developers never
share one), with data protection off (preventDestroy: false — a sandbox holds nothing to keep), prints its
endpoints, then watches the entry, the files it read and the handler modules:
  - a change to handler code only: the package is rebuilt as apply builds it and uploaded (Storage, your Entra
    credentials) to the address apply gave the deployed version — after Resource Manager confirms the app reads
    it (REDEPLOY_TARGET_MISMATCH otherwise); its ATAKORA_PACKAGE_MD5 setting is set, which restarts the app, and
    "restarted with the new code" is printed once the blob, the setting and the app's state show it
    (REDEPLOY_NOT_VERIFIED otherwise) — no Terraform run;
  - any other change: planned and deployed again (atakora deploy --auto-approve; the data-loss guard holds).
--once deploys and stops (CI). --delete destroys the sandbox (atakora destroy --allow-data-loss). Other flags
go to deploy/destroy as given. Secrets work as in any environment: atakora secret set <entry> <NAME>
--environment <the sandbox's name>. See docs/environments.md#sandbox.
Exit codes: 0 done, 1 refused or failed (SANDBOX_USER_UNKNOWN: sign in with az login), 2 usage errors.`,
  migrate: `atakora migrate <entry> [--environment <name> | --local] [--component <Id>] [--dry-run]
  [--batch-size 100] [--resource-group <name>]

Rewrite the items of each CrudApi with a schemaVersion above 1 (or the one --component names) that are stored
under an older version, through its migration modules (bundled with esbuild as the Function App's package
bundles them), in batches, each replace conditional on the ETag read (If-Match: a concurrent write wins and the
item is read again). --local works on the data of the atakora dev of <entry> running in this folder (it
records its local Cosmos DB in .atakora/dev-state-<entry>-<hash>.json); otherwise the deployed environment's account, named as
deploy names it, with your Entra credentials (az login, ARM_* variables or OIDC), which need the data-plane role
'Cosmos DB Built-in Data Contributor'. A progress line goes to stderr after each batch and a checkpoint to
.atakora/migrate/<environment|local>-<component>.json: a killed run resumes, a second run finds nothing to do.
The summary counts items rewritten, already current after a concurrent write, and failed (ids and steps).
--dry-run prints the items at each version, the estimated request units and time, and writes nothing.
ATAKORA_COSMOS_ENDPOINT overrides the account's endpoint (a stand-in). See docs/schema-evolution.md.
Exit codes: 0 done, 1 a migration failed on some item (or an error: no dev running, unknown component, access
denied), 2 usage errors.`,
  verify: `atakora verify <entry> [--update] [--json] [--environment <name>]

Derive the backend's access matrix from its declared rules — every CrudApi (create, read, list, $count, replace,
update, delete, each $expand, each children route, realtime events), FileStore and FunctionsApp route — for each
principal: anonymous; of the home directory the item's owner, another user and a holder of each declared role;
the same three of another admitted directory; a user of a directory not admitted. Each cell is allow (every
item), tenant (items of the caller's tenant), own (the caller's own) or the refusal's status (401/403/404/405).
Then prove every cell against the real runtime: atakora dev's stack on loopback with fresh data, each principal's
requests on the items of every other; refused writes must change nothing. A divergence prints the cell, the
request and the answer (ACCESS_DIVERGED). The matrix is written to atakora.access.json beside the entry (commit
it); a later run fails with ACCESS_CHANGED when the derived matrix differs, widened cells listed first, until
--update writes the new one. --json prints the result as JSON. Implications the rules allow are named (another
directory's writes that block your users' deletes, cascades a caller cannot finish, shared data every directory
reads, anonymous handlers). Exit 0 only when every cell held and the file matches; 1 otherwise; 2 usage errors.
See docs/verify.md.`,
  seed: `atakora seed <entry> --environment <name> --tenant <tid> [--component <Id>] [--owner <oid>] [--replace]
  [--allow-production] [--resource-group <name>]
atakora seed <entry> --local [--tenant <tid>] [--component <Id>] [--owner <oid>] [--replace]

Create each CrudApi's seed (CrudApi.define(id, { seed: './seed/orders.json' }) or its file for the environment)
in the deployed container, through the Cosmos DB data plane with your Entra credentials (az login, ARM_*
variables or OIDC; the 'Cosmos DB Built-in Data Contributor' data role on the account) — or, with --local, in the
running atakora dev of <entry> (its tenant and user unless --tenant/--owner say otherwise). Every item is checked
against the schema (a file { "schemaVersion": N, "items": [...] } passes through the migrations from N; every bad
item is listed) and stamped as a create through the API is: tenantId <tid> (an item naming another tenant is
refused), the owner field (--owner, else the oid of your token; an item's own owner is kept), an id when absent,
defaults and the schema version. Creates only what is missing: an id the tenant already has is left (replaced
with --replace, never an item stored at a newer schema version), and an id another tenant holds is skipped and
reported, that item untouched. Refused before any network call for environment prod or one whose data is
protected (preventDestroy, on by default) unless --allow-production. ATAKORA_COSMOS_ENDPOINT overrides the
account's endpoint ({account} stands for its name). See docs/seed.md.
Exit codes: 0 done, 1 refused or failed (SEED_PRODUCTION_REFUSED, CRUD_SEED_INVALID, SEED_REQUEST_FAILED,
SEED_DEV_NOT_RUNNING), 2 usage errors.`,
  logs: `atakora logs <entry> [--environment <name>] [--resource-group <name>] [--tenant <tid>] [--since 1h]
  [--follow] [--json]

Print the requests the runtime served in that environment, oldest first: time, status, route template, duration,
RU, tenant, component and operation, the caller's oid and the operation id (failures marked). They are the
runtime's traces in the environment's Application Insights (monitoring must be on), read from its Log Analytics
workspace (rg-<stack> unless --resource-group, in ARM_SUBSCRIPTION_ID) with your identity, which needs Log
Analytics Reader (or Reader) on it. --tenant <tid> only that tenant's requests ("shared" for shared data);
--since 90s|30m|1h|7d (default 1h; at most the newest 1,000); --follow then prints new requests as they arrive
(every 10 s, ATAKORA_LOGS_POLL_MS; Ctrl+C stops); --json one JSON object a line. A request reaches the workspace
a few minutes after it is served. ATAKORA_LOGS_ENDPOINT replaces the query API's address. See
docs/observability.md.
Exit codes: 0 done, 1 an error (LOGS_MONITORING_OFF, LOGS_ACCESS_DENIED, …), 2 usage errors.`,
  usage: `atakora usage <entry> [--environment <name> | --local] [--resource-group <name>] [--since 30d | --month YYYY-MM]
              [--tenant <tid>] [--json | --csv]
atakora usage <entry> --billing [--check] [--environment <name> | --local] [--since 30d] [--tenant <tid>] [--json]
atakora usage export <entry> [--environment <name> | --local [--close-hour]] [--json]

Print each tenant's requests, refused requests, RU, realtime messages, stored bytes, live connections and estimated
cost. A backend with a tenant registry (auth.allowedTenants: 'registry') reads its usage ledger (the usage container
beside the registry: every request counted, whatever the sampling) with your identity (a Cosmos DB data role on the
account), or with --local the running atakora dev's; the cost is estimated at the plan's own prices (RU at the
account's capacity mode, GB-month storage, Flex Consumption executions, Web PubSub messages). Without a registry it
reads the runtime's sampled traces in the environment's Application Insights (sampled rows scaled back; same
workspace, identity and role as atakora logs) and says so. --since 90s|30m|1h|7d (default 30d; the ledger counts
whole UTC hours and keeps 400 days); --tenant <tid> one tenant; --json one JSON document; --csv a header row and a
row per tenant (RFC 4180; text a spreadsheet would take for a formula is prefixed with '). Progress on stderr. See
docs/tenants.md ("Usage and costs") and docs/observability.md ("Accuracy of usage per tenant").
--month 2026-11 reads that calendar month (UTC) instead; with tenants.billing it shows what Stripe will invoice each
tenant with a customer — the plan's price (tenants.plans.<plan>.stripe.price, else monthlyFeeUsd) plus each meter's
quantity × the price Stripe has on that meter, read with the key (quantities only without it, and it says so) — and,
apart, COST TO SERVE (the Azure estimate above, never invoiced) and the MARGIN between them.
With tenants.billing (docs/billing.md): export sends every closed UTC hour (10 minutes after its end, within
Stripe's 35 days) per tenant with a Stripe customer and per meter as one meter event, now, as the hourly timer of
the Function App does — exactly once: a second run sends nothing new, a killed run's events are resent under the
same identifier, an outage leaves them for the next run (exit 1, BILLING_STRIPE_UNAVAILABLE). With --local,
--close-hour also sends the hour in progress as if it had closed (to see an hour exported under dev without waiting;
its later requests are never sent). --billing reconciles
the ledger with what was sent per tenant and meter (hours that differ listed: unsent, sending, refused, changed
after sending); --check adds Stripe's meter event summaries and the events Stripe accepted and then refused (its
meter error reports), and exits 1 when anything differs (BILLING_CHECK_MISMATCH). The Stripe key comes from the environment variable the config names (STRIPE_KEY; with
--local also .atakora/secrets.json), never printed; STRIPE_API_BASE replaces Stripe's address.
Exit codes: 0 done, 1 an error (USAGE_LEDGER_UNREADABLE, USAGE_DEV_NOT_RUNNING, USAGE_NO_LEDGER, LOGS_MONITORING_OFF,
LOGS_ACCESS_DENIED, BILLING_NOT_CONFIGURED, BILLING_KEY_MISSING, BILLING_STRIPE_UNAVAILABLE, BILLING_CHECK_MISMATCH,
…), 2 usage errors.`,
  tenant: `atakora tenant export <entry> <tid> --out <dir> (--environment <name> | --local) [--owner <oid>]…
atakora tenant import <entry> --from <dir> [--tenant <tid>] (--environment <name> | --local)
atakora tenant delete <entry> <tid> (--environment <name> | --local) --yes [--allow-production] [--owner <oid>]…
atakora tenant restore <entry> <tid> --at <ISO time> --environment <name> [--yes] [--allow-production]
  [--operator-address <IPv4 or CIDR>]… [--owner <oid>]…
atakora tenant add|set <entry> <tid> [--plan <plan>] [--name <name>] [--stripe-customer <cus_…>]
  (--environment <name> | --local) [--json]
atakora tenant suspend|resume <entry> <tid> (--environment <name> | --local) [--json]
atakora tenant list <entry> (--environment <name> | --local) [--json]
atakora tenant members <entry> <tenant> (--environment <name> | --local) [--json]
atakora tenant audit <entry> <tenant> (--environment <name> | --local) [--json]

The tenant registry (auth.allowedTenants: 'registry'), no deploy needed: add registers a directory (active, on
--plan or tenants.defaultPlan; an unknown plan is refused: TENANT_PLAN_UNKNOWN; a name with control characters:
TENANT_RECORD_INVALID; a record already there is left, or refused when it has another plan or name:
TENANT_ALREADY_REGISTERED, use set), set changes its plan, name or Stripe customer (--stripe-customer cus_…: where
tenants.billing sends its usage; '' removes it; a malformed id is BILLING_CUSTOMER_INVALID), suspend makes every route answer its users 403
tenant-suspended, resume serves them again; each instance of the runtime applies a change within 30 s. list prints
the registry, control characters escaped (--json: the records exactly).
With tenants by membership (tenants.by: 'membership') the registry's records are organizations: add creates one
(with no member yet: POST api/tenants makes its creator the Owner), and members lists an organization's members —
user id, roles, email, when added (--json: the memberships); audit prints its audit log newest first — when, who
and through which door (api, mcp, scim, cli, webhook, handler), the action, its target, what changed (--json: the
entries). Every change these commands make to an organization is an entry of its log (via cli), export writes the
log to <dir>/audit.ndjson, and import never loads it back (the log is append-only): docs/tenants.md, "Audit log".

A tenant's data, all of it and nothing of another tenant's: its items in every CrudApi confined to tenants, and
the items its users (the owners its items record, and each --owner) own in shared CrudApis.
export (a tenant with no record, item or file is refused: TENANT_NOT_FOUND) writes <dir>/manifest.json (backend, environment, per component its schema version, item count and the
SHA-256 of its file; exported at) and <dir>/items/<ComponentId>.ndjson (each item as stored, its schema version
kept, no Cosmos DB system field), and per FileStore <dir>/files/<StoreId>.ndjson (metadata) with
<dir>/files/<StoreId>/<file id> (--environment only). import loads an export into the tenant's view, or --tenant's (a copy): the
archive's tenant, --tenant and registry record checked as add checks them (TENANT_RECORD_INVALID: reserved ids, an
undeclared plan, unknown fields, control characters; the record is dated by the import), files checked against the
manifest, items through the migrations from their stored version and checked against the
schema; what exists is left, and an id another tenant holds in an /id-keyed container is skipped and reported.
delete erases the same set and the tenant's registry record last, resumable (a marker in .atakora/ until it
ends), and prints a receipt; it needs --yes, and --allow-production for environment prod.
restore puts the tenant's items back as they were at --at (strict ISO 8601: YYYY-MM-DDThh:mm[:ss[.fff]] with Z or
±hh:mm, a real calendar date, no later than the latest restorable time), from the account's continuous backup: a
temporary account restored to that time through Resource Manager (the tenant's containers that existed at --at),
its network read back and locked before anything is read (isolated backends: a private endpoint in the backend's
network; public ones: --operator-address, else the live account's IP rules), you granted Cosmos DB Built-in Data
Reader on it; then export of the tenant from it, every item checked, delete in the live account, import; the
temporary account is deleted at the end, also on failure. Files and the registry record are left as they are. On a terminal
it asks first (--yes skips the question); prod needs --allow-production. The items it replaces stay in the same
backup (the first line says how to put them back); run again after a kill, it takes up the same temporary account.
--environment: the deployed account through the Cosmos DB data plane with your Entra identity (Cosmos DB
Built-in Data Contributor; ATAKORA_COSMOS_ENDPOINT overrides the endpoint). --local: the running atakora dev of
<entry>. Progress on stderr; each command is safe to run twice. See docs/tenants.md.
Exit codes: 0 done, 1 refused or failed (TENANT_COMMAND_REFUSED, TENANT_EXPORT_INVALID, TENANT_REQUEST_FAILED,
TENANT_DEV_NOT_RUNNING, TENANT_PLAN_UNKNOWN, TENANT_RECORD_INVALID, TENANT_ALREADY_REGISTERED, TENANT_NOT_FOUND,
TENANT_RESTORE_UNAVAILABLE, TENANT_RESTORE_TIME_INVALID, TENANT_RESTORE_NETWORK, TENANT_RESTORE_FAILED,
CRUD_SEED_INVALID), 2 usage errors.`,
  openapi: `atakora openapi <entry> [--out openapi.json] [--environment <name>]

Print the OpenAPI 3.1 document of the entry's (first) backend, from its plan: every CrudApi route with the
operations it enables (entity JSON Schemas, list query and paging parameters, ETag / If-Match, problem+json
errors), every FunctionsApp HTTP route (with its requestSchema / responseSchema when given), and the Entra
OAuth2 scheme with the API's scope. Each deployed Function App serves its part at GET /api/openapi.json
(signed in), as does atakora dev. --out writes the file instead and prints its path. --environment <name>
gives that environment's document (its hosts and API scope), as plan and deploy would name them.
Exit codes: 0 written, 1 plan errors (or an entry that fails to load), 2 usage errors.`,
};
