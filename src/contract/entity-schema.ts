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
  object: { type: 'object' },
  array: { type: 'array' },
  // An RFC 3339 date-time with offset, or epoch milliseconds.
  timestamp: { oneOf: [{ type: 'string', format: 'date-time' }, { type: 'number' }] },
  date: { type: 'string', format: 'date' },
};

/**
 * The shapes of one entity: `read` (what the API returns: the declared fields, `id` always present, the
 * reserved fields read-only), `input` (a POST/PUT body: declared required fields required, reserved fields
 * absent) and `patch` (a PATCH body: every field optional, `null` removes an optional one).
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
  },
): { read: JsonSchema; input: JsonSchema; patch: JsonSchema } {
  // The runtime stamps these (tenant, owner): never client input, read-only in items — declared in the schema or not.
  const reservedNames = new Set([at(RESERVED_FIELDS, 0), entity.ownerField ?? RESERVED_FIELDS[1]!]);
  const declared = Object.entries(entity.schema);
  const properties: Record<string, JsonSchema> = {};
  for (const [name, spec] of declared)
    if (!reservedNames.has(name)) properties[name] = fieldJsonSchema(spec);
  properties['id'] ??= { type: 'string' };
  const required = declared.filter(([n, s]) => s.required && !reservedNames.has(n)).map(([n]) => n);
  // A body may leave out a defaulted field: the runtime fills it (a read always has it).
  const inputRequired = required.filter((n) => entity.schema[n]?.default === undefined);
  const closed = entity.unknownFields === 'keep' ? {} : { additionalProperties: false };
  const reserved: Record<string, JsonSchema> = {};
  for (const f of reservedNames)
    reserved[f] = {
      ...(entity.schema[f] ? fieldJsonSchema(entity.schema[f]) : { type: 'string' }),
      readOnly: true,
    };
  const patchProps: Record<string, JsonSchema> = {};
  for (const [name, s] of Object.entries(properties)) {
    patchProps[name] =
      name === 'id' || entity.schema[name]?.required ? s : { oneOf: [s, { type: 'null' }] };
  }
  return {
    read: {
      type: 'object',
      properties: { ...properties, ...reserved },
      required: [...new Set(['id', ...required])].sort(),
      ...closed,
    },
    input: {
      type: 'object',
      properties,
      ...(inputRequired.length ? { required: [...inputRequired].sort() } : {}),
      ...closed,
    },
    patch: { type: 'object', properties: patchProps, ...closed },
  };
}
