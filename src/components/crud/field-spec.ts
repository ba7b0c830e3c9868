import type { FieldSpec, FieldType } from '../../model/runtime-manifest.js';
import type { FieldDefinition } from './config.js';
import { checkFieldDefault } from './field-default.js';
import { checkFieldEnum } from './field-enum.js';

/**
 * The spec of a field written with `maxLength`, `enum` or `default` (its type already checked): the enum
 * checked first, so the default is checked against the list it must belong to.
 *
 * @example
 * ```ts
 * detailedFieldSpec('TaskApi', 'status', { type: 'string', enum: ['todo', 'done'], default: 'todo' });
 * // { type: 'string', required: false, enum: ['todo', 'done'], default: 'todo' }
 * ```
 */
export function detailedFieldSpec(
  id: string,
  field: string,
  def: Exclude<FieldDefinition, FieldType> & { readonly type: FieldType },
): FieldSpec {
  const values = def.enum === undefined ? undefined : checkFieldEnum(id, field, def, def.enum);
  return {
    type: def.type,
    required: def.required === true,
    ...(def.maxLength === undefined ? {} : { maxLength: def.maxLength }),
    ...(values === undefined ? {} : { enum: values }),
    ...(def.default === undefined
      ? {}
      : { default: checkFieldDefault(id, field, { ...def, enum: values }, def.default) }),
  };
}
