import { authOutput } from '../../kit/pure/entra.js';
import type { HealthCheckGiven } from '../../resources/functions/health-check-issues.js';
import type { ComponentDefinition } from '../../model/component.js';
import { AtakoraError } from '../../model/errors.js';
import { builtInDefinition } from '../../kit/pure/component-definition.js';
import type { JsonValue } from '../../model/plan.js';
import type { ResourceRequirement } from '../../model/requirements.js';
import type { CosmosRequirementConfig } from '../../resources/cosmos/requirement.js';
import type { FunctionsRequirementConfig } from '../../resources/functions/requirement.js';
import type { StorageRequirementConfig } from '../../resources/storage/requirement.js';
import type { CrudOperation, RuntimeEntity } from '../../model/runtime-manifest.js';
import { DEFAULT_NODE_VERSION } from '../../resources/functions/type.js';
import { frozenPlainData } from '../../kit/pure/plain-data.js';
import { settingName } from '../../kit/pure/terraform-names.js';
import { ref } from '../../resources/refs.js';
import type { CrudApiConfig, FieldDefinition, RelationDefinition } from './config.js';
import type { CrudApiHandle } from './handle.js';
import { normalizeCrudConfig, type NormalizedCrudConfig } from './normalize.js';
import { normalizeSortable, sortIndexingPolicy } from './sortable.js';
import { normalizeRelations } from './relations.js';
import { indexSortsOf } from '../../contract/query/child-sort.js';
import { crudPaths } from '../../contract/routes.js';
import {
  CHANGE_FEED_CONNECTION,
  CHANGE_FEED_CREDENTIAL,
  CHANGE_FEED_ENDPOINT,
  leaseContainerOf,
} from '../../resources/functions/change-feed-connection.js';

/**
 * A CrudApi definition; `TId` is the literal id so builder keys are typed.
 *
 * @example
 * ```ts
 * const userApi: CrudApiDefinition<'UserApi'> = CrudApi.define('UserApi', {
 *   entityName: 'User',
 *   schema: { id: 'string' },
 * });
 * defineBackend().addComponent(userApi).build().components.UserApi.apiEndpoint; // string
 * ```
 */
export type CrudApiDefinition<
  TId extends string = string,
  TSchema extends Readonly<Record<string, FieldDefinition>> = Readonly<
    Record<string, FieldDefinition>
  >,
  TOperations extends readonly CrudOperation[] = readonly CrudOperation[],
  TRelations = unknown,
  TRealtime extends boolean = boolean,
> = ComponentDefinition<
  TId,
  'CrudApi',
  CrudApiConfig,
  CrudApiHandle<TSchema, TOperations, TRelations, TId, TRealtime>
>;

/**
 * Define a CrudApi (phase 1: nothing is created). The config is checked now, so mistakes point here.
 *
 * @example
 * ```ts
 * const userApi = defineCrudApi('UserApi', {
 *   entityName: 'User',
 *   schema: { id: 'string', name: 'string' },
 *   partitionKey: '/id',
 * });
 * ```
 */
export function defineCrudApi<
  const TId extends string,
  const TSchema extends Readonly<Record<string, FieldDefinition>> = Readonly<
    Record<string, FieldDefinition>
  >,
  const TOperations extends readonly CrudOperation[] = readonly CrudOperation[],
  const TRelations extends Readonly<Record<string, RelationDefinition>> = Readonly<
    Record<string, never>
  >,
  const TRealtime extends boolean = false,
>(
  id: TId,
  typedConfig: CrudApiConfig<TSchema> & {
    readonly schema: TSchema;
    readonly operations?: TOperations;
    readonly relations?: TRelations;
    readonly realtime?: TRealtime;
  },
): CrudApiDefinition<TId, TSchema, TOperations, TRelations, TRealtime> {
  // The schema's own type only narrows what `sortable` may name; from here on the config is read as data.
  const config: CrudApiConfig = typedConfig;
  if (typeof id !== 'string' || !/^[A-Za-z][A-Za-z0-9_-]*$/.test(id)) {
    throw new AtakoraError(
      'COMPONENT_ID_INVALID',
      `A component id must start with a letter and hold letters, digits, "_" or "-" (got ${JSON.stringify(id)}).`,
      {
        // `id` may be anything when called from JavaScript; String() keeps the path printable.
        // eslint-disable-next-line @typescript-eslint/no-unnecessary-type-conversion
        path: ['components', String(id)],
      },
    );
  }
  const n = normalizeCrudConfig(id, config);
  // Sorting needs indexes: the declared sorts go to the runtime (which refuses any other $orderby) and into
  // the container's indexing policy.
  const sortable =
    config.sortable === undefined ? undefined : normalizeSortable(id, config.sortable, n.schema);
  const relations =
    config.relations === undefined
      ? undefined
      : normalizeRelations(id, config.relations, n.schema, n.ownerField);
  // A parent's children route filters on the belongsTo field, sorted like the list: its indexes are derived too,
  // by the rule the runtime's children query follows (contract/query/child-sort.ts).
  const indexSorts = indexSortsOf({
    ...(sortable ? { sortable } : {}),
    ...(relations ? { relations } : {}),
  });
  const indexingPolicy = indexSorts.length
    ? sortIndexingPolicy(id, config.indexingPolicy, indexSorts)
    : config.indexingPolicy;
  const readOnly = n.operations.every((o) => o === 'read' || o === 'list');
  // The names the Function App's merge gives the environment variables below: settingName's own strings, so
  // the plan's settings and the runtime entity's hold one copy of each name, and the merge finds them made.
  const settings = {
    endpoint: settingName(id, 'COSMOS_ENDPOINT'),
    database: settingName(id, 'DATABASE_NAME'),
    container: settingName(id, 'CONTAINER_NAME'),
    ...(n.realtime ? { realtimeEndpoint: settingName(id, REALTIME_ENDPOINT) } : {}),
  };
  const entity: RuntimeEntity = {
    componentId: id,
    entityName: n.entityName,
    route: n.route,
    partitionKey: n.partitionKey,
    schema: n.schema,
    ...(config.schemaVersion !== undefined ? { schemaVersion: n.versions.schemaVersion } : {}),
    operations: n.operations,
    unknownFields: config.unknownFields ?? 'reject',
    settings,
    // Only the opt-out is written: a manifest without it is isolated, the secure reading of older manifests too.
    ...(n.tenancy === 'shared' ? { tenancy: 'shared' as const } : {}),
    // Written only when declared, so the manifests of backends without rules stay as they were.
    ...(n.accessExplicit ? { access: n.access } : {}),
    ...(config.ownerField !== undefined ? { ownerField: n.ownerField } : {}),
    ...(config.ttl !== undefined ? { ttl: config.ttl } : {}),
    ...(config.cache
      ? { cache: { enabled: config.cache.enabled, ttlSeconds: config.cache.ttl ?? 300 } }
      : {}),
    ...(sortable && sortable.length ? { sortable } : {}),
    ...(relations && relations.length ? { relations } : {}),
    ...(n.realtime ? { realtime: true as const } : {}),
  };
  // Made plain and frozen once here: every plan of this definition then keeps it as it is (kit/pure/plain-data.ts).
  const runtimeEntity = frozenPlainData(entity);
  const priority = config.priority ?? 10;
  // With onChange: the change feed trigger's connection (identity-based, change-feed-connection.ts) and its lease
  // container, a container of the entity's own database planned like any other.
  const feed =
    n.onChange === undefined
      ? undefined
      : {
          connection: settingName(id, CHANGE_FEED_CONNECTION),
          database: n.databaseName,
          container: n.containerName,
          leaseContainer: leaseContainerOf(n.containerName),
        };
  const serverless =
    config.enableServerless ?? (config.throughput === undefined ? undefined : false);
  const cosmos: CosmosRequirementConfig = {
    ...(config.consistency ? { consistency: config.consistency } : {}),
    ...(serverless !== undefined ? { enableServerless: serverless } : {}),
    access: readOnly ? 'read' : 'readwrite',
    ...(n.allowedIpRanges ? { allowedIpRanges: n.allowedIpRanges } : {}),
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
  const functions: FunctionsRequirementConfig & {
    crudEntities: RuntimeEntity[];
    healthCheckGiven?: HealthCheckGiven;
  } = {
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
    // The onChange module rides in the package like a FunctionsApp handler (bundled, its file checked at build),
    // registered as the Cosmos DB trigger of the entity's container (packaging/register-hosted.ts).
    // Migration modules ride the same way; the runtime calls them on reads (never registered as functions).
    ...((feed && n.onChange !== undefined) || n.versions.migrations.length > 0
      ? {
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
        }
      : {}),
  };
  const requirements: ResourceRequirement[] = [
    {
      resourceType: 'cosmos',
      requirementKey: `${id}-cosmos`,
      priority,
      config: cosmos as Record<string, unknown>,
    },
    {
      resourceType: 'functions',
      requirementKey: `${id}-functions`,
      priority,
      config: { ...functions },
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
  // The entity's own list, already plain and frozen: each plan's outputs keep it as it is.
  const { operations } = runtimeEntity;
  return builtInDefinition<CrudApiDefinition<TId, TSchema, TOperations, TRelations, TRealtime>>({
    componentId: id,
    componentType: 'CrudApi' as const,
    config,
    priority,
    requirements,
    // Routes made plain once, like the entity: every plan's outputs keep the same list.
    outputs: crudOutputs({
      access: n.access,
      containerName: n.containerName,
      databaseName: n.databaseName,
      entityName: n.entityName,
      operations,
      ownerField: n.ownerField,
      partitionKey: n.partitionKey,
      routes: frozenPlainData(crudPaths(n.route)),
    }),
  });
}

/** What a CrudApi's outputs take from its definition alone. */
interface FixedOutputs {
  readonly access: NormalizedCrudConfig['access'];
  readonly containerName: string;
  readonly databaseName: string;
  readonly entityName: string;
  readonly operations: readonly CrudOperation[];
  readonly ownerField: string;
  readonly partitionKey: string;
  readonly routes: readonly [string, string];
}

/**
 * A CrudApi's `outputs`, made by a factory rather than written inline in `defineCrudApi`: the bundle's
 * keepNames names an inline closure at creation with a defineProperty, which turns each one (10,000 at 10,000
 * CrudApis) into a dictionary-mode object of about 300 bytes. It keeps only what the outputs read, not the
 * whole normalized config (whose schema the runtime entity holds a plain copy of).
 */
function crudOutputs(fixed: FixedOutputs): CrudApiDefinition['outputs'] {
  return (ctx) => {
    const func = ctx.resource('functions');
    const cosmosRes = ctx.resource('cosmos');
    const host = func ? functionHost(func.name) : '';
    // Keys in code-unit order, the plan's order: the planner then keeps this object as it is instead of
    // sorting a copy per component (test/components/outputs-order.test.ts).
    return {
      access: fixed.access,
      apiEndpoint: `${host}/${fixed.routes[0]}`,
      ...authOutput(ctx.config, host),
      containerName: fixed.containerName,
      cosmosAccountName: cosmosRes?.name ?? '',
      cosmosEndpoint: cosmosRes ? cosmosEndpoint(cosmosRes.name) : '',
      databaseName: fixed.databaseName,
      entityName: fixed.entityName,
      functionAppName: func?.name ?? '',
      operations: fixed.operations,
      ownerField: fixed.ownerField,
      partitionKey: fixed.partitionKey,
      routes: fixed.routes,
    };
  };
}

// One string per account or app name, not one per component: every CrudApi on a shared app prints the same
// host and endpoint (10,000 copies at 10,000 CrudApis), and the plan holds them all. Bounded by names met.
const hosts = new Map<string, string>();
const cosmosEndpoints = new Map<string, string>();

function functionHost(name: string): string {
  return hosts.get(name) ?? remember(hosts, name, `https://${name}.azurewebsites.net`);
}

function cosmosEndpoint(name: string): string {
  return (
    cosmosEndpoints.get(name) ??
    remember(cosmosEndpoints, name, `https://${name}.documents.azure.com:443/`)
  );
}

function remember(m: Map<string, string>, name: string, value: string): string {
  if (m.size >= 1000) m.clear();
  m.set(name, value);
  return value;
}

/** The app setting (under the component's prefix) naming the Web PubSub endpoint of a realtime CrudApi. */
const REALTIME_ENDPOINT = 'REALTIME_ENDPOINT';

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
