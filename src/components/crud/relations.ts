import { AtakoraError } from '../../model/errors.js';
import type { FieldSpec } from '../../model/runtime-manifest.js';
import { RELATION_NAME, type RuntimeRelation } from '../../model/relations.js';
import { checkKnownKeys } from '../check-keys.js';
import type { RelationDefinition } from './config.js';

const COMPONENT_ID = /^[A-Za-z][A-Za-z0-9_-]*$/;
const KIND_KEYS = ['belongsTo', 'hasMany', 'file'] as const;
// The reserved names of a returned item: a relation named like one would overwrite it under $expand.
const RESERVED = new Set([
  'id',
  'tenantId',
  'ownerId',
  'ttl',
  'items',
  'count',
  'continuationToken',
]);

function invalid(
  id: string,
  path: readonly (string | number)[],
  message: string,
  fix: string,
): never {
  throw new AtakoraError('CRUD_RELATION_INVALID', `CrudApi ${id}: ${message}`, {
    path: ['components', id, 'config', 'relations', ...path],
    resolution: fix,
  });
}

/**
 * Check a CrudApi's `relations` at define time (what one definition can know: names, kinds, and that a
 * `belongsTo`/`file` field is a string field of its own schema); targets and the `hasMany` side's field are the
 * plan's to check (src/plan/checks/relations.ts), as they live in other components. Sorted by name, plain.
 *
 * @example
 * ```ts
 * normalizeRelations('OrderApi', { customer: { belongsTo: 'CustomerApi', field: 'customerId' } }, schema, 'ownerId');
 * // [{ name: 'customer', kind: 'belongsTo', target: 'CustomerApi', field: 'customerId' }]
 * ```
 */
export function normalizeRelations(
  id: string,
  relations: unknown,
  schema: Readonly<Record<string, FieldSpec>>,
  ownerField: string,
): RuntimeRelation[] {
  if (!relations || typeof relations !== 'object' || Array.isArray(relations))
    invalid(id, [], 'relations must be an object of named relations.', RELATION_EXAMPLE);
  const out: RuntimeRelation[] = [];
  for (const [name, raw] of Object.entries(relations as Record<string, unknown>)) {
    if (!RELATION_NAME.test(name) || RESERVED.has(name) || name === ownerField)
      invalid(
        id,
        [name],
        `relation name "${name}" must be an identifier (letters, digits, "_"; at most 64) and no reserved field.`,
        'Name the relation like a field the related item is embedded under, e.g. "customer" or "orders".',
      );
    if (Object.hasOwn(schema, name))
      invalid(
        id,
        [name],
        `relation "${name}" has the name of a schema field; $expand would overwrite the field.`,
        `Rename the relation (e.g. "${name}Item") or the field.`,
      );
    out.push(normalizeOne(id, name, raw, schema, ownerField));
  }
  return out.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

const RELATION_EXAMPLE =
  "relations: { customer: { belongsTo: 'CustomerApi', field: 'customerId' }, orders: { hasMany: 'OrderApi', " +
  "field: 'customerId', onDelete: 'cascade' }, photo: { file: 'InspectionFiles', field: 'photoId' } }";

function normalizeOne(
  id: string,
  name: string,
  raw: unknown,
  schema: Readonly<Record<string, FieldSpec>>,
  ownerField: string,
): RuntimeRelation {
  if (!raw || typeof raw !== 'object' || Array.isArray(raw))
    invalid(id, [name], `relation "${name}" must be an object.`, RELATION_EXAMPLE);
  const def = raw as Partial<Record<string, unknown>>;
  const kinds = KIND_KEYS.filter((k) => def[k] !== undefined);
  const [kind] = kinds;
  if (kinds.length !== 1 || kind === undefined)
    invalid(
      id,
      [name],
      `relation "${name}" must have exactly one of belongsTo, hasMany or file (it has ${kinds.length}).`,
      RELATION_EXAMPLE,
    );
  checkKnownKeys(
    def,
    kind === 'hasMany' ? [kind, 'field', 'onDelete'] : [kind, 'field'],
    ['components', id, 'config', 'relations', name],
    `CrudApi ${id}: relation "${name}"`,
  );
  const target = def[kind];
  if (typeof target !== 'string' || !COMPONENT_ID.test(target))
    invalid(
      id,
      [name, kind],
      `relation "${name}": ${kind} must be a component id (got ${JSON.stringify(target)}).`,
      `Name the related ${kind === 'file' ? 'FileStore' : 'CrudApi'} by the id given to its define().`,
    );
  const field = def.field;
  if (typeof field !== 'string' || field === '')
    invalid(id, [name, 'field'], `relation "${name}" needs a field.`, RELATION_EXAMPLE);
  if (kind !== 'hasMany') {
    const spec = schema[field];
    if (spec?.type !== 'string' || field === 'id' || field === ownerField || field === 'tenantId')
      invalid(
        id,
        [name, 'field'],
        `relation "${name}": field "${field}" must be a string field of the schema (not id, tenantId or the ` +
          'owner field), holding the related id.',
        `Add "${field}: 'string'" to the schema, or name the field that holds the id.`,
      );
  }
  const onDelete = def.onDelete;
  if (onDelete !== undefined && onDelete !== 'restrict' && onDelete !== 'cascade')
    invalid(
      id,
      [name, 'onDelete'],
      `relation "${name}": onDelete must be 'restrict' or 'cascade' (got ${JSON.stringify(onDelete)}).`,
      "Use onDelete: 'restrict' (the default: a parent with children is not deleted) or 'cascade'.",
    );
  return {
    name,
    kind,
    target,
    field,
    ...(kind === 'hasMany' && onDelete === 'cascade' ? { onDelete } : {}),
  };
}

export type { RelationDefinition };
