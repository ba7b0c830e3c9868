import type { ConsistencyLevel } from './requirements.js';

/**
 * Backend configuration; every field is optional. The seeds' shapes, validated by `backendConfigSchema`
 * (exported for config-driven setups that load it from JSON).
 *
 * @example
 * ```ts
 * const config: BackendConfig = { environment: 'prod', location: 'eastus', monitoring: true, tags: { team: 'x' } };
 * ```
 */
export interface BackendConfig {
  /** The `{app}` part of every resource name. Default `'backend'`. */
  readonly backendId?: string;
  /** Default `'dev'`. */
  readonly environment?: string;
  /** Azure region. Default `'eastus'`. */
  readonly location?: string;
  /**
   * Log Analytics + Application Insights for the backend's Function Apps. Default off; `true` turns it on
   * with the defaults of {@link MonitoringConfig}, an object turns it on unless it says `enabled: false`.
   */
  readonly monitoring?: boolean | MonitoringConfig;
  /**
   * Default `'public'`. `'isolated'` (or `{ mode: 'isolated', … }`) adds a VNet with private endpoints:
   * see {@link NetworkingConfig}.
   */
  readonly networking?: 'public' | 'isolated' | NetworkingConfig;
  /** Tags put on the resources apply creates. */
  readonly tags?: Readonly<Record<string, string>>;
  /** Overrides the built-in naming rules; the result is still checked against Azure's rules per type. */
  readonly naming?: NamingConvention;
  /**
   * Your own ceilings, checked by the planner on top of Azure's: an excess is a `limitViolations` entry in the
   * plan and makes `apply` throw a {@link ResourceLimitError}. No limits by default.
   */
  readonly limits?: ResourceLimits;
  /** Custom providers, added to the built-ins. */
  readonly providers?: readonly unknown[];
  /** Default true. `false` is refused with a warning: HTTPS is always enforced. */
  readonly enforceHttps?: boolean;
  /** Default true. */
  readonly useManagedIdentity?: boolean;
  /** Cosmos DB autoscale for the shared account; when enabled the account is provisioned, not serverless. */
  readonly autoScale?: AutoScaleConfig;
  /** Account-level settings of the default (shared) Cosmos DB account: regions, failover, an existing account. */
  readonly cosmosConfig?: CosmosAccountConfig;
  /**
   * App Service authentication (Microsoft Entra ID) on every HTTP route but `api/health`. On by default, with
   * the app registrations created by the stack (the API's, and a single-page-app one per static site): see
   * docs/sign-in.md. `{ clientId }` uses an existing registration instead; `{ appRegistration: false }` creates
   * none and needs a `clientId` (else plan error `AUTH_CLIENT_ID_MISSING`: azurerm refuses
   * authentication without a provider). `'none'`
   * turns authentication off explicitly (plan warning `AUTH_DISABLED`). See {@link AuthConfig}.
   */
  readonly auth?: 'none' | AuthConfig;
  /** Where a `/tenantId`-partitioned entity's tenant comes from. See {@link TenancyConfig}. */
  readonly tenancy?: TenancyConfig;
  /**
   * Browser origins allowed to call the API, added to the backend's own static sites. `'*'` only when
   * written here (plan warning `CORS_WILDCARD`).
   */
  readonly corsOrigins?: readonly string[];
  /**
   * Terraform's `prevent_destroy` on every resource that holds data: Cosmos DB accounts, databases and
   * containers, storage accounts, Key Vaults, Service Bus namespaces. A `terraform plan` that would destroy or
   * replace one of them (a rename, a removed component, `terraform destroy`) stops with an error instead.
   * Default true; set `false` for an environment you mean to tear down, apply, then destroy.
   */
  readonly preventDestroy?: boolean;
  /**
   * The backend's one Azure Web PubSub, used when a CrudApi says `realtime: true`: its tier and units. Default
   * `Standard_S1` × 1 in the `prod` environment, `Free_F1` elsewhere. See {@link RealtimeConfig} and
   * docs/realtime.md.
   */
  readonly realtime?: RealtimeConfig;
  /**
   * How Azure backs up the backend's Cosmos DB accounts: `continuous7Days` (point-in-time restore over 7 days, no
   * backup storage charge), `continuous30Days` (30 days, backup storage billed per GB-month) or `periodic` (Azure's
   * default: a copy every 4 hours, two kept). Default `continuous7Days` in the `prod` environment, `periodic`
   * elsewhere. Going from periodic to continuous is one-way. See {@link BackupConfig} and docs/tenants.md.
   */
  readonly backup?: BackupConfig;
  /**
   * The tenant registry's plans (with `auth.allowedTenants: 'registry'`): what each customer may use, and how
   * directories register. See {@link TenantsConfig} and docs/tenants.md.
   */
  readonly tenants?: TenantsConfig;
  /**
   * An MCP server at `api/mcp` for agents (Model Context Protocol, Streamable HTTP): each caller gets tools for the
   * CrudApis it may use, under its own access rules, tenant, limits and ledger. Default off; `true` serves reads
   * only; `{ writes: true }` adds create/update/delete tools where a CrudApi says `mcp: 'readwrite'`. See
   * {@link McpConfig} and docs/mcp.md.
   */
  readonly mcp?: boolean | McpConfig;
}

/**
 * The backend's MCP server (`BackendConfig.mcp`). Writes are off unless both the backend (`writes: true`) and the
 * CrudApi (`mcp: 'readwrite'`) say so: an agent that reads data it was given can be steered by it, and a write
 * tool is what such an agent would misuse (docs/mcp.md, "Security").
 *
 * @example
 * ```ts
 * import { defineBackend } from '@atakora/component/backend';
 * import { CrudApi } from '@atakora/component/crud';
 * const notes = CrudApi.define('NoteApi', { entityName: 'Note', schema: { id: 'string' }, mcp: 'readwrite' });
 * const backend = defineBackend({ notes }, { mcp: { writes: true } });
 * ```
 */
export interface McpConfig {
  /** Default false: list, get and count tools only. */
  readonly writes?: boolean;
  /**
   * The backend as its own OAuth 2.1 authorization server for the MCP door (docs/mcp.md, "Agents that sign in to an
   * organization"): hosted agents (Claude, ChatGPT, VS Code) identify themselves with a Client ID Metadata Document,
   * the person consents on the backend's page behind their existing sign-in and picks the organization, and the
   * agent gets the backend's own ES256 access tokens. `true` takes every default. See
   * {@link McpAuthorizationConfig}.
   */
  readonly authorization?: boolean | McpAuthorizationConfig;
}

/**
 * The MCP door's authorization server (`McpConfig.authorization`). Out-of-bounds values are `CONFIG_INVALID`
 * naming the key.
 *
 * @example
 * ```ts
 * import { defineBackend } from '@atakora/component/backend';
 * import { CrudApi } from '@atakora/component/crud';
 * const notes = CrudApi.define('NoteApi', { entityName: 'Note', schema: { id: 'string' } });
 * const backend = defineBackend({ notes }, { mcp: { authorization: { accessTokenMinutes: 5 } } });
 * ```
 */
export interface McpAuthorizationConfig {
  /** RFC 7591 dynamic client registration at `POST api/oauth/register`. Default false (Client ID Metadata Documents). */
  readonly registration?: boolean;
  /** Lifetime of an access token, 1 to 60 minutes. Default 10. */
  readonly accessTokenMinutes?: number;
  /** Lifetime of a refresh token (rotated on every use), 1 to 365 days. Default 30. */
  readonly refreshTokenDays?: number;
  /** Grants a person may hold in one organization, 1 to 1000. Default 20. */
  readonly grantsPerPerson?: number;
}

/**
 * `McpConfig.authorization` after defaults (docs/mcp.md).
 *
 * @example
 * ```ts
 * import { normalizeConfig } from '@atakora/component/backend';
 * normalizeConfig({ mcp: { authorization: true } }).mcp?.authorization?.accessTokenMinutes; // 10
 * ```
 */
export interface NormalizedMcpAuthorization {
  readonly registration: boolean;
  readonly accessTokenMinutes: number;
  readonly refreshTokenDays: number;
  readonly grantsPerPerson: number;
}

/**
 * A Cosmos DB backup mode (`BackendConfig.backup.mode`), as azurerm's `backup` block: `continuous7Days` and
 * `continuous30Days` are `type = "Continuous"` with that tier, `periodic` is `type = "Periodic"` with Azure's
 * defaults (every 240 minutes, 8 hours kept, geo-redundant).
 *
 * @example
 * ```ts
 * const mode: BackupMode = 'continuous30Days';
 * ```
 */
export type BackupMode = 'continuous7Days' | 'continuous30Days' | 'periodic';

/**
 * The backend's Cosmos DB backup (`BackendConfig.backup`): applies to every account the backend creates (an
 * existing account's backup belongs to the deployment that owns it).
 *
 * @example
 * ```ts
 * const notes = CrudApi.define('NoteApi', { entityName: 'Note', schema: { id: 'string' } });
 * const backend = defineBackend({ notes }, { environment: 'prod', backup: { mode: 'continuous30Days' } });
 * ```
 */
export interface BackupConfig {
  /** Default `'continuous7Days'` in `prod`, `'periodic'` elsewhere. */
  readonly mode?: BackupMode;
}

/**
 * One plan of the tenant registry (`TenantsConfig.plans`): the bounds a tenant on it gets. Every bound is
 * optional (absent: unbounded).
 *
 * @example
 * ```ts
 * const free: TenantPlan = { requestsPerMinute: 600, requestUnitsPerDay: 1_000_000, storageMb: 500 };
 * ```
 */
export interface TenantPlan {
  /** Requests a minute, all of the tenant's callers together. */
  readonly requestsPerMinute?: number;
  /** Cosmos DB request units a UTC day. */
  readonly requestUnitsPerDay?: number;
  /** Stored megabytes, items and files. */
  readonly storageMb?: number;
  /** Live realtime connections at once. */
  readonly realtimeConnections?: number;
  /**
   * How many days an organization's audit log entries are kept (tenants by membership; each entry's own Cosmos DB
   * `ttl`, so an entry keeps the retention of the plan it was written under). Default 90.
   */
  readonly auditRetentionDays?: number;
  /**
   * The plan's fixed monthly fee in USD (what a subscription to it costs), shown by `atakora usage --month` beside
   * each tenant's metered cost; the runtime never reads it. Default: none.
   */
  readonly monthlyFeeUsd?: number;
  /**
   * The Stripe price a subscription to this plan is on (`price_…`): `POST api/tenant/billing/checkout { plan }`
   * subscribes to it (with `tenants.billing.stripe.webhookSecret`), a subscription on it puts the organization on this
   * plan, and `atakora usage --month` reads the plan's price from it with the key (docs/billing.md).
   */
  readonly stripe?: {
    readonly price: string;
    /**
     * The price is per seat: the subscription's quantity is the organization's members, kept equal on every join
     * and removal through its subscription item (Stripe's default proration), and Checkout opens with the current
     * count (docs/packaging.md, "Per-seat prices and trials").
     */
    readonly perSeat?: true;
    /** Days of trial Checkout gives a new subscription (`subscription_data.trial_period_days`); `trialing` is on the plan. */
    readonly trialDays?: number;
  };
  /**
   * Seats: how many members an organization on this plan may have, counted over every door that admits a person
   * (an invitation accepted, a domain join, a join request approved, a directory's first request, a SCIM user) —
   * past it 402 `seat-limit`, never passed by concurrent admissions (docs/packaging.md, "Seats").
   */
  readonly members?: number;
  /**
   * Items per organization of a tenant-scoped CrudApi (by its component id): a create past it is 402 `item-limit`,
   * reserved per create so concurrent creates never pass it; a delete gives the room back (docs/packaging.md, "Items").
   */
  readonly items?: { readonly [crudApi: string]: number };
  /**
   * The features this plan includes: the built-in 'domains' | 'directory' | 'scim' | 'audit' | 'search' | 'mcp' |
   * 'realtime' | 'exports' | 'api-keys' | 'webhooks' gate their doors, any other name is the application's (docs/packaging.md). When no plan
   * declares features every plan has all of them; once one does, a plan without features has none.
   */
  readonly features?: readonly string[];
}

/**
 * Which usage the billing export sends to Stripe, each as the `event_name` of a Stripe Billing Meter: every closed
 * UTC hour of the ledger, per tenant with a customer, one meter event per declared meter (docs/billing.md).
 *
 * @example
 * ```ts
 * const meters: StripeMeters = { requests: 'api_requests', storedGbHours: 'stored_gb_hours' };
 * ```
 */
export interface StripeMeters {
  /** Requests answered in the hour (refused ones included, as the ledger counts them). */
  readonly requests?: string;
  /** Cosmos DB request units of the hour, in whole RU (the month's fraction carried to its next hour). */
  readonly requestUnits?: string;
  /** Stored gigabytes (GiB, items and files) held through the hour, in whole GB-hours (fraction carried). */
  readonly storedGbHours?: string;
  /** Realtime messages sent to the tenant's users in the hour. */
  readonly realtimeMessages?: string;
}

/**
 * The tenants' usage sent to Stripe (`TenantsConfig.billing`): the secret holding the Stripe key (a Key Vault secret
 * in Azure, an environment variable under `atakora dev`) and the meters to send.
 *
 * @example
 * ```ts
 * const billing: BillingConfig = { stripe: { secret: 'STRIPE_KEY', meters: { requests: 'api_requests' } } };
 * ```
 */
export interface BillingConfig {
  /** Stripe: the usage export's meters and, with `webhookSecret`, subscriptions. Optional beside `marketplace`. */
  readonly stripe?: {
    /** The secret's name (`^[A-Z][A-Z0-9_]*$`): set it with `atakora secret set <entry> STRIPE_KEY`. */
    readonly secret: string;
    readonly meters: StripeMeters;
    /**
     * The secret holding the webhook endpoint's signing secret (`whsec_…`) that `POST api/billing/stripe` verifies
     * events with, e.g. `'STRIPE_WEBHOOK_SECRET'` (a Key Vault secret in Azure, as `secret`). Needs at least one
     * plan with `stripe.price`.
     */
    readonly webhookSecret?: string;
  };
  /**
   * What an unpaid or canceled subscription does to its organization: `'default-plan'` (default) moves it to
   * `tenants.defaultPlan`, `'suspend'` suspends it.
   */
  readonly onCanceled?: 'default-plan' | 'suspend';
  /**
   * Where Checkout and the Customer Portal send the customer back: an absolute `https://` URL (or `http://` on a
   * loopback host) of the app's billing page; Checkout adds `?billing=success` or `?billing=canceled`. Default: the
   * site invitation links open (`tenants.acceptUrl`, else the backend's StaticSite). Never the request's `Origin` or
   * `Referer` (docs/billing.md, "Return URLs").
   */
  readonly returnUrl?: string;
  /**
   * Sold on Azure Marketplace beside Stripe (DESIGN §2): the SaaS offer, its fulfillment app and the plans and meters
   * it maps (docs/billing.md, "Azure Marketplace").
   */
  readonly marketplace?: MarketplaceConfig;
}

/**
 * A SaaS offer in Azure Marketplace (`tenants.billing.marketplace`): the offer, the publisher's Entra tenant and the
 * fulfillment app (a single-tenant app registration of that tenant, the one named in Partner Center's Technical
 * configuration) whose client secret is a Key Vault secret, our plans mapped to the offer's plans, and the usage the
 * Metering Service bills per dimension above each plan's included quantity.
 *
 * @example
 * ```ts
 * const marketplace: MarketplaceConfig = {
 *   offer: 'contoso-notes', publisherTenantId: '72f988bf-86f1-41af-91ab-2d7cd011db47',
 *   clientId: '11111111-2222-3333-4444-555555555555', secret: 'MARKETPLACE_SECRET',
 *   plans: { pro: 'pro-monthly' }, dimensions: { requests: 'api_calls' }, included: { pro: { requests: 100_000 } },
 * };
 * ```
 */
export interface MarketplaceConfig {
  /** The offer id of Partner Center (lower-case letters, digits, `-` and `_`). */
  readonly offer: string;
  /** The publisher's Microsoft Entra tenant (a GUID): it signs the webhook's tokens and issues ours. */
  readonly publisherTenantId: string;
  /** The fulfillment app's client id (a GUID), as Partner Center's Technical configuration names it. */
  readonly clientId: string;
  /** The secret holding the fulfillment app's client secret (`^[A-Z][A-Z0-9_]*$`), e.g. `'MARKETPLACE_SECRET'`. */
  readonly secret: string;
  /** Our plan → the Marketplace plan id that buys it. */
  readonly plans: Readonly<Record<string, string>>;
  /** Our meters → the offer's custom dimension ids (the Metering Service's `dimension`). */
  readonly dimensions?: StripeMeters;
  /** Per our plan, the quantity of each meter its base fee includes per billing term: only usage above it is sent. */
  readonly included?: Readonly<Record<string, MarketplaceIncluded>>;
}

/**
 * What a plan's base fee includes per billing term, per meter (whole units as the meters count them).
 *
 * @example
 * ```ts
 * const included: MarketplaceIncluded = { requests: 100_000, storedGbHours: 720 };
 * ```
 */
export interface MarketplaceIncluded {
  readonly requests?: number;
  readonly requestUnits?: number;
  readonly storedGbHours?: number;
  readonly realtimeMessages?: number;
}

/**
 * The tenant registry (`BackendConfig.tenants`), used with `auth: { signInAudience: 'AzureADMultipleOrgs',
 * allowedTenants: 'registry' }`: the admitted directories live in the backend's `tenants` container instead of the
 * config, each on one of these plans.
 *
 * @example
 * ```ts
 * const notes = CrudApi.define('NoteApi', { entityName: 'Note', schema: { id: 'string' } });
 * const backend = defineBackend(
 *   { notes },
 *   {
 *     auth: { signInAudience: 'AzureADMultipleOrgs', allowedTenants: 'registry' },
 *     tenants: { plans: { free: { storageMb: 100 }, pro: { storageMb: 10_000 } }, defaultPlan: 'free' },
 *   },
 * );
 * ```
 */
export interface TenantsConfig {
  /**
   * What a tenant is: `'directory'` (default) — a Microsoft Entra directory, the token's `tid`; `'membership'` — an
   * organization users join (DESIGN, "Tenants by membership"): the registry's records are organizations, each
   * user's memberships (with their roles) live in the shared `members` container, and the request names its
   * organization in `X-Atakora-Tenant`.
   */
  readonly by?: 'directory' | 'membership';
  /**
   * With `by: 'membership'`: the roles a membership may hold besides `Owner` (default `['Admin', 'Member']`);
   * `{ allow: 'role', role }` access rules read them from the membership, never from the token.
   */
  readonly roles?: readonly string[];
  /**
   * With `by: 'membership'`: who may create an organization through `POST api/tenants` — `'operator'` (default:
   * the home directory's `TenantAdmin` app role, or `atakora tenant add`) or `'any-user'` (every signed-in user,
   * who becomes its `Owner`).
   */
  readonly createTenants?: 'any-user' | 'operator';
  /**
   * With `by: 'membership'`: how many organizations one user may own (an integer from 1 to 10,000; default 10).
   * `POST api/tenants` by a user who owns that many answers 409 `organization-limit`; the operator's
   * `TenantAdmin` and `atakora tenant add` are not bound.
   */
  readonly maxOrganizationsPerUser?: number;
  /**
   * With `by: 'membership'`: how many days an organization its Owner deleted (`DELETE api/tenant`) stays suspended
   * and restorable (`POST api/tenant/undelete`) before it may be erased — an integer from 1 to 365; default 30.
   */
  readonly deleteAfterDays?: number;
  /**
   * With `by: 'membership'`: the page an invitation's link opens, as an absolute `https://` URL (or `http://` on a
   * loopback host), `?invitation=<token>` added to it. Default: the backend's StaticSite (`tenants.site` naming one
   * when there are several). Never the Function App's root; a request's `Origin` only when it is one of the app's
   * sites (docs/tenants.md, "The landing page").
   */
  readonly acceptUrl?: string;
  /** With `by: 'membership'`: which StaticSite (its key in the backend) invitation links open, when there are several. */
  readonly site?: string;
  /** The plans by name (letters, digits, `-`, `_`). */
  readonly plans: Readonly<Record<string, TenantPlan>>;
  /** The plan a newly registered tenant gets: one of {@link TenantsConfig.plans}. */
  readonly defaultPlan: string;
  /** `'invite'` (default): only registered directories; `'open'`: a directory's first request registers it. */
  readonly signUp?: 'invite' | 'open';
  /**
   * Bounds on each caller, whatever the tenant's plan. `realtimeConnections` (a user's live sockets) is 10 when not
   * set (`DEFAULT_USER_REALTIME_CONNECTIONS`): one token never opens sockets without end; `requestsPerMinute` has
   * no default.
   */
  readonly perUser?: { readonly requestsPerMinute?: number; readonly realtimeConnections?: number };
  /** Each tenant's usage to Stripe meter events, hour by hour (docs/billing.md). */
  readonly billing?: BillingConfig;
  /**
   * With `by: 'membership'`: invitations are e-mailed through Azure Communication Services Email (planned: the
   * Email Communication Service, its domain, a Communication Service linked to it, the app's identity allowed to
   * send; docs/tenants.md, "Inviting people end to end").
   */
  readonly email?: EmailConfig;
  /**
   * With `by: 'membership'` and a plan with `scim`: serve SCIM from a second Function App without App Service
   * authentication (`scim:shared`, its own Tenant URL) instead of the shared app's excluded paths. Default `false`:
   * one Function App, and `atakora deploy` probes whether SCIM reaches the runtime there (warning
   * `SCIM_BEHIND_APP_SERVICE_AUTH` when it does not). Costs one more Function App — on Elastic Premium or Dedicated
   * a second instance all month (docs/enterprise.md, "The SCIM app"). `true` without membership or without a plan
   * with `scim` is the config error `TENANTS_SCIM_APP_INVALID`.
   *
   * @example
   * ```ts
   * tenants: { by: 'membership', plans: { team: { features: ['scim'] } }, defaultPlan: 'team', scimApp: true }
   * ```
   */
  readonly scimApp?: boolean;
  /**
   * With `by: 'membership'`: organization API keys (docs/integrations.md) — `perOrganization` how many one
   * organization holds (default 20, at most 100), `roles` the roles a key may act with (default every role of
   * `roles`, never `Owner`), `maxDays` the longest life of a key (default: keys may never expire). Keys are served on
   * plans with the built-in feature `'api-keys'`. A bad value is the config error `TENANTS_API_KEYS_INVALID`.
   *
   * @example
   * ```ts
   * tenants: { by: 'membership', plans: { team: { features: ['api-keys'] } }, defaultPlan: 'team', apiKeys: { maxDays: 365 } }
   * ```
   */
  readonly apiKeys?: ApiKeysConfig;
}

/**
 * Organization API keys' bounds (`TenantsConfig.apiKeys`).
 *
 * @example
 * ```ts
 * const keys: ApiKeysConfig = { perOrganization: 10, roles: ['Member'], maxDays: 90 };
 * ```
 */
export interface ApiKeysConfig {
  /** How many keys one organization may hold (an integer from 1 to 100; default 20). */
  readonly perOrganization?: number;
  /** The roles a key may act with (declared roles, never `Owner`; default all of them). */
  readonly roles?: readonly string[];
  /** The longest life of a key, in days (an integer from 1 to 3650; default: no bound). */
  readonly maxDays?: number;
}

/**
 * `tenants.apiKeys` after its checks (defaults left to the runtime).
 *
 * @example
 * ```ts
 * const keys: NormalizedApiKeys = { maxDays: 90 };
 * ```
 */
export type NormalizedApiKeys = ApiKeysConfig;

/**
 * How invitations are e-mailed (`TenantsConfig.email`).
 *
 * @example
 * ```ts
 * const email: EmailConfig = { domain: 'mail.contoso.com', from: 'invitations', senderName: 'Contoso Teams' };
 * ```
 */
export interface EmailConfig {
  /** `'azure-managed'` (default: Azure gives a `…azurecomm.net` domain) or a domain you own (DNS records to add). */
  readonly domain?: string;
  /** The sender's local part (default `'DoNotReply'`, which every domain has). */
  readonly from?: string;
  /** The sender's display name (a `from` of its own only). */
  readonly senderName?: string;
  /** Invitation e-mails (sends and resends) one organization may send a UTC day (default 50). */
  readonly invitationsPerDay?: number;
}

/**
 * `tenants.email` after defaults.
 *
 * @example
 * ```ts
 * const email: NormalizedEmail = { domain: 'azure-managed', from: 'DoNotReply', invitationsPerDay: 50 };
 * ```
 */
export interface NormalizedEmail {
  readonly domain: string;
  readonly from: string;
  readonly senderName?: string;
  readonly invitationsPerDay: number;
}

/**
 * `tenants.by: 'membership'` after defaults: the declared membership roles (besides `Owner`) and who may create
 * an organization.
 *
 * @example
 * ```ts
 * const m: NormalizedMembership = { roles: ['Admin', 'Member'], createTenants: 'operator' };
 * ```
 */
export interface NormalizedMembership {
  readonly roles: readonly string[];
  readonly createTenants: 'any-user' | 'operator';
  /** As given (the runtime's default, 10, when absent). */
  readonly maxOrganizationsPerUser?: number;
  /** As given (the runtime's default, 30, when absent). */
  readonly deleteAfterDays?: number;
  /** With `tenants.email`. */
  readonly email?: NormalizedEmail;
  /** `tenants.acceptUrl` as given (else the site's URL, known at deploy). */
  readonly acceptUrl?: string;
  /** `tenants.site` as given. */
  readonly site?: string;
  /** `tenants.apiKeys` as checked. */
  readonly apiKeys?: NormalizedApiKeys;
}

/**
 * A Web PubSub tier (azurerm `sku`): `Free_F1` (1 unit: 20 concurrent connections, 20,000 messages a day, no
 * private endpoint, no SLA), `Standard_S1` (1,000 connections and 1,000,000 included messages a day per unit),
 * `Premium_P1` (Standard's limits plus availability zones and autoscale).
 *
 * @example
 * ```ts
 * const sku: RealtimeSku = 'Standard_S1';
 * ```
 */
export type RealtimeSku = 'Free_F1' | 'Standard_S1' | 'Premium_P1';

/**
 * The unit counts a Web PubSub takes on Free, Standard and Premium_P1 (azurerm v4.55.0
 * `internal/services/signalr/web_pubsub_resource.go`, `capacity`'s IntInSlice up to 100; Learn, "How to scale an
 * Azure Web PubSub Service instance": 1-10, 20, 30 … 100 units; 200 … 1000 need Premium_P2).
 */
export const REALTIME_UNITS: readonly number[] = [
  1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 20, 30, 40, 50, 60, 70, 80, 90, 100,
];

/**
 * The backend's Azure Web PubSub (`BackendConfig.realtime`): one per backend, shared by every CrudApi that says
 * `realtime: true`. `units` is the capacity (each Standard or Premium unit holds 1,000 concurrent connections):
 * 1-10, then 20, 30 … 100 (azurerm v4.55.0 `web_pubsub_resource.go`, `capacity`); Free has exactly 1.
 *
 * @example
 * ```ts
 * import { defineBackend } from '@atakora/component/backend';
 * import { CrudApi } from '@atakora/component/crud';
 * const notes = CrudApi.define('NoteApi', { entityName: 'Note', schema: { id: 'string' }, realtime: true });
 * const backend = defineBackend({ notes }, { environment: 'prod', realtime: { sku: 'Standard_S1', units: 2 } });
 * ```
 */
export interface RealtimeConfig {
  /** Default `'Standard_S1'` in `prod`, `'Free_F1'` elsewhere. */
  readonly sku?: RealtimeSku;
  /** Default 1. */
  readonly units?: number;
}

/**
 * Microsoft Entra ID authentication of the API (`BackendConfig.auth`): App Service authentication checks
 * the bearer token before the request reaches the app, and passes the caller on as `x-ms-client-principal`.
 *
 * @example
 * ```ts
 * const auth: AuthConfig = { clientId: '11111111-2222-3333-4444-555555555555', audiences: ['api://orders'] };
 * const backend = defineBackend({ userApi: users }, { auth });
 * ```
 */
export interface AuthConfig {
  /**
   * Application (client) id of an existing app registration for the API. Given, the stack creates no
   * registration (neither the API's nor the sites'). Default: the stack creates them (azuread provider).
   *
   * Another backend's `components.<api>.auth.clientId` (the registration that backend creates) shares that one
   * registration: add both backends to one stack, the creating one first. Backends behind one Front Door must
   * do this: a token is issued for one registration, and an app validating another answers 401.
   */
  readonly clientId?: string;
  /**
   * Default true: without a `clientId`, create the API's app registration (identifier URI `api://<client id>`,
   * the delegated scope {@link AuthConfig.scope}, its service principal) and a single-page-app registration per
   * static site of the backend. `false` creates none: give a `clientId` with it (without one, plan error
   * `AUTH_CLIENT_ID_MISSING`: azurerm refuses App Service authentication without an identity provider).
   */
  readonly appRegistration?: boolean;
  /** Name of the API's delegated scope (what a site asks a token for). Default `'user_impersonation'`. */
  readonly scope?: string;
  /**
   * Origins of your site's local dev server: redirect URIs of the single-page-app registrations the stack
   * creates, and the origins `atakora dev` answers CORS for. `http://` only for localhost (Entra's rule for
   * redirect URIs). Default `['http://localhost:5173']` (Vite's dev server).
   */
  readonly devOrigins?: readonly string[];
  /** Entra tenant that issues the tokens. Default: the tenant Terraform deploys with. */
  readonly tenantId?: string;
  /** Accepted token audiences. Default `api://<clientId>` (the client id itself is always accepted). */
  readonly audiences?: readonly string[];
  /**
   * Who may sign in. `'AzureADMyOrg'` (default): work accounts of the deploying directory only — every caller
   * then carries that directory's `tid`. `'AzureADMultipleOrgs'`: work accounts of any directory (a SaaS
   * backend); the registrations the stack creates are multi-tenant, App Service authentication accepts
   * tokens of every directory, and the runtime admits only {@link AuthConfig.allowedTenants}. See
   * docs/sign-in.md#multi-tenant. `'customers'`: consumers of a Microsoft Entra External ID tenant
   * ({@link AuthConfig.externalTenant}), signing up with their email or a social account; needs `tenants: { by:
   * 'membership' }` (plan error AUTH_CUSTOMERS_NEED_MEMBERSHIP: every customer carries the same `tid`). See
   * docs/sign-in.md#customers.
   */
  readonly signInAudience?: 'AzureADMyOrg' | 'AzureADMultipleOrgs' | 'customers';
  /**
   * With `signInAudience: 'customers'`: the Microsoft Entra External ID tenant your customers sign up in (created
   * once in the Entra admin center: docs/sign-in.md#customers) — its tenant id and its subdomain, the part before
   * `.ciamlogin.com` (and `.onmicrosoft.com`). The API and site registrations are created there, and App Service
   * authentication validates tokens of `https://<subdomain>.ciamlogin.com/<id>/v2.0`.
   */
  readonly externalTenant?: ExternalTenantConfig;
  /**
   * With `signInAudience: 'customers'`: how customers sign up and in with their email — `'one-time-code'`
   * (default: a code mailed at each sign-in, no password kept) or `'password'` (the address is verified by a
   * code at sign-up). Applied by `atakora auth setup` to the user flow.
   */
  readonly emailSignIn?: 'one-time-code' | 'password';
  /**
   * With `signInAudience: 'customers'`: social accounts customers may sign in with besides their email. Each is
   * `'google'` / `'facebook'` (the client id then comes from the `GOOGLE_CLIENT_ID` / `FACEBOOK_APP_ID`
   * environment variable when `atakora auth setup` runs, else from a vault secret of that name) or `{ type, clientId }`; the secret always comes from
   * the environment's Key Vault (`GOOGLE_CLIENT_SECRET`, `FACEBOOK_APP_SECRET`: `atakora secret set`).
   */
  readonly identityProviders?: readonly CustomerIdentityProvider[];
  /**
   * The directories (tenant ids, GUIDs) whose users the runtime admits, or `'any'`: required with
   * `signInAudience: 'AzureADMultipleOrgs'` (a choice, never a default: an open SaaS API is written down). A
   * caller of another directory gets 403 `tenant-not-allowed`. With a single-tenant registration it may only
   * narrow further.
   */
  readonly allowedTenants?: readonly string[] | 'any' | 'registry';
}

/**
 * The Microsoft Entra External ID tenant of a customer sign-in (`AuthConfig.externalTenant`).
 *
 * @example
 * ```ts
 * const externalTenant: ExternalTenantConfig = { id: '6f1c2b3a-0000-4000-8000-00000000c1a0', subdomain: 'contosoid' };
 * ```
 */
export interface ExternalTenantConfig {
  /** The external tenant's id (Entra admin center → Overview → Tenant ID), a GUID. */
  readonly id: string;
  /**
   * Its domain name without `.onmicrosoft.com` (letters and digits): the sign-in host is
   * `https://<subdomain>.ciamlogin.com`.
   */
  readonly subdomain: string;
}

/**
 * A social identity provider of a customer sign-in: its name (the client id is read when `atakora auth setup`
 * runs) or its name with the client id (Google's OAuth client id, Facebook's app id). Never the secret.
 *
 * @example
 * ```ts
 * const providers: CustomerIdentityProvider[] = ['facebook', { type: 'google', clientId: '1234-abc.apps.googleusercontent.com' }];
 * ```
 */
export type CustomerIdentityProvider =
  | 'google'
  | 'facebook'
  | { readonly type: 'google' | 'facebook'; readonly clientId: string };

/**
 * A customer sign-in after defaults (`NormalizedConfig['auth'].customers`).
 *
 * @example
 * ```ts
 * const c: NormalizedCustomers = {
 *   tenantId: '6f1c2b3a-0000-4000-8000-00000000c1a0',
 *   subdomain: 'contosoid',
 *   emailSignIn: 'one-time-code',
 *   identityProviders: [{ type: 'google' }],
 * };
 * ```
 */
export interface NormalizedCustomers {
  /** The external tenant's id, lower case. */
  readonly tenantId: string;
  /** Its subdomain, lower case. */
  readonly subdomain: string;
  readonly emailSignIn: 'one-time-code' | 'password';
  /** Google first, then Facebook; each at most once. */
  readonly identityProviders: readonly {
    readonly type: 'google' | 'facebook';
    readonly clientId?: string;
  }[];
}

/**
 * The caller's tenant, which every CrudApi not declared `tenancy: 'shared'` is confined to (`BackendConfig.tenancy`):
 * by default the `tid` claim of the authenticated caller; the `x-tenant-id` header counts only when
 * `trustGatewayHeader` says that an upstream gateway (APIM, Front Door rules) sets it and clients cannot.
 *
 * @example
 * ```ts
 * const tenancy: TenancyConfig = { claim: 'extension_tenant' };
 * ```
 */
export interface TenancyConfig {
  /** Claim of the authenticated principal naming the tenant. Default `'tid'`. */
  readonly claim?: string;
  /** Honour `x-tenant-id` (set by a trusted gateway) before the claim. Default false. */
  readonly trustGatewayHeader?: boolean;
}

/**
 * Monitoring as an object (`BackendConfig.monitoring`): one Log Analytics workspace and one Application
 * Insights per backend (`monitoring:shared`), connected to every Function App, plus two metric alerts per app.
 * An object means "on" unless `enabled: false`, so tuning a setting never silently leaves monitoring off.
 *
 * @example
 * ```ts
 * import { defineBackend } from '@atakora/component/backend';
 * const monitoring: MonitoringConfig = {
 *   retentionDays: 90,
 *   samplingPercentage: 20,
 *   alerting: { errorThreshold: 10, latencyThreshold: 2000 },
 * };
 * const backend = defineBackend({ userApi: users }, { environment: 'prod', monitoring });
 * ```
 */
export interface MonitoringConfig {
  /** Default true for an object (`monitoring: true` is the same as `{ enabled: true }`). */
  readonly enabled?: boolean;
  /**
   * Days Application Insights and its Log Analytics workspace keep data: 30, 60, 90, 120, 180, 270, 365, 550 or 730
   * (the values Application Insights accepts; another is MONITORING_RETENTION_INVALID). Default 30.
   */
  readonly retentionDays?: number;
  /**
   * Share of traces kept, 0–100: the runtime's spans (decided per trace) and the component's ingestion sampling of
   * the host's own telemetry. Default 25 in the `prod` environment, 100 elsewhere (docs/observability.md).
   */
  readonly samplingPercentage?: number;
  /**
   * Per Function App: an alert when HTTP 5xx responses exceed `errorThreshold` (default 5) in 5 minutes,
   * and one when the average response time exceeds `latencyThreshold` milliseconds (default 1000) over 5 minutes.
   * On by default (`enabled: true`) whenever monitoring is.
   */
  readonly alerting?: {
    readonly enabled?: boolean;
    readonly errorThreshold?: number;
    readonly latencyThreshold?: number;
    /** Who the alerts notify: an action group with these email receivers (none: the alerts fire in the portal only). */
    readonly emails?: readonly string[];
  };
  /**
   * Log Analytics workspace name, used as written (4–63 characters, checked against Azure's rule; an invalid
   * one is a `NAME_INVALID` plan error). Default: from the naming rules.
   */
  readonly workspaceName?: string;
}

/**
 * Networking as an object (`BackendConfig.networking`); `'public'` and `'isolated'` are short for `{ mode }`.
 * Isolated mode plans one `network:shared` resource: a VNet (created, or the existing `vnetName`), a subnet
 * per Function App plan for outbound VNet integration — delegated to `Microsoft.App/environments` for Flex
 * Consumption (the default), `Microsoft.Web/serverFarms` for Elastic Premium / Dedicated — and private
 * endpoints with private DNS zones for the data services, so they need not be reachable from the internet.
 * The code package goes to a deployment storage account of its own that the deployer can reach from outside
 * the VNet (see `deployerAddresses` and docs/deploying.md, "Isolated backends").
 * Isolated backends in one stack share the `privatelink.*` private DNS zones (their names are fixed by Azure).
 *
 * @example
 * ```ts
 * const networking: NetworkingConfig = {
 *   mode: 'isolated',
 *   vnetName: 'vnet-shared',
 *   vnetResourceGroupName: 'rg-network',
 *   subnetName: 'snet-functions',
 * };
 * const backend = defineBackend({ userApi: users }, { networking });
 * ```
 */
export interface NetworkingConfig {
  /** `'public'`: no network resources. `'isolated'`: the VNet, subnets and private endpoints described above. */
  readonly mode: 'public' | 'isolated';
  /**
   * Use this existing VNet instead of creating one. Name its resource group in `vnetResourceGroupName`
   * (required for a literal name: the stack's own resource group is created by the stack, so it cannot
   * already hold a VNet). A VNet made in the same stack is passed by reference (`vnet.name`) and looked up in
   * the stack's group. Its address space is not known at plan time, so the subnets the backend adds are /24s
   * carved from the top of its first address space, in the VNet's resource group.
   */
  readonly vnetName?: string;
  /** The resource group of the existing `vnetName`. */
  readonly vnetResourceGroupName?: string;
  /**
   * Integration subnet of the first Function App plan. With `vnetName` it is an existing subnet and must
   * already be delegated (`Microsoft.App/environments` for Flex Consumption, the default; `Microsoft.Web/serverFarms`
   * for Premium/Dedicated); without it, it only names the subnet that is created.
   */
  readonly subnetName?: string;
  /** With `vnetName`: an existing subnet for the private endpoints, used instead of adding one. */
  readonly privateEndpointSubnetName?: string;
  /**
   * Private endpoints (and private DNS zones) for Cosmos DB, Storage (blob, queue, table), Key Vault,
   * Service Bus (Premium only) and the Function Apps. Default true in isolated mode, and isolated mode needs
   * them: it turns public access off on those services, so `false` with `mode: 'isolated'` is a
   * `NETWORK_ENDPOINTS_REQUIRED` plan error (nothing could reach them).
   */
  readonly privateEndpoints?: boolean;
  /** Azure service tags, recorded (sorted) in the planned network config. Default none. */
  readonly serviceTags?: readonly string[];
  /**
   * Public IPv4 addresses or CIDR ranges (up to /30) of the machines that run `terraform apply` for an
   * isolated backend. Terraform writes the code package through the storage data plane, which a private
   * endpoint inside a VNet this stack creates cannot offer to a runner outside it; so the package goes to a
   * deployment storage account of its own (code only, keys off, identity only) whose firewall denies by
   * default and admits these addresses and the apps' integration subnets. Without any, that account accepts
   * every network (still identity only) and the plan warns (`DEPLOYER_ADDRESSES_MISSING`). Default none.
   */
  readonly deployerAddresses?: readonly string[];
  /**
   * Address space of the created VNet. Default `'10.0.0.0/16'`; it must leave room for one subnet of at
   * least /28 per Function App plan plus the endpoint subnet (else a `CONFIG_INVALID` plan error).
   * Unused with `vnetName`.
   */
  readonly addressSpace?: string;
  /**
   * Existing private DNS zones to use instead of creating the stack's own, by zone name → zone resource id
   * (hub-spoke: the hub's `privatelink.*` zones, already linked to the spoke VNet named in `vnetName`). For each
   * zone given, no `azurerm_private_dns_zone` and no VNet link is created, and the private endpoints' zone groups
   * register their records in it. The deployer needs `Private DNS Zone Contributor` on those zones (or a role
   * with `Microsoft.Network/privateDnsZones/join/action`). Only zones the plan's private endpoints use; the id's
   * last segment is its key (else `PRIVATE_DNS_ZONE_ID_INVALID` / `PRIVATE_DNS_ZONE_UNUSED` plan errors). Default none.
   *
   * @example
   * ```ts
   * const networking: NetworkingConfig = {
   *   mode: 'isolated',
   *   vnetName: 'vnet-spoke',
   *   vnetResourceGroupName: 'rg-spoke',
   *   privateDnsZoneIds: {
   *     'privatelink.documents.azure.com':
   *       '/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-dns/providers/Microsoft.Network/privateDnsZones/privatelink.documents.azure.com',
   *   },
   * };
   * ```
   */
  readonly privateDnsZoneIds?: Readonly<Record<string, string>>;
}

/**
 * How shared resources are named. The result is then checked and fitted to Azure's rules for the type.
 *
 * Globally unique names (Cosmos DB, Function Apps, Storage, Key Vault, Service Bus, CDN, custom providers'
 * resources) end in a 6-character token derived from the deployment target, like Bicep's
 * `uniqueString(subscription().id, resourceGroup().id)`: `uniqueSeed` when given, else — at apply — the
 * stack's subscription id (`ResourceGroupStack` `subscriptionId`, or `ARM_SUBSCRIPTION_ID`) and resource
 * group name. Until then `plan()` shows the token as the placeholder `tgtxxx` ({@link NAME_TOKEN_PLACEHOLDER}).
 *
 * @example
 * ```ts
 * const naming: NamingConvention = { formatResourceName: (type, id, suffix) => `${type}-${id}-${suffix ?? 'shared'}` };
 * const pinned: NamingConvention = { uniqueSeed: '00000000-0000-0000-0000-000000000000/rg-myapp-prod' };
 * ```
 */
export interface NamingConvention {
  /** Your own names, used as returned (then checked against Azure's rules). */
  formatResourceName?(resourceType: string, backendId: string, suffix?: string): string;
  /**
   * The deployment target the global-name token derives from, e.g. `'<subscription id>/<resource group>'`.
   * Set it to see the final names in `plan()`; the same seed always gives the same names.
   */
  readonly uniqueSeed?: string;
}

/** How `plan()` shows the global-name token while the deployment target is known only at apply. */
export const NAME_TOKEN_PLACEHOLDER = 'tgtxxx';

/**
 * Ceilings of your own (`BackendConfig.limits`), so a backend that grows past what you budgeted for fails at
 * plan time instead of in Azure. Unset fields fall back to Azure's ceilings where one exists (200 functions per
 * Function App, 500 containers and queues per Storage account, 500 databases and containers per Cosmos DB account,
 * 1,000,000 RU/s per database). Exceeding one
 * is a `limitViolations` entry in the plan; `apply` then throws a {@link ResourceLimitError}.
 *
 * @example
 * ```ts
 * const backend = defineBackend(
 *   { userApi: users, orderApi: orders },
 *   { limits: { maxCosmosAccounts: 1, maxFunctionApps: 1 } },
 * );
 * backend.plan().limitViolations; // [] while everything shares one account and one app
 * ```
 */
export interface ResourceLimits {
  /** Planned Cosmos DB accounts (compatibility groups that cannot share one each add an account). */
  readonly maxCosmosAccounts?: number;
  /** Planned Function Apps. */
  readonly maxFunctionApps?: number;
  /** Planned Storage accounts. */
  readonly maxStorageAccounts?: number;
  /** Functions on one Function App. Azure-side default 200. */
  readonly maxFunctionsPerApp?: number;
  /** Blob containers plus queues in one Storage account. Default 500. */
  readonly maxContainersPerStorage?: number;
  /** Databases plus containers in one Cosmos DB account (lease containers included). Default 500, Azure's. */
  readonly maxContainersPerCosmosAccount?: number;
  /**
   * Provisioned RU/s of one Cosmos database: its own throughput plus its containers' (autoscale maximums
   * are not counted). Default 1,000,000.
   */
  readonly maxThroughputPerDatabase?: number;
}

/**
 * Cosmos DB autoscale for the backend (`BackendConfig.autoScale`). When enabled, the shared Cosmos account is
 * provisioned instead of serverless, and every container that sets no throughput of its own (nor its
 * database) gets an autoscale maximum, so the whole backend scales on one setting.
 *
 * @example
 * ```ts
 * const backend = defineBackend({ userApi: users }, { autoScale: { enabled: true, maxThroughput: 4000 } });
 * // users container: autoscale 400–4,000 RU/s
 * ```
 */
export interface AutoScaleConfig {
  /** Default false: without it the other fields have no effect. */
  readonly enabled?: boolean;
  /**
   * Only checked: Cosmos autoscale always scales from 10% of the maximum, so a value below that is an
   * `AUTOSCALE_RANGE` warning. It does not change what is deployed.
   */
  readonly minThroughput?: number;
  /** Autoscale maximum in RU/s per container, rounded up to a multiple of 1,000 (at least 1,000). Default 4,000. */
  readonly maxThroughput?: number;
  /** Percentage, 1–100. Accepted for the seeds' shape; the planner does not use it. */
  readonly targetUtilization?: number;
}

/**
 * Account-level settings of the default (shared) Cosmos DB account (`BackendConfig.cosmosConfig`): its
 * consistency, its regions and failover, or an existing account to use instead of creating one (e.g. a
 * disaster-recovery deployment reading the primary region's account). Accounts of other compatibility groups
 * do not take these settings.
 *
 * @example
 * ```ts
 * const primary = defineBackend(
 *   { userApi: users },
 *   {
 *     location: 'eastus',
 *     cosmosConfig: {
 *       failoverPolicies: [{ locationName: 'westus2', priority: 1 }],
 *       enableAutomaticFailover: true,
 *     },
 *   },
 * );
 * const dr = defineBackend(
 *   { userApi: users },
 *   {
 *     location: 'westus2',
 *     cosmosConfig: {
 *       useExisting: true,
 *       accountName: 'cosmos-app-primary',
 *       resourceGroupName: 'rg-app-primary',
 *       readLocation: 'westus2',
 *     },
 *   },
 * );
 * ```
 */
export interface CosmosAccountConfig {
  /**
   * Intent only: the regions come from `failoverPolicies`; set without them, the account stays in one region
   * (`COSMOS_MULTI_REGION_NO_POLICIES` warning).
   */
  readonly enableMultiRegion?: boolean;
  /**
   * The account's regions: priority 0 is the write region, the others fail over in order; the backend's
   * `location` is added with priority 0 when not listed. Priorities must be 0..n-1, each once. A second region
   * makes the account provisioned (serverless accounts are single-region).
   */
  readonly failoverPolicies?: readonly {
    readonly locationName: string;
    readonly priority: number;
  }[];
  /**
   * Consistency of the shared account, and of components that ask for none. Default `'Session'`. A component
   * asking for another level gets an account of its own (with a tenant registry, refused:
   * `TENANTS_REGISTRY_OTHER_ACCOUNT`).
   */
  readonly consistencyLevel?: ConsistencyLevel;
  /** Let Azure fail over to the next region on a regional outage. Default: not set (Azure's default). */
  readonly enableAutomaticFailover?: boolean;
  /**
   * Read an existing account through a data source instead of creating one. Not with a tenant registry, which lives
   * in the account the backend creates (`TENANTS_REGISTRY_EXISTING_ACCOUNT`).
   */
  readonly useExisting?: boolean;
  /** With `useExisting`: the existing account's name (required; `COSMOS_EXISTING_NAME_MISSING` otherwise). */
  readonly accountName?: string;
  /** With `useExisting`: the existing account's resource group. Default the stack's. */
  readonly resourceGroupName?: string;
  /**
   * With `useExisting` and a CrudApi `onChange`: who creates the change feed's lease containers (the trigger
   * connects by identity and cannot). `'create'`: this stack, in the existing account (the deployer needs
   * control-plane rights on it); `'existing'`: they exist already (you created them, or the deployment that owns
   * the account declares the same CrudApi). Unset: the plan error `COSMOS_LEASE_CONTAINER_MISSING` names them.
   */
  readonly leaseContainers?: 'create' | 'existing';
  /**
   * The region the runtime reads from first (passed to the Function App as
   * `ATAKORA_COSMOS_PREFERRED_LOCATIONS`), for an account this backend creates or one it uses (`useExisting`).
   */
  readonly readLocation?: string;
}

/**
 * Config after defaults, as the planner uses it (plain data, no functions but `naming`): what
 * {@link normalizeConfig} returns and what providers and components see in their contexts, so none of them
 * has to repeat a default.
 *
 * @example
 * ```ts
 * const config: NormalizedConfig = normalizeConfig({ monitoring: true });
 * config.monitoring.retentionDays; // 30
 * config.networking.mode;          // 'public'
 * ```
 */
export interface NormalizedConfig {
  readonly backendId: string;
  readonly environment: string;
  readonly location: string;
  readonly monitoring: Required<Omit<MonitoringConfig, 'workspaceName' | 'alerting'>> & {
    readonly workspaceName?: string;
    readonly alerting: {
      readonly enabled: boolean;
      readonly errorThreshold: number;
      readonly latencyThreshold: number;
      readonly emails: readonly string[];
    };
  };
  readonly networking: Required<
    Omit<
      NetworkingConfig,
      'vnetName' | 'subnetName' | 'vnetResourceGroupName' | 'privateEndpointSubnetName'
    >
  > & {
    readonly vnetName?: string;
    readonly vnetResourceGroupName?: string;
    readonly subnetName?: string;
    readonly privateEndpointSubnetName?: string;
  };
  readonly tags: Readonly<Record<string, string>>;
  readonly naming?: NamingConvention;
  readonly limits: ResourceLimits;
  readonly providers: readonly unknown[];
  readonly enforceHttps: boolean;
  readonly useManagedIdentity: boolean;
  readonly autoScale?: AutoScaleConfig;
  readonly cosmosConfig?: CosmosAccountConfig;
  /**
   * `enabled: false` only for an explicit `auth: 'none'`; `appRegistration` as given (default true; the stack
   * creates registrations only when it is true, authentication is on and no `clientId` is given).
   */
  readonly auth: {
    readonly enabled: boolean;
    readonly clientId?: string;
    readonly tenantId?: string;
    readonly audiences: readonly string[];
    readonly appRegistration: boolean;
    readonly scope: string;
    readonly devOrigins: readonly string[];
    /** `'AzureADMyOrg'` unless `auth.signInAudience` says otherwise. */
    readonly signInAudience: 'AzureADMyOrg' | 'AzureADMultipleOrgs' | 'customers';
    /**
     * With `signInAudience: 'customers'`: the external tenant and its sign-in methods (then `tenantId` is the
     * external tenant's id too).
     */
    readonly customers?: NormalizedCustomers;
    /** Lowercased tenant ids, `'any'`, or `'registry'`; absent → whatever the registration admits. */
    readonly allowedTenants?: readonly string[] | 'any' | 'registry';
  };
  readonly tenancy: { readonly claim: string; readonly trustGatewayHeader: boolean };
  readonly corsOrigins: readonly string[];
  readonly preventDestroy: boolean;
  /** The Web PubSub's tier and units after defaults; `skuGiven` when the config named the tier. */
  readonly realtime: {
    readonly sku: RealtimeSku;
    readonly units: number;
    readonly skuGiven: boolean;
  };
  /** The Cosmos DB backup mode after defaults; `modeGiven` when the config named it. */
  readonly backup: { readonly mode: BackupMode; readonly modeGiven: boolean };
  /**
   * The tenant registry's settings, with `signUp` defaulted; absent unless `tenants` is configured. `membership`
   * is there only with `tenants.by: 'membership'` (its roles and `createTenants` defaulted).
   */
  readonly tenants?: Omit<
    TenantsConfig,
    'by' | 'roles' | 'createTenants' | 'acceptUrl' | 'site'
  > & {
    readonly signUp: 'invite' | 'open';
    readonly membership?: NormalizedMembership;
  };
  /** The MCP server (`BackendConfig.mcp`) after defaults; absent when off. */
  readonly mcp?: {
    readonly writes: boolean;
    /** The authorization server (`McpConfig.authorization`) after defaults; absent when off. */
    readonly authorization?: NormalizedMcpAuthorization;
  };
}
