import type { HealthCheckGiven } from '../../resources/functions/health-check-issues.js';
import type { JsonValue } from '../../model/plan.js';
import type { ResourceRequirement } from '../../model/requirements.js';
import type { CosmosRequirementConfig } from '../../resources/cosmos/requirement.js';
import type { FunctionsRequirementConfig } from '../../resources/functions/requirement.js';
import type { StorageRequirementConfig } from '../../resources/storage/requirement.js';
import type { RuntimeEntity } from '../../model/runtime-manifest.js';
import type { RuntimeRelation } from '../../model/relations.js';
import { DEFAULT_NODE_VERSION } from '../../resources/functions/type.js';
import { frozenPlainData } from '../../kit/pure/plain-data.js';
import { settingName } from '../../kit/pure/names/terraform-names.js';
import { ref } from '../../resources/refs.js';
import { containerSearchOf, searchCapabilities } from '../../resources/cosmos/search-policy.js';
import type { CrudApiConfig } from './config.js';
import type { NormalizedCrudConfig } from './normalize.js';
import {
  CHANGE_FEED_CONNECTION,
  CHANGE_FEED_CREDENTIAL,
  CHANGE_FEED_ENDPOINT,
  leaseContainerOf,
} from '../../resources/functions/change-feed-connection.js';

/** The app setting (under the component's prefix) naming the Web PubSub endpoint of a realtime CrudApi. */
export const REALTIME_ENDPOINT = 'REALTIME_ENDPOINT';

/** The change feed trigger's connection and containers of a CrudApi with `onChange`. */
export interface ChangeFeed {
  readonly connection: string;
  readonly database: string;
  readonly container: string;
  readonly leaseContainer: string;
}

/** The Functions requirement of a CrudApi: the shared app's config plus the entity the runtime serves. */
type CrudFunctionsConfig = FunctionsRequirementConfig & {
  crudEntities: RuntimeEntity[];
  healthCheckGiven?: HealthCheckGiven;
};

/**
 * With onChange: the change feed trigger's connection (identity-based, change-feed-connection.ts) and its lease
 * container, a container of the entity's own database planned like any other.
 *
 * @example
 * ```ts
 * changeFeedOf('OrderApi', normalized)?.leaseContainer; // `${containerName}-leases` with onChange
 * ```
 */
export function changeFeedOf(id: string, n: NormalizedCrudConfig): ChangeFeed | undefined {
  return n.onChange === undefined
    ? undefined
    : {
        connection: settingName(id, CHANGE_FEED_CONNECTION),
        database: n.databaseName,
        container: n.containerName,
        leaseContainer: leaseContainerOf(n.containerName),
      };
}

/** What the requirements of one CrudApi are made from. */
export interface CrudRequirementParts {
  readonly id: string;
  readonly config: CrudApiConfig;
  readonly n: NormalizedCrudConfig;
  readonly priority: number;
  readonly indexingPolicy: CrudApiConfig['indexingPolicy'];
  readonly relations: readonly RuntimeRelation[] | undefined;
  readonly feed: ChangeFeed | undefined;
  readonly runtimeEntity: RuntimeEntity;
}

/**
 * A CrudApi's requirements: its container on the shared Cosmos DB, its entity on the shared Function App, the
 * shared Storage account and, when realtime, the backend's one Web PubSub.
 *
 * @example
 * ```ts
 * crudRequirements(parts).map((r) => r.resourceType); // ['cosmos', 'functions', 'storage']
 * ```
 */
export function crudRequirements(parts: CrudRequirementParts): ResourceRequirement[] {
  const { id, n, priority } = parts;
  return [
    {
      resourceType: 'cosmos',
      requirementKey: `${id}-cosmos`,
      priority,
      config: crudCosmos(parts) as Record<string, unknown>,
    },
    {
      resourceType: 'functions',
      requirementKey: `${id}-functions`,
      priority,
      config: { ...crudFunctions(parts) },
    },
    {
      resourceType: 'storage',
      requirementKey: `${id}-storage`,
      priority,
      config: CRUD_STORAGE as Record<string, unknown>,
    },
    // The backend's one Web PubSub (resources/webpubsub): its tier comes from the backend's `realtime` config.
    ...(n.realtime
      ? [{ resourceType: 'webpubsub', requirementKey: `${id}-webpubsub`, priority, config: {} }]
      : []),
  ];
}

function crudCosmos({
  config,
  n,
  indexingPolicy,
  feed,
  runtimeEntity,
}: CrudRequirementParts): CosmosRequirementConfig {
  const { search } = runtimeEntity;
  const readOnly = n.operations.every((o) => o === 'read' || o === 'list');
  const serverless =
    config.enableServerless ?? (config.throughput === undefined ? undefined : false);
  return {
    ...(config.consistency ? { consistency: config.consistency } : {}),
    ...(serverless !== undefined ? { enableServerless: serverless } : {}),
    access: readOnly ? 'read' : 'readwrite',
    ...(n.allowedIpRanges ? { allowedIpRanges: n.allowedIpRanges } : {}),
    ...(search ? { capabilities: searchCapabilities(search) } : {}),
    databases: [
      {
        name: n.databaseName,
        containers: [
          {
            name: n.containerName,
            partitionKey: n.partitionKey,
            ...(config.ttl !== undefined ? { ttl: config.ttl } : {}),
            ...(config.uniqueKeys ? { uniqueKeys: config.uniqueKeys } : {}),
            ...(config.throughput !== undefined ? { throughput: config.throughput } : {}),
            ...(indexingPolicy
              ? { indexingPolicy: indexingPolicy as { [k: string]: JsonValue } }
              : {}),
            ...(search ? { search: containerSearchOf(search) } : {}),
          },
          ...(feed
            ? [
                {
                  name: feed.leaseContainer,
                  partitionKey: '/id',
                  access: 'readwrite' as const,
                  lease: true,
                },
              ]
            : []),
        ],
      },
    ],
  };
}

function crudFunctions(parts: CrudRequirementParts): CrudFunctionsConfig {
  const { config, n, relations, feed, runtimeEntity } = parts;
  return {
    runtime: 'node',
    version: DEFAULT_NODE_VERSION,
    crudRuntime: true,
    // Two HTTP functions per entity (collection and item routes), one per hasMany relation (its children
    // route), and the change trigger with onChange.
    functionCount:
      (n.onChange === undefined ? 2 : 3) +
      (relations ?? []).filter((r) => r.kind === 'hasMany').length,
    // In code-unit order, the order the app's settings take: the merge then needs no sort of them.
    environmentVariables: {
      ...(feed
        ? {
            [CHANGE_FEED_ENDPOINT]: ref('cosmos', 'endpoint'),
            [CHANGE_FEED_CREDENTIAL]: 'managedidentity',
          }
        : {}),
      CONTAINER_NAME: n.containerName,
      COSMOS_ENDPOINT: ref('cosmos', 'endpoint'),
      DATABASE_NAME: n.databaseName,
      ...(n.realtime ? { [REALTIME_ENDPOINT]: ref('webpubsub', 'endpoint') } : {}),
    },
    ...(config.healthCheck
      ? {
          healthCheckPath: '/api/health',
          healthCheckEvictionMinutes: evictionMinutes(config.healthCheck),
        }
      : {}),
    // What was given, so the plan can say what App Service does with it (functions/health-check-issues.ts).
    ...(config.healthCheck
      ? {
          healthCheckGiven: {
            ...config.healthCheck,
            evictionMinutes: evictionMinutes(config.healthCheck),
          },
        }
      : {}),
    crudEntities: [runtimeEntity],
    ...hostedFunctionsOf(parts),
  };
}

/**
 * The onChange module rides in the package like a FunctionsApp handler (bundled, its file checked at build),
 * registered as the Cosmos DB trigger of the entity's container (packaging/register-hosted.ts). Migration
 * modules ride the same way; the runtime calls them on reads (never registered as functions).
 */
function hostedFunctionsOf({
  id,
  n,
  feed,
}: CrudRequirementParts): Pick<FunctionsRequirementConfig, 'hostedFunctions'> {
  if (!((feed && n.onChange !== undefined) || n.versions.migrations.length > 0)) return {};
  return {
    hostedFunctions: frozenPlainData([
      ...(feed && n.onChange !== undefined
        ? [
            {
              name: `${id}-onchange`,
              componentId: id,
              trigger: 'change' as const,
              handler: n.onChange,
              ...feed,
            },
          ]
        : []),
      ...n.versions.migrations.map((m) => ({
        name: `${id}-migration-v${String(m.version)}`,
        componentId: id,
        trigger: 'migration' as const,
        handler: m.module,
        version: m.version,
      })),
    ]),
  };
}

/** Every CrudApi's storage requirement: one frozen object, as requirements are never changed once made. */
const CRUD_STORAGE: StorageRequirementConfig = frozenPlainData({
  tier: 'Standard',
  replication: 'LRS',
});

/**
 * App Service probes every minute and evicts an instance after N failed minutes (2–10); the seeds'
 * `interval × unhealthyThreshold` seconds maps to that.
 */
function evictionMinutes(h: NonNullable<CrudApiConfig['healthCheck']>): number {
  const seconds = (h.interval ?? 60) * (h.unhealthyThreshold ?? 3);
  return Math.min(10, Math.max(2, Math.ceil(seconds / 60)));
}
