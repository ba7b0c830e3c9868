import type { FieldSpec, FieldType, RuntimeEntity } from '../model/runtime-manifest.js';
import { at } from '../model/at.js';

/**
 * A JSON Schema (2020-12, the dialect of OpenAPI 3.1) as plain data.
 *
 * @example
 * ```ts
 * const s: JsonSchema = { type: 'string', maxLength: 254 };
 * ```
 */
export type JsonSchema = { readonly [keyword: string]: unknown };

/**
 * Fields the runtime owns on every entity: clients may read them, never write them (a body that sets one is a
 * 400 `forbidden-key` or 403). `tenantId` is stamped from the caller's tenant, `ownerId` from the caller's `oid`.
 *
 * @example
 * ```ts
 * RESERVED_FIELDS.includes('tenantId'); // true
 * ```
 */
export const RESERVED_FIELDS: readonly string[] = Object.freeze(['tenantId', 'ownerId']);

/**
 * The JSON Schema of one field type, as the runtime validates it (src/runtime/values/field-types.ts).
 *
 * @example
 * ```ts
 * fieldJsonSchema({ type: 'date', required: true }); // { type: 'string', format: 'date' }
 * fieldJsonSchema({ type: 'string', enum: ['todo', 'done'] }); // { type: 'string', enum: ['todo', 'done'] }
 * ```
 */
export function fieldJsonSchema(
  spec: Pick<FieldSpec, 'type' | 'maxLength' | 'enum'> & { readonly default?: unknown },
): JsonSchema {
  const base = TYPE_SCHEMAS[spec.type];
  const listed =
    spec.enum !== undefined && spec.type === 'string' ? { ...base, enum: [...spec.enum] } : base;
  const sized =
    spec.maxLength !== undefined && spec.type === 'string'
      ? { ...listed, maxLength: spec.maxLength }
      : listed;
  return spec.default === undefined ? sized : { ...sized, default: spec.default };
}

const TYPE_SCHEMAS: Readonly<Record<FieldType, JsonSchema>> = {
  string: { type: 'string' },
  number: { type: 'number' },
  integer: { type: 'integer' },
  boolean: { type: 'boolean' },
  // Any JSON object or array: `additionalProperties: true` spelled out, or generators (openapi-typescript) read a
  // bare `type: object` as an empty object (`Record<string, never>`) no value can be assigned to.
  object: { type: 'object', additionalProperties: true },
  array: { type: 'array', items: {} },
  // An RFC 3339 date-time with offset, or epoch milliseconds.
  timestamp: { oneOf: [{ type: 'string', format: 'date-time' }, { type: 'number' }] },
  date: { type: 'string', format: 'date' },
};

/**
 * The shapes of one entity: `read` (what the API returns: the declared fields, `id` always present, the
 * reserved fields read-only), `selection` (a list item under `$select`: as `read`, but only `id` is sure to be
 * there), `input` (a POST/PUT body: declared required fields required, defaulted ones optional — the runtime
 * fills them — and the reserved fields the runtime accepts back as a read returned them) and `patch` (a PATCH
 * body: every field optional, `null` removes an optional one).
 *
 * The reserved fields on input: the owner field may be sent when it is the caller's own id (POST) or the stored
 * value (PUT/PATCH), else 403 `owner-mismatch`; `tenantId` (tenant-isolated entities only) when it is the
 * caller's tenant, else 403 `tenant-mismatch` — so a GET body PUT back as-is is valid input. A shared entity's
 * input has no `tenantId`: the runtime refuses one there.
 *
 * @example
 * ```ts
 * const { read, input, patch } = entityJsonSchemas(entity);
 * read.required; // ['id', 'email']
 * ```
 */
export function entityJsonSchemas(
  entity: Pick<RuntimeEntity, 'schema' | 'unknownFields'> & {
    readonly ownerField?: string | undefined;
    readonly partitionKey?: string;
    readonly tenancy?: RuntimeEntity['tenancy'];
    readonly ttl?: number | undefined;
    /** With a vector: its field is in no answer unless `$select` names it, so an item never requires it. */
    readonly search?: RuntimeEntity['search'];
  },
): { read: JsonSchema; selection: JsonSchema; input: JsonSchema; patch: JsonSchema } {
  // The runtime stamps these (tenant, owner): read-only in items — declared in the schema or not.
  const tenantField = at(RESERVED_FIELDS, 0);
  const ownerField = entity.ownerField ?? at(RESERVED_FIELDS, 1);
  const reservedNames = new Set([tenantField, ownerField]);
  const declared = Object.entries(entity.schema);
  const properties: Record<string, JsonSchema> = {};
  const inputProperties: Record<string, JsonSchema> = {};
  for (const [name, spec] of declared) {
    if (reservedNames.has(name)) continue;
    properties[name] = fieldJsonSchema(spec);
    inputProperties[name] = inputFieldSchema(spec);
  }
  properties['id'] ??= { type: 'string' };
  inputProperties['id'] ??= { type: 'string' };
  const required = declared.filter(([n, s]) => s.required && !reservedNames.has(n)).map(([n]) => n);
  // Fields the runtime takes beside the declared ones (runtime/http/schema-validator.ts): an undeclared partition
  // key field (every item has it) and, with a container TTL, the item's own `ttl`.
  const pk = entity.partitionKey?.slice(1);
  if (pk && pk !== 'id' && !reservedNames.has(pk) && !entity.schema[pk]) {
    properties[pk] = inputProperties[pk] = PARTITION_VALUE;
    required.push(pk);
  }
  if (entity.ttl !== undefined && !entity.schema['ttl'])
    properties['ttl'] = inputProperties['ttl'] = ITEM_TTL;
  // A body may leave out a defaulted field: the runtime fills it (a read always has it).
  const inputRequired = required.filter((n) => entity.schema[n]?.default === undefined);
  const closed = entity.unknownFields === 'keep' ? {} : { additionalProperties: false };
  const reservedSchema = (f: string): JsonSchema =>
    entity.schema[f] ? fieldJsonSchema(entity.schema[f]) : { type: 'string' };
  const reserved: Record<string, JsonSchema> = {};
  for (const f of reservedNames) reserved[f] = { ...reservedSchema(f), readOnly: true };
  // What a write may repeat of the reserved fields (runtime/http/scope.ts applyTenant, access/scope.ts stampOwner).
  const writable: Record<string, JsonSchema> = {
    [ownerField]: {
      ...inputFieldSchema({ type: entity.schema[ownerField]?.type ?? 'string' }),
      description:
        "Set by the runtime (the creator's object id). A body may repeat it only as it is: your own id on create, " +
        'the stored value on replace/update (else 403 owner-mismatch).',
    },
  };
  const isolated = entity.partitionKey === `/${tenantField}` || entity.tenancy !== 'shared';
  if (isolated)
    writable[tenantField] = {
      type: 'string',
      description:
        'Set by the runtime (your tenant). A body may repeat it only as your own tenant (else 403 tenant-mismatch).',
    };
  const patchProps: Record<string, JsonSchema> = {};
  for (const [name, s] of Object.entries(inputProperties)) {
    patchProps[name] =
      name === 'id' || entity.schema[name]?.required ? s : { oneOf: [s, { type: 'null' }] };
  }
  // The vector (search.vector): stored, ranked by, and left out of every answer unless `$select` names it.
  const vector = entity.search?.vector?.field;
  if (vector !== undefined && properties[vector])
    properties[vector] = {
      ...properties[vector],
      description:
        'The search vector: left out of every answer (a read, a list, a search, a write) unless `$select` ' +
        '(a search body’s `select`) names it.',
    };
  const read: JsonSchema = {
    type: 'object',
    properties: { ...properties, ...reserved },
    required: [...new Set(['id', ...required])].filter((n) => n !== vector).sort(),
    ...closed,
  };
  const selectionProperties: Record<string, JsonSchema> = {};
  for (const [name, s] of Object.entries(read.properties as Record<string, JsonSchema>))
    selectionProperties[name] = withoutDefault(s);
  return {
    read,
    selection: {
      type: 'object',
      description: 'An item as `$select` returns it: the id and the selected fields the item has.',
      properties: selectionProperties,
      required: ['id'],
      ...closed,
    },
    input: {
      type: 'object',
      properties: { ...inputProperties, ...writable },
      ...(inputRequired.length ? { required: [...inputRequired].sort() } : {}),
      ...closed,
    },
    patch: { type: 'object', properties: { ...patchProps, ...writable }, ...closed },
  };
}

/**
 * A field as a body may send it: without `default`, which generators (openapi-typescript's default
 * `defaultNonNullable`) read as "always present", so a create leaving it out would not compile; the runtime
 * fills it, as the description says.
 */
function inputFieldSchema(
  spec: Pick<FieldSpec, 'type'> & Partial<Pick<FieldSpec, 'maxLength' | 'default'>>,
): JsonSchema {
  const schema = withoutDefault(fieldJsonSchema(spec));
  return spec.default === undefined
    ? schema
    : {
        ...schema,
        description: `The runtime stores ${JSON.stringify(spec.default)} when a create leaves it out.`,
      };
}

const PARTITION_VALUE: JsonSchema = {
  description: 'The partition key: a non-empty string, a number or a boolean.',
  oneOf: [{ type: 'string', minLength: 1 }, { type: 'number' }, { type: 'boolean' }],
};
const ITEM_TTL: JsonSchema = {
  description:
    "The item's time to live in seconds (-1: never expires), over the container's default.",
  type: 'integer',
  minimum: -1,
  not: { const: 0 },
};

function withoutDefault(schema: JsonSchema): JsonSchema {
  if (!('default' in schema)) return schema;
  const { default: _dropped, ...rest } = schema;
  return rest;
}
