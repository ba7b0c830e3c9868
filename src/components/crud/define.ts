import { checkComponentId } from '../component-id.js';
import { authOutput } from '../../kit/pure/entra.js';
import type { ComponentDefinition } from '../../model/component.js';
import { builtInDefinition } from '../../kit/pure/component-definition.js';
import type {
  CrudOperation,
  FieldType,
  RuntimeEntity,
  SortKey,
} from '../../model/runtime-manifest.js';
import type { RuntimeRelation } from '../../model/relations.js';
import { frozenPlainData } from '../../kit/pure/plain-data.js';
import { settingName } from '../../kit/pure/names/terraform-names.js';
import type { CrudApiConfig, FieldDefinition, RelationDefinition } from './config.js';
import type { CrudApiHandle } from './handle.js';
import { normalizeCrudConfig, type NormalizedCrudConfig } from './normalize.js';
import { normalizeSortable, sortIndexingPolicy } from './sortable.js';
import { normalizeRelations } from './relations.js';
import { normalizeSearch } from './search.js';
import { changeFeedOf, crudRequirements, REALTIME_ENDPOINT } from './requirements.js';
import { indexSortsOf } from '../../contract/query/child-sort.js';
import { crudPaths } from '../../contract/routes.js';

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
  TSearch extends boolean = boolean,
> = ComponentDefinition<
  TId,
  'CrudApi',
  CrudApiConfig,
  CrudApiHandle<TSchema, TOperations, TRelations, TId, TRealtime, TSearch>
>;

/**
 * Whether a CrudApi's `search` (as `define` infers it) is surely declared: the client types `search()` only then.
 * An optional one (`search: cond ? {…} : undefined`) is not sure, so it types none.
 */
type Declared<T> = [T] extends [undefined] ? false : undefined extends T ? false : true;

/** The field of a `search.vector.path` (`'embedding'` or `'/embedding'`), or never without a vector. */
type VectorField<T> = T extends { readonly vector?: { readonly path: infer P extends string } }
  ? P extends `/${infer F}`
    ? F
    : P
  : never;

/**
 * The schema as the client types its answers: the search vector's field never required — no answer carries it
 * unless `$select` names it (runtime/values/vector-answer.ts) — every other field as declared.
 */
export type AnswerSchema<S, T> = [VectorField<T>] extends [never]
  ? S
  : {
      readonly [K in keyof S]: K extends VectorField<T>
        ? S[K] extends { readonly type: infer F extends FieldType }
          ? { readonly type: F }
          : S[K]
        : S[K];
    };

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
  TSearch = undefined,
>(
  id: TId,
  config: CrudApiConfig<TSchema> & {
    readonly schema: TSchema;
    readonly operations?: TOperations;
    readonly relations?: TRelations;
    readonly realtime?: TRealtime;
    readonly search?: TSearch;
  },
): CrudApiDefinition<
  TId,
  AnswerSchema<TSchema, TSearch>,
  TOperations,
  TRelations,
  TRealtime,
  Declared<TSearch>
> {
  // The schema's own type only narrows what `sortable` may name; from here on the config is read as data.
  const data: CrudApiConfig = config;
  checkComponentId(id);
  const n = normalizeCrudConfig(id, data);
  const { sortable, relations, indexingPolicy } = queryShapeOf(id, data, n);
  // Made plain and frozen once here: every plan of this definition then keeps it as it is (kit/pure/plain-data.ts).
  const search = data.search === undefined ? undefined : normalizeSearch(id, data.search, n.schema);
  const runtimeEntity = frozenPlainData(runtimeEntityOf(id, data, n, sortable, relations, search));
  const priority = data.priority ?? 10;
  const requirements = crudRequirements({
    id,
    config: data,
    n,
    priority,
    indexingPolicy,
    relations,
    feed: changeFeedOf(id, n),
    runtimeEntity,
  });
  // The entity's own list, already plain and frozen: each plan's outputs keep it as it is.
  const { operations } = runtimeEntity;
  return builtInDefinition<
    CrudApiDefinition<
      TId,
      AnswerSchema<TSchema, TSearch>,
      TOperations,
      TRelations,
      TRealtime,
      Declared<TSearch>
    >
  >({
    componentId: id,
    componentType: 'CrudApi' as const,
    config: data,
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

/** The sorts and relations a CrudApi's queries use, and the indexing policy that serves them. */
interface QueryShape {
  readonly sortable: SortKey[][] | undefined;
  readonly relations: RuntimeRelation[] | undefined;
  readonly indexingPolicy: CrudApiConfig['indexingPolicy'];
}

function queryShapeOf(id: string, config: CrudApiConfig, n: NormalizedCrudConfig): QueryShape {
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
  return { sortable, relations, indexingPolicy };
}

/** The entity the runtime serves, as the runtime manifest carries it. */
function runtimeEntityOf(
  id: string,
  config: CrudApiConfig,
  n: NormalizedCrudConfig,
  sortable: QueryShape['sortable'],
  relations: QueryShape['relations'],
  search: RuntimeEntity['search'],
): RuntimeEntity {
  // The names the Function App's merge gives the environment variables: settingName's own strings, so the
  // plan's settings and the runtime entity's hold one copy of each name, and the merge finds them made.
  const settings = {
    endpoint: settingName(id, 'COSMOS_ENDPOINT'),
    database: settingName(id, 'DATABASE_NAME'),
    container: settingName(id, 'CONTAINER_NAME'),
    ...(n.realtime ? { realtimeEndpoint: settingName(id, REALTIME_ENDPOINT) } : {}),
  };
  return {
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
    ...(n.mcp !== undefined ? { mcp: n.mcp } : {}),
    ...(search ? { search } : {}),
    ...(n.audit ? { audit: true as const } : {}),
  };
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
