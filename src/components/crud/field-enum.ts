import { AtakoraError } from '../../model/errors.js';
import type { FieldType } from '../../model/runtime-manifest.js';

/**
 * Check a field's `enum` at define time and return it frozen: a non-empty list of distinct strings on a `string`
 * field, each within the field's `maxLength`. Enums on other types are refused rather than guessed at: a number
 * enum would need its own literal rules in `$filter`, and a JSON Schema `enum` of mixed types is what generators
 * type worst. Throws `CRUD_FIELD_ENUM_INVALID` at `schema.<field>.enum`.
 *
 * @example
 * ```ts
 * checkFieldEnum('TaskApi', 'status', { type: 'string' }, ['todo', 'done']); // ['todo', 'done']
 * checkFieldEnum('TaskApi', 'stars', { type: 'integer' }, ['1']); // throws CRUD_FIELD_ENUM_INVALID
 * ```
 */
export function checkFieldEnum(
  id: string,
  field: string,
  spec: { readonly type: FieldType; readonly maxLength?: number | undefined },
  values: unknown,
): readonly string[] {
  const fail = (problem: string): never => {
    throw new AtakoraError(
      'CRUD_FIELD_ENUM_INVALID',
      `CrudApi ${id}: field "${field}" has enum ${JSON.stringify(values) ?? String(values)}, which ${problem}.`,
      { path: ['components', id, 'config', 'schema', field, 'enum'] },
    );
  };
  if (spec.type !== 'string') fail(`is only for string fields (this one is ${spec.type})`);
  if (!Array.isArray(values) || values.length === 0) fail('must be a non-empty list of strings');
  const list = values as unknown[];
  const bad = list.findIndex((v) => typeof v !== 'string');
  if (bad >= 0)
    fail(`holds ${JSON.stringify(list[bad]) ?? String(list[bad])}, which is not a string`);
  const strings = list as string[];
  const dup = strings.find((v, i) => strings.indexOf(v) !== i);
  if (dup !== undefined) fail(`lists "${dup}" twice`);
  const max = spec.maxLength;
  // Code points, as the runtime counts maxLength (runtime/values/field-types.ts).
  // eslint-disable-next-line @typescript-eslint/no-misused-spread -- code points are what is meant here
  const long = max === undefined ? undefined : strings.find((v) => [...v].length > max);
  if (long !== undefined)
    fail(
      `holds "${long}", longer than the field's maxLength ${String(max)} (no write could store it)`,
    );
  return Object.freeze([...strings]);
}
