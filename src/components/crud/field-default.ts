import { AtakoraError } from '../../model/errors.js';
import type { FieldType } from '../../model/runtime-manifest.js';
import { frozenPlainData } from '../../kit/pure/plain-data.js';
import { fitsFieldType } from '../../contract/field-values.js';

/** Plain JSON data only: a default is stored in items and printed in the OpenAPI document as it is. */
function isJsonData(value: unknown, depth = 0): boolean {
  if (depth > 32) return false;
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return true;
  if (typeof value === 'number') return Number.isFinite(value);
  if (Array.isArray(value)) return value.every((v) => isJsonData(v, depth + 1));
  if (typeof value !== 'object') return false;
  const proto = Object.getPrototypeOf(value) as unknown;
  if (proto !== Object.prototype && proto !== null) return false;
  return Object.values(value).every((v) => isJsonData(v, depth + 1));
}

/**
 * Check a field's `default` against its type, `maxLength` and `enum` at define time (a default the runtime would refuse
 * in a body must never be stored by it), and return it frozen. Throws `CRUD_FIELD_DEFAULT_INVALID` at the
 * field's path.
 *
 * @example
 * ```ts
 * checkFieldDefault('OrderApi', 'status', { type: 'string' }, 'open'); // 'open'
 * checkFieldDefault('OrderApi', 'count', { type: 'integer' }, 'x'); // throws CRUD_FIELD_DEFAULT_INVALID
 * ```
 */
export function checkFieldDefault(
  id: string,
  field: string,
  spec: {
    readonly type: FieldType;
    readonly maxLength?: number | undefined;
    readonly enum?: readonly string[] | undefined;
  },
  value: unknown,
): unknown {
  if (spec.enum !== undefined && !spec.enum.includes(value as string)) {
    throw new AtakoraError(
      'CRUD_FIELD_DEFAULT_INVALID',
      `CrudApi ${id}: field "${field}" has default ${JSON.stringify(value) ?? String(value)}, which is not one ` +
        `of its enum values ${spec.enum.map((v) => JSON.stringify(v)).join(', ')}.`,
      { path: ['components', id, 'config', 'schema', field, 'default'] },
    );
  }
  const tooLong =
    spec.type === 'string' &&
    typeof value === 'string' &&
    spec.maxLength !== undefined &&
    value.length > spec.maxLength;
  if (!isJsonData(value) || !fitsFieldType(spec.type, value) || tooLong) {
    throw new AtakoraError(
      'CRUD_FIELD_DEFAULT_INVALID',
      `CrudApi ${id}: field "${field}" has default ${JSON.stringify(value) ?? String(value)}, which is not ` +
        `a valid ${spec.type}${tooLong ? ` of at most ${String(spec.maxLength)} characters` : ''}.`,
      { path: ['components', id, 'config', 'schema', field, 'default'] },
    );
  }
  return typeof value === 'object' ? frozenPlainData(value) : value;
}
