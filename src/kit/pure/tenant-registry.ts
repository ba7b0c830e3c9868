import type { NormalizedConfig } from '../../model/config.js';
import type { RuntimeAuth } from '../../model/runtime-manifest.js';

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
  if (allowed === undefined) return {};
  if (allowed !== 'registry') return { allowedTenants: allowed };
  if (!t) return { allowedTenants: [] };
  return {
    allowedTenants: [],
    registry: {
      database: TENANT_REGISTRY.database,
      container: TENANT_REGISTRY.container,
      usage: USAGE_LEDGER.container,
      plans: t.plans,
      defaultPlan: t.defaultPlan,
      signUp: t.signUp,
      ...(t.perUser ? { perUser: t.perUser } : {}),
    },
  };
}
