import type { EmbeddingModel } from './embedding-models.js';
import type { RuntimeEmail } from './email.js';
import type { RuntimeRelation } from './relations.js';
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
  /**
   * The environment deployed (`NormalizedConfig.environment`; dev's plan's under `atakora dev`): what the runtime
   * names itself by where an outside service sees several environments at once (Stripe meter event identifiers).
   * Absent in a manifest written before it was recorded → `dev`, the config's default.
   */
  readonly environment?: string;
  readonly entities: readonly RuntimeEntity[];
  /** Who may call and where the tenant comes from; absent → {@link DEFAULT_RUNTIME_AUTH} (authentication required). */
  readonly auth?: RuntimeAuth;
  /** What the served OpenAPI document (`GET api/openapi.json`) adds to the entities; absent → the entities alone. */
  readonly openapi?: RuntimeOpenApi;
  /** The FileStores the app serves (`FileStore.define`); absent → none. */
  readonly fileStores?: readonly RuntimeFileStore[];
  /**
   * The Web PubSub hub the app publishes to and mints client tokens for, when an entity is `realtime`; absent →
   * no `api/realtime/negotiate` route and nothing published.
   */
  readonly realtime?: RuntimeRealtime;
  /** The MCP server at `api/mcp` (`BackendConfig.mcp`); absent → none. */
  readonly mcp?: RuntimeMcp;
}

/**
 * The backend's MCP server as a Function App serves it: whether write tools exist at all. Its tool functions are
 * the app's HTTP functions with `mcp: { description }`, as the package registers them.
 *
 * @example
 * ```ts
 * const mcp: RuntimeMcp = { writes: false };
 * ```
 */
export interface RuntimeMcp {
  /** `BackendConfig.mcp.writes`: create, update and delete tools where a CrudApi says `mcp: 'readwrite'`. */
  readonly writes: boolean;
  /** `BackendConfig.mcp.authorization` after defaults: the backend's own authorization server; absent → none. */
  readonly authorization?: {
    readonly registration: boolean;
    readonly accessTokenMinutes: number;
    readonly refreshTokenDays: number;
    readonly grantsPerPerson: number;
  };
}

/**
 * One HTTP function offered as an MCP tool (`FunctionDefinition.mcp`).
 *
 * @example
 * ```ts
 * const fn: RuntimeMcpFunction = {
 *   componentId: 'Reports',
 *   name: 'Reports-ticket-stats',
 *   function: 'ticket-stats',
 *   route: 'tickets/stats',
 *   methods: ['GET'],
 *   description: 'Open and closed tickets of your organization.',
 * };
 * ```
 */
export interface RuntimeMcpFunction {
  readonly componentId: string;
  /** The registered function name (`<componentId>-<function>`). */
  readonly name: string;
  /** The function's own name (`FunctionsAppConfig.functions` key): the tool is named after it. */
  readonly function: string;
  readonly route: string;
  readonly methods: readonly string[];
  readonly description: string;
  /** The function's `requestSchema`: the tool's input schema (absent → any object). */
  readonly inputSchema?: Readonly<Record<string, unknown>>;
  /** Who may see and call it (absent → every signed-in caller), as the function's gate applies them. */
  readonly access?: readonly FunctionAccessRule[];
}

/**
 * Where a Function App publishes its realtime entities' changes: the hub of the backend's Web PubSub. The
 * service's endpoint is an app setting of each realtime entity (`settings.realtimeEndpoint`).
 *
 * @example
 * ```ts
 * const realtime: RuntimeRealtime = { hub: 'atakora' };
 * ```
 */
export interface RuntimeRealtime {
  /** The hub name (azurerm: a letter, then letters, digits, `_`, `,`, `.`, `[`, `]`, `` ` ``; at most 128). */
  readonly hub: string;
}

/**
 * The hub every backend's Web PubSub has (one service per backend, one hub in it): a letter, then letters, digits,
 * `_` … (azurerm v4.55.0 internal/services/signalr/validate/webpubsub_name.go, WebPubSubHubName).
 *
 * @example
 * ```ts
 * const realtime: RuntimeRealtime = { hub: REALTIME_HUB };
 * ```
 */
export const REALTIME_HUB = 'atakora';

/**
 * Optional app setting, set by `atakora dev` only: the access key of its loopback hub, with which the runtime signs
 * client tokens and REST calls as Web PubSub's key mode does. In Azure the service has local auth off and the
 * runtime uses its managed identity; this setting is never written there.
 *
 * @example
 * ```ts
 * const devKey = process.env[REALTIME_DEV_KEY_SETTING];
 * ```
 */
export const REALTIME_DEV_KEY_SETTING = 'ATAKORA_REALTIME_DEV_KEY';

/**
 * App setting apply writes on a realtime Function App of a backend with a tenant registry: the object id of the
 * Web PubSub's managed identity, the one principal `api/realtime/events` admits (runtime/realtime/service-events.ts).
 *
 * @example
 * ```ts
 * const servicePrincipal = process.env[REALTIME_SERVICE_PRINCIPAL_SETTING];
 * ```
 */
export const REALTIME_SERVICE_PRINCIPAL_SETTING = 'ATAKORA_REALTIME_SERVICE_PRINCIPAL';

/**
 * The part of the OpenAPI document the entities do not give: the API's sign-in (absent with `auth: 'none'`)
 * and the HTTP functions the same Function App hosts.
 *
 * @example
 * ```ts
 * const openapi: RuntimeOpenApi = {
 *   security: { tenantId: 'contoso.onmicrosoft.com', scope: 'api://1111…/user_impersonation' },
 *   functions: [],
 * };
 * ```
 */
export interface RuntimeOpenApi {
  readonly title?: string;
  readonly security?: { readonly tenantId: string; readonly scope: string };
  /** `atakora dev` only: its sign-in header, which the served document describes instead of `security`. */
  readonly devSignIn?: { readonly header: string };
  readonly functions?: readonly RuntimeHttpFunction[];
}

/**
 * An HTTP function as the OpenAPI document lists it: route (under `api/`), methods, and the JSON Schemas of
 * its bodies when its config gives them.
 *
 * @example
 * ```ts
 * const f: RuntimeHttpFunction = {
 *   componentId: 'Orders',
 *   name: 'Orders-submit',
 *   route: 'orders/submit',
 *   methods: ['POST'],
 * };
 * ```
 */
export interface RuntimeHttpFunction {
  readonly componentId: string;
  readonly name: string;
  readonly route: string;
  readonly methods: readonly string[];
  readonly requestSchema?: { readonly [keyword: string]: unknown };
  readonly responseSchema?: { readonly [keyword: string]: unknown };
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
  /**
   * Directories whose callers are admitted (the principal's `tid`), or `'any'`; absent → every directory App
   * Service authentication accepted (a single-tenant registration accepts only its own). A caller of another
   * directory gets 403 `tenant-not-allowed`, never data.
   */
  readonly allowedTenants?: readonly string[] | 'any';
  /**
   * With `auth.allowedTenants: 'registry'`: where the registry is and its plans (`BackendConfig.tenants`). The
   * allow-list is then empty, so a runtime that does not read the registry admits no other directory (closed).
   */
  readonly registry?: RuntimeTenantRegistry;
  /**
   * The backend's own directory (the publisher's): on a shared entity of a multi-tenant backend a `role` rule
   * holds only for callers of it unless the rule says `tenants: 'any'`. From {@link HOME_TENANT_SETTING}; absent →
   * no directory is home, so such role rules hold for nobody (closed, never open).
   */
  readonly homeTenant?: string;
  /**
   * The browser origins the MCP endpoint admits a request from (`Origin`; a request without one, an SDK client's,
   * always passes): the app's own sites as its CORS lists them ({@link SITE_ORIGINS_SETTING}) and, under
   * `atakora dev`, dev's ({@link DEV_ORIGINS_SETTING}). Known only at deploy, hence apart from the manifest; absent →
   * no browser origin is admitted (MCP 2025-11-25 basic/transports, "Security Warning": DNS rebinding).
   */
  readonly siteOrigins?: readonly string[];
  /**
   * With tenants by membership: the page an invitation's link opens ({@link ACCEPT_URL_SETTING}: `tenants.acceptUrl`,
   * else the backend's StaticSite's URL; under `atakora dev`, dev's site). Known only at deploy, hence apart from the
   * manifest; absent → the link is a site's only when the request's `Origin` is one of {@link siteOrigins}.
   */
  readonly acceptUrl?: string;
}

/**
 * Optional app setting: the backend's own Entra directory (tenant id), known only at deploy (the deploying
 * tenant), hence apart from the manifest. Written for multi-tenant backends.
 *
 * @example
 * ```ts
 * const home = process.env[HOME_TENANT_SETTING];
 * ```
 */
export const HOME_TENANT_SETTING = 'ATAKORA_HOME_TENANT';

/**
 * Optional app setting of an app serving MCP: its sites' browser origins, comma-separated — what its CORS admits
 * (`site_config.cors.allowed_origins` less `*`: the Static Web App and Front Door hosts, custom domains, configured
 * origins). Terraform references until deploy, hence apart from the manifest. The MCP endpoint answers a request
 * whose `Origin` is none of these (nor dev's) with 403.
 *
 * @example
 * ```ts
 * appSettings[SITE_ORIGINS_SETTING] = 'https://notes.contoso.com,https://red-sea-1.azurestaticapps.net';
 * ```
 */
export const SITE_ORIGINS_SETTING = 'ATAKORA_SITE_ORIGINS';

/**
 * App setting of a membership backend: the page an invitation's link opens (`tenants.acceptUrl`, else the
 * StaticSite's `https://` URL — a Terraform reference until deploy, hence apart from the manifest). The runtime
 * adds `?invitation=<token>`.
 *
 * @example
 * ```ts
 * appSettings[ACCEPT_URL_SETTING] = 'https://red-sea-1.azurestaticapps.net';
 * ```
 */
export const ACCEPT_URL_SETTING = 'ATAKORA_ACCEPT_URL';

/**
 * App setting naming the role of a Function App that runs the CRUD runtime. Absent: the shared app, every route.
 * `'scim'`: the SCIM app a membership backend gets beside it (resources/functions/scim-app): no App Service
 * authentication in front of it, so the runtime registers the SCIM protocol routes below `api/scim/v2` and
 * `api/health` alone, and nothing that reads App Service's principal headers (docs/security.md, "The SCIM app").
 *
 * @example
 * ```ts
 * appSettings[APP_ROLE_SETTING] = SCIM_APP_ROLE;
 * ```
 */
export const APP_ROLE_SETTING = 'ATAKORA_APP_ROLE';

/**
 * The {@link APP_ROLE_SETTING} value of the SCIM app.
 *
 * @example
 * ```ts
 * if (process.env[APP_ROLE_SETTING] === SCIM_APP_ROLE) console.log('the SCIM routes and health alone');
 * ```
 */
export const SCIM_APP_ROLE = 'scim';

/**
 * The dev worker's setting under `atakora dev`: the browser origins dev answers with CORS (`auth.devOrigins`,
 * `corsOrigins`, its sites' loopback origins), comma-separated — those its guard signs in, and those the MCP endpoint
 * admits beside {@link SITE_ORIGINS_SETTING}.
 *
 * @example
 * ```ts
 * const origins = (process.env[DEV_ORIGINS_SETTING] ?? '').split(',').filter(Boolean);
 * ```
 */
export const DEV_ORIGINS_SETTING = 'ATAKORA_DEV_ORIGINS';

/**
 * App setting of a Function App whose HTTP functions declare `data: [...]`: the declared CrudApis' component keys by
 * component id (JSON), so `dataOf<typeof backend>(request).<key>` finds the CrudApi its key names.
 *
 * @example
 * ```ts
 * const keys = JSON.parse(process.env[COMPONENT_KEYS_SETTING] ?? '{}'); // { TicketApi: 'tickets' }
 * ```
 */
export const COMPONENT_KEYS_SETTING = 'ATAKORA_COMPONENT_KEYS';

/**
 * The app setting that turns on App Service authentication's protected-resource metadata (preview) with the scopes
 * it names: the platform then serves {@link PROTECTED_RESOURCE_PATH} and its 401s carry `resource_metadata`
 * (Learn, "Configure built-in MCP server authorization", app-service/configure-authentication-mcp).
 *
 * @example
 * ```ts
 * appSettings[PRM_SCOPES_SETTING] = 'api://1111…/user_impersonation';
 * ```
 */
export const PRM_SCOPES_SETTING = 'WEBSITE_AUTH_PRM_DEFAULT_WITH_SCOPES';

/**
 * The app role that manages the tenant registry through `api/tenants` (list, register, change plan, suspend): held
 * by callers of the home directory only (an administrator of another directory assigns roles in their own
 * directory, so a role of theirs never counts). Declared on the API registration when `auth.allowedTenants` is
 * `'registry'`.
 *
 * @example
 * ```ts
 * caller.roles.includes(TENANT_ADMIN_ROLE); // a home-directory caller assigned TenantAdmin
 * ```
 */
export const TENANT_ADMIN_ROLE = 'TenantAdmin';

/**
 * App setting holding the caller policy ({@link RuntimeAuth} as JSON) for the FunctionsApps' HTTP functions, so a
 * Function App without CrudApis (no manifest) admits callers as the CRUD routes do.
 *
 * @example
 * ```ts
 * const policy = JSON.parse(process.env[AUTH_SETTING] ?? '{}');
 * ```
 */
export const AUTH_SETTING = 'ATAKORA_AUTH';

/**
 * An access rule of a FunctionsApp HTTP function (`FunctionDefinition.access`): `authenticated` — every signed-in
 * caller of an allowed directory (the default); `role` — callers holding the app role; `anonymous` — everyone,
 * signed in or not (the plan warns: the function then does its own checks).
 *
 * @example
 * ```ts
 * const access: FunctionAccessRule[] = [{ allow: 'role', role: 'OrderAdmin' }];
 * ```
 */
export type FunctionAccessRule =
  | { readonly allow: 'authenticated' }
  | { readonly allow: 'role'; readonly role: string }
  | { readonly allow: 'anonymous' };

/**
 * What the runtime assumes when the manifest says nothing about auth: the secure default.
 *
 * @example
 * ```ts
 * const auth = manifest.auth ?? DEFAULT_RUNTIME_AUTH;
 * ```
 */
export const DEFAULT_RUNTIME_AUTH: RuntimeAuth = Object.freeze({
  required: true,
  tenantClaim: 'tid',
  trustTenantHeader: false,
});

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

/** Every {@link CrudOperation}, in the order the plan and the manifest list them. */
export const CRUD_OPERATIONS: readonly CrudOperation[] = [
  'create',
  'read',
  'update',
  'delete',
  'list',
];

/**
 * An app role's value as access rules accept it: Entra ID takes no spaces and no leading dot (Learn "Add app roles
 * to your application", value property) and the value travels in a `roles` claim; we keep to a conservative subset.
 */
export const APP_ROLE_VALUE = /^[A-Za-z0-9_][A-Za-z0-9_.:-]{0,119}$/;

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
export type FieldType = (typeof FIELD_TYPES)[number];

/** Every {@link FieldType}: what CrudApi.define and the manifest's schema accept. */
export const FIELD_TYPES = [
  'string',
  'number',
  'integer',
  'boolean',
  'object',
  'array',
  'timestamp',
  'date',
] as const;

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
  /** Strings only: the values the field admits (a non-empty list of distinct strings). */
  readonly enum?: readonly string[];
  /** The value a stored item without the field reads with, and a create without it stores (JSON data). */
  readonly default?: unknown;
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
  /** The schema version writes store (`CrudApiConfig.schemaVersion`); absent → 1, no migrations. */
  readonly schemaVersion?: number;
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
  /**
   * Who may do what (`CrudApiConfig.access`); absent → `[{ allow: 'authenticated' }]`. A request is allowed when
   * any rule allows its operation; no rule widens beyond {@link RuntimeEntity.operations}.
   */
  readonly access?: readonly AccessRule[];
  /** The reserved item field holding the creator's `oid` (absent → `'ownerId'`). */
  readonly ownerField?: string;
  /**
   * The sorts `$orderby` may use (`CrudApiConfig.sortable`): each entry one field (length 1) or a composite sort
   * in its declared directions; absent → no `$orderby`.
   */
  readonly sortable?: readonly (readonly SortKey[])[];
  /** Relations to other CrudApis and FileStores of the backend (`CrudApiConfig.relations`); absent → none. */
  readonly relations?: readonly RuntimeRelation[];
  /** Names of the app settings holding this entity's Cosmos endpoint, database and container. */
  readonly settings: {
    readonly endpoint: string;
    readonly database: string;
    readonly container: string;
    /**
     * The app setting holding the client id of the component's own managed identity (absent: the
     * default credential).
     */
    readonly clientId?: string;
    /** The app setting holding the Web PubSub endpoint (`https://<name>.webpubsub.azure.com`), when `realtime`. */
    readonly realtimeEndpoint?: string;
  };
  /** `CrudApiConfig.realtime`: every acknowledged write is published to the readers of the item. Absent → false. */
  readonly realtime?: true;
  /** `CrudApiConfig.mcp`: its tools on the backend's MCP server; absent → `'read'` (when the backend serves MCP). */
  readonly mcp?: false | 'read' | 'readwrite';
  /** `CrudApiConfig.search`, checked: what `POST api/<route>/search` may rank by; absent → no search. */
  readonly search?: RuntimeSearch;
  /** `CrudApiConfig.audit`: each write recorded in the organization's audit log (runtime/crud/item-audit.ts). */
  readonly audit?: true;
}

/** The distances Cosmos DB's `VectorDistance` computes (`vectorEmbeddingPolicy.vectorEmbeddings[].distanceFunction`). */
export const VECTOR_DISTANCES = ['cosine', 'dotproduct', 'euclidean'] as const;
/** Cosmos DB's vector index types (`indexingPolicy.vectorIndexes[].type`). */
export const VECTOR_INDEX_TYPES = ['diskANN', 'quantizedFlat', 'flat'] as const;

/**
 * A CrudApi's search as the runtime reads it (`CrudApiConfig.search`, checked and with its defaults): the
 * full-text fields and their language, and the vector field with its dimensions, distance, index and embedding.
 *
 * @example
 * ```ts
 * const search: RuntimeSearch = {
 *   text: { fields: ['title', 'body'], language: 'en-US' },
 *   vector: { field: 'embedding', dimensions: 1536, distance: 'cosine', index: 'diskANN' },
 * };
 * ```
 */
export interface RuntimeSearch {
  readonly text?: { readonly fields: readonly string[]; readonly language: string };
  readonly vector?: {
    readonly field: string;
    readonly dimensions: number;
    readonly distance: (typeof VECTOR_DISTANCES)[number];
    readonly index: (typeof VECTOR_INDEX_TYPES)[number];
    /**
     * The item fields embedded into `field`, the Azure OpenAI embedding deployment that embeds them and its model
     * (whether the request may ask for `dimensions`: model/embedding-models.ts).
     */
    readonly embed?: {
      readonly from: readonly string[];
      readonly deployment: string;
      readonly model: EmbeddingModel;
    };
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

/**
 * What admission, tenancy and access rules read of a route's owner: a CrudApi's entity or a FileStore, which
 * pass the same checks (one implementation, in the runtime's caller/tenant-source.ts and runtime/access/scope.ts).
 *
 * @example
 * ```ts
 * const guarded: GuardedResource = { componentId: 'Attachments', entityName: 'Attachment', partitionKey: '/tenantId' };
 * ```
 */
export type GuardedResource = Pick<
  RuntimeEntity,
  'componentId' | 'entityName' | 'partitionKey' | 'tenancy' | 'access' | 'ownerField'
>;

/**
 * Optional app setting: comma-separated Cosmos DB regions the runtime reads from first
 * (`cosmosConfig.readLocation`).
 */
export const PREFERRED_LOCATIONS_SETTING = 'ATAKORA_COSMOS_PREFERRED_LOCATIONS';

/**
 * One access rule of a CrudApi (`CrudApiConfig.access`), as data: `owner` — the item's creator (the `oid` stamped
 * on create) may do the rule's operations on it; `role` — callers holding the app role (the token's `roles`
 * claim) may do them on every item of their tenant (on a shared entity of a multi-tenant backend: callers of the
 * backend's own directory, unless `tenants: 'any'`); `authenticated` — every signed-in caller of the tenant.
 * `operations` narrows the rule (default: every operation the CrudApi enables; never more).
 *
 * @example
 * ```ts
 * const access: AccessRule[] = [
 *   { allow: 'owner' },
 *   { allow: 'role', role: 'NoteAdmin' },
 *   { allow: 'authenticated', operations: ['read', 'list'] },
 * ];
 * ```
 */
export type AccessRule =
  | {
      readonly allow: 'owner';
      readonly operations?: readonly CrudOperation[];
      /** The rule applies only to tenants whose plan has this feature (docs/packaging.md). */
      readonly feature?: string;
    }
  | {
      readonly allow: 'authenticated';
      readonly operations?: readonly CrudOperation[];
      /** The rule applies only to tenants whose plan has this feature (docs/packaging.md). */
      readonly feature?: string;
    }
  | {
      readonly allow: 'role';
      readonly role: string;
      readonly operations?: readonly CrudOperation[];
      /** The rule applies only to tenants whose plan has this feature (docs/packaging.md). */
      readonly feature?: string;
      /**
       * Shared entities of a multi-tenant backend only: `'home'` (the default there) — the role counts for callers
       * of the backend's own directory only, since each customer's administrator assigns app roles in their own
       * directory; `'any'` — for callers of every allowed directory (the plan warns). Elsewhere every caller is
       * of one tenant's data anyway and this changes nothing.
       */
      readonly tenants?: 'home' | 'any';
    };

/**
 * What a CrudApi without `access` allows: every signed-in caller of the tenant, every enabled operation.
 *
 * @example
 * ```ts
 * const rules = entity.access ?? DEFAULT_ACCESS;
 * ```
 */
export const DEFAULT_ACCESS: readonly AccessRule[] = Object.freeze([
  Object.freeze({ allow: 'authenticated' as const }),
]);

/**
 * The reserved item field holding the creator's object id, unless `ownerField` renames it.
 *
 * @example
 * ```ts
 * const field = entity.ownerField ?? DEFAULT_OWNER_FIELD; // 'ownerId'
 * ```
 */
export const DEFAULT_OWNER_FIELD = 'ownerId';

/**
 * One field of a declared sort (`CrudApiConfig.sortable`), in Cosmos DB's composite-index words.
 *
 * @example
 * ```ts
 * const byPriceDesc: SortKey = { field: 'price', order: 'descending' };
 * ```
 */
export interface SortKey {
  readonly field: string;
  readonly order: 'ascending' | 'descending';
}

/**
 * Optional app setting: the API's sign-in for the served OpenAPI document (`{ tenantId, scope }` as JSON). Apart
 * from the manifest because its values are Terraform references until deploy (the registration's client id, the
 * deploying tenant), which the manifest must never hold.
 *
 * @example
 * ```ts
 * const security = JSON.parse(process.env[OPENAPI_SECURITY_SETTING] ?? 'null');
 * ```
 */
export const OPENAPI_SECURITY_SETTING = 'ATAKORA_OPENAPI_SECURITY';

/**
 * One FileStore as the runtime serves it: its routes under `api/<route>`, the limits it checks, the same
 * access rules and tenancy as a CrudApi's, and the app settings naming its blob endpoint, container and identity.
 *
 * @example
 * ```ts
 * const store: RuntimeFileStore = {
 *   componentId: 'Attachments', entityName: 'Attachment', route: 'attachments', maxSizeBytes: 10 * 1024 * 1024,
 *   contentTypes: ['image/png', 'application/pdf'], partitionKey: '/tenantId',
 *   settings: { endpoint: 'ATTACHMENTS_BLOB_ENDPOINT', container: 'ATTACHMENTS_FILES_CONTAINER' },
 * };
 * ```
 */
export interface RuntimeFileStore {
  readonly componentId: string;
  /** The singular the messages use (`Attachment`). */
  readonly entityName: string;
  /** URL segment under `api/`. */
  readonly route: string;
  readonly maxSizeBytes: number;
  /** Declared, not completed uploads one caller may have at a time; absent → 10. */
  readonly maxPendingUploads?: number;
  /** Accepted media types (`image/png`, `image/*`); absent → any. */
  readonly contentTypes?: readonly string[];
  /** `/tenantId` (isolated, the default) or `/id` with `tenancy: 'shared'` — read as a CrudApi's. */
  readonly partitionKey: string;
  readonly tenancy?: 'isolated' | 'shared';
  readonly access?: readonly AccessRule[];
  readonly ownerField?: string;
  readonly settings: {
    /** The app setting holding the blob endpoint of the files account (`https://<account>.blob.core.windows.net/`). */
    readonly endpoint: string;
    readonly container: string;
    readonly clientId?: string;
  };
}

/**
 * The tenant registry as the runtime reads it (`auth.allowedTenants: 'registry'`): its container in the default
 * account (reached through any entity's endpoint setting) and the plans of `BackendConfig.tenants`.
 *
 * @example
 * ```ts
 * const registry: RuntimeTenantRegistry = {
 *   database: 'atakora', container: 'tenants', usage: 'usage', plans: { free: {} }, defaultPlan: 'free', signUp: 'invite',
 * };
 * ```
 */
export interface RuntimeTenantRegistry {
  readonly database: string;
  readonly container: string;
  /** The usage ledger's container, in the same database (keyed by `/tenant`). */
  readonly usage: string;
  readonly plans: Readonly<Record<string, RuntimeTenantPlan>>;
  readonly defaultPlan: string;
  readonly signUp: 'invite' | 'open';
  readonly perUser?: { readonly requestsPerMinute?: number; readonly realtimeConnections?: number };
  /**
   * With `tenants.by: 'membership'`: the registry's records are organizations, and the request's tenant is the
   * organization it names (`X-Atakora-Tenant`) among the caller's memberships, kept in `container` beside the
   * registry. Absent → the registry's records are directories (`auth.allowedTenants: 'registry'`).
   */
  readonly membership?: RuntimeMembership;
  /** With `tenants.billing`: what the billing timer sends to Stripe (runtime/billing). */
  readonly billing?: RuntimeBilling;
  /** With `tenants.billing.marketplace`: the SaaS offer sold on Azure Marketplace (runtime/marketplace). */
  readonly marketplace?: RuntimeMarketplace;
  /**
   * How each plan is sold, for `GET api/plans` (runtime/tenants/plan-offers.ts): its fee, whether Checkout sells it,
   * per seat, the trial. Absent when no plan declares a fee or a Stripe price (every plan then priced as none).
   */
  readonly prices?: Readonly<Record<string, RuntimePlanPrice>>;
}

/**
 * How one plan is sold as `GET api/plans` shows it (never a bound the runtime enforces): `monthlyFeeUsd`, whether a
 * Stripe price sells it (`checkout`: `POST api/tenant/billing/checkout` can start), per seat, its trial days.
 *
 * @example
 * ```ts
 * const team: RuntimePlanPrice = { monthlyUsd: 15, checkout: true, perSeat: true, trialDays: 14 };
 * ```
 */
export interface RuntimePlanPrice {
  readonly monthlyUsd?: number;
  readonly checkout?: boolean;
  readonly perSeat?: boolean;
  readonly trialDays?: number;
}

/**
 * The Azure Marketplace offer as the runtime reads it: the offer, the publisher tenant and fulfillment app (its
 * client secret in the app setting `secret` names), each Marketplace plan id → our plan, each meter's dimension, each
 * plan's included quantities, and what an unsubscription does.
 *
 * @example
 * ```ts
 * const m: RuntimeMarketplace = {
 *   offer: 'contoso-notes', publisherTenantId: '72f988bf-…', clientId: '1111…', secret: 'MARKETPLACE_SECRET',
 *   plans: { 'pro-monthly': 'pro' }, dimensions: { requests: 'api_calls' }, included: { pro: { requests: 1000 } },
 *   onCanceled: 'default-plan',
 * };
 * ```
 */
export interface RuntimeMarketplace {
  readonly offer: string;
  readonly publisherTenantId: string;
  readonly clientId: string;
  readonly secret: string;
  /** Marketplace plan id → our plan. */
  readonly plans: Readonly<Record<string, string>>;
  readonly dimensions: {
    readonly requests?: string;
    readonly requestUnits?: string;
    readonly storedGbHours?: string;
    readonly realtimeMessages?: string;
  };
  /** Our plan → the quantity per meter its base fee includes per billing term. */
  readonly included: Readonly<
    Record<
      string,
      {
        readonly requests?: number;
        readonly requestUnits?: number;
        readonly storedGbHours?: number;
        readonly realtimeMessages?: number;
      }
    >
  >;
  readonly onCanceled: 'default-plan' | 'suspend';
}

/**
 * The billing export as the runtime reads it: the app setting holding the Stripe key (a Key Vault reference in
 * Azure) and each declared meter's Stripe event name.
 *
 * @example
 * ```ts
 * const billing: RuntimeBilling = { secret: 'STRIPE_KEY', meters: { requests: 'api_requests' } };
 * ```
 */
export interface RuntimeBilling {
  readonly secret: string;
  readonly meters: {
    readonly requests?: string;
    readonly requestUnits?: string;
    readonly storedGbHours?: string;
    readonly realtimeMessages?: string;
  };
  /** With `tenants.billing.stripe.webhookSecret`: subscriptions drive plans (runtime/billing/subscriptions). */
  readonly subscriptions?: RuntimeSubscriptions;
}

/**
 * Subscriptions as the runtime applies them: the app setting holding the webhook's signing secret, each plan's
 * Stripe price (price id → plan name) and what an unpaid or canceled subscription does.
 *
 * @example
 * ```ts
 * const s: RuntimeSubscriptions = {
 *   webhookSecret: 'STRIPE_WEBHOOK_SECRET', prices: { price_1Pro: 'pro' }, onCanceled: 'default-plan',
 * };
 * ```
 */
export interface RuntimeSubscriptions {
  readonly webhookSecret: string;
  readonly prices: Readonly<Record<string, string>>;
  readonly onCanceled: 'default-plan' | 'suspend';
  /**
   * `tenants.billing.returnUrl`: where Checkout and the portal send the customer back (absent: the page invitation
   * links open, `RuntimeAuth.acceptUrl`, else the API's own origin — never the request's `Origin`).
   */
  readonly returnUrl?: string;
  /**
   * The per-seat prices (`plans.<n>.stripe.perSeat`): a subscription on one has the organization's members as its
   * quantity, kept equal on every join and removal (runtime/billing/seat-quantity.ts).
   */
  readonly perSeat?: readonly string[];
  /** Trial days a Checkout on each price gives (`plans.<n>.stripe.trialDays`, by price id). */
  readonly trialDays?: Readonly<Record<string, number>>;
}

/** The webhook Stripe posts subscription events to, under `api/` (anonymous to App Service, signed by Stripe). */
export const STRIPE_WEBHOOK_ROUTE = 'billing/stripe';

/** A Stripe price id as Stripe issues it: `price_` then letters and digits (object ids are at most 255). */
export const STRIPE_PRICE_ID = /^price_[A-Za-z0-9]{1,249}$/;

/**
 * Tenants by membership as the runtime reads them: the `members` container (keyed by `/tenant`, beside the
 * registry), the roles a membership may hold besides `Owner`, and who may create an organization.
 *
 * @example
 * ```ts
 * const membership: RuntimeMembership = { container: 'members', roles: ['Admin', 'Member'], createTenants: 'operator' };
 * ```
 */
export interface RuntimeMembership {
  readonly container: string;
  readonly roles: readonly string[];
  readonly createTenants: 'any-user' | 'operator';
  /** How many organizations one user may own (absent: `DEFAULT_MAX_ORGANIZATIONS_PER_USER`, 10). */
  readonly maxOrganizationsPerUser?: number;
  /** Days an Owner-deleted organization stays restorable (absent: `DEFAULT_DELETE_AFTER_DAYS`, 30). */
  readonly deleteAfterDays?: number;
  /** With `tenants.email`: invitations are sent as e-mail (model/email.ts). */
  readonly email?: RuntimeEmail;
  /** The shared audit log's container (keyed by `/tenant`, beside the registry); absent in older manifests. */
  readonly audit?: string;
  /**
   * Work accounts of every directory sign in (`auth.signInAudience: 'AzureADMultipleOrgs'`): an Owner may link their
   * organization to their own Entra directory (`api/tenant/directory`). Absent on a single-tenant or a customers
   * (External ID) sign-in, where every user's `tid` is the same directory (docs/enterprise.md).
   */
  readonly directorySignIn?: boolean;
  /** `tenants.apiKeys` (absent: keys with the runtime's defaults, on plans with the `api-keys` feature). */
  readonly apiKeys?: RuntimeApiKeys;
}

/**
 * Organization API keys' bounds as the runtime reads them (`tenants.apiKeys`; absent fields: the defaults).
 *
 * @example
 * ```ts
 * const keys: RuntimeApiKeys = { perOrganization: 20, maxDays: 365 };
 * ```
 */
export interface RuntimeApiKeys {
  /** How many keys one organization may hold (absent: `DEFAULT_API_KEYS_PER_ORGANIZATION`, 20). */
  readonly perOrganization?: number;
  /** The roles a key may act with (absent: every membership role; never `Owner`). */
  readonly roles?: readonly string[];
  /** The longest life of a key in days (absent: a key may never expire). */
  readonly maxDays?: number;
}

/**
 * One plan's bounds (absent: unbounded), as `BackendConfig.tenants.plans` says.
 *
 * @example
 * ```ts
 * const pro: RuntimeTenantPlan = { requestsPerMinute: 6000, storageMb: 10_000 };
 * ```
 */
export interface RuntimeTenantPlan {
  readonly requestsPerMinute?: number;
  readonly requestUnitsPerDay?: number;
  readonly storageMb?: number;
  readonly realtimeConnections?: number;
  /** Days an audit log entry of a tenant on this plan is kept (absent: 90). */
  readonly auditRetentionDays?: number;
  /** The features the plan includes (model/plans/plan-features.ts `featuresOf`: absent on every plan → all of them). */
  readonly features?: readonly string[];
  /** Seats: members an organization may have, over every door that admits a person (runtime/members/seats/seats.ts). */
  readonly members?: number;
  /** Items an organization may hold per CrudApi (by component id), reserved per create (runtime/limits/item-room.ts). */
  readonly items?: Readonly<Record<string, number>>;
}

/**
 * The Web PubSub hub's event handler (POST and the abuse-protection OPTIONS), under `api/`: registered on a
 * Function App serving a realtime CrudApi of a backend with a tenant registry; only the backend's own Web PubSub
 * may call it (runtime/realtime/service-events.ts). It records live connections for the connection bounds.
 *
 * @example
 * ```ts
 * const urlTemplate = `https://${host}/api/${REALTIME_EVENTS_ROUTE}`;
 * ```
 */
export const REALTIME_EVENTS_ROUTE = 'realtime/events';

/**
 * The system events the hub posts to the runtime in Azure (azurerm v4.55.0 web_pubsub_hub_resource.go: the schema's
 * `system_events` set accepts `connect`, `connected`, `disconnected`): the two that are not blocking. `connect` is
 * left out on purpose: its answer decides whether a client connects at all (Learn, "CloudEvents extension for Azure
 * Web PubSub event handler with HTTP protocol"), so a Function App on a cold start, or an abuse-protection handshake
 * App Service authentication turns away (Azure/azure-webpubsub#141: the OPTIONS carries no token), would stop every
 * realtime client of every tenant. Without it the bounds still count live sockets — negotiate refuses at the bound
 * from the `connected`/`disconnected` items — and a failed delivery only leaves connections uncounted, never
 * refused. `atakora dev`'s hub posts `connect` too (its runtime is always warm), refusing a reused token's extra
 * socket at once.
 */
export const HUB_SYSTEM_EVENTS = ['connected', 'disconnected'] as const;

// The billing export's meters and Stripe's event names (model/billing.ts has the rest): here, where the config's
// rules, the manifest's schema and the runtime all read them.

/**
 * The usage a backend can meter, as `tenants.billing.stripe.meters` names them, in the order reports list them.
 *
 * @example
 * ```ts
 * METER_KEYS.includes('requests'); // true
 * ```
 */
export const METER_KEYS = [
  'requests',
  'requestUnits',
  'storedGbHours',
  'realtimeMessages',
] as const;

/** One of {@link METER_KEYS}. */
export type MeterKey = (typeof METER_KEYS)[number];

/**
 * A Stripe meter's `event_name`: at most 100 characters (Stripe API reference, "Create a billing meter event",
 * `event_name`: "Max length: 100"); printable ASCII without a space, so it prints and logs as one word.
 */
export const STRIPE_EVENT_NAME = /^[\x21-\x7e]{1,100}$/;
