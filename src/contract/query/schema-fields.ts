import type { FieldSpec, FieldType } from '../../model/runtime-manifest.js';
import type { FieldRef } from './ast.js';
import type { QueryIssue, QueryParameter } from './issues.js';

/**
 * An entity's fields as the query grammar sees them. @example
 * `const s: QuerySchema = { price: { type: 'number', required: false } };`
 */
export type QuerySchema = Readonly<Record<string, FieldSpec>>;

const ID: FieldSpec = Object.freeze({ type: 'string', required: true });

/**
 * The spec of a field a query names: the schema's own entry (never an inherited one such as `constructor`),
 * or `id`, which every item has even when the schema leaves it out.
 *
 * @example
 * ```ts
 * fieldSpec({ price: { type: 'number', required: false } }, 'id'); // { type: 'string', required: true }
 * ```
 */
export function fieldSpec(schema: QuerySchema, name: string): FieldSpec | undefined {
  if (Object.hasOwn(schema, name)) return schema[name];
  return name === 'id' ? ID : undefined;
}

/** Types `$filter` can compare: object and array fields are not (their values have no order and no literal). */
export const FILTERABLE: readonly FieldType[] = [
  'string',
  'number',
  'integer',
  'boolean',
  'timestamp',
  'date',
];

/** The issue for a field the schema does not have, listing the ones it does (up to 20). */
export function unknownField(
  schema: QuerySchema,
  ref: FieldRef,
  parameter: QueryParameter,
): QueryIssue {
  const names = Object.keys(schema);
  const list = names.slice(0, 20).join(', ') + (names.length > 20 ? ', …' : '');
  return {
    code: 'unknown-field',
    parameter,
    position: ref.pos,
    field: ref.name,
    message: `Unknown field "${ref.name}" (the fields are: ${list}).`,
  };
}
