import type { NormalizedConfig } from '../../model/config.js';
import { compare } from '../../kit/pure/resources/merge-strategies.js';
import type { MergedDatabase } from './databases.js';
import type { RuntimeAuth } from '../../model/runtime-manifest.js';

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
 * The default account's databases with the registry's container added when `auth.allowedTenants` is
 * `'registry'`; every component of the account may read and write it (the runtime reads the registry as each
 * CrudApi's identity, and `signUp: 'open'` registers a directory on its first request).
 *
 * @example
 * ```ts
 * withTenantRegistry(databases, config, ['NoteApi']).find((d) => d.name === 'atakora')?.containers[0]?.name;
 * // 'tenants' (with allowedTenants: 'registry')
 * ```
 */
export function withTenantRegistry(
  databases: MergedDatabase[],
  config: NormalizedConfig,
  components: readonly string[],
): MergedDatabase[] {
  if (config.auth.allowedTenants !== 'registry') return databases;
  const access: { [componentId: string]: 'readwrite' } = {};
  for (const id of [...components].sort(compare)) access[id] = 'readwrite';
  const existing = databases.find((d) => d.name === TENANT_REGISTRY.database);
  const container = {
    name: TENANT_REGISTRY.container,
    partitionKey: TENANT_REGISTRY.partitionKey,
    uniqueKeys: [],
    access,
  };
  if (existing) {
    if (!existing.containers.some((c) => c.name === TENANT_REGISTRY.container))
      existing.containers = [...existing.containers, container].sort((a, b) =>
        compare(a.name, b.name),
      );
    return databases;
  }
  return [...databases, { name: TENANT_REGISTRY.database, containers: [container] }].sort((a, b) =>
    compare(a.name, b.name),
  );
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
  if (allowed === undefined) return {};
  if (allowed !== 'registry') return { allowedTenants: allowed };
  if (!t) return { allowedTenants: [] };
  return {
    allowedTenants: [],
    registry: {
      database: TENANT_REGISTRY.database,
      container: TENANT_REGISTRY.container,
      plans: t.plans,
      defaultPlan: t.defaultPlan,
      signUp: t.signUp,
      ...(t.perUser ? { perUser: t.perUser } : {}),
    },
  };
}
