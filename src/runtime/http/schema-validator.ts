import { DEFAULT_OWNER_FIELD, type RuntimeEntity } from '../../model/runtime-manifest.js';
import { checkField } from '../values/field-types.js';
import type { FieldError } from './response.js';
import { isPartitionValue, partitionField } from '../values/partition.js';
import { SYSTEM_FIELDS } from '../values/system-fields.js';
import { isIsolated, TENANT_FIELD } from '../values/tenancy.js';
import { isWellFormed } from '../values/text-checks.js';

// Cosmos rejects ids containing these (they break the resource path) and ids over 255 characters.
const ID_FORBIDDEN = /[/\\?#]/;
const ID_MAX = 255;

/**
 * Why `id` cannot be an item id, or `undefined` when it can.
 *
 * @example
 * ```ts
 * checkId('a/b'); // 'must not contain / \ ? or #'
 * checkId('..');  // 'must not be "." or ".."'
 * ```
 */
export function checkId(id: unknown): string | undefined {
  if (typeof id !== 'string' || id.length === 0) return 'must be a non-empty string';
  if (id.length > ID_MAX) return `must be at most ${ID_MAX} characters`;
  if (ID_FORBIDDEN.test(id)) return 'must not contain / \\ ? or #';
  if (id.trim() !== id) return 'must not start or end with whitespace';
  // A lone surrogate has no UTF-8 form: such an id could be stored but never put in a URL (Location).
  if (!isWellFormed(id)) return 'must be well-formed text (no lone UTF-16 surrogate)';
  // A URL path segment of "." or ".." is removed by URL normalisation: such an item could never be addressed.
  if (id === '.' || id === '..') return 'must not be "." or ".."';
  return undefined;
}

/**
 * Why `id` cannot be this entity's item id, as a field error, or `undefined` when it can: Cosmos DB's rules
 * ({@link checkId}), then the `maxLength` the schema declares on `id` (in code points, as for every field; the
 * definition admits only a string `id` with at most a maxLength).
 *
 * @example
 * ```ts
 * idError(entity, 'x'.repeat(37)); // { field: 'id', code: 'maxLength', message: 'id must be at most 36 characters' }
 * ```
 */
export function idError(
  entity: Pick<RuntimeEntity, 'schema'>,
  id: unknown,
): FieldError | undefined {
  const problem = checkId(id);
  if (problem) return { field: 'id', code: 'type', message: `id ${problem}` };
  const spec = Object.hasOwn(entity.schema, 'id') ? entity.schema['id'] : undefined;
  const bounded = spec && checkField(spec, id);
  return bounded
    ? { field: 'id', code: bounded.code, message: `id ${bounded.message}` }
    : undefined;
}

/**
 * `item[field]` when it is the item's own property, else `undefined`: an inherited `constructor` or
 * `toString` must never count as a field that is present.
 *
 * @example
 * ```ts
 * ownValue({}, 'constructor'); // undefined
 * ```
 */
export function ownValue(item: Readonly<Record<string, unknown>>, field: string): unknown {
  return Object.hasOwn(item, field) ? item[field] : undefined;
}

/**
 * Validate a complete item (after defaults — generated id, tenant from the header — and after a PATCH
 * merge) against the entity's schema. An empty array means valid.
 *
 * Rules: schema types and `maxLength`; the id (`idError`: Cosmos DB's rules and the schema's `maxLength` on
 * `id`); required fields (`id` is never required: it is generated or comes from the URL); the partition key field
 * is required whatever the schema says; `ttl` is accepted when the entity has a container TTL; other fields follow
 * `unknownFields`.
 *
 * @example
 * ```ts
 * validateItem(entity, { id: '1', name: 42 });
 * // [{ field: 'name', code: 'type', message: 'must be a string' }]
 * ```
 */
export function validateItem(
  entity: RuntimeEntity,
  item: Readonly<Record<string, unknown>>,
): FieldError[] {
  const errors: FieldError[] = [];
  const pkField = partitionField(entity);

  for (const [field, value] of Object.entries(item)) {
    if (field === 'id') {
      const problem = idError(entity, value);
      if (problem) errors.push(problem);
      continue;
    }
    const spec = Object.hasOwn(entity.schema, field) ? entity.schema[field] : undefined;
    if (spec) {
      const problem = checkField(spec, value);
      if (problem)
        errors.push({ field, code: problem.code, message: `${field} ${problem.message}` });
    } else if (field === 'ttl' && entity.ttl !== undefined) {
      // Cosmos semantics: -1 = never expire, otherwise a positive number of seconds.
      if (
        !(value === -1 || (typeof value === 'number' && Number.isSafeInteger(value) && value > 0))
      ) {
        errors.push({
          field,
          code: 'type',
          message: 'ttl must be -1 or a positive integer (seconds)',
        });
      }
    } else if (field === pkField) {
      // A partition key field not declared in the schema still has to be a usable key value.
    } else if (field === (entity.ownerField ?? DEFAULT_OWNER_FIELD)) {
      // Stamped by the runtime from the caller's oid (stampOwner), never taken from a body.
    } else if (field === TENANT_FIELD && isIsolated(entity)) {
      // Stamped by the runtime from the caller's tenant (applyTenant), never taken from another tenant.
    } else if (entity.unknownFields === 'reject' || SYSTEM_FIELDS.includes(field)) {
      errors.push({
        field,
        code: 'unknown',
        message: `${field} is not a field of ${entity.entityName}`,
      });
    }
  }

  const pkValue = ownValue(item, pkField);
  if (pkField !== 'id' && !isPartitionValue(pkValue) && !errors.some((e) => e.field === pkField)) {
    errors.push({
      field: pkField,
      code: pkValue === undefined ? 'required' : 'type',
      message: `${pkField} is the partition key: a non-empty string, a number or a boolean is required`,
    });
  }

  for (const [field, spec] of Object.entries(entity.schema)) {
    if (
      spec.required &&
      field !== 'id' &&
      field !== pkField &&
      ownValue(item, field) === undefined
    ) {
      errors.push({ field, code: 'required', message: `${field} is required` });
    }
  }
  return errors;
}
