import type { ConsistencyLevel } from '../../model/requirements.js';
import type { AccessRule, CrudOperation, FieldType } from '../../model/runtime-manifest.js';
import type { IndexingPolicy } from './indexing-policy.js';
import type { SearchDefinition } from './search.js';

/**
 * A schema field: a type name, or `{ type, required, maxLength }`. The runtime validates request bodies
 * against it; the short form is an optional field.
 *
 * @example
 * ```ts
 * const schema: Record<string, FieldDefinition> = {
 *   id: 'string',
 *   email: { type: 'string', required: true, maxLength: 254 },
 *   age: 'integer',
 * };
 * ```
 */
export type FieldDefinition =
  | FieldType
  | {
      readonly type: FieldType;
      readonly required?: boolean;
      readonly maxLength?: number;
      /**
       * A `string` field's allowed values: `{ type: 'string', enum: ['todo', 'doing', 'done'] }`. Every write,
       * seed item and migration result must be one of them (400 naming the field and the values); the typed
       * client sees the union `'todo' | 'doing' | 'done'`. See docs/schema-evolution.md ("Enum fields").
       */
      readonly enum?: readonly string[];
      /**
       * What a stored item without the field reads with and a create without it stores (checked against
       * `type` at define time): `{ type: 'string', required: true, default: 'open' }`. See
       * docs/schema-evolution.md.
       */
      readonly default?: FieldDefault;
    };

/**
 * A field's `default`: JSON data (a string, number, boolean, object or array).
 *
 * @example
 * ```ts
 * const status: FieldDefault = 'open';
 * ```
 */
export type FieldDefault =
  | string
  | number
  | boolean
  | readonly FieldDefault[]
  | { readonly [key: string]: FieldDefault };

/**
 * Configuration of a CrudApi (the seeds' shape). `TSchema` is the schema's own type, so options that name
 * fields (`sortable`) accept only its field names.
 *
 * @example
 * ```ts
 * const config: CrudApiConfig = {
 *   entityName: 'User',
 *   schema: { id: 'string', email: { type: 'string', required: true } },
 *   partitionKey: '/id',
 * };
 * ```
 */
export interface CrudApiConfig<
  TSchema extends Readonly<Record<string, FieldDefinition>> = Readonly<
    Record<string, FieldDefinition>
  >,
> {
  readonly entityName: string;
  readonly schema: TSchema;
  /** Cosmos partition key path. Default `'/id'`. */
  readonly partitionKey?: string;
  /** Default TTL of items, seconds (-1: TTL on, items expire only with their own `ttl`). */
  readonly ttl?: number;
  /** Default true (unless `throughput` is set). */
  readonly enableServerless?: boolean;
  /** Provisioned RU/s of the container (provisioned accounts only). */
  readonly throughput?: number;
  /**
   * The API's path under `api/`: `route: 'admin/users'` serves `/api/admin/users` and `/api/admin/users/{id}`.
   * Default: the entity name, kebab-cased and pluralised (`User` → `users`, `AuditLog` → `audit-logs`).
   * Segments of letters, digits, `-` and `_`; a leading `api/` is dropped (the host adds it, so it is never
   * doubled). Two CrudApis over one entity (a read-only and an admin API) need distinct routes: the plan
   * refuses two components on one route (`ROUTE_CONFLICT`). A route nested under another CrudApi's item route
   * (`notes/archive` beside `notes/{id}`) that the host, trying routes in function-name order, never reaches is
   * `ROUTE_SHADOWED`.
   */
  readonly route?: string;
  /** Default: all five. Read-only sets (`read`, `list`) get a read-only data role. */
  readonly operations?: readonly CrudOperation[];
  /** Default `{entity}-db`. Two CrudApis naming the same database share it. */
  readonly databaseName?: string;
  /** Default the entity name, lowercased. */
  readonly containerName?: string;
  readonly uniqueKeys?: readonly string[];
  readonly indexingPolicy?: IndexingPolicy;
  readonly consistency?: ConsistencyLevel;
  readonly cache?: { readonly enabled: boolean; readonly ttl?: number };
  readonly healthCheck?: {
    readonly path?: string;
    readonly interval?: number;
    readonly timeout?: number;
    readonly unhealthyThreshold?: number;
  };
  /**
   * A module (path relative to the working directory, `#name` for a named export) whose default export runs
   * after each change of an item: `(change: { operation, item, tenant }) => void | Promise<void>`. Bundled into
   * the Function App's package like a FunctionsApp handler; under `atakora dev` it runs after each successful
   * write, in Azure from the Cosmos DB change feed (at least once; creates, replaces and updates — the feed
   * carries no deletes; docs/events.md says what differs).
   *
   * @example
   * ```ts
   * const config: Partial<CrudApiConfig> = { onChange: './src/on-booking.ts' };
   * ```
   */
  readonly onChange?: string;
  /**
   * The schema version writes store (default 1). Raise it with a migration for each step when stored items need
   * rewriting (a field made required without a default, a type change, a rename): see `migrations` and
   * docs/schema-evolution.md.
   */
  readonly schemaVersion?: number;
  /**
   * One module per version 2…schemaVersion (paths relative to the working directory, bundled like `onChange`):
   * migration N's default export turns a version N−1 item into version N, `(item, { tenant }) => item`. Reads
   * run older items through the chain; `atakora migrate` rewrites them.
   *
   * @example
   * ```ts
   * const config: Partial<CrudApiConfig> = { schemaVersion: 2, migrations: { 2: './migrations/order-v2.ts' } };
   * ```
   */
  readonly migrations?: Readonly<Record<number, string>>;
  /**
   * Items to start from: a `.json` file (relative to the working directory) holding an array of items, or one
   * file per environment (`{ dev: './seed/orders.dev.json' }`; an environment not named gets none). `atakora
   * dev` loads it into an empty container in the dev user's tenant; `atakora seed <entry> --environment E
   * --tenant <tid>` upserts it into a deployed environment. Each item is checked against the schema and stamped
   * as a create through the API is (tenant, owner, schema version, defaults, a generated id when absent). See
   * docs/seed.md.
   *
   * @example
   * ```ts
   * const config: Partial<CrudApiConfig> = { seed: './seed/orders.json' };
   * ```
   */
  readonly seed?: string | Readonly<Record<string, string>>;
  /** Body fields outside the schema: rejected (default) or kept. */
  readonly unknownFields?: 'reject' | 'keep';
  /** Conflict resolution against other components (higher wins). Default 10. */
  readonly priority?: number;
  /**
   * Who sees the items. `'isolated'` (default): each item belongs to the caller's tenant (the runtime stamps
   * `tenantId` and confines every read, list, change and delete to it, whatever the partition key).
   * `'shared'`: one data set for every caller (a product catalogue); the plan warns `CRUD_TENANCY_SHARED`.
   * A `/tenantId` partition key is always isolated.
   *
   * @example
   * ```ts
   * CrudApi.define('CatalogApi', {
   *   entityName: 'Product',
   *   schema: { id: 'string', name: 'string' },
   *   tenancy: 'shared',
   * });
   * ```
   */
  readonly tenancy?: 'isolated' | 'shared';
  /**
   * Who may do what, as data (DESIGN §2): a request is allowed when any rule allows its operation, and no rule
   * widens beyond `operations`. `{ allow: 'owner' }`: the item's creator (its `ownerId`, stamped from the
   * caller's `oid` on create); under owner-only rules a list shows the caller's items only and another user's
   * item is 404. `{ allow: 'role', role: 'NoteAdmin' }`: callers holding that app role of the API registration
   * (the token's `roles` claim). `{ allow: 'authenticated' }`: every signed-in caller of the tenant.
   * `operations` narrows a rule. Default `[{ allow: 'authenticated' }]`. See docs/security.md#access-rules.
   *
   * @example
   * ```ts
   * CrudApi.define('NoteApi', {
   *   entityName: 'Note',
   *   schema: { id: 'string', text: 'string' },
   *   partitionKey: '/tenantId',
   *   access: [
   *     { allow: 'owner' },
   *     { allow: 'role', role: 'NoteAdmin' },
   *     { allow: 'authenticated', operations: ['read', 'list'] },
   *   ],
   * });
   * ```
   */
  readonly access?: readonly AccessRule[];
  /** The reserved item field holding the creator's `oid` (never taken from a request body). Default `'ownerId'`. */
  readonly ownerField?: string;
  /**
   * The sorts `$orderby` may use; the plan derives the container's indexing policy from them (a composite index
   * per composite sort). An entry is a field (sorted either way) or a list of two or more fields, each optionally
   * `'field desc'`, served in those directions or all of them reversed. `$orderby` on anything else is a 400
   * `not-sortable` naming the entry to add.
   *
   * @example
   * ```ts
   * CrudApi.define('ProductApi', {
   *   entityName: 'Product',
   *   schema: { id: 'string', category: 'string', price: 'number' },
   *   sortable: ['price', ['category', 'price desc']],
   * }); // ?$orderby=price desc, ?$orderby=category,price desc
   * ```
   */
  readonly sortable?: readonly SortableEntry<NoInfer<keyof TSchema & string>>[];
  /**
   * Relations to other components of the backend, by component id (docs/relations.md): `belongsTo` — a string
   * field holding a parent's id (writes must name an item the caller can read, `$expand` embeds it); `hasMany` — the
   * children route `api/<route>/{id}/<name>` and what deleting a parent does (`onDelete`, default `restrict`);
   * `file` — a string field holding a completed file of a FileStore.
   *
   * @example
   * ```ts
   * CrudApi.define('OrderApi', {
   *   entityName: 'Order',
   *   schema: { id: 'string', customerId: { type: 'string', required: true }, photoId: 'string' },
   *   relations: {
   *     customer: { belongsTo: 'CustomerApi', field: 'customerId' },
   *     photo: { file: 'InspectionFiles', field: 'photoId' },
   *   },
   * });
   * ```
   */
  readonly relations?: Readonly<
    Record<string, RelationDefinition<NoInfer<keyof TSchema & string>>>
  >;
  /**
   * Live data (docs/realtime.md): every write acknowledged through the API reaches every connected caller who may
   * read the item — as their GET would show it — through the backend's Azure Web PubSub (`BackendConfig.realtime`),
   * and nobody else. Clients subscribe with `client.<key>.watch(query, onEvent)` or `live(query, onSnapshot)`.
   * Default false.
   *
   * @example
   * ```ts
   * CrudApi.define('NoteApi', { entityName: 'Note', schema: { id: 'string', title: 'string' }, realtime: true });
   * ```
   */
  readonly realtime?: boolean;
  /**
   * Who may reach this API's data in Cosmos DB from outside Azure (`atakora seed`, `atakora migrate`, Data
   * Explorer): public IPv4 addresses or CIDR blocks. An account shared with other components admits only the
   * ranges every one of them admits (a `MERGE_NARROWED` warning names each range dropped); a component whose
   * ranges are disjoint from the shared account's gets an account of its own. Absent: any address (the account's
   * networking decides). See docs/resource-types.md ("Network rules per component").
   *
   * @example
   * ```ts
   * CrudApi.define('AdminApi', {
   *   entityName: 'Setting',
   *   schema: { id: 'string' },
   *   allowedIpRanges: ['203.0.113.0/24'],
   * });
   * ```
   */
  readonly allowedIpRanges?: readonly string[];
  /**
   * This API's tools on the backend's MCP server (`BackendConfig.mcp`, docs/mcp.md): `'read'` (the default when the
   * backend serves MCP) gives `<entity>_list`, `<entity>_get` and `<entity>_count`; `'readwrite'` adds
   * `<entity>_create`, `<entity>_update` and `<entity>_delete` when the backend also says `mcp: { writes: true }`;
   * `false` keeps the API off the server. Each caller is offered only the tools its access rules allow.
   *
   * @example
   * ```ts
   * CrudApi.define('AuditApi', { entityName: 'AuditEntry', schema: { id: 'string' }, mcp: false });
   * ```
   */
  readonly mcp?: false | 'read' | 'readwrite';
  /**
   * Cosmos DB full-text and vector search over this API's items (docs/search.md): `text` lists string fields
   * (`language`, default `'en-US'`), `vector` an array field holding each item's embedding (`dimensions`, `distance`
   * default `'cosine'`, `index` default `'diskANN'`, `embed` to have the runtime embed `from` fields through an Azure
   * OpenAI deployment). The plan adds the account's capabilities and the container's policies and indexes, which
   * `atakora deploy` writes through Resource Manager (the Terraform provider cannot declare them).
   *
   * @example
   * ```ts
   * CrudApi.define('TicketApi', {
   *   entityName: 'Ticket',
   *   schema: { id: 'string', title: 'string', body: 'string', embedding: 'array' },
   *   search: { text: ['title', 'body'], vector: { path: 'embedding', dimensions: 1536 } },
   * });
   * ```
   */
  readonly search?: SearchDefinition<NoInfer<keyof TSchema & string>>;
  /**
   * Record each create, replace, update and delete of this API's items in the organization's audit log
   * (docs/tenants.md, "Audit log"): `item.created|updated|deleted`, target `<Entity>/<id>`, an update's changed
   * fields `{ from, to }`. Needs tenants by membership (`CRUD_AUDIT_NEEDS_MEMBERSHIP` otherwise). Default false.
   *
   * @example
   * ```ts
   * CrudApi.define('ContractApi', { entityName: 'Contract', schema: { id: 'string', total: 'number' }, audit: true });
   * ```
   */
  readonly audit?: boolean;
}

/**
 * One relation of {@link CrudApiConfig.relations}. `TField` is the entity's own field names (`belongsTo`, `file`).
 *
 * @example
 * ```ts
 * const orders: RelationDefinition = { hasMany: 'OrderApi', field: 'customerId', onDelete: 'cascade' };
 * ```
 */
export type RelationDefinition<TField extends string = string> =
  // `onDelete` belongs to the parent's side (`hasMany`): on a `belongsTo` or `file` it is a type error, as the
  // definition refuses it (relations.ts, the keys each kind takes).
  | { readonly belongsTo: string; readonly field: TField; readonly onDelete?: never }
  | { readonly hasMany: string; readonly field: string; readonly onDelete?: 'restrict' | 'cascade' }
  | { readonly file: string; readonly field: TField; readonly onDelete?: never };

/**
 * One field of a composite sort: the name (ascending) or the name and a direction.
 *
 * @example
 * ```ts
 * const term: SortTerm<'price'> = 'price desc';
 * ```
 */
export type SortTerm<F extends string> = F | `${F} asc` | `${F} desc`;

/**
 * One `sortable` entry: a field, or a composite sort of two or more {@link SortTerm}s.
 *
 * @example
 * ```ts
 * const entries: SortableEntry<'category' | 'price'>[] = ['price', ['category', 'price desc']];
 * ```
 */
export type SortableEntry<F extends string> =
  | F
  | readonly [SortTerm<F>, SortTerm<F>, ...SortTerm<F>[]];
