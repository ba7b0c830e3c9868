/**
 * Every option of `CrudApi.define`, as the source text the type-check bench (bench/typecheck.ts) writes into each
 * call of its builder chain, so tsc meets what each option asks of the types (relations and sorts name the
 * schema's fields, migrations key versions, seeds map environments). The keys are CrudApiConfig's own: a new
 * option makes this object incomplete, which `test/bench/typecheck-options.test.ts` reports (and tsc, here),
 * so the chain keeps covering every option. A value need not make a backend worth deploying, only a well-typed
 * call; `entityName` and `schema` are written by the bench itself.
 */
import type { CrudApiConfig } from '../../src/components/crud/config.js';

/** The options besides the two every call has. */
export type CrudOption = Exclude<keyof CrudApiConfig, 'entityName' | 'schema'>;

/** The schema each chained CrudApi declares: the fields the options below name. */
export const CHAIN_SCHEMA =
  "{ id: 'string', name: 'string', parentId: 'string', ownerId: 'string', price: 'number' }";

/** Option → its value's source text for the i-th CrudApi of the chain (`Api${i}`; i − 1 is its parent). */
export const CRUD_OPTION_SOURCE: { readonly [K in CrudOption]-?: (i: number) => string } = {
  partitionKey: () => "'/tenantId'",
  search: () => "{ text: ['name'] }",
  ttl: () => '3600',
  enableServerless: () => 'false',
  throughput: () => '400',
  route: (i) => `'items-${i}'`,
  operations: () => "['create', 'read', 'update', 'delete', 'list']",
  databaseName: () => "'app'",
  containerName: (i) => `'items${i}'`,
  uniqueKeys: () => "['/name']",
  indexingPolicy: () => "{ indexingMode: 'consistent', excludedPaths: [{ path: '/price/?' }] }",
  consistency: () => "'Session'",
  cache: () => '{ enabled: true, ttl: 60 }',
  healthCheck: () => "{ path: '/api/health', interval: 60 }",
  onChange: () => "'./handlers/on-change.ts'",
  schemaVersion: () => '2',
  migrations: () => "{ 2: './migrations/item-v2.ts' }",
  seed: () => "{ dev: './seed/items.dev.json' }",
  unknownFields: () => "'reject'",
  priority: () => '10',
  tenancy: () => "'isolated'",
  access: () => "[{ allow: 'owner' }, { allow: 'role', role: 'ItemAdmin' }]",
  ownerField: () => "'ownerId'",
  sortable: () => "['price', ['name', 'price desc']]",
  realtime: () => 'true',
  allowedIpRanges: () => "['203.0.113.0/24']",
  mcp: () => "'readwrite'",
  audit: () => 'true',
  relations: (i) =>
    i === 0
      ? "{ children: { hasMany: 'Api1', field: 'parentId', onDelete: 'cascade' } }"
      : `{ parent: { belongsTo: 'Api${i - 1}', field: 'parentId' } }`,
};

/**
 * The options of the i-th chained CrudApi, as an object literal's entries (`key: value, …`).
 *
 * @example
 * ```ts
 * `CrudApi.define('Api0', { entityName: 'E0', schema: ${CHAIN_SCHEMA}, ${crudOptionsSource(0)} })`;
 * ```
 */
export function crudOptionsSource(i: number): string {
  return Object.entries(CRUD_OPTION_SOURCE)
    .map(([k, v]) => `${k}: ${v(i)}`)
    .join(', ');
}
