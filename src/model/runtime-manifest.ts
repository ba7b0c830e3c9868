/**
 * What the shared Function App's CRUD runtime serves, derived from the plan by `apply` and passed to the
 * app in the `ATAKORA_MANIFEST` app setting (JSON). Plain data shared by the planner and `src/runtime`.
 *
 * @example
 * ```ts
 * const manifest: RuntimeManifest = JSON.parse(process.env.ATAKORA_MANIFEST!);
 * ```
 */
export interface RuntimeManifest {
  readonly version: 1;
  readonly backendId: string;
  readonly entities: readonly RuntimeEntity[];
  /** Who may call and where the tenant comes from; absent → {@link DEFAULT_RUNTIME_AUTH} (authentication required). */
  readonly auth?: RuntimeAuth;
}

/**
 * The runtime's view of authentication, written by apply from `BackendConfig.auth` / `tenancy`.
 *
 * @example
 * ```ts
 * const auth: RuntimeAuth = { required: true, tenantClaim: 'tid', trustTenantHeader: false };
 * ```
 */
export interface RuntimeAuth {
  /** Refuse (401) a request without an `x-ms-client-principal` (App Service authentication is on). */
  readonly required: boolean;
  /** Claim of the principal that names the tenant of `/tenantId` entities. */
  readonly tenantClaim: string;
  /** Honour `x-tenant-id` first: only when a trusted gateway sets it. */
  readonly trustTenantHeader: boolean;
}

/**
 * What the runtime assumes when the manifest says nothing about auth: the secure default.
 *
 * @example
 * ```ts
 * const auth = manifest.auth ?? DEFAULT_RUNTIME_AUTH;
 * ```
 */
export const DEFAULT_RUNTIME_AUTH: RuntimeAuth = Object.freeze({ required: true, tenantClaim: 'tid', trustTenantHeader: false });

/**
 * An operation a CrudApi serves: `create` (POST collection), `list` (GET collection), `read` (GET item),
 * `update` (PUT replace and PATCH merge), `delete` (DELETE item). A disabled one answers 405 with `Allow`;
 * an API with only `read` / `list` gets a read-only data role on its container.
 *
 * @example
 * ```ts
 * const readOnly: CrudOperation[] = ['read', 'list'];
 * CrudApi.define('CatalogApi', { entityName: 'Product', schema: { id: 'string' }, operations: readOnly });
 * ```
 */
export type CrudOperation = 'create' | 'read' | 'update' | 'delete' | 'list';

/**
 * The type of one field of a CrudApi schema, checked by the runtime on every write: `string`, `number`,
 * `integer`, `boolean`, `object`, `array`, `timestamp` (an ISO 8601 date-time with offset, or epoch
 * milliseconds) or `date` (`YYYY-MM-DD`).
 *
 * @example
 * ```ts
 * const price: FieldType = 'number';
 * CrudApi.define('ProductApi', { entityName: 'Product', schema: { id: 'string', price, addedOn: 'date' } });
 * ```
 */
export type FieldType = 'string' | 'number' | 'integer' | 'boolean' | 'object' | 'array' | 'timestamp' | 'date';

/**
 * A schema field after normalisation (`'string'` → `{ type: 'string', required: false }`), so the runtime's
 * validator reads one shape only.
 *
 * @example
 * ```ts
 * const email: FieldSpec = { type: 'string', required: true, maxLength: 254 };
 * ```
 */
export interface FieldSpec {
  readonly type: FieldType;
  readonly required: boolean;
  /** Strings only. */
  readonly maxLength?: number;
}

/**
 * One CrudApi as the runtime serves it: everything the handlers need, resolved at plan time so the app reads
 * no other configuration than the manifest and the settings it names.
 *
 * @example
 * ```ts
 * const entity: RuntimeEntity = manifest.entities.find((e) => e.componentId === 'UserApi')!;
 * const { collection, item } = createCrudHandlers(entity, container);
 * ```
 */
export interface RuntimeEntity {
  readonly componentId: string;
  readonly entityName: string;
  /** URL segment under `api/`, e.g. `users` → `api/users` and `api/users/{id}`. */
  readonly route: string;
  /** Cosmos partition key path, e.g. `/id` or `/tenantId`. */
  readonly partitionKey: string;
  readonly schema: Readonly<Record<string, FieldSpec>>;
  readonly operations: readonly CrudOperation[];
  /** What to do with body fields not in the schema. */
  readonly unknownFields: 'reject' | 'keep';
  /** Container default TTL in seconds (items may carry their own `ttl`). */
  readonly ttl?: number;
  /** Read-through cache of single-item reads. */
  readonly cache?: { readonly enabled: boolean; readonly ttlSeconds: number };
  /**
   * `'isolated'` (absent means isolated): every item carries the caller's `tenantId` and every read, list,
   * change and delete is confined to it, whatever the partition key. `'shared'`: one data set for all callers
   * (`CrudApiConfig.tenancy`); never set for a `/tenantId` entity, which is isolated by its key.
   */
  readonly tenancy?: 'isolated' | 'shared';
  /** Names of the app settings holding this entity's Cosmos endpoint, database and container. */
  readonly settings: {
    readonly endpoint: string; readonly database: string; readonly container: string;
    /** The app setting holding the client id of the component's own managed identity (absent: the default credential). */
    readonly clientId?: string;
  };
}

/**
 * Name of the app setting that carries the manifest (JSON); {@link startRuntime} reads it at startup.
 *
 * @example
 * ```ts
 * const manifest = parseManifest(process.env[MANIFEST_SETTING]);
 * ```
 */
export const MANIFEST_SETTING = 'ATAKORA_MANIFEST';

/** Optional app setting: comma-separated Cosmos DB regions the runtime reads from first (`cosmosConfig.readLocation`). */
export const PREFERRED_LOCATIONS_SETTING = 'ATAKORA_COSMOS_PREFERRED_LOCATIONS';
