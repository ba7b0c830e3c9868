import type { ErrorCode } from './error-codes.js';

/**
 * Codes that appear only as plan issues (warnings, and errors the planner reports as data rather than
 * throwing), with what each means in a few words. Together with {@link ErrorCode} they are every
 * {@link PlanIssueCode}; each is documented in `docs/troubleshooting.md` (a test checks both).
 * Add a line here, in a block of your own, when a phase reports a new code.
 *
 * @example
 * ```ts
 * PLAN_ISSUE_CODES.STATEFUL_REMOVAL; // 'a data-holding resource would be destroyed'
 * ```
 */
export const PLAN_ISSUE_CODES = {
  AUTH_CLIENT_ID_MISSING: 'no API registration is created and none is named',
  AUTH_DISABLED: "auth: 'none' leaves the API open",
  AUTH_CUSTOMERS_NEED_MEMBERSHIP: 'customer sign-in without tenants by membership',
  AUTH_ROLES_EXTERNAL: 'access rules name roles your own registration must declare',
  AUTOSCALE_RANGE: 'the autoscale range was adjusted',
  CORS_WILDCARD: 'a wildcard CORS origin',
  COSMOS_MULTI_REGION_NO_POLICIES: 'regions without failover policies',
  COSMOS_PROVISIONED_FOR_MULTI_REGION: 'a multi-region account planned as provisioned',
  COSMOS_USE_EXISTING: 'an existing account is used',
  COSMOS_VECTOR_FULL_SCAN: 'a vector index answers by a full scan below 1,000 vectors',
  CRUD_TENANCY_SHARED: 'entities shared across tenants',
  CRUD_ROLE_ANY_TENANT: 'a role of any directory may change shared data',
  FUNCTION_ANONYMOUS: 'an HTTP function open to everyone',
  // Outbound webhooks from the change feed (plan/phases/webhook-feed-requirements.ts).
  WEBHOOKS_FROM_CHANGE_FEED:
    "the organizations' entity webhooks read the tenant-scoped CrudApis' change feeds (no deletes from other writers)",
  CRUD_ON_CHANGE_LOCAL_ONLY:
    "an onChange handler's delete events come under atakora dev only (the change feed carries no deletes)",
  CRUD_TENANT_UNAVAILABLE: 'no tenant source',
  DEPLOYER_ADDRESSES_MISSING: 'isolated networking without deployer addresses',
  HEALTH_CHECK_INTERVAL_AS_EVICTION: 'healthCheck.interval becomes an eviction time',
  HEALTH_CHECK_TIMEOUT_IGNORED: 'healthCheck.timeout is ignored by the hosting plan',
  HTTPS_ALWAYS_ON: 'enforceHttps: false is ignored',
  IDENTITY_ALWAYS_ON: 'useManagedIdentity: false is ignored',
  // Network rules per component (allowedIpRanges): the intersection a shared account admits.
  MERGE_NARROWED: 'a shared account admits fewer addresses than a component listed',
  NETWORK_RULES_NEED_ISOLATION:
    "a FileStore's allowedIpRanges would lock the app out of its account",
  PROVIDER_TYPE_BUILT_IN: 'a custom provider for a built-in type is not used',
  PROVIDER_VALIDATION_WARNING: "a custom provider's validateMerged warning",
  ROUTE_CONFLICT: 'two components serve one route',
  ROUTE_HEALTH_EXEMPT: 'a user route can match the sign-in-exempt api/health',
  ROUTE_SHADOWED: 'a route is answered by another before it in the host order',
  RUNTIME_END_OF_SUPPORT: 'a Functions runtime past its end of support',
  SERVICEBUS_PREMIUM_FOR_ISOLATION:
    'the Service Bus namespace was raised to Premium for a private endpoint',
  STATEFUL_REMOVAL: 'a data-holding resource would be destroyed',
  STATEFUL_REPLACEMENT: 'a data-holding resource would be replaced',
  STATIC_SITE_PUBLIC: 'a static site stays public in isolated mode',
  TENANCY_SINGLE_DIRECTORY: 'tenant confinement by tid under a single-tenant registration',
  TENANT_HEADER_TRUSTED: 'the x-tenant-id header is trusted',
  WAF_BYPASSED_BY_SITE_HOST: "the site's own host bypasses the Front Door WAF",
  // FileStores.
  FILES_TENANCY_SHARED: 'files shared across tenants',
  FILES_PRIVATE_ENDPOINT: 'isolated files are reachable only through the private endpoint',
  // Environment variables and secrets.
  SECRET_ALSO_ENVIRONMENT_VARIABLE:
    'a name declared both as a secret and as an environment variable',
  CREDENTIAL_IN_ENVIRONMENT: 'an environment variable whose value looks like a credential',
  // Existing private DNS zones.
  PRIVATE_DNS_ZONE_LINK_MISSING:
    'reused private DNS zones are not linked to the VNet the stack creates',
  // Azure's quotas on ephemeral environments (previews, sandboxes).
  EPHEMERAL_FREE_STATIC_SITES: 'Free Static Web Apps count toward 10 per subscription',
  EPHEMERAL_FREE_WEB_PUBSUB: 'Free Web PubSub units count toward 5 per subscription and region',
  EPHEMERAL_DIRECTORY_OBJECTS: 'app registrations count toward the directory-object quota',
  // Realtime (Web PubSub).
  REALTIME_TIER_RAISED:
    'the Web PubSub was raised from Free_F1 to Standard_S1 for a private endpoint',
  REALTIME_FREE_TIER:
    "the Free_F1 Web PubSub's 20 connections and 20,000 messages a day will not do",
  // Tenants by membership (docs/tenants.md, "Organizations").
  MEMBERSHIP_ROLE_UNKNOWN: 'a role rule names a role no membership can hold',
  TENANTS_SITE_UNKNOWN: 'tenants.site names no StaticSite of the backend',
  TENANTS_SITE_AMBIGUOUS: 'several StaticSites and no tenants.site: the accept link is left open',
  // Cosmos DB backup (docs/tenants.md, "Backup").
  COSMOS_BACKUP_ONE_WAY: 'the backup goes from periodic to continuous, which Azure never undoes',
  COSMOS_BACKUP_RETENTION_SHORTENED:
    'continuous backup goes from 30 to 7 days: older restore points are dropped at once',
  // Tenant plans (docs/tenants.md, "Plans, limits and usage").
  TENANT_PLAN_REMOVED:
    "a plan the base declared is gone: registry records naming it get defaultPlan's limits",
  // The MCP server (docs/mcp.md).
  MCP_OFF: "a CrudApi or function says mcp while the backend's mcp is off",
  MCP_WRITES_OFF: "a CrudApi says mcp: 'readwrite' while the backend's mcp writes are off",
  MCP_AUTH_NONE: "an MCP server of an API with auth: 'none' serves everyone",
  MCP_AUTHORIZATION_SIGN_IN_OFF:
    "mcp.authorization on an API with auth: 'none' (no one could consent)",
  // Search and e-mail on their first real deploy (docs/search.md, docs/tenants.md "Inviting people end to end").
  COSMOS_FULL_TEXT_PREVIEW:
    'full text in a language other than en-US is an early preview of Cosmos DB',
  EMAIL_SENDING_LIMITS: "Azure's e-mail sending limits per subscription, beside invitationsPerDay",
  EMAIL_DOMAIN_VERIFICATION: 'a custom e-mail domain sends only once its DNS records verify',
  EMAIL_DATA_LOCATION_CHANGED: "the e-mail services' data location changes: both are replaced",
  EMAIL_DATA_LOCATION_NEAREST:
    "the region's geography has no ACS data location: e-mail data rests in the nearest",
  // The SCIM app (docs/enterprise.md, "The SCIM app").
  SCIM_APP_ISOLATED: 'isolated networking: no SCIM app, and Entra cannot reach SCIM',
  // The agents' signing key in Key Vault (docs/mcp.md, "The signing key").
  KEYVAULT_KEY_ISOLATED:
    'isolated networking: Terraform cannot reach the vault to create a signing key, so the operator creates it',
} as const;

/** Every code a {@link PlanIssue} can carry: an {@link ErrorCode} or one of {@link PLAN_ISSUE_CODES}. */
export type PlanIssueCode = ErrorCode | keyof typeof PLAN_ISSUE_CODES;

/**
 * The `details` each code carries, as data (Zod v4's issues, core/errors.ts, are typed the same way: one
 * member per code). A code not listed here has no details.
 *
 * @example
 * ```ts
 * const d: PlanIssueDetails['STATEFUL_REMOVAL'] = { resourceKey: 'servicebus:shared', resourceType: 'servicebus' };
 * ```
 */
export interface PlanIssueDetails {
  readonly STATEFUL_REMOVAL: {
    readonly resourceKey: string;
    readonly resourceType?: string;
    readonly address?: string;
  };
  readonly STATEFUL_REPLACEMENT: {
    readonly resourceKey: string;
    readonly resourceType?: string;
    readonly address?: string;
    readonly reasons: readonly string[];
  };
  readonly PROVIDER_TYPE_BUILT_IN: { readonly resourceType: string };
  readonly SERVICEBUS_PREMIUM_FOR_ISOLATION: { readonly requestedSku: string };
  readonly REALTIME_TIER_RAISED: { readonly requestedSku: string };
  readonly NAME_INVALID: { readonly resourceType: string; readonly name: string };
  readonly COSMOS_BACKUP_ONE_WAY: {
    readonly resourceKey: string;
    readonly before: unknown;
    readonly after: unknown;
  };
  readonly COSMOS_BACKUP_RETENTION_SHORTENED: {
    readonly resourceKey: string;
    readonly before: unknown;
    readonly after: unknown;
  };
  readonly TENANT_PLAN_REMOVED: { readonly plan: string; readonly appliedPlan: string };
  readonly EMAIL_DATA_LOCATION_CHANGED: {
    readonly resourceKey: string;
    readonly before: unknown;
    readonly after: unknown;
  };
}

/** What every issue has, whatever its code. */
export interface PlanIssueBase {
  readonly severity: 'error' | 'warning';
  readonly message: string;
  /** Where in the input, e.g. `['components', 'userApi', 'config', 'partitionKey']`. */
  readonly path?: readonly (string | number)[];
  /** Component ids involved. */
  readonly components?: readonly string[];
  /** How to fix it, when the code's default resolution is not specific enough. */
  readonly resolution?: string;
}

/** The issue of one code: its `details` typed by {@link PlanIssueDetails} (absent for codes without details). */
export type PlanIssueOf<C extends PlanIssueCode> = PlanIssueBase & {
  readonly code: C;
} & (C extends keyof PlanIssueDetails
    ? { readonly details?: PlanIssueDetails[C] }
    : { readonly details?: undefined });
