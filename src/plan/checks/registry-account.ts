import type { NormalizedConfig } from '../../model/config.js';
import type { PlanIssue, PlannedResource } from '../../model/plan.js';
import { hasTenantRegistry } from '../../kit/pure/tenant-registry.js';
import { sharedKey } from '../../kit/pure/names/resource-key.js';
import { isMultiRegion } from '../../kit/pure/cosmos-regions.js';
import type { PlanComponent } from '../plan-input.js';

/**
 * Plan errors for a tenant registry whose account is not the one every CrudApi reads it from. The planner adds the
 * registry's containers to the default Cosmos DB account the backend creates and grants that account's components
 * (resources/cosmos/tenant-registry.ts); the runtime reads them through an app's first CrudApi's client, its endpoint
 * and identity (runtime/cosmos-resolver.ts). So:
 * - `TENANTS_REGISTRY_EXISTING_ACCOUNT`: the default account is an existing one (`cosmosConfig.useExisting`), where
 *   this stack creates no container and grants no role on the registry — every request would be refused.
 * - `TENANTS_REGISTRY_OTHER_ACCOUNT`: a CrudApi has an account of its own (its `consistency`, `throughput`,
 *   `enableServerless` or disjoint `allowedIpRanges`): the runtime would read the registry through that account,
 *   where it is not planned and that CrudApi holds no role on it.
 *
 * @example
 * ```ts
 * registryAccountIssues(components, resources, config); // [{ code: 'TENANTS_REGISTRY_OTHER_ACCOUNT', … }] for consistency: 'Strong'
 * ```
 */
export function registryAccountIssues(
  components: readonly PlanComponent[],
  resources: readonly PlannedResource[],
  config: NormalizedConfig,
): PlanIssue[] {
  if (!hasTenantRegistry(config)) return [];
  const crud = components.filter((c) => c.definition.componentType === 'CrudApi');
  if (crud.length === 0) return [];
  const shared = sharedKey('cosmos');
  const cosmos = resources.filter((r) => r.type === 'cosmos');
  const registry =
    config.tenants?.membership !== undefined
      ? "tenants.by: 'membership'"
      : "allowedTenants: 'registry'";
  const issues: PlanIssue[] = [];
  const onDefault = cosmos.find((r) => r.key === shared);
  if (onDefault?.config['existing']) {
    const ids = crud
      .map((c) => c.definition.componentId)
      .filter((id) => onDefault.consumers.includes(id));
    if (ids.length > 0)
      issues.push({
        severity: 'error',
        code: 'TENANTS_REGISTRY_EXISTING_ACCOUNT',
        path: ['config', 'cosmosConfig', 'useExisting'],
        components: ids,
        message:
          `${registry} keeps the tenant registry in the Cosmos DB account the backend creates, but ` +
          `cosmosConfig.useExisting reads ${onDefault.name}, an existing account: this stack creates no registry ` +
          `container in it and grants ${ids.join(', ')} no role on one, so every request would be refused.`,
      });
  }
  for (const c of crud) {
    const id = c.definition.componentId;
    const own = cosmos.filter((r) => r.key !== shared && r.consumers.includes(id));
    const first = own[0];
    if (first === undefined) continue;
    issues.push({
      severity: 'error',
      code: 'TENANTS_REGISTRY_OTHER_ACCOUNT',
      path: [c.key],
      components: [id],
      message:
        `${id} keeps its items in ${first.name}, a Cosmos DB account of its own (${first.compatibility}), but ` +
        `${registry} keeps the tenant registry in the backend's default account only: the runtime reads the ` +
        `registry through a CrudApi's account, and would find none in ${first.name}, nor hold a role on it.`,
      resolution: otherAccountResolution(id, first.compatibility, config),
    });
  }
  return issues;
}

/**
 * What moves the CrudApi onto the default account, read from where its compatibility key (resources/cosmos/type.ts:
 * `consistency|serverless or provisioned|location[|ip-group]`) differs from the backend's.
 */
function otherAccountResolution(id: string, key: string, config: NormalizedConfig): string {
  const [consistency, mode, , ip] = key.split('|');
  const ways: string[] = [];
  const backendConsistency = config.cosmosConfig?.consistencyLevel ?? 'Session';
  if (consistency !== backendConsistency.toLowerCase())
    ways.push(
      `drop ${id}'s consistency, or give the backend's account that level (cosmosConfig.consistencyLevel)`,
    );
  const backendServerless = !config.autoScale?.enabled && !isMultiRegion(config);
  if ((mode === 'serverless') !== backendServerless)
    ways.push(
      mode === 'serverless'
        ? `drop ${id}'s enableServerless: true (the backend's account is provisioned)`
        : `drop ${id}'s throughput and enableServerless: false, or turn autoScale on (a provisioned account for all)`,
    );
  if (ip !== undefined)
    ways.push(`give ${id} allowedIpRanges that overlap the other components' (or none)`);
  return (
    `Let ${id} share the backend's default Cosmos DB account, where the tenant registry lives: ${ways.join('; ')}. ` +
    "Or drop tenants.by and allowedTenants: 'registry'. See docs/tenants.md."
  );
}
