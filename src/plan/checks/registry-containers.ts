import type { NormalizedConfig } from '../../model/config.js';
import type { PlanIssue } from '../../model/plan.js';
import {
  hasTenantRegistry,
  RUNTIME_CONTAINERS,
  TENANT_REGISTRY,
} from '../../kit/pure/tenant-registry.js';
import type { PlanComponent } from '../plan-input.js';

/**
 * Plan errors `TENANTS_CONTAINER_RESERVED` for a CrudApi that names one of the registry's own containers (the
 * `atakora` database's `tenants`, `usage`, `members`, `audit`) on a backend with a tenant registry: the container
 * would be merged with the runtime's and served through the CrudApi's routes — the audit log written and deleted
 * through the API, memberships made by hand.
 *
 * @example
 * ```ts
 * registryContainerIssues(components, config); // [{ code: 'TENANTS_CONTAINER_RESERVED', … }] for containerName 'audit'
 * ```
 */
export function registryContainerIssues(
  components: readonly PlanComponent[],
  config: NormalizedConfig,
): PlanIssue[] {
  if (!hasTenantRegistry(config)) return [];
  const issues: PlanIssue[] = [];
  for (const c of components) {
    if (c.definition.componentType !== 'CrudApi') continue;
    const o = (c.definition.config ?? {}) as Record<string, unknown>;
    const container = o['containerName'];
    if (o['databaseName'] !== TENANT_REGISTRY.database || typeof container !== 'string') continue;
    if (!RUNTIME_CONTAINERS.includes(container)) continue;
    issues.push({
      severity: 'error',
      code: 'TENANTS_CONTAINER_RESERVED',
      path: [c.key, 'containerName'],
      components: [c.definition.componentId],
      message:
        `${c.definition.componentId} stores its items in ${TENANT_REGISTRY.database}/${container}, the tenant ` +
        "registry's own container: its routes would read and write the runtime's records (the audit log included).",
    });
  }
  return issues;
}
