import type { RuntimeEntity } from '../../../src/model/runtime-manifest.js';

const ALL = ['create', 'read', 'update', 'delete', 'list'] as const;

export function settings(prefix: string) {
  return {
    endpoint: `${prefix}_COSMOS_ENDPOINT`,
    database: `${prefix}_COSMOS_DATABASE`,
    container: `${prefix}_COSMOS_CONTAINER`,
  };
}

// The fixtures below declare tenancy: 'shared' unless they test isolation: their tests are about other
// things (schema, HTTP, faults, caching) and call without a tenant. isolatedUserEntity is the default shape.

/** Partitioned by /id; a schema with every field type; shared by all tenants. */
export const userEntity: RuntimeEntity = {
  componentId: 'UserApi',
  entityName: 'User',
  route: 'users',
  partitionKey: '/id',
  schema: {
    id: { type: 'string', required: true },
    name: { type: 'string', required: true, maxLength: 20 },
    age: { type: 'integer', required: false },
    score: { type: 'number', required: false },
    active: { type: 'boolean', required: false },
    tags: { type: 'array', required: false },
    profile: { type: 'object', required: false },
    createdAt: { type: 'timestamp', required: false },
    birthday: { type: 'date', required: false },
    count: { type: 'integer', required: false },
  },
  operations: ALL,
  unknownFields: 'reject',
  tenancy: 'shared',
  settings: settings('USER_API'),
};

/** The same entity as the default CrudApi deploys it: isolated per tenant although partitioned by /id. */
export const isolatedUserEntity: RuntimeEntity = (({ tenancy: _shared, ...rest }) => rest)(
  userEntity,
);

/** Multi-tenant: partitioned by /tenantId. */
export const noteEntity: RuntimeEntity = {
  componentId: 'NoteApi',
  entityName: 'Note',
  route: 'notes',
  partitionKey: '/tenantId',
  schema: {
    title: { type: 'string', required: true },
    body: { type: 'string', required: false },
    count: { type: 'integer', required: false },
  },
  operations: ALL,
  unknownFields: 'reject',
  settings: settings('NOTE_API'),
};

/** Partitioned by another field, passed as ?pk= / x-partition-key; unknown fields kept. */
export const orderEntity: RuntimeEntity = {
  componentId: 'OrderApi',
  entityName: 'Order',
  route: 'orders',
  partitionKey: '/region',
  schema: { region: { type: 'string', required: true }, total: { type: 'number', required: true } },
  operations: ALL,
  unknownFields: 'keep',
  ttl: 3600,
  cache: { enabled: true, ttlSeconds: 60 },
  tenancy: 'shared',
  settings: settings('ORDER_API'),
};

/** Read-only: create/update/delete disabled. */
export const catalogEntity: RuntimeEntity = {
  componentId: 'CatalogApi',
  entityName: 'Product',
  route: 'products',
  partitionKey: '/id',
  schema: { name: { type: 'string', required: true } },
  operations: ['read', 'list'],
  unknownFields: 'reject',
  tenancy: 'shared',
  settings: settings('CATALOG_API'),
};
