import { AtakoraError } from '../model/errors.js';
import type { CrudOperation, FieldType, RuntimeEntity, RuntimeManifest } from '../model/runtime-manifest.js';
import { CRUD_OPERATIONS, MANIFEST_SETTING } from '../model/runtime-manifest.js';
import { HEALTH_ROUTE } from '../contract/routes.js';

const FIELD_TYPES: readonly FieldType[] = ['string', 'number', 'integer', 'boolean', 'object', 'array', 'timestamp', 'date'];
// Function names and routes are built from these; the host rejects anything outside them.
const COMPONENT_ID = /^[A-Za-z][A-Za-z0-9_-]{0,100}$/;
const ROUTE = /^[A-Za-z0-9][A-Za-z0-9_-]*(?:\/[A-Za-z0-9][A-Za-z0-9_-]*)*$/;
// One top-level field: it is interpolated into queries as c["field"] and read as item[field].
const PARTITION_KEY = /^\/[A-Za-z_][A-Za-z0-9_]*$/;
/** Routes the runtime itself owns. */
const RESERVED_ROUTES = [HEALTH_ROUTE];

type Path = (string | number)[];

function invalid(message: string, path: Path): never {
  throw new AtakoraError('RUNTIME_CONFIG_INVALID', message, { path: [MANIFEST_SETTING, ...path] });
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function str(v: unknown, path: Path, pattern?: RegExp): string {
  if (typeof v !== 'string' || v.length === 0) invalid('expected a non-empty string', path);
  if (pattern && !pattern.test(v)) invalid(`"${v}" does not match ${pattern}`, path);
  return v;
}

function checkSchema(schema: unknown, path: Path): void {
  if (!isObject(schema)) invalid('expected an object of field specs', path);
  for (const [name, spec] of Object.entries(schema)) {
    if (!isObject(spec)) invalid('expected { type, required }', [...path, name]);
    if (!FIELD_TYPES.includes(spec.type as FieldType)) invalid(`unknown field type ${JSON.stringify(spec.type)}`, [...path, name, 'type']);
    if (typeof spec.required !== 'boolean') invalid('expected a boolean', [...path, name, 'required']);
    if (spec.maxLength !== undefined && !(Number.isSafeInteger(spec.maxLength) && (spec.maxLength as number) >= 0)) {
      invalid('expected a non-negative integer', [...path, name, 'maxLength']);
    }
  }
}

// A sorted field is written into ORDER BY as c["field"]: a plain name only.
const SORT_FIELD = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** `sortable`: lists of { field, order } (the declared sorts `$orderby` may use). */
function checkSortable(sortable: unknown, path: Path): void {
  if (!Array.isArray(sortable)) invalid('expected an array of sorts', path);
  sortable.forEach((keys: unknown, i) => {
    if (!Array.isArray(keys) || keys.length === 0) invalid('expected a non-empty array of { field, order }', [...path, i]);
    keys.forEach((k: unknown, j) => {
      if (!isObject(k) || typeof k.field !== 'string' || !SORT_FIELD.test(k.field) || (k.order !== 'ascending' && k.order !== 'descending')) {
        invalid("expected { field: a field name, order: 'ascending' | 'descending' }", [...path, i, j]);
      }
    });
  });
}

function checkEntity(e: unknown, path: Path): RuntimeEntity {
  assertEntity(e, path);
  return e;
}

/** Every field {@link RuntimeEntity} declares, checked one by one ({@link invalid} throws). */
function assertEntity(e: unknown, path: Path): asserts e is RuntimeEntity {
  if (!isObject(e)) invalid('expected an entity object', path);
  str(e.componentId, [...path, 'componentId'], COMPONENT_ID);
  str(e.entityName, [...path, 'entityName']);
  const route = str(e.route, [...path, 'route'], ROUTE);
  if (RESERVED_ROUTES.includes(route.toLowerCase())) invalid(`route "${route}" is reserved by the runtime`, [...path, 'route']);
  str(e.partitionKey, [...path, 'partitionKey'], PARTITION_KEY);
  checkSchema(e.schema, [...path, 'schema']);
  if (!Array.isArray(e.operations) || e.operations.some((o) => !CRUD_OPERATIONS.includes(o as CrudOperation))) {
    invalid(`expected an array of ${CRUD_OPERATIONS.join(', ')}`, [...path, 'operations']);
  }
  if (e.unknownFields !== 'reject' && e.unknownFields !== 'keep') invalid("expected 'reject' or 'keep'", [...path, 'unknownFields']);
  if (e.ttl !== undefined && !(e.ttl === -1 || (Number.isSafeInteger(e.ttl) && (e.ttl as number) > 0))) {
    invalid('expected -1 or a positive integer (seconds)', [...path, 'ttl']);
  }
  // Absent means isolated; anything but the two words would be read as isolated too, so it is refused instead.
  if (e.tenancy !== undefined && e.tenancy !== 'isolated' && e.tenancy !== 'shared') invalid("expected 'isolated' or 'shared'", [...path, 'tenancy']);
  if (e.tenancy === 'shared' && e.partitionKey === '/tenantId') invalid("a /tenantId entity cannot be shared", [...path, 'tenancy']);
  if (e.cache !== undefined) {
    const c = e.cache;
    if (!isObject(c) || typeof c.enabled !== 'boolean' || typeof c.ttlSeconds !== 'number' || !(c.ttlSeconds >= 0)) {
      invalid('expected { enabled: boolean, ttlSeconds: number >= 0 }', [...path, 'cache']);
    }
  }
  checkAccess(e, path);
  if (e.sortable !== undefined) checkSortable(e.sortable, [...path, 'sortable']);
  if (!isObject(e.settings)) invalid('expected { endpoint, database, container }', [...path, 'settings']);
  for (const key of ['endpoint', 'database', 'container'] as const) str(e.settings[key], [...path, 'settings', key]);
}

const ALLOW = ['owner', 'role', 'authenticated'];
/** The owner field is interpolated into queries as c["field"]: a plain identifier only. */
const OWNER_FIELD = /^[A-Za-z_][A-Za-z0-9_]{0,63}$/;

/** `access` and `ownerField` of an entity (CrudApiConfig.access): refused when malformed, never read as "allow all". */
function checkAccess(e: Record<string, unknown>, path: Path): void {
  if (e.ownerField !== undefined) str(e.ownerField, [...path, 'ownerField'], OWNER_FIELD);
  if (e.access === undefined) return;
  if (!Array.isArray(e.access) || e.access.length === 0) invalid('expected a non-empty array of access rules', [...path, 'access']);
  e.access.forEach((r: unknown, i) => {
    const at = [...path, 'access', i];
    if (!isObject(r) || !ALLOW.includes(r.allow as string)) invalid("expected { allow: 'owner' | 'role' | 'authenticated' }", at);
    if (r.allow === 'role') str(r.role, [...at, 'role']);
    if (r.operations !== undefined && (!Array.isArray(r.operations) || r.operations.some((o) => !CRUD_OPERATIONS.includes(o as CrudOperation)))) {
      invalid(`expected an array of ${CRUD_OPERATIONS.join(', ')}`, [...at, 'operations']);
    }
  });
}

/** A FileStore entry: what its handlers and blob resolver rely on. */
function checkFileStore(f: unknown, path: Path): void {
  if (!isObject(f)) invalid('expected an object', path);
  str(f.componentId, [...path, 'componentId'], COMPONENT_ID);
  str(f.entityName, [...path, 'entityName']);
  str(f.route, [...path, 'route'], ROUTE);
  if (RESERVED_ROUTES.includes(f.route as string)) invalid(`"${String(f.route)}" is a route the runtime owns`, [...path, 'route']);
  if (!(Number.isSafeInteger(f.maxSizeBytes) && (f.maxSizeBytes as number) > 0)) invalid('expected a positive integer', [...path, 'maxSizeBytes']);
  if (f.contentTypes !== undefined && !(Array.isArray(f.contentTypes) && f.contentTypes.every((t) => typeof t === 'string'))) invalid('expected an array of media types', [...path, 'contentTypes']);
  str(f.partitionKey, [...path, 'partitionKey'], PARTITION_KEY);
  if (f.tenancy !== undefined && f.tenancy !== 'isolated' && f.tenancy !== 'shared') invalid("expected 'isolated' or 'shared'", [...path, 'tenancy']);
  checkAccess(f, path);
  if (!isObject(f.settings)) invalid('expected { endpoint, container }', [...path, 'settings']);
  str(f.settings.endpoint, [...path, 'settings', 'endpoint']);
  str(f.settings.container, [...path, 'settings', 'container']);
}

/**
 * Parse and validate the manifest from the `ATAKORA_MANIFEST` app setting. Everything the runtime later
 * relies on is checked here, once, so a bad deployment fails at startup with a path rather than on the
 * first request.
 *
 * @throws AtakoraError `RUNTIME_CONFIG_INVALID` (path starts with `ATAKORA_MANIFEST`).
 * @example
 * ```ts
 * const manifest = parseManifest(process.env[MANIFEST_SETTING]);
 * ```
 */
export function parseManifest(json: string | undefined): RuntimeManifest {
  if (json === undefined || json.trim() === '') invalid('the app setting is missing or empty', []);
  let raw: unknown;
  try {
    raw = JSON.parse(json);
  } catch (e) {
    invalid(`not valid JSON: ${(e as Error).message}`, []);
  }
  if (!isObject(raw)) invalid('expected a JSON object', []);
  if (raw.version !== 1) invalid(`unsupported version ${JSON.stringify(raw.version)} (expected 1)`, ['version']);
  str(raw.backendId, ['backendId']);
  if (!Array.isArray(raw.entities)) invalid('expected an array', ['entities']);
  const entities = raw.entities.map((e, i) => checkEntity(e, ['entities', i]));
  const seen = new Map<string, number>();
  entities.forEach((e, i) => {
    for (const key of [`id:${e.componentId.toLowerCase()}`, `route:${e.route.toLowerCase()}`]) {
      if (seen.has(key)) invalid(`duplicate ${key.split(':')[0] === 'id' ? 'componentId' : 'route'} "${key.slice(key.indexOf(':') + 1)}"`, ['entities', i]);
      seen.set(key, i);
    }
  });
  if (raw.fileStores !== undefined) {
    if (!Array.isArray(raw.fileStores)) invalid('expected an array', ['fileStores']);
    raw.fileStores.forEach((f, i) => {
      checkFileStore(f, ['fileStores', i]);
      const store = f as { componentId: string; route: string };
      for (const key of [`id:${store.componentId.toLowerCase()}`, `route:${store.route.toLowerCase()}`]) {
        if (seen.has(key)) invalid(`duplicate ${key.split(':')[0] === 'id' ? 'componentId' : 'route'} "${key.slice(key.indexOf(':') + 1)}"`, ['fileStores', i]);
        seen.set(key, i);
      }
    });
  }
  // version, backendId, auth and every entity were checked above; TypeScript cannot follow those checks.
  return raw as unknown as RuntimeManifest;
}
