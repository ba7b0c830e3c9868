import { EMBEDDING_MODELS, type EmbeddingModel } from './embedding-models.js';
import { EMAIL_FROM, type RuntimeEmail } from './email.js';
import {
  FIELD_NAME,
  PARTITION_KEY_PATH,
  isOwnerFieldName,
  OWNER_FIELD_MAX_LENGTH,
} from './field-names.js';
import {
  APP_ROLE_VALUE,
  CRUD_OPERATIONS,
  type AccessRule,
  type FieldSpec,
  FIELD_TYPES,
  type RuntimeMcp,
  type RuntimeAuth,
  type RuntimeEntity,
  type RuntimeFileStore,
  type RuntimeHttpFunction,
  type RuntimeManifest,
  type RuntimeOpenApi,
  type RuntimeRealtime,
  type RuntimeSearch,
  VECTOR_DISTANCES,
  VECTOR_INDEX_TYPES,
  type RuntimeTenantPlan,
  type RuntimePlanPrice,
  type RuntimeTenantRegistry,
  type RuntimeBilling,
  type RuntimeSubscriptions,
  type RuntimeMarketplace,
  STRIPE_EVENT_NAME,
  type RuntimeApiKeys,
  type RuntimeMembership,
  type SortKey,
} from './runtime-manifest.js';
import { RELATION_NAME, type RuntimeRelation } from './relations.js';
import { FEATURE_NAME } from './plans/plan-features.js';
import { GUID, MARKETPLACE_DIMENSION_ID, MARKETPLACE_ID } from './marketplace.js';
import {
  array,
  boolean,
  exactSchema,
  literal,
  number,
  object,
  optional,
  record,
  refine,
  string,
  tagged,
  union,
  unknown,
  type SchemaIssue,
} from './schema.js';

// Function names and routes are built from these; the Functions host rejects anything outside them.
const COMPONENT_ID = /^[A-Za-z][A-Za-z0-9_-]{0,100}$/;
const ROUTE = /^[A-Za-z0-9][A-Za-z0-9_-]*(?:\/[A-Za-z0-9][A-Za-z0-9_-]*)*$/;

const operations = array(literal(...CRUD_OPERATIONS));
const tenancy = literal('isolated', 'shared');
// Interpolated into queries as c["field"] and read as item[field]: a plain name only.
const ownerField = refine(string({ pattern: FIELD_NAME }), (name) =>
  isOwnerFieldName(name)
    ? []
    : [{ path: [], message: `expected at most ${OWNER_FIELD_MAX_LENGTH} characters` }],
);

const fieldSpec = exactSchema<FieldSpec>()(
  object({
    type: literal(...FIELD_TYPES),
    required: boolean(),
    maxLength: optional(number({ integer: true, min: 0 })),
    enum: optional(array(string())),
    default: optional(unknown()),
  }),
);

const featureName = string({ pattern: FEATURE_NAME });
const accessRule = exactSchema<AccessRule>()(
  tagged('allow', {
    owner: object({
      allow: literal('owner'),
      operations: optional(operations),
      feature: optional(featureName),
    }),
    authenticated: object({
      allow: literal('authenticated'),
      operations: optional(operations),
      feature: optional(featureName),
    }),
    role: object({
      allow: literal('role'),
      role: string({ pattern: APP_ROLE_VALUE }),
      operations: optional(operations),
      tenants: optional(literal('home', 'any')),
      feature: optional(featureName),
    }),
  }),
);

const sortKey = exactSchema<SortKey>()(
  object({ field: string({ pattern: FIELD_NAME }), order: literal('ascending', 'descending') }),
);

const relation = exactSchema<RuntimeRelation>()(
  object({
    name: string({ pattern: RELATION_NAME }),
    kind: literal('belongsTo', 'hasMany', 'file'),
    target: string({ pattern: COMPONENT_ID }),
    field: string({ pattern: FIELD_NAME }),
    onDelete: optional(literal('restrict', 'cascade')),
  }),
);

/** Absent tenancy means isolated, which a /tenantId entity is by its key; `shared` there would contradict it. */
function sharedTenantKey(resource: {
  readonly partitionKey: string;
  readonly tenancy?: 'isolated' | 'shared';
}): SchemaIssue[] {
  return resource.tenancy === 'shared' && resource.partitionKey === '/tenantId'
    ? [{ path: ['tenancy'], message: 'a /tenantId entity cannot be shared' }]
    : [];
}

const fieldName = string({ pattern: FIELD_NAME });
const EMBEDDING_MODEL_NAMES = Object.keys(EMBEDDING_MODELS) as EmbeddingModel[];
const search = exactSchema<RuntimeSearch>()(
  object({
    text: optional(object({ fields: array(fieldName, { minItems: 1 }), language: string() })),
    vector: optional(
      object({
        field: fieldName,
        dimensions: number({ integer: true, min: 1 }),
        distance: literal(...VECTOR_DISTANCES),
        index: literal(...VECTOR_INDEX_TYPES),
        embed: optional(
          object({
            from: array(fieldName, { minItems: 1 }),
            deployment: string(),
            model: literal(...EMBEDDING_MODEL_NAMES),
          }),
        ),
      }),
    ),
  }),
);

const entity = exactSchema<RuntimeEntity>()(
  refine(
    object({
      componentId: string({ pattern: COMPONENT_ID }),
      entityName: string(),
      route: string({ pattern: ROUTE }),
      partitionKey: string({ pattern: PARTITION_KEY_PATH }),
      schema: record(fieldSpec),
      schemaVersion: optional(number({ integer: true, min: 1 })),
      operations,
      unknownFields: literal('reject', 'keep'),
      ttl: optional(
        union('-1 or a positive integer (seconds)', literal(-1), number({ integer: true, min: 1 })),
      ),
      cache: optional(object({ enabled: boolean(), ttlSeconds: number({ min: 0 }) })),
      tenancy: optional(tenancy),
      access: optional(array(accessRule, { minItems: 1 })),
      ownerField: optional(ownerField),
      sortable: optional(array(array(sortKey, { minItems: 1 }))),
      relations: optional(array(relation)),
      settings: object({
        endpoint: string(),
        database: string(),
        container: string(),
        clientId: optional(string()),
        realtimeEndpoint: optional(string()),
      }),
      realtime: optional(literal(true)),
      mcp: optional(literal(false, 'read', 'readwrite')),
      search: optional(search),
      audit: optional(literal(true)),
    }),
    sharedTenantKey,
  ),
);

const fileStore = exactSchema<RuntimeFileStore>()(
  refine(
    object({
      componentId: string({ pattern: COMPONENT_ID }),
      entityName: string(),
      route: string({ pattern: ROUTE }),
      maxSizeBytes: number({ integer: true, min: 1 }),
      maxPendingUploads: optional(number({ integer: true, min: 1 })),
      contentTypes: optional(array(string())),
      partitionKey: string({ pattern: PARTITION_KEY_PATH }),
      tenancy: optional(tenancy),
      access: optional(array(accessRule, { minItems: 1 })),
      ownerField: optional(ownerField),
      settings: object({ endpoint: string(), container: string(), clientId: optional(string()) }),
    }),
    sharedTenantKey,
  ),
);

// azurerm v4.55.0 internal/services/signalr/validate/webpubsub_name.go, WebPubSubHubName.
const realtime = exactSchema<RuntimeRealtime>()(
  object({ hub: string({ pattern: /^[A-Za-z][A-Za-z0-9_`,.[\]]{0,127}$/ }) }),
);

const bound = optional(number({ integer: true, min: 1 }));
const tenantPlan = exactSchema<RuntimeTenantPlan>()(
  object({
    requestsPerMinute: bound,
    requestUnitsPerDay: bound,
    storageMb: bound,
    // 0: no live connection (config.ts TenantPlan.realtimeConnections).
    realtimeConnections: optional(number({ integer: true, min: 0 })),
    auditRetentionDays: bound,
    features: optional(array(featureName)),
    members: bound,
    items: optional(record(number({ integer: true, min: 1 }))),
  }),
);
const dimensions = {
  requests: optional(string({ pattern: MARKETPLACE_DIMENSION_ID })),
  requestUnits: optional(string({ pattern: MARKETPLACE_DIMENSION_ID })),
  storedGbHours: optional(string({ pattern: MARKETPLACE_DIMENSION_ID })),
  realtimeMessages: optional(string({ pattern: MARKETPLACE_DIMENSION_ID })),
};
const quantity = optional(number({ integer: true, min: 0 }));
const marketplace = exactSchema<RuntimeMarketplace>()(
  object({
    offer: string({ pattern: MARKETPLACE_ID }),
    publisherTenantId: string({ pattern: GUID }),
    clientId: string({ pattern: GUID }),
    secret: string({ pattern: /^[A-Z][A-Z0-9_]*$/ }),
    plans: record(string()),
    dimensions: object(dimensions),
    included: record(
      object({
        requests: quantity,
        requestUnits: quantity,
        storedGbHours: quantity,
        realtimeMessages: quantity,
      }),
    ),
    onCanceled: literal('default-plan', 'suspend'),
  }),
);
const registry = exactSchema<RuntimeTenantRegistry>()(
  object({
    database: string(),
    container: string(),
    usage: string(),
    plans: record(tenantPlan),
    defaultPlan: string(),
    signUp: literal('invite', 'open'),
    perUser: optional(object({ requestsPerMinute: bound, realtimeConnections: bound })),
    billing: optional(
      exactSchema<RuntimeBilling>()(
        object({
          secret: string({ pattern: /^[A-Z][A-Z0-9_]*$/ }),
          meters: object({
            requests: optional(string({ pattern: STRIPE_EVENT_NAME })),
            requestUnits: optional(string({ pattern: STRIPE_EVENT_NAME })),
            storedGbHours: optional(string({ pattern: STRIPE_EVENT_NAME })),
            realtimeMessages: optional(string({ pattern: STRIPE_EVENT_NAME })),
          }),
          subscriptions: optional(
            exactSchema<RuntimeSubscriptions>()(
              object({
                webhookSecret: string({ pattern: /^[A-Z][A-Z0-9_]*$/ }),
                prices: record(string()),
                onCanceled: literal('default-plan', 'suspend'),
                returnUrl: optional(string()),
                perSeat: optional(array(string())),
                trialDays: optional(record(number({ integer: true, min: 1 }))),
              }),
            ),
          ),
        }),
      ),
    ),
    marketplace: optional(marketplace),
    prices: optional(
      record(
        exactSchema<RuntimePlanPrice>()(
          object({
            monthlyUsd: optional(number({ min: 0 })),
            checkout: optional(boolean()),
            perSeat: optional(boolean()),
            trialDays: bound,
          }),
        ),
      ),
    ),
    membership: optional(
      exactSchema<RuntimeMembership>()(
        object({
          container: string(),
          roles: array(string({ pattern: APP_ROLE_VALUE })),
          createTenants: literal('any-user', 'operator'),
          maxOrganizationsPerUser: bound,
          deleteAfterDays: bound,
          email: optional(
            exactSchema<RuntimeEmail>()(
              object({
                from: string({ pattern: EMAIL_FROM }),
                domain: string(),
                invitationsPerDay: number({ integer: true, min: 1 }),
              }),
            ),
          ),
          audit: optional(string()),
          directorySignIn: optional(boolean()),
          apiKeys: optional(
            exactSchema<RuntimeApiKeys>()(
              object({
                perOrganization: bound,
                roles: optional(array(string({ pattern: APP_ROLE_VALUE }))),
                maxDays: bound,
              }),
            ),
          ),
        }),
      ),
    ),
  }),
);

const auth = exactSchema<RuntimeAuth>()(
  object({
    required: boolean(),
    tenantClaim: string(),
    trustTenantHeader: boolean(),
    allowedTenants: optional(
      union("a list of tenant ids or 'any'", array(string()), literal('any')),
    ),
    registry: optional(registry),
    homeTenant: optional(string()),
    siteOrigins: optional(array(string())),
    acceptUrl: optional(string()),
  }),
);

const jsonSchema = record(unknown());
const httpFunction = exactSchema<RuntimeHttpFunction>()(
  object({
    componentId: string(),
    name: string(),
    // The function app's root route is the empty string.
    route: union('a route (a string)', string(), literal('')),
    methods: array(string()),
    requestSchema: optional(jsonSchema),
    responseSchema: optional(jsonSchema),
  }),
);

const openapi = exactSchema<RuntimeOpenApi>()(
  object({
    title: optional(string()),
    security: optional(object({ tenantId: string(), scope: string() })),
    devSignIn: optional(object({ header: string() })),
    functions: optional(array(httpFunction)),
  }),
);

const mcp = exactSchema<RuntimeMcp>()(
  object({
    writes: boolean(),
    authorization: optional(
      object({
        registration: boolean(),
        accessTokenMinutes: number({ integer: true, min: 1 }),
        refreshTokenDays: number({ integer: true, min: 1 }),
        grantsPerPerson: number({ integer: true, min: 1 }),
      }),
    ),
  }),
);

/** A componentId or route served twice (case-insensitively, as the host matches routes) would shadow the other. */
function duplicates(manifest: RuntimeManifest): SchemaIssue[] {
  const issues: SchemaIssue[] = [];
  const seen = new Set<string>();
  const served = [
    ...manifest.entities.map((e, i) => ({ at: ['entities', i], e })),
    ...(manifest.fileStores ?? []).map((e, i) => ({ at: ['fileStores', i], e })),
  ];
  for (const { at, e } of served) {
    for (const [what, value] of [
      ['componentId', e.componentId],
      ['route', e.route],
    ] as const) {
      const key = `${what}:${value.toLowerCase()}`;
      if (seen.has(key)) issues.push({ path: at, message: `duplicate ${what} "${value}"` });
      seen.add(key);
    }
  }
  return issues;
}

/**
 * The runtime manifest ({@link RuntimeManifest}) as a schema: apply and `atakora dev` write values of exactly its
 * type, and the runtime parses the `ATAKORA_MANIFEST` app setting with it (`parseManifest`), so what one writes
 * the other reads, field for field, and anything else is refused at start-up with the path of every problem.
 *
 * @example
 * ```ts
 * const r = parseWith(RUNTIME_MANIFEST_SCHEMA, JSON.parse(setting));
 * if (!r.ok) for (const issue of r.issues) console.error(issue.path.join('.'), issue.message);
 * ```
 */
export const RUNTIME_MANIFEST_SCHEMA = exactSchema<RuntimeManifest>()(
  refine(
    object({
      version: literal(1),
      backendId: string(),
      environment: optional(string()),
      entities: array(entity),
      auth: optional(auth),
      openapi: optional(openapi),
      fileStores: optional(array(fileStore)),
      realtime: optional(realtime),
      mcp: optional(mcp),
    }),
    duplicates,
  ),
);
