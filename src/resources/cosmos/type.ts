import type { NormalizedConfig } from '../../model/config.js';
import type { JsonValue, PlanIssue, PlannedDeploy } from '../../model/plan.js';
import type { ContainerRequirement, CosmosRequirementConfig, SourcedRequirement } from '../../model/requirements.js';
import { defineResourceType, type TypedRequirement } from '../../kit/pure/resource-type.js';
import { compare, priority, union } from '../../kit/pure/merge-strategies.js';
import { tfName } from '../../kit/pure/terraform-names.js';
import { cosmosMonthlyUsd } from '../../kit/pure/prices.js';
import { accountSettings, existingAccountName, isMultiRegion, type CosmosAccountSettings } from './account-config.js';

/** A container after merging, with the components that use it and how. */
export interface MergedContainer {
  name: string;
  partitionKey: string;
  ttl?: number;
  uniqueKeys: string[];
  throughput?: number;
  autoscaleMaxThroughput?: number;
  indexingPolicy?: { [k: string]: JsonValue };
  /** componentId → 'read' | 'readwrite' */
  access: { [componentId: string]: 'read' | 'readwrite' };
}

export interface MergedDatabase {
  name: string;
  throughput?: number;
  autoscaleMaxThroughput?: number;
  containers: MergedContainer[];
}

/** The merged `cosmos` config in the plan (account-level settings only on the default group). */
export interface MergedCosmosConfig extends CosmosAccountSettings {
  consistency: string;
  serverless: boolean;
  location: string;
  capabilities: string[];
  databases: MergedDatabase[];
}

const cfg = (r: TypedRequirement<CosmosRequirementConfig>): CosmosRequirementConfig => r.requirement.config;
const prio = (r: SourcedRequirement) => r.requirement.priority ?? 10;
/** Cosmos autoscale maximums are multiples of 1,000 RU/s, at least 1,000 (default 4,000). */
function autoscaleMax(requested: number | undefined): number {
  return Math.max(1000, Math.ceil((requested ?? 4000) / 1000) * 1000);
}

/** Serverless unless autoscale is on or the account spans regions (serverless accounts are single-region). */
const defaultServerless = (config: NormalizedConfig) => !config.autoScale?.enabled && !isMultiRegion(config);

/** Cosmos DB: shared by consistency, serverless vs provisioned, and region. */
export const cosmosType = defineResourceType<CosmosRequirementConfig, MergedCosmosConfig>()({
  type: 'cosmos',
  namePrefix: 'cosmos',
  attributes: { name: (n) => n, endpoint: (n) => `https://${n}.documents.azure.com:443/` },
  presetName(isDefault, config) {
    return isDefault ? existingAccountName(config) : undefined;
  },
  compatibility(req, config) {
    const c = cfg(req);
    const consistency = c.consistency ?? config.cosmosConfig?.consistencyLevel ?? 'Session';
    const serverless = c.enableServerless ?? defaultServerless(config);
    const location = c.location ?? config.location;
    const parts = [consistency.toLowerCase(), serverless ? 'serverless' : 'provisioned', location.toLowerCase()];
    const isDefault =
      consistency === (config.cosmosConfig?.consistencyLevel ?? 'Session') && serverless === defaultServerless(config) && location === config.location;
    return { key: parts.join('|'), isDefault };
  },
  merge(reqs, config) {
    const issues: PlanIssue[] = [];
    const first = reqs[0]!;
    const { key, isDefault } = this.compatibility(first, config);
    const [consistency, mode, location] = key.split('|') as [string, string, string];
    const serverless = mode === 'serverless';
    const capabilities = union(reqs.map((r) => ({ componentId: r.componentId, priority: prio(r), value: cfg(r).capabilities ?? [] }))).value;
    if (serverless && !capabilities.includes('EnableServerless')) capabilities.push('EnableServerless');
    const dbs = new Map<string, MergedDatabase>();
    const containerSources = new Map<string, { r: TypedRequirement<CosmosRequirementConfig>; c: ContainerRequirement }[]>();
    for (const r of reqs) {
      for (const [di, d] of (cfg(r).databases ?? []).entries()) {
        const db = dbs.get(d.name) ?? { name: d.name, containers: [] };
        if (!serverless) {
          if (d.throughput !== undefined) db.throughput = Math.max(db.throughput ?? 0, d.throughput);
          if (d.autoscaleMaxThroughput !== undefined) db.autoscaleMaxThroughput = Math.max(db.autoscaleMaxThroughput ?? 0, d.autoscaleMaxThroughput);
        }
        dbs.set(d.name, db);
        for (const [ci, c] of (d.containers ?? []).entries()) {
          const k = `${d.name}/${c.name}`;
          const list = containerSources.get(k) ?? [];
          list.push({ r, c });
          containerSources.set(k, list);
          const existing = db.containers.find((x) => x.name === c.name);
          const access = cfg(r).access ?? 'readwrite';
          if (!existing) {
            db.containers.push({ name: c.name, partitionKey: c.partitionKey, uniqueKeys: [...(c.uniqueKeys ?? [])].sort(compare), access: { [r.componentId]: access } });
            continue;
          }
          if (existing.partitionKey !== c.partitionKey) {
            const other = list.find((s) => s.c.partitionKey === existing.partitionKey)!;
            issues.push({
              severity: 'error', code: 'PARTITION_KEY_CONFLICT', components: [other.r.componentId, r.componentId].sort(compare),
              path: ['components', r.componentKey, 'requirements', r.index, 'databases', di, 'containers', ci, 'partitionKey'],
              message: `Container "${d.name}/${c.name}" is used by ${other.r.componentId} with partition key ${existing.partitionKey} and by ${r.componentId} with partition key ${c.partitionKey}; a container has exactly one partition key.`,
            });
            continue;
          }
          existing.uniqueKeys = [...new Set([...existing.uniqueKeys, ...(c.uniqueKeys ?? [])])].sort(compare);
          existing.access[r.componentId] = existing.access[r.componentId] === 'readwrite' ? 'readwrite' : access;
        }
      }
    }
    // Scalars of shared containers: higher priority wins, ties with different values are errors.
    for (const db of dbs.values()) {
      for (const cont of db.containers) {
        const src = containerSources.get(`${db.name}/${cont.name}`) ?? [];
        const scalar = <T extends string | number>(pick: (c: ContainerRequirement) => T | undefined, what: string) => {
          const m = priority(src.filter((s) => pick(s.c) !== undefined).map((s) => ({ componentId: s.r.componentId, priority: prio(s.r), value: pick(s.c)! })), `${what} of container ${db.name}/${cont.name}`);
          issues.push(...m.issues);
          return m.value;
        };
        const ttl = scalar((c) => c.ttl, 'ttl');
        if (ttl !== undefined) cont.ttl = ttl;
        const policy = scalar((c) => (c.indexingPolicy ? JSON.stringify(c.indexingPolicy) : undefined), 'indexing policy');
        if (policy !== undefined) cont.indexingPolicy = JSON.parse(policy) as { [k: string]: JsonValue };
        if (!serverless) {
          const tp = Math.max(0, ...src.map((s) => s.c.throughput ?? 0));
          if (tp > 0) cont.throughput = tp;
          const auto = Math.max(0, ...src.map((s) => s.c.autoscaleMaxThroughput ?? 0));
          if (auto > 0) cont.autoscaleMaxThroughput = auto;
          // The backend's autoScale covers containers that set no throughput of their own.
          if (tp === 0 && auto === 0 && db.throughput === undefined && db.autoscaleMaxThroughput === undefined && config.autoScale?.enabled) {
            cont.autoscaleMaxThroughput = autoscaleMax(config.autoScale.maxThroughput);
          }
        }
      }
      db.containers.sort((a, b) => compare(a.name, b.name));
    }
    const accountLocation = reqs.map((r) => cfg(r).location).find(Boolean) ?? (location === config.location.toLowerCase() ? config.location : location);
    const ids = reqs.map((r) => r.componentId);
    // Only the default (shared) account takes the account-level cosmosConfig (regions, failover, an existing account).
    const account = isDefault ? accountSettings(config.cosmosConfig, accountLocation, ids, issues) : {};
    if (isDefault && !serverless && isMultiRegion(config) && !config.autoScale?.enabled && !reqs.some((r) => cfg(r).enableServerless === false)) {
      issues.push({
        severity: 'warning', code: 'COSMOS_PROVISIONED_FOR_MULTI_REGION', path: ['config', 'cosmosConfig', 'failoverPolicies'], components: ids,
        message: 'Serverless Cosmos DB accounts run in one region only: the multi-region account is provisioned (billed per RU/s and region, 400 RU/s per container unless set).',
      });
    }
    // A component that insists on serverless while the backend asks for failover regions cannot have both:
    // serverless accounts run in one region (Learn, "Azure Cosmos DB serverless", limitations). Never silent.
    const insisting = reqs.filter((r) => cfg(r).enableServerless === true).map((r) => r.componentId);
    if (serverless && insisting.length > 0 && isMultiRegion(config)) {
      issues.push({
        severity: 'error', code: 'COSMOS_SERVERLESS_MULTI_REGION', path: ['config', 'cosmosConfig', 'failoverPolicies'], components: insisting,
        message: `${insisting.join(', ')} asked for a serverless Cosmos DB account, but cosmosConfig.failoverPolicies spans regions and serverless accounts run in one region only: the account would silently have no failover region.`,
        resolution: 'Drop enableServerless from those components (the shared account is then provisioned across the failover regions), or remove the other regions from cosmosConfig.failoverPolicies.',
      });
    }
    const merged: MergedCosmosConfig = {
      consistency: reqs.map((r) => cfg(r).consistency ?? config.cosmosConfig?.consistencyLevel).find(Boolean) ?? titleConsistency(consistency),
      serverless,
      location: accountLocation,
      capabilities: capabilities.sort(compare),
      databases: [...dbs.values()].sort((a, b) => compare(a.name, b.name)),
      ...account,
    };
    return { config: merged, issues };
  },
  deploys(group, ctx) {
    const c = group.config;
    const base = tfName(ctx.backendId, group.key);
    // An existing account (read through a data source) brings its databases and containers; only the grants are ours.
    const owned = !c.existing;
    const out: PlannedDeploy[] = owned ? [{ terraformType: 'azurerm_cosmosdb_account', name: base }] : [];
    for (const db of c.databases) {
      if (owned) out.push({ terraformType: 'azurerm_cosmosdb_sql_database', name: tfName(base, 'db', db.name) });
      for (const cont of db.containers) {
        if (owned) out.push({ terraformType: 'azurerm_cosmosdb_sql_container', name: tfName(base, 'db', db.name, 'c', cont.name) });
        for (const id of Object.keys(cont.access)) {
          out.push({ terraformType: 'azurerm_cosmosdb_sql_role_assignment', name: cosmosRoleAssignmentName(base, db.name, cont.name, id) });
        }
      }
    }
    return out;
  },
  monthlyUsd(config) {
    // Serverless: the assumed workload per container (no minimum); provisioned: RU/s-hours. See plan/prices.ts.
    // An existing account is billed to the deployment that owns it.
    const c = config;
    return c.existing ? 0 : cosmosMonthlyUsd(c);
  },
});

/** Logical name of the role assignment granting `componentId` access to one container. */
export function cosmosRoleAssignmentName(accountTfName: string, db: string, container: string, componentId: string): string {
  return tfName(accountTfName, 'db', db, 'c', container, 'ra', componentId);
}

function titleConsistency(lower: string): string {
  const all = ['Strong', 'BoundedStaleness', 'Session', 'ConsistentPrefix', 'Eventual'];
  return all.find((c) => c.toLowerCase() === lower) ?? 'Session';
}

