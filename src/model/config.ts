import type { ConsistencyLevel } from './requirements.js';

/**
 * Backend configuration; every field is optional. The seeds' shapes, validated by `backendConfigSchema`
 * (exported for config-driven setups that load it from JSON).
 *
 * @example
 * ```ts
 * const config: BackendConfig = { environment: 'prod', location: 'eastus', monitoring: true, tags: { team: 'x' } };
 * ```
 */
export interface BackendConfig {
  /** The `{app}` part of every resource name. Default `'backend'`. */
  readonly backendId?: string;
  /** Default `'dev'`. */
  readonly environment?: string;
  /** Azure region. Default `'eastus'`. */
  readonly location?: string;
  readonly monitoring?: boolean | MonitoringConfig;
  readonly networking?: 'public' | 'isolated' | NetworkingConfig;
  readonly tags?: Readonly<Record<string, string>>;
  readonly naming?: NamingConvention;
  readonly limits?: ResourceLimits;
  /** Custom providers, added to the built-ins. */
  readonly providers?: readonly unknown[];
  /** Default true. `false` is refused with a warning: HTTPS is always enforced. */
  readonly enforceHttps?: boolean;
  /** Default true. */
  readonly useManagedIdentity?: boolean;
  readonly autoScale?: AutoScaleConfig;
  readonly cosmosConfig?: CosmosAccountConfig;
}

export interface MonitoringConfig {
  readonly enabled?: boolean;
  /** Log Analytics retention, 30–730 days. Default 30. */
  readonly retentionDays?: number;
  /** Application Insights sampling, 0–100. Default 100. */
  readonly samplingPercentage?: number;
  readonly alerting?: { readonly enabled?: boolean; readonly errorThreshold?: number; readonly latencyThreshold?: number };
  readonly workspaceName?: string;
}

export interface NetworkingConfig {
  readonly mode: 'public' | 'isolated';
  /** Use this existing VNet (by name) instead of creating one. */
  readonly vnetName?: string;
  readonly subnetName?: string;
  readonly privateEndpoints?: boolean;
  readonly serviceTags?: readonly string[];
  readonly addressSpace?: string;
}

/**
 * How shared resources are named. The result is then checked and fitted to Azure's rules for the type.
 *
 * @example
 * ```ts
 * const naming: NamingConvention = { formatResourceName: (type, id, suffix) => `${type}-${id}-${suffix ?? 'shared'}` };
 * ```
 */
export interface NamingConvention {
  formatResourceName(resourceType: string, backendId: string, suffix?: string): string;
}

export interface ResourceLimits {
  readonly maxCosmosAccounts?: number;
  readonly maxFunctionApps?: number;
  readonly maxStorageAccounts?: number;
  readonly maxFunctionsPerApp?: number;
  readonly maxContainersPerStorage?: number;
  readonly maxThroughputPerDatabase?: number;
}

export interface AutoScaleConfig {
  readonly enabled?: boolean;
  readonly minThroughput?: number;
  readonly maxThroughput?: number;
  readonly targetUtilization?: number;
}

export interface CosmosAccountConfig {
  readonly enableMultiRegion?: boolean;
  readonly failoverPolicies?: readonly { readonly locationName: string; readonly priority: number }[];
  readonly consistencyLevel?: ConsistencyLevel;
  readonly enableAutomaticFailover?: boolean;
  /** Read an existing account through a data source instead of creating one. */
  readonly useExisting?: boolean;
  readonly accountName?: string;
  readonly resourceGroupName?: string;
  readonly readLocation?: string;
}

/** Config after defaults, as the planner uses it (plain data, no functions but `naming`). */
export interface NormalizedConfig {
  readonly backendId: string;
  readonly environment: string;
  readonly location: string;
  readonly monitoring: Required<Omit<MonitoringConfig, 'workspaceName' | 'alerting'>> & {
    readonly workspaceName?: string;
    readonly alerting: { readonly enabled: boolean; readonly errorThreshold: number; readonly latencyThreshold: number };
  };
  readonly networking: Required<Omit<NetworkingConfig, 'vnetName' | 'subnetName'>> & {
    readonly vnetName?: string;
    readonly subnetName?: string;
  };
  readonly tags: Readonly<Record<string, string>>;
  readonly naming?: NamingConvention;
  readonly limits: ResourceLimits;
  readonly providers: readonly unknown[];
  readonly enforceHttps: boolean;
  readonly useManagedIdentity: boolean;
  readonly autoScale?: AutoScaleConfig;
  readonly cosmosConfig?: CosmosAccountConfig;
}
