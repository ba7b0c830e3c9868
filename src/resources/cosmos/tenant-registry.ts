import type { NormalizedConfig } from '../../model/config.js';
import { compare } from '../../kit/pure/resources/merge-strategies.js';
import type { MergedDatabase } from './databases.js';
import {
  AUDIT_LOG,
  hasTenantRegistry,
  MEMBERS,
  TENANT_REGISTRY,
  USAGE_LEDGER,
} from '../../kit/pure/tenant-registry.js';

/**
 * The default account's databases with the registry's container added when `auth.allowedTenants` is
 * `'registry'` or `tenants.by` is `'membership'` (then with the `members` and `audit` containers too); every component of the account may read and write it (the runtime reads the registry as each
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
  if (!hasTenantRegistry(config)) return databases;
  const access: { [componentId: string]: 'readwrite' } = {};
  for (const id of [...components].sort(compare)) access[id] = 'readwrite';
  const existing = databases.find((d) => d.name === TENANT_REGISTRY.database);
  const containers = [
    {
      name: TENANT_REGISTRY.container,
      partitionKey: TENANT_REGISTRY.partitionKey,
      uniqueKeys: [],
      access,
    },
    // The usage ledger the runtime writes for every request (its counters expire after 400 days).
    {
      name: USAGE_LEDGER.container,
      partitionKey: USAGE_LEDGER.partitionKey,
      uniqueKeys: [],
      ttl: USAGE_LEDGER.ttlSeconds,
      access: { ...access },
    },
    // Tenants by membership: who belongs to which organization, and its open invitations.
    ...(config.tenants?.membership
      ? [
          {
            name: MEMBERS.container,
            partitionKey: MEMBERS.partitionKey,
            uniqueKeys: [],
            // TTL on (-1): the webhooks' delivery records expire by their own `ttl`, nothing else does.
            ttl: MEMBERS.defaultTtl,
            access: { ...access },
          },
          // The audit log: TTL on (-1) so each entry's own `ttl` (its plan's retention) applies.
          {
            name: AUDIT_LOG.container,
            partitionKey: AUDIT_LOG.partitionKey,
            uniqueKeys: [],
            ttl: AUDIT_LOG.defaultTtl,
            access: { ...access },
          },
        ]
      : []),
  ];
  if (existing) {
    const missing = containers.filter((c) => !existing.containers.some((e) => e.name === c.name));
    if (missing.length > 0)
      existing.containers = [...existing.containers, ...missing].sort((a, b) =>
        compare(a.name, b.name),
      );
    return databases;
  }
  containers.sort((a, b) => compare(a.name, b.name));
  return [...databases, { name: TENANT_REGISTRY.database, containers }].sort((a, b) =>
    compare(a.name, b.name),
  );
}
