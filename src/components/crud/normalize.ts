import { AtakoraError } from '../../model/errors.js';
import { checkKnownKeys, isNonEmptyListOf, keysOf } from '../check-keys.js';
import { HANDLER_PATTERN } from '../functions/normalize.js';
import { checkIndexingPolicy } from './indexing-policy.js';
import { checkIdField } from './id-field.js';
import { detailedFieldSpec } from './field-spec.js';
import { networkRanges } from '../network-ranges.js';
import { checkSchemaVersions, type NormalizedVersions } from './schema-versions.js';
import { checkSeedOption, type SeedOption } from './seed-option.js';
import {
  CRUD_OPERATIONS,
  type CrudOperation,
  type FieldSpec,
  type FieldType,
} from '../../model/runtime-manifest.js';
import type { CrudApiConfig, FieldDefinition } from './config.js';
import { stripRoutePrefix } from '../../kit/pure/http-route.js';
import { type AccessRule, FIELD_TYPES } from '../../model/runtime-manifest.js';
import { normalizeAccess } from './access.js';
import { frozenPlainData } from '../../kit/pure/plain-data.js';
import { isFieldPath, PARTITION_KEY_PATH } from '../../model/field-names.js';

/** The keys of {@link CrudApiConfig} (and of its nested objects); anything else is a CONFIG_UNKNOWN_KEY. */
const CRUD_KEYS = keysOf<CrudApiConfig>()([
  'entityName',
  'schema',
  'partitionKey',
  'ttl',
  'enableServerless',
  'throughput',
  'operations',
  'databaseName',
  'containerName',
  'uniqueKeys',
  'indexingPolicy',
  'consistency',
  'cache',
  'healthCheck',
  'unknownFields',
  'priority',
  'route',
  'tenancy',
  'access',
  'ownerField',
  'sortable',
  'onChange',
  'relations',
  'schemaVersion',
  'migrations',
  'seed',
  'realtime',
  'allowedIpRanges',
  'mcp',
  'search',
  'audit',
]);
const FIELD_KEYS = keysOf<Exclude<FieldDefinition, string>>()([
  'type',
  'required',
  'maxLength',
  'enum',
  'default',
]);
const CACHE_KEYS = keysOf<NonNullable<CrudApiConfig['cache']>>()(['enabled', 'ttl']);
const HEALTH_KEYS = keysOf<NonNullable<CrudApiConfig['healthCheck']>>()([
  'path',
  'interval',
  'timeout',
  'unhealthyThreshold',
]);
/**
 * Cosmos DB's container default TTL: -1 (on, items never expire unless they carry their own `ttl`) or a
 * nonzero positive number of seconds up to 2147483647; 0 and other negatives are rejected by the service.
 * https://learn.microsoft.com/azure/cosmos-db/time-to-live (and ContainerProperties.DefaultTimeToLive).
 */
export const MAX_COSMOS_TTL = 2_147_483_647;
const TTL_DOC = 'https://learn.microsoft.com/azure/cosmos-db/time-to-live';

/**
 * One shared, plain and frozen spec per type and requiredness (a spec without maxLength is nothing else): the
 * runtime entity's plain copy then keeps them as they are instead of copying three objects per CrudApi.
 */
const FIELD_SPECS = new Map<string, FieldSpec>();

function plainFieldSpec(type: FieldType, required: boolean): FieldSpec {
  const key = `${type}|${required}`;
  let spec = FIELD_SPECS.get(key);
  if (!spec) FIELD_SPECS.set(key, (spec = frozenPlainData({ type, required })));
  return spec;
}

/** A CrudApi config checked and with defaults filled in. */
export interface NormalizedCrudConfig {
  readonly entityName: string;
  readonly schema: Readonly<Record<string, FieldSpec>>;
  readonly partitionKey: string;
  readonly operations: readonly CrudOperation[];
  readonly databaseName: string;
  readonly containerName: string;
  /** URL segment: `User` → `users`, `AuditLog` → `audit-logs`. */
  readonly route: string;
  /** Whether each item belongs to the caller's tenant (see CrudApiConfig.tenancy). */
  readonly tenancy: 'isolated' | 'shared';
  /** The access rules (`[{ allow: 'authenticated' }]` when none were written). */
  readonly access: readonly AccessRule[];
  /** Whether `access` was written. */
  readonly accessExplicit: boolean;
  /** The `onChange` module path, trimmed (its file is checked when the package is built). */
  readonly onChange?: string;
  /** The reserved field holding the creator's `oid` (default `ownerId`). */
  readonly ownerField: string;
  /** `schemaVersion` and its migration modules (version 1, none, when not written). */
  readonly versions: NormalizedVersions;
  /** The seed file(s), shape checked (the files are read by `atakora dev` and `atakora seed`). */
  readonly seed?: SeedOption;
  /** `realtime: true`: writes are published to readers (checked: a boolean, on an API that reads). */
  readonly realtime: boolean;
  /** `allowedIpRanges`, canonical (absent: any address). */
  readonly allowedIpRanges?: readonly string[];
  /** `mcp` as written (checked); absent → `'read'` wherever the backend serves MCP. */
  readonly mcp?: false | 'read' | 'readwrite';
  /** `audit: true`: each write recorded in the organization's audit log (checked: a boolean). */
  readonly audit: boolean;
}

/**
 * Check a CrudApi config at `define` time, so a mistake points at the definition, not at apply.
 * Throws an {@link AtakoraError} with the path of the bad field.
 */
// Module-level, not a closure per call: the bundle's keepNames names each inline closure with a defineProperty.
const at = (id: string, ...p: (string | number)[]): (string | number)[] => [
  'components',
  id,
  'config',
  ...p,
];

export function normalizeCrudConfig(id: string, config: CrudApiConfig): NormalizedCrudConfig {
  const entityName = checkEntityName(id, config);
  const schema = normalizeSchema(id, config.schema);
  const partitionKey = checkPartitionKey(id, config, schema);
  const operations = checkOperations(id, config);
  checkIdField(id, schema['id'], operations);
  checkContainerOptions(id, config);
  checkHealthPath(id, config.healthCheck);
  const tenancy = checkTenancy(id, config, partitionKey);
  const access = normalizeAccess(id, config, partitionKey);
  const lower = entityName.toLowerCase();
  const route =
    config.route === undefined
      ? pluralize(entityName.replace(/([a-z0-9])([A-Z])/g, '$1-$2').toLowerCase())
      : checkRoute(id, config.route, at(id, 'route'));
  return {
    tenancy,
    access: access.access,
    accessExplicit: access.explicit,
    ownerField: access.ownerField,
    entityName,
    schema,
    partitionKey,
    operations: CRUD_OPERATIONS.filter((o) => operations.includes(o)),
    databaseName: config.databaseName ?? `${lower}-db`,
    containerName: config.containerName ?? lower,
    route,
    ...(config.onChange === undefined ? {} : { onChange: checkOnChange(id, config.onChange) }),
    versions: checkSchemaVersions(id, config.schemaVersion, config.migrations),
    ...(config.seed === undefined ? {} : { seed: checkSeedOption(id, config.seed) }),
    realtime: checkRealtime(id, config.realtime, operations),
    ...networkRanges('CrudApi', id, config.allowedIpRanges),
    ...(config.mcp === undefined ? {} : { mcp: checkMcp(id, config.mcp) }),
    audit: checkAudit(id, config.audit),
  };
}

/** The config is an object of known keys with an entityName of letters and digits. */
function checkEntityName(id: string, config: CrudApiConfig): string {
  if (!config || typeof config !== 'object' || Array.isArray(config)) {
    throw new AtakoraError('CONFIG_NOT_OBJECT', `CrudApi ${id}: the config must be an object.`, {
      path: at(id),
    });
  }
  checkKnownKeys(config, CRUD_KEYS, at(id), `CrudApi ${id}`);
  const { entityName } = config;
  if (typeof entityName !== 'string' || entityName.trim() === '') {
    throw new AtakoraError('CRUD_ENTITY_NAME_MISSING', `CrudApi ${id} has no entityName.`, {
      path: at(id, 'entityName'),
    });
  }
  if (!/^[A-Za-z][A-Za-z0-9]*$/.test(entityName)) {
    throw new AtakoraError(
      'CRUD_ENTITY_NAME_INVALID',
      `CrudApi ${id}: entityName "${entityName}" must be letters and digits, starting with a letter.`,
      { path: at(id, 'entityName') },
    );
  }
  return entityName;
}

/** The schema's fields checked, each as the runtime reads it (shared plain specs where nothing else is set). */
function normalizeSchema(id: string, schemaIn: CrudApiConfig['schema']): Record<string, FieldSpec> {
  if (
    !schemaIn ||
    typeof schemaIn !== 'object' ||
    Array.isArray(schemaIn) ||
    Object.keys(schemaIn).length === 0
  ) {
    throw new AtakoraError(
      'CRUD_SCHEMA_INVALID',
      `CrudApi ${id}: schema must be an object with at least one field.`,
      { path: at(id, 'schema') },
    );
  }
  const schema: Record<string, FieldSpec> = {};
  for (const [field, def] of Object.entries(schemaIn)) {
    const type =
      typeof def === 'string' ? def : def && typeof def === 'object' ? def.type : undefined;
    if (!FIELD_TYPES.includes(type as FieldType)) {
      throw new AtakoraError(
        'CRUD_FIELD_TYPE_UNKNOWN',
        `CrudApi ${id}: field "${field}" has unknown type ${JSON.stringify(type)}.`,
        { path: at(id, 'schema', field) },
      );
    }
    const obj = typeof def === 'object' ? def : undefined;
    if (obj)
      checkKnownKeys(obj, FIELD_KEYS, at(id, 'schema', field), `CrudApi ${id}: field "${field}"`);
    schema[field] =
      obj && (obj.maxLength !== undefined || obj.default !== undefined || obj.enum !== undefined)
        ? detailedFieldSpec(id, field, { ...obj, type: type as FieldType })
        : plainFieldSpec(type as FieldType, obj?.required === true);
  }
  return schema;
}

/** The partition key checked; a schema field it names becomes required. */
function checkPartitionKey(
  id: string,
  config: CrudApiConfig,
  schema: Record<string, FieldSpec>,
): string {
  const partitionKey = config.partitionKey ?? '/id';
  if (typeof partitionKey !== 'string' || !PARTITION_KEY_PATH.test(partitionKey)) {
    throw new AtakoraError(
      'CRUD_PARTITION_KEY_INVALID',
      `CrudApi ${id}: partition key ${JSON.stringify(partitionKey)} must be one top-level field with a ` +
        `leading "/", e.g. "/id" or "/tenantId" (nested and hierarchical keys are not supported).`,
      { path: at(id, 'partitionKey') },
    );
  }
  const pkField = partitionKey.slice(1);
  const pkSpec = pkField !== 'id' ? schema[pkField] : undefined;
  if (pkSpec)
    schema[pkField] =
      pkSpec.maxLength !== undefined || pkSpec.default !== undefined || pkSpec.enum !== undefined
        ? { ...pkSpec, required: true }
        : plainFieldSpec(pkSpec.type, true);
  return partitionKey;
}

function checkOperations(id: string, config: CrudApiConfig): readonly CrudOperation[] {
  const operations = config.operations ?? CRUD_OPERATIONS;
  if (!isNonEmptyListOf(operations, CRUD_OPERATIONS)) {
    throw new AtakoraError(
      'CRUD_OPERATIONS_INVALID',
      `CrudApi ${id}: operations ${JSON.stringify(operations)} must be a non-empty list of ` +
        `${CRUD_OPERATIONS.join(', ')}.`,
      { path: at(id, 'operations') },
    );
  }
  // isNonEmptyListOf narrowed it to a list of CrudOperation.
  return operations;
}

/** The container's options: throughput, ttl, cache and healthCheck objects, indexing policy, unique keys. */
function checkContainerOptions(id: string, config: CrudApiConfig): void {
  if (
    config.throughput !== undefined &&
    (typeof config.throughput !== 'number' || !Number.isInteger(config.throughput))
  ) {
    throw new AtakoraError('CONFIG_INVALID', `CrudApi ${id}: throughput must be an integer.`, {
      path: at(id, 'throughput'),
    });
  }
  const { ttl } = config;
  if (
    ttl !== undefined &&
    (typeof ttl !== 'number' ||
      !Number.isInteger(ttl) ||
      ttl === 0 ||
      ttl < -1 ||
      ttl > MAX_COSMOS_TTL)
  ) {
    throw new AtakoraError(
      'CONFIG_INVALID',
      `CrudApi ${id}: ttl ${JSON.stringify(ttl)} is not a Cosmos DB time to live; it must be -1 or a whole ` +
        `number of seconds from 1 to ${MAX_COSMOS_TTL}.`,
      {
        path: at(id, 'ttl'),
        resolution:
          `Use ttl: -1 (expiry on, items expire only with their own ttl), a positive number of seconds such as ` +
          `86400, or leave ttl out (no expiry). See ${TTL_DOC}.`,
      },
    );
  }
  for (const [k, v, keys] of [
    ['cache', config.cache, CACHE_KEYS],
    ['healthCheck', config.healthCheck, HEALTH_KEYS],
  ] as const) {
    if (v === undefined) continue;
    if (!v || typeof v !== 'object' || Array.isArray(v))
      throw new AtakoraError('CONFIG_INVALID', `CrudApi ${id}: ${k} must be an object.`, {
        path: at(id, k),
      });
    checkKnownKeys(v, keys, at(id, k), `CrudApi ${id}: ${k}`);
  }
  if (
    config.throughput !== undefined &&
    (config.throughput < 400 || config.throughput % 100 !== 0)
  ) {
    throw new AtakoraError(
      'CRUD_THROUGHPUT_INVALID',
      `CrudApi ${id}: throughput ${config.throughput} must be a multiple of 100, at least 400.`,
      { path: at(id, 'throughput') },
    );
  }
  if (config.throughput !== undefined && config.enableServerless === true) {
    throw new AtakoraError(
      'CRUD_THROUGHPUT_INVALID',
      `CrudApi ${id}: a serverless account takes no throughput.`,
      { path: at(id, 'throughput') },
    );
  }
  if (config.indexingPolicy !== undefined) checkIndexingPolicy(id, config.indexingPolicy);
  if (
    config.uniqueKeys !== undefined &&
    (!Array.isArray(config.uniqueKeys) ||
      config.uniqueKeys.some((k) => typeof k !== 'string' || !isFieldPath(k)))
  ) {
    throw new AtakoraError(
      'CONFIG_INVALID',
      `CrudApi ${id}: uniqueKeys must be a list of paths such as "/email".`,
      { path: at(id, 'uniqueKeys') },
    );
  }
}

function checkHealthPath(id: string, health: CrudApiConfig['healthCheck']): void {
  if (health !== undefined) {
    // The runtime serves one health route, GET /api/health (the Functions host prefixes routes with /api).
    // String(): from JavaScript the path may be any value, and the check below must reach its message.
    const path =
      health.path === undefined
        ? '/api/health'
        : // eslint-disable-next-line @typescript-eslint/no-unnecessary-type-conversion
          `/${String(health.path).replace(/^\/+/, '')}`.replace(/^\/(?!api\/)/, '/api/');
    if (path !== '/api/health') {
      throw new AtakoraError(
        'CONFIG_INVALID',
        `CrudApi ${id}: healthCheck.path ${JSON.stringify(health.path)} is not served; the runtime answers ` +
          `health checks at /api/health.`,
        {
          path: at(id, 'healthCheck', 'path'),
          resolution:
            "Use healthCheck: { path: '/health' } (served as /api/health) or leave the path out.",
        },
      );
    }
  }
}

function checkTenancy(
  id: string,
  config: CrudApiConfig,
  partitionKey: string,
): 'isolated' | 'shared' {
  const tenancy = config.tenancy ?? 'isolated';
  if (tenancy !== 'isolated' && tenancy !== 'shared') {
    throw new AtakoraError(
      'CONFIG_INVALID',
      `CrudApi ${id}: tenancy ${JSON.stringify(tenancy)} must be 'isolated' or 'shared'.`,
      {
        path: at(id, 'tenancy'),
        resolution:
          "Leave tenancy out (each tenant sees only its own items) or write tenancy: 'shared' (every caller " +
          'sees every item).',
      },
    );
  }
  if (tenancy === 'shared' && partitionKey === '/tenantId') {
    throw new AtakoraError(
      'CONFIG_INVALID',
      `CrudApi ${id}: tenancy 'shared' contradicts partitionKey '/tenantId', which confines every item to its tenant.`,
      {
        path: at(id, 'tenancy'),
        resolution:
          "Remove tenancy: 'shared', or partition the shared entity by another field (e.g. '/id').",
      },
    );
  }
  return tenancy;
}

/** `realtime` is a boolean; on an API nobody can read (no `read` or `list`) it would publish to no one. */
function checkRealtime(
  id: string,
  realtime: unknown,
  operations: readonly CrudOperation[],
): boolean {
  if (realtime === undefined || realtime === false) return false;
  if (realtime !== true)
    throw new AtakoraError(
      'CONFIG_INVALID',
      `CrudApi ${id}: realtime must be true or false (got ${JSON.stringify(realtime)}).`,
      { path: at(id, 'realtime'), resolution: 'Write realtime: true to publish its changes live.' },
    );
  if (!operations.includes('read') && !operations.includes('list'))
    throw new AtakoraError(
      'CONFIG_INVALID',
      `CrudApi ${id}: realtime needs an operation that reads (read or list); its operations are ` +
        `${operations.join(', ') || 'none'}, so no caller could be sent its changes.`,
      {
        path: at(id, 'realtime'),
        resolution: "Add 'read' or 'list' to operations, or leave realtime out.",
      },
    );
  return true;
}

/** `onChange`'s shape only, as a FunctionsApp handler's: definitions and plans never read the disk. */
function checkOnChange(id: string, onChange: unknown): string {
  if (typeof onChange !== 'string' || !HANDLER_PATTERN.test(onChange.trim())) {
    throw new AtakoraError(
      'CRUD_ON_CHANGE_INVALID',
      `CrudApi ${id}: onChange must be a module path like './src/on-change.ts' or './src/on-change.ts#name' ` +
        `(got ${JSON.stringify(onChange)}).`,
      {
        path: at(id, 'onChange'),
        resolution:
          "Write onChange: './src/on-change.ts' (its default export runs after each change) or " +
          "'./src/changes.ts#onBooking' for a named export.",
      },
    );
  }
  return onChange.trim();
}

/** The runtime's manifest accepts these route segments (src/runtime/manifest-loader.ts ROUTE). */
const ROUTE_SEGMENTS = /^[A-Za-z0-9][A-Za-z0-9_-]*(?:\/[A-Za-z0-9][A-Za-z0-9_-]*)*$/;

/** A `route` option: segments the runtime accepts, without the host's `api/` prefix, not the runtime's own. */
export function checkRoute(id: string, route: unknown, path: (string | number)[]): string {
  const stripped = typeof route === 'string' ? stripRoutePrefix(route.trim()) : '';
  const problem =
    typeof route !== 'string'
      ? 'must be a string'
      : !ROUTE_SEGMENTS.test(stripped)
        ? 'must be path segments of letters, digits, "-" and "_" separated by "/", without a leading "/" or parameters'
        : stripped.toLowerCase() === 'health'
          ? "is the runtime's health route"
          : undefined;
  if (problem) {
    throw new AtakoraError(
      'CONFIG_INVALID',
      `CrudApi ${id}: route ${JSON.stringify(route)} ${problem}.`,
      {
        path,
        resolution:
          "Write the path under api/, e.g. route: 'admin/users' (served at /api/admin/users and " +
          '/api/admin/users/{id}).',
      },
    );
  }
  return stripped;
}

/** English plural of a URL segment, good enough for entity names. */
export function pluralize(word: string): string {
  if (/[^aeiou]y$/.test(word)) return `${word.slice(0, -1)}ies`;
  if (/(s|x|z|ch|sh)$/.test(word)) return `${word}es`;
  return `${word}s`;
}

/** `mcp` is `false`, `'read'` or `'readwrite'`. */
function checkAudit(id: string, audit: unknown): boolean {
  if (audit === undefined || typeof audit === 'boolean') return audit === true;
  throw new AtakoraError(
    'CRUD_AUDIT_INVALID',
    `CrudApi ${id}: audit must be true or false (got ${JSON.stringify(audit)}).`,
    {
      path: at(id, 'audit'),
      resolution:
        "Write audit: true to record this API's writes in the organization's audit log, or leave it out.",
    },
  );
}

function checkMcp(id: string, mcp: unknown): false | 'read' | 'readwrite' {
  if (mcp === false || mcp === 'read' || mcp === 'readwrite') return mcp;
  throw new AtakoraError(
    'CONFIG_INVALID',
    `CrudApi ${id}: mcp must be false, 'read' or 'readwrite' (got ${JSON.stringify(mcp)}).`,
    {
      path: at(id, 'mcp'),
      resolution: "Write mcp: 'read' (list, get, count tools), 'readwrite' (and writes), or false.",
    },
  );
}
