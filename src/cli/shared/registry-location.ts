import { AUDIT_LOG, MEMBERS, TENANT_REGISTRY } from '../../kit/pure/tenant-registry.js';
import type { ResourcePlan } from '../../model/plan.js';
import { mergedConfigOf } from '../../resources/types.js';

/** Where a backend's tenant registry is: its account's endpoint, database and container. */
export interface RegistryLocation {
  readonly endpoint: string;
  readonly database: string;
  readonly container: string;
  /** The `members` container beside it, with tenants by membership. */
  readonly members?: string;
  /** The `audit` container beside it, with tenants by membership. */
  readonly audit?: string;
}

/**
 * The tenant registry of a plan, when it has one (`auth.allowedTenants: 'registry'` plans its container in the
 * default account), with the endpoint the Function App's settings give the default group's CrudApis (the registry
 * is in the default account, which each of them reaches). The tenant commands and `atakora usage` (its ledger is
 * beside the registry) read it alike.
 *
 * @example
 * ```ts
 * registryLocation(plan)?.container; // 'tenants'
 * ```
 */
export function registryLocation(plan: ResourcePlan): RegistryLocation | undefined {
  const account = plan.resources.find((r) => r.key === 'cosmos:shared');
  const containers = (
    (account?.config['databases'] ?? []) as { name: string; containers: { name: string }[] }[]
  ).find((d) => d.name === TENANT_REGISTRY.database)?.containers;
  if (!containers?.some((c) => c.name === TENANT_REGISTRY.container)) return undefined;
  const endpoint = firstEntityEndpoint(plan);
  const members = containers.some((c) => c.name === MEMBERS.container);
  const audit = containers.some((c) => c.name === AUDIT_LOG.container);
  return endpoint
    ? {
        endpoint,
        database: TENANT_REGISTRY.database,
        container: TENANT_REGISTRY.container,
        ...(members ? { members: MEMBERS.container } : {}),
        ...(audit ? { audit: AUDIT_LOG.container } : {}),
      }
    : undefined;
}

/** The account endpoint of the CrudApi first by component id, as its Function App's settings name it. */
function firstEntityEndpoint(plan: ResourcePlan): string | undefined {
  let first: { id: string; endpoint: string } | undefined;
  for (const app of plan.resources) {
    if (app.type !== 'functions') continue;
    const settings = (app.config['appSettings'] ?? {}) as Record<string, string>;
    for (const entity of mergedConfigOf('functions', app).crudEntities ?? [])
      if (!first || entity.componentId < first.id)
        first = { id: entity.componentId, endpoint: settings[entity.settings.endpoint] ?? '' };
  }
  return first?.endpoint;
}
