import type { NormalizedConfig } from '../../model/config.js';
import type { PlanIssue, PlannedDeploy } from '../../model/plan.js';
import type { ConsistencyLevel } from '../../model/requirements.js';
import type { CosmosRequirementConfig } from './requirement.js';
import { cosmosFacts } from './facts.js';
import {
  defineResourceType,
  type TypedRequirement,
} from '../../kit/pure/resources/resource-type.js';
import { compare, listContributions, union } from '../../kit/pure/resources/merge-strategies.js';
import { tfName } from '../../kit/pure/names/terraform-names.js';
import { cosmosMonthlyUsd, cosmosServerlessMonthlyUsd } from './prices.js';
import {
  accountSettings,
  existingAccountName,
  type CosmosAccountSettings,
} from './account-config.js';
import { isMultiRegion } from '../../kit/pure/cosmos-regions.js';
import { databaseThroughputs, mergeDatabases, type MergedDatabase } from './databases.js';
import { at } from '../../model/at.js';
import { leaseContainerIssues } from './lease-containers.js';
import { intersection } from '../../kit/pure/network-intersection.js';
import { cosmosBackupMonthlyUsd } from './backup.js';
import { withTenantRegistry } from './tenant-registry.js';
import type { BackupMode } from '../../model/config.js';

export type { MergedContainer, MergedDatabase } from './databases.js';

/** The merged `cosmos` config in the plan (account-level settings only on the default group). */
export interface MergedCosmosConfig extends CosmosAccountSettings {
  consistency: string;
  serverless: boolean;
  location: string;
  capabilities: string[];
  databases: MergedDatabase[];
  /**
   * The public IPv4 ranges the account admits from outside Azure: the intersection of its components'
   * `allowedIpRanges` (absent when none lists any). provision.ts adds what the backend's own apps need.
   */
  ipRanges?: string[];
  /**
   * The account's backup mode (`BackendConfig.backup`); absent on an existing account (its owner's choice) and when
   * it is Azure's default, periodic, by default (not configured, outside `prod`).
   */
  backup?: BackupMode;
}

const cfg = (r: TypedRequirement<CosmosRequirementConfig>): CosmosRequirementConfig =>
  r.requirement.config;
/** Serverless unless autoscale is on or the account spans regions (serverless accounts are single-region). */
const defaultServerless = (config: NormalizedConfig) =>
  !config.autoScale?.enabled && !isMultiRegion(config);

/** Cosmos DB: shared by consistency, serverless vs provisioned, and region. */
export const cosmosType = defineResourceType<CosmosRequirementConfig, MergedCosmosConfig>()({
  type: 'cosmos',
  namePrefix: 'cosmos',
  facts: cosmosFacts,
  attributes: { name: (n) => n, endpoint: (n) => `https://${n}.documents.azure.com:443/` },
  presetName(isDefault, config) {
    return isDefault ? existingAccountName(config) : undefined;
  },
  compatibility(req, config) {
    const c = cfg(req);
    const consistency = c.consistency ?? config.cosmosConfig?.consistencyLevel ?? 'Session';
    const serverless = c.enableServerless ?? defaultServerless(config);
    const location = c.location ?? config.location;
    const parts = [
      consistency.toLowerCase(),
      serverless ? 'serverless' : 'provisioned',
      location.toLowerCase(),
    ];
    // A component whose allowedIpRanges are disjoint from the shared account's (plan/network-groups.ts).
    if (c.networkGroup !== undefined) parts.push(`ip-${c.networkGroup}`);
    const isDefault =
      c.networkGroup === undefined &&
      consistency === (config.cosmosConfig?.consistencyLevel ?? 'Session') &&
      serverless === defaultServerless(config) &&
      location === config.location;
    return { key: parts.join('|'), isDefault };
  },
  merge(reqs, config) {
    const issues: PlanIssue[] = [];
    const first = at(reqs, 0);
    const { key, isDefault } = this.compatibility(first, config);
    const [consistency, mode, location] = key.split('|') as [string, string, string];
    const serverless = mode === 'serverless';
    const capabilities = union(listContributions(reqs, (r) => cfg(r).capabilities)).value;
    if (serverless && !capabilities.includes('EnableServerless'))
      capabilities.push('EnableServerless');
    const databases = mergeDatabases(reqs, serverless, config, issues);
    const accountLocation =
      firstSet(reqs, (c) => c.location) ??
      (location === config.location.toLowerCase() ? config.location : location);
    const ids = reqs.map((r) => r.componentId);
    // Only the default (shared) account takes the account-level cosmosConfig (regions, failover, an existing account).
    const account = isDefault
      ? accountSettings(config.cosmosConfig, accountLocation, ids, issues)
      : {};
    if (account.existing)
      leaseContainerIssues(
        account.existing,
        config.cosmosConfig?.leaseContainers,
        databases,
        ids,
        issues,
      );
    if (
      isDefault &&
      !serverless &&
      isMultiRegion(config) &&
      !config.autoScale?.enabled &&
      !reqs.some((r) => cfg(r).enableServerless === false)
    ) {
      issues.push({
        severity: 'warning',
        code: 'COSMOS_PROVISIONED_FOR_MULTI_REGION',
        path: ['config', 'cosmosConfig', 'failoverPolicies'],
        components: ids,
        message:
          'Serverless Cosmos DB accounts run in one region only: the multi-region account is provisioned ' +
          '(billed per RU/s and region, 400 RU/s per container unless set).',
      });
    }
    // A component that insists on serverless while the backend asks for failover regions cannot have both:
    // serverless accounts run in one region (Learn, "Azure Cosmos DB serverless", limitations). Never silent.
    const insisting = reqs
      .filter((r) => cfg(r).enableServerless === true)
      .map((r) => r.componentId);
    if (serverless && insisting.length > 0 && isMultiRegion(config)) {
      issues.push({
        severity: 'error',
        code: 'COSMOS_SERVERLESS_MULTI_REGION',
        path: ['config', 'cosmosConfig', 'failoverPolicies'],
        components: insisting,
        message:
          `${insisting.join(', ')} asked for a serverless Cosmos DB account, but cosmosConfig.failoverPolicies ` +
          `spans regions and serverless accounts run in one region only: the account would silently have no ` +
          `failover region.`,
        resolution:
          'Drop enableServerless from those components (the shared account is then provisioned across the ' +
          'failover regions), or remove the other regions from cosmosConfig.failoverPolicies.',
      });
    }
    const network = intersection(
      reqs.map((r) => ({ componentId: r.componentId, ranges: cfg(r).allowedIpRanges })),
      'The Cosmos DB account',
    );
    issues.push(...network.issues);
    const merged: MergedCosmosConfig = {
      consistency:
        firstSet(reqs, (c) => c.consistency ?? config.cosmosConfig?.consistencyLevel) ??
        titleConsistency(consistency),
      serverless,
      location: accountLocation,
      capabilities: capabilities.sort(compare),
      databases:
        isDefault && !account.existing ? withTenantRegistry(databases, config, ids) : databases,
      ...account,
      ...(network.ranges ? { ipRanges: network.ranges } : {}),
      // Azure's default (periodic) stays unwritten unless asked for: plans made before `backup` existed are unchanged.
      ...(account.existing || (!config.backup.modeGiven && config.backup.mode === 'periodic')
        ? {}
        : { backup: config.backup.mode }),
    };
    return { config: merged, issues };
  },
  deploys(group, ctx) {
    const c = group.config;
    const base = tfName(ctx.backendId, group.key);
    // An existing account (read through a data source) brings its databases and containers; only the grants are
    // ours, and the lease containers when `cosmosConfig.leaseContainers` is 'create' (lease-containers.ts).
    const owned = !c.existing;
    const createsLeases = !owned && c.existing?.createLeaseContainers === true;
    // By type, in the planner's order of types, each in name order as the databases and containers come (sorted
    // by name): the planner's sort then finds them in order (plan/phases/merge.ts).
    const databases: PlannedDeploy[] = [];
    const containers: PlannedDeploy[] = [];
    const grants: PlannedDeploy[] = [];
    // Indexed loops and for…in (the access records are plain objects): no iterator result or key array per
    // item in a fresh process's first plan, where 10,000 containers are listed before the JIT optimises this.
    const grantees = new Set<string>();
    for (let d = 0; d < c.databases.length; d++) {
      const db = c.databases[d];
      if (db === undefined) continue;
      const dbName = cosmosDatabaseName(base, db.name);
      if (owned) databases.push({ terraformType: 'azurerm_cosmosdb_sql_database', name: dbName });
      for (let k = 0; k < db.containers.length; k++) {
        const cont = db.containers[k];
        if (cont === undefined) continue;
        const containerName = cosmosContainerName(dbName, cont.name);
        // A search container and its grants are made by `atakora deploy` through Resource Manager, after
        // Terraform (cli/azure/search/containers.ts): azurerm declares none of its policies, and Cosmos DB refuses a
        // role assignment on a container that does not exist yet. The plan shows it as `deployedBy`.
        if (cont.deployedBy) continue;
        if (owned || (createsLeases && cont.lease))
          containers.push({ terraformType: 'azurerm_cosmosdb_sql_container', name: containerName });
        for (const id in cont.access) {
          // Only a component hosted on a Function App has an identity to grant (provision.ts skips the others).
          if (ctx.usage && !ctx.usage.get(id)?.['functions']) continue;
          grants.push({
            terraformType: 'azurerm_cosmosdb_sql_role_assignment',
            name: cosmosRoleAssignmentName(containerName, id),
          });
          grantees.add(id);
        }
      }
    }
    const account: PlannedDeploy[] = owned
      ? [{ terraformType: 'azurerm_cosmosdb_account', name: base }]
      : [];
    // One wait per grantee for its new principal to replicate (kit/cdktf/principal-wait.ts says why).
    const waits = [...grantees].sort().map(
      (id): PlannedDeploy => ({
        terraformType: 'time_sleep',
        name: cosmosPrincipalWaitName(base, id),
      }),
    );
    // concat, not a spread: no iterator over 40,000 deploys in a fresh process's first plan.
    return account.concat(containers, databases, grants, waits);
  },
  monthlyUsd(config) {
    // Serverless: the assumed workload per container (no minimum); provisioned: RU/s-hours. See ./prices.ts.
    // An existing account is billed to the deployment that owns it.
    const c = config;
    // Throughput and storage are billed in each of its regions (./prices.ts).
    if (c.existing) return 0;
    const regions = c.geoLocations?.length ?? 1;
    const containers = c.databases.reduce((n, d) => n + d.containers.length, 0);
    return (
      cosmosMonthlyUsd({ ...c, regions }) + cosmosBackupMonthlyUsd(c.backup, containers, regions)
    );
  },
  // What `monthlyUsd(merge(own, config).config)` gives, without the rest of a merge per consumer (10,000 of them
  // for 10,000 CrudApis): the price reads the mode and the databases, and is 0 for an existing account.
  standaloneMonthlyUsd(own, shared, config) {
    // A group's requirements share the compatibility key and isDefault (the planner groups by both), so the
    // consumer's own account has the group's mode, and is an existing one (billed elsewhere) when the group's is.
    if (shared.existing) return 0;
    // Serverless: the price counts containers only, so they are counted, not merged.
    if (shared.serverless) {
      const containers = distinctContainers(own);
      return (
        cosmosServerlessMonthlyUsd(containers) + cosmosBackupMonthlyUsd(shared.backup, containers)
      );
    }
    // A consumer's own copy of the default account would span the same regions.
    const regions = shared.geoLocations?.length ?? 1;
    const databases = databaseThroughputs(own, shared.serverless, config);
    const containers = databases.reduce((n, d) => n + d.containers.length, 0);
    return (
      cosmosMonthlyUsd({ serverless: shared.serverless, regions, databases }) +
      cosmosBackupMonthlyUsd(shared.backup, containers, regions)
    );
  },
});

/**
 * How many containers the requirements name, each (database, container) pair once: the containers
 * `mergeDatabases` would give. One mention (a CrudApi's own copy) is counted without a set.
 */
function distinctContainers(reqs: readonly TypedRequirement<CosmosRequirementConfig>[]): number {
  let mentions = 0;
  // Indexed loops: no iterator result per item, once per consumer (10,000) in a fresh process's first plan.
  for (let i = 0; i < reqs.length; i++) {
    const databases = reqs[i]?.requirement.config.databases;
    if (databases)
      for (let d = 0; d < databases.length; d++) mentions += databases[d]?.containers?.length ?? 0;
  }
  if (mentions <= 1) return mentions;
  const pairs = new Set<string>();
  for (const r of reqs)
    for (const d of r.requirement.config.databases ?? [])
      for (const c of d.containers ?? []) pairs.add(JSON.stringify([d.name, c.name]));
  return pairs.size;
}

/** The first truthy value a requirement's config gives, in requirement order. */
function firstSet(
  reqs: readonly TypedRequirement<CosmosRequirementConfig>[],
  pick: (c: CosmosRequirementConfig) => string | undefined,
): string | undefined {
  for (const r of reqs) {
    const v = pick(cfg(r));
    if (v) return v;
  }
  return undefined;
}

// Logical names of an account's databases, containers and grants, each built on its parent's (tfName of a valid
// name and more parts is the name of all the parts): the plan's deploys and apply's constructs use these alone.

/** Logical name of one database of the account `accountTfName`. */
export function cosmosDatabaseName(accountTfName: string, db: string): string {
  return tfName(accountTfName, 'db', db);
}

/** Logical name of one container of the database `databaseTfName` ({@link cosmosDatabaseName}). */
export function cosmosContainerName(databaseTfName: string, container: string): string {
  return tfName(databaseTfName, 'c', container);
}

/** Logical name of the role assignment granting `componentId` access to the container `containerTfName`. */
export function cosmosRoleAssignmentName(containerTfName: string, componentId: string): string {
  return tfName(containerTfName, 'ra', componentId);
}

/** Logical name of the `time_sleep` a component's Cosmos DB data roles wait on (its principal replicating). */
export function cosmosPrincipalWaitName(accountTfName: string, componentId: string): string {
  return tfName(accountTfName, 'wait', componentId);
}

/** The consistency levels an account takes, as azurerm spells them (`consistency_policy.consistency_level`). */
export const COSMOS_CONSISTENCY_LEVELS: readonly ConsistencyLevel[] = [
  'Strong',
  'BoundedStaleness',
  'Session',
  'ConsistentPrefix',
  'Eventual',
];

function titleConsistency(lower: string): string {
  return COSMOS_CONSISTENCY_LEVELS.find((c) => c.toLowerCase() === lower) ?? 'Session';
}
