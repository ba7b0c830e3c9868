import type { NormalizedConfig } from '../../model/config.js';
import type { PlanIssue, PlannedResource } from '../../model/plan.js';
import {
  hasTenantRegistry,
  RUNTIME_CONTAINERS,
  TENANT_REGISTRY,
} from '../../kit/pure/tenant-registry.js';
import type { PlanComponent } from '../plan-input.js';
import { registryAccountIssues } from './registry-account.js';

/**
 * Plan error `TENANTS_CRUDAPI_MISSING` for a backend with a tenant registry (tenants by membership, or
 * `allowedTenants: 'registry'`) and no Function App serving a CRUD entity (a CrudApi's, or a kind of the user's own
 * that asks for one: what the runtime manifest's `entities` hold). The registry's containers join the CrudApis' Cosmos DB account
 * (resources/cosmos/tenant-registry.ts), the runtime reaches them through a CrudApi's client (runtime/routes/
 * app-services.ts) and the CRUD runtime serves `api/tenants` and `api/me/tenants`: without a CrudApi there is no
 * account, and every request is refused "not a member" with no route to become one — in Azure and in `atakora dev`
 * alike. Said at plan, before a deploy makes such a backend. With CrudApis, the registry's account must be the one
 * they all read it from: {@link registryAccountIssues} (an existing account, a CrudApi's account of its own).
 *
 * @example
 * ```ts
 * registryHostIssues(components, plannedResources, config); // [{ code: 'TENANTS_CRUDAPI_MISSING', … }] for a FileStore alone
 * ```
 */
export function registryHostIssues(
  components: readonly PlanComponent[],
  resources: readonly PlannedResource[],
  config: NormalizedConfig,
): PlanIssue[] {
  if (!hasTenantRegistry(config)) return [];
  // What the runtime reaches the registry through (runtime/routes/app-services.ts: the manifest's first entity).
  const served = resources.some(
    (r) =>
      r.type === 'functions' &&
      ((r.config as { crudEntities?: readonly unknown[] }).crudEntities?.length ?? 0) > 0,
  );
  if (served) return registryAccountIssues(components, resources, config);
  const membership = config.tenants?.membership !== undefined;
  const ids = components.map((c) => c.definition.componentId);
  return [
    {
      severity: 'error',
      code: 'TENANTS_CRUDAPI_MISSING',
      path: membership ? ['config', 'tenants', 'by'] : ['config', 'auth', 'allowedTenants'],
      components: ids,
      message:
        `${membership ? "tenants.by: 'membership'" : "allowedTenants: 'registry'"} keeps the tenant registry ` +
        `${membership ? '(organizations, memberships, invitations) ' : ''}in the CrudApis' Cosmos DB account, ` +
        `served by their Function App, but this backend declares no CrudApi (only ${ids.join(', ')}): no account ` +
        `would keep it and no route would serve api/tenants${membership ? ' — every request refused "not a member", with no way to become one' : ''}. ` +
        'Declare a CrudApi as well.',
    },
  ];
}

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
