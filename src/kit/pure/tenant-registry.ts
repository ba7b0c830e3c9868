import type { NormalizedConfig } from '../../model/config.js';
import type {
  RuntimeAuth,
  RuntimeBilling,
  RuntimeMarketplace,
  RuntimePlanPrice,
  RuntimeTenantRegistry,
} from '../../model/runtime-manifest.js';

// Shared by the Cosmos DB type (which plans the registry's container) and the Function App's (whose runtime
// manifest says where the registry is): one resource type never imports another.

/**
 * Where the tenant registry lives: one container in a database of the backend's own (`atakora`), apart from every
 * CrudApi's database so that no component's rename, removal or database choice ever moves it. Items are
 * `{ id: <tenant id>, plan, status, name?, createdOn, updatedOn }`, keyed by `/id` (DESIGN, "Tenants are data").
 */
export const TENANT_REGISTRY = {
  database: 'atakora',
  container: 'tenants',
  partitionKey: '/id',
} as const;

/**
 * Where the usage ledger lives: beside the registry, one container keyed by `/tenant` (DESIGN, "Plans, limits and
 * usage"). Its items are each instance's counters of one tenant (per UTC hour: requests, RU, stored bytes, realtime
 * messages; per minute: the rate windows the limits read; live realtime connections), so a tenant's usage is one
 * single-partition query. Items expire after 400 days unless they say otherwise (`ttl` of their own: the short
 * rate windows; -1 for running totals), a container default TTL in seconds (Cosmos DB allows up to 2^31 - 1:
 * https://learn.microsoft.com/azure/cosmos-db/nosql/time-to-live).
 */
export const USAGE_LEDGER = {
  database: 'atakora',
  container: 'usage',
  partitionKey: '/tenant',
  ttlSeconds: 400 * 24 * 60 * 60,
} as const;

/**
 * Where memberships live with `tenants.by: 'membership'`: beside the registry, one container keyed by `/tenant`, so
 * an organization's members and open invitations are one partition (listed, exported and erased together). Items
 * are memberships `{ id: '<tenant>|<userId>', tenant, userId, email?, roles, addedOn }` and invitations (`kind:
 * 'invitation'`, the token's SHA-256 only); a user's own memberships are a query across partitions, read at most
 * once per 30 s per user by each instance (DESIGN, "Tenants by membership").
 */
export const MEMBERS = {
  database: 'atakora',
  container: 'members',
  partitionKey: '/tenant',
  /**
   * TTL on with no default: an item without `ttl` (a membership, an invitation, an endpoint) never expires, an
   * outbound webhook's delivery record carries its own (runtime/webhooks/webhook-store.ts: 30 days) — Learn, "Time
   * to Live (TTL) in Azure Cosmos DB": an item's `ttl` applies only when the container's `DefaultTimeToLive` is set,
   * and -1 means on, items "won't expire by default"; `azurerm_cosmosdb_sql_container.default_ttl = -1`.
   */
  defaultTtl: -1,
} as const;

/**
 * Where the audit log lives with `tenants.by: 'membership'`: beside the registry, one container keyed by `/tenant`
 * (an organization's entries are one partition: listed, exported together). Append-only (the runtime only creates
 * items). Each entry carries its own `ttl` — its organization's plan's `auditRetentionDays` — so the container's
 * default TTL is -1: TTL on, items never expire unless they say so. Learn, "Time to Live (TTL) in Azure Cosmos DB":
 * an item's `ttl` works only when the container's `DefaultTimeToLive` is set, and -1 means "on, no default"
 * (https://learn.microsoft.com/azure/cosmos-db/nosql/time-to-live); azurerm v4.55.0 writes it as
 * `azurerm_cosmosdb_sql_container.default_ttl` (validated `IntAtLeast(-1)` and sent as `DefaultTTL` only when set:
 * cosmosdb_sql_container_resource.go; unset leaves TTL off, which would ignore every item's `ttl`).
 */
export const AUDIT_LOG = {
  database: 'atakora',
  container: 'audit',
  partitionKey: '/tenant',
  defaultTtl: -1,
} as const;

/**
 * The containers of the `atakora` database the runtime keeps (the registry, the usage ledger, the memberships, the
 * audit log): never a CrudApi's.
 *
 * @example
 * ```ts
 * RUNTIME_CONTAINERS.includes('audit'); // true
 * ```
 */
export const RUNTIME_CONTAINERS: readonly string[] = [
  TENANT_REGISTRY.container,
  USAGE_LEDGER.container,
  MEMBERS.container,
  AUDIT_LOG.container,
];

/**
 * Whether the backend keeps a tenant registry (and the usage ledger beside it): a registry of directories
 * (`auth.allowedTenants: 'registry'`) or of organizations (`tenants.by: 'membership'`).
 *
 * @example
 * ```ts
 * if (hasTenantRegistry(config)) settings[REGISTRY_MAX_AGE_SETTING] = '1000';
 * ```
 */
export function hasTenantRegistry(config: NormalizedConfig): boolean {
  return config.auth.allowedTenants === 'registry' || config.tenants?.membership !== undefined;
}

/**
 * The caller policy's admission part (`RuntimeAuth.allowedTenants` and `registry`) from the config: the allow-list
 * as configured, or with `auth.allowedTenants: 'registry'` an empty list and where the registry is (a runtime
 * without the registry's stage then admits no other directory: closed, never open). Apply and `atakora dev` write
 * it alike.
 *
 * @example
 * ```ts
 * const auth: RuntimeAuth = { required: true, tenantClaim: 'tid', trustTenantHeader: false, ...admissionPolicy(config) };
 * ```
 */
export function admissionPolicy(
  config: NormalizedConfig,
): Pick<RuntimeAuth, 'allowedTenants' | 'registry'> {
  const allowed = config.auth.allowedTenants;
  const t = config.tenants;
  // Organizations: the directories admitted as configured (the audience's), the registry and members beside. A
  // customer sign-in admits its external tenant alone: App Service validates only its issuer in Azure, and the
  // runtime says so too, so dev (which validates no token) admits nobody else either.
  const external = config.auth.customers?.tenantId;
  if (t?.membership)
    return {
      ...(external !== undefined
        ? { allowedTenants: [external] }
        : allowed === undefined || allowed === 'registry'
          ? {}
          : { allowedTenants: allowed }),
      registry: {
        ...registryOf(t),
        membership: {
          container: MEMBERS.container,
          audit: AUDIT_LOG.container,
          roles: t.membership.roles,
          createTenants: t.membership.createTenants,
          // Directory sign-in needs users of many directories: a workforce sign-in open to every organization's.
          ...(external === undefined && config.auth.signInAudience === 'AzureADMultipleOrgs'
            ? { directorySignIn: true }
            : {}),
          ...(t.membership.maxOrganizationsPerUser !== undefined
            ? { maxOrganizationsPerUser: t.membership.maxOrganizationsPerUser }
            : {}),
          ...(t.membership.deleteAfterDays !== undefined
            ? { deleteAfterDays: t.membership.deleteAfterDays }
            : {}),
          ...(t.membership.apiKeys !== undefined ? { apiKeys: t.membership.apiKeys } : {}),
          ...(t.membership.email
            ? {
                email: {
                  from: t.membership.email.from,
                  domain: t.membership.email.domain,
                  invitationsPerDay: t.membership.email.invitationsPerDay,
                },
              }
            : {}),
        },
      },
    };
  if (allowed === undefined) return {};
  if (allowed !== 'registry') return { allowedTenants: allowed };
  if (!t) return { allowedTenants: [] };
  return {
    allowedTenants: [],
    registry: registryOf(t),
  };
}

function registryOf(t: NonNullable<NormalizedConfig['tenants']>): RuntimeTenantRegistry {
  return {
    database: TENANT_REGISTRY.database,
    container: TENANT_REGISTRY.container,
    usage: USAGE_LEDGER.container,
    plans: runtimePlans(t.plans),
    defaultPlan: t.defaultPlan,
    signUp: t.signUp,
    ...(t.perUser ? { perUser: t.perUser } : {}),
    ...(t.billing?.stripe ? { billing: runtimeBilling(t) } : {}),
    ...(t.billing?.marketplace ? { marketplace: runtimeMarketplace(t) } : {}),
    ...pricesOf(t),
  };
}

/**
 * How each plan is sold (`GET api/plans`): its fee, per seat, the trial, and whether Checkout sells it — only where
 * subscriptions are on (a webhook secret: without it `api/tenant/billing/checkout` is not served). None when no plan
 * has a fee or a price, so a backend without prices keeps the manifest it had.
 */
function pricesOf(t: NonNullable<NormalizedConfig['tenants']>): {
  prices?: Record<string, RuntimePlanPrice>;
} {
  const sold = t.billing?.stripe?.webhookSecret !== undefined;
  const prices: Record<string, RuntimePlanPrice> = {};
  for (const [name, plan] of Object.entries(t.plans)) {
    if (plan.monthlyFeeUsd === undefined && !plan.stripe) continue;
    prices[name] = {
      ...(plan.monthlyFeeUsd !== undefined ? { monthlyUsd: plan.monthlyFeeUsd } : {}),
      ...(plan.stripe && sold ? { checkout: true } : {}),
      ...(plan.stripe?.perSeat ? { perSeat: true } : {}),
      ...(plan.stripe?.trialDays !== undefined ? { trialDays: plan.stripe.trialDays } : {}),
    };
  }
  return Object.keys(prices).length > 0 ? { prices } : {};
}

/** The Marketplace offer as the runtime reads it: each Marketplace plan id to our plan (model/runtime-manifest.ts). */
function runtimeMarketplace(
  t: NonNullable<NormalizedConfig['tenants']>,
): RuntimeMarketplace | undefined {
  const m = t.billing?.marketplace;
  if (!m) return undefined;
  return {
    offer: m.offer,
    publisherTenantId: m.publisherTenantId,
    clientId: m.clientId,
    secret: m.secret,
    plans: Object.fromEntries(Object.entries(m.plans).map(([ours, id]) => [id, ours])),
    dimensions: { ...m.dimensions },
    included: Object.fromEntries(Object.entries(m.included ?? {}).map(([p, q]) => [p, { ...q }])),
    onCanceled: t.billing?.onCanceled ?? 'default-plan',
  };
}

/** The billing export's secret and meters, and with a webhook secret the subscriptions: each price to its plan. */
function runtimeBilling(t: NonNullable<NormalizedConfig['tenants']>): RuntimeBilling | undefined {
  const billing = t.billing;
  if (!billing?.stripe) return undefined;
  const { webhookSecret, ...stripe } = billing.stripe;
  if (webhookSecret === undefined) return stripe;
  const prices: Record<string, string> = {};
  const perSeat: string[] = [];
  const trialDays: Record<string, number> = {};
  for (const [name, plan] of Object.entries(t.plans)) {
    if (!plan.stripe) continue;
    prices[plan.stripe.price] = name;
    if (plan.stripe.perSeat) perSeat.push(plan.stripe.price);
    if (plan.stripe.trialDays !== undefined) trialDays[plan.stripe.price] = plan.stripe.trialDays;
  }
  return {
    ...stripe,
    subscriptions: {
      webhookSecret,
      prices,
      onCanceled: billing.onCanceled ?? 'default-plan',
      ...(billing.returnUrl !== undefined ? { returnUrl: billing.returnUrl } : {}),
      ...(perSeat.length > 0 ? { perSeat } : {}),
      ...(Object.keys(trialDays).length > 0 ? { trialDays } : {}),
    },
  };
}

/** The plans' bounds as the runtime enforces them: a plan's fee is the reports' (`atakora usage`), not the runtime's. */
function runtimePlans(
  plans: NonNullable<NormalizedConfig['tenants']>['plans'],
): RuntimeTenantRegistry['plans'] {
  const out: Record<string, RuntimeTenantRegistry['plans'][string]> = {};
  for (const [name, { monthlyFeeUsd: _fee, stripe: _price, ...bounds }] of Object.entries(plans))
    out[name] = bounds;
  return out;
}
