import type { CosmosAccountConfig, NormalizedConfig } from '../../model/config.js';
import type { PlanIssue } from '../../model/plan.js';
import { region } from '../../kit/pure/cosmos-regions.js';

/** One region of a Cosmos DB account: priority 0 is the write region, the rest fail over in order. */
export interface GeoLocation {
  location: string;
  failoverPriority: number;
}

/** An existing account that the backend reads instead of creating (`cosmosConfig.useExisting`). */
export interface ExistingCosmosAccount {
  accountName: string;
  /** Resource group of the account; the stack's when not given. */
  resourceGroupName?: string;
  /** Region the components should read from (kept for the runtime's preferred regions). */
  readLocation?: string;
  /** `cosmosConfig.leaseContainers: 'create'`: the stack creates the lease containers in it. */
  createLeaseContainers?: true;
}

/** The account-level part of the merged cosmos config; fields are present only when configured. */
export interface CosmosAccountSettings {
  geoLocations?: GeoLocation[];
  automaticFailover?: boolean;
  existing?: ExistingCosmosAccount;
  /** The region the runtime reads from first (`cosmosConfig.readLocation`) on an account this backend creates. */
  readLocation?: string;
}

/**
 * The Azure name of the default account when it is an existing one (`useExisting` + `accountName`).
 *
 * @example
 * ```ts
 * existingAccountName(
 *   normalizeConfig({ cosmosConfig: { useExisting: true, accountName: 'cosmos-app-primary' } }),
 * ); // 'cosmos-app-primary'
 * ```
 */
export function existingAccountName(config: NormalizedConfig): string | undefined {
  const cc = config.cosmosConfig;
  return cc?.useExisting && cc.accountName ? cc.accountName : undefined;
}

/**
 * Account-level settings of the default (shared) Cosmos account from `config.cosmosConfig`: geo locations
 * from `failoverPolicies` (the backend's region is the write region, priority 0, unless listed), automatic
 * failover, or — with `useExisting` — the existing account to read. Problems are plan issues.
 *
 * @example
 * ```ts
 * const issues: PlanIssue[] = [];
 * accountSettings(
 *   { failoverPolicies: [{ locationName: 'westus2', priority: 1 }] },
 *   'eastus',
 *   ['UserApi'],
 *   issues,
 * ).geoLocations;
 * // [{ location: 'eastus', failoverPriority: 0 }, { location: 'westus2', failoverPriority: 1 }]
 * ```
 */
export function accountSettings(
  cc: CosmosAccountConfig | undefined,
  location: string,
  components: readonly string[],
  issues: PlanIssue[],
): CosmosAccountSettings {
  if (!cc) return {};
  const path = ['config', 'cosmosConfig'];
  if (cc.useExisting) {
    if (!cc.accountName) {
      issues.push({
        severity: 'error',
        code: 'COSMOS_EXISTING_NAME_MISSING',
        path: [...path, 'accountName'],
        components: [...components],
        message:
          'cosmosConfig.useExisting is true but no cosmosConfig.accountName says which existing Cosmos DB ' +
          'account to use.',
        resolution:
          "Set cosmosConfig.accountName to the existing account's name (and resourceGroupName when it lives " +
          'in another resource group).',
      });
      return {};
    }
    issues.push({
      severity: 'warning',
      code: 'COSMOS_USE_EXISTING',
      path,
      components: [...components],
      message:
        `Cosmos DB account "${cc.accountName}" is read, not created: its databases and containers are ` +
        `managed by the deployment that owns it` +
        ` (e.g. the primary region); this backend only grants its Function App data roles on it` +
        (cc.resourceGroupName
          ? ` (resource group ${cc.resourceGroupName}).`
          : " and looks it up in the stack's resource group (set cosmosConfig.resourceGroupName if it lives " +
            'elsewhere).'),
    });
    return {
      existing: {
        accountName: cc.accountName,
        ...(cc.resourceGroupName ? { resourceGroupName: cc.resourceGroupName } : {}),
        ...(cc.readLocation ? { readLocation: cc.readLocation } : {}),
        ...(cc.leaseContainers === 'create' ? { createLeaseContainers: true as const } : {}),
      },
    };
  }
  const out: CosmosAccountSettings = {};
  const geo = geoLocations(cc, location, components, issues);
  if (geo) out.geoLocations = geo;
  if (cc.enableAutomaticFailover !== undefined) out.automaticFailover = cc.enableAutomaticFailover;
  if (cc.readLocation) out.readLocation = cc.readLocation;
  return out;
}

function geoLocations(
  cc: CosmosAccountConfig,
  location: string,
  components: readonly string[],
  issues: PlanIssue[],
): GeoLocation[] | undefined {
  const path = ['config', 'cosmosConfig', 'failoverPolicies'];
  const policies = cc.failoverPolicies ?? [];
  if (policies.length === 0) {
    if (cc.enableMultiRegion) {
      issues.push({
        severity: 'warning',
        code: 'COSMOS_MULTI_REGION_NO_POLICIES',
        path: ['config', 'cosmosConfig', 'enableMultiRegion'],
        components: [...components],
        message:
          `cosmosConfig.enableMultiRegion is set but no failoverPolicies name the other regions: the account ` +
          `stays in ${location} only.`,
      });
    }
    return undefined;
  }
  const list: GeoLocation[] = policies.map((p) => ({
    location: p.locationName,
    failoverPriority: p.priority,
  }));
  if (!list.some((g) => region(g.location) === region(location)))
    list.push({ location, failoverPriority: 0 });
  list.sort(
    (a, b) =>
      a.failoverPriority - b.failoverPriority ||
      (a.location < b.location ? -1 : a.location > b.location ? 1 : 0),
  );
  const problem = (msg: string) =>
    issues.push({
      severity: 'error',
      code: 'COSMOS_FAILOVER_INVALID',
      path,
      components: [...components],
      message: msg,
    });
  const dupLocation = list.find(
    (g, i) => list.findIndex((x) => region(x.location) === region(g.location)) !== i,
  );
  if (dupLocation)
    problem(`Region ${dupLocation.location} is listed twice in cosmosConfig.failoverPolicies.`);
  const priorities = list.map((g) => g.failoverPriority);
  if (priorities.some((p, i) => p !== i)) {
    problem(
      `Failover priorities must be 0..${list.length - 1}, each used once (0 is the write region; ` +
        `${location}, the backend's region, gets 0 when not listed): got ` +
        list.map((g) => `${g.location}=${g.failoverPriority}`).join(', ') +
        '.',
    );
  }
  return list;
}
