import type { FieldSpec } from '../../model/runtime-manifest.js';
import { setOwn } from './system-fields.js';

type Schema = Readonly<Record<string, FieldSpec>>;

// Per schema object (the manifest's, frozen and long-lived): the fields with a default, found once.
const DEFAULTED = new WeakMap<Schema, readonly (readonly [string, unknown])[]>();

function defaultedFields(schema: Schema): readonly (readonly [string, unknown])[] {
  let fields = DEFAULTED.get(schema);
  if (!fields) {
    fields = Object.entries(schema)
      .filter(([, spec]) => spec.default !== undefined)
      .map(([name, spec]) => [name, spec.default] as const);
    DEFAULTED.set(schema, fields);
  }
  return fields;
}

/**
 * Give `item` (a fresh copy the caller owns) every defaulted field it lacks, in place: a stored item written
 * before the field existed reads with its default, and a create without it stores it. `only` limits the fields
 * to a `$select` projection, so a default never adds a field the caller did not ask for. Object and array
 * defaults are copied: the manifest's frozen value is never handed out.
 *
 * @example
 * ```ts
 * fillDefaults({ status: { type: 'string', required: true, default: 'open' } }, { id: '1' });
 * // { id: '1', status: 'open' }
 * ```
 */
export function fillDefaults<T extends Record<string, unknown>>(
  schema: Schema,
  item: T,
  only?: readonly string[],
): T {
  for (const [name, value] of defaultedFields(schema)) {
    if (Object.hasOwn(item, name) && item[name] !== undefined) continue;
    if (only && !only.includes(name)) continue;
    setOwn(
      item,
      name,
      typeof value === 'object' && value !== null ? structuredClone(value) : value,
    );
  }
  return item;
}

/**
 * Whether the schema declares any default (the read paths skip the copy-and-fill when none does).
 *
 * @example
 * ```ts
 * hasDefaults({ id: { type: 'string', required: false } }); // false
 * ```
 */
export function hasDefaults(schema: Schema): boolean {
  return defaultedFields(schema).length > 0;
}
