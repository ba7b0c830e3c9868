import type { FieldSpec, FieldType } from '../../model/runtime-manifest.js';
import { fitsFieldType } from '../../contract/field-values.js';

/** `'todo', 'doing', 'done'`: the values as a `$filter` literal writes them, so the message shows what to send. */
function enumList(values: readonly string[]): string {
  const shown = values.slice(0, 20).map((v) => `'${v.replaceAll("'", "''")}'`);
  return shown.join(', ') + (values.length > 20 ? `, … (${values.length} values)` : '');
}

const EXPECTED: Readonly<Record<FieldType, string>> = {
  string: 'a string',
  number: 'a finite number',
  integer: 'an integer',
  boolean: 'true or false',
  object: 'a JSON object',
  array: 'a JSON array',
  timestamp: 'an ISO-8601 date-time with offset (e.g. 2025-01-31T12:00:00Z) or epoch milliseconds',
  date: 'a date as YYYY-MM-DD',
};

/**
 * Why `value` does not fit `spec`, or `undefined` when it does. `null` never fits: a client clears an
 * optional field by omitting it (or, in PATCH, by sending `null`, which removes it before validation).
 *
 * @example
 * ```ts
 * checkField({ type: 'date', required: true }, '2024-02-30'); // 'must be a date as YYYY-MM-DD'
 * checkField({ type: 'string', required: false, maxLength: 3 }, 'abcd'); // 'must be at most 3 characters'
 * checkField({ type: 'string', required: false, enum: ['todo', 'done'] }, 'x'); // "must be one of 'todo', 'done'"
 * ```
 */
export function checkField(
  spec: FieldSpec,
  value: unknown,
): { code: 'type' | 'maxLength' | 'enum'; message: string } | undefined {
  if (!fitsFieldType(spec.type, value))
    return { code: 'type', message: `must be ${EXPECTED[spec.type]}` };
  // Every writer goes through here (API writes, seed items, migration results), so no path stores a value
  // outside the list.
  if (spec.enum !== undefined && !spec.enum.includes(value as string))
    return { code: 'enum', message: `must be one of ${enumList(spec.enum)}` };
  // Code points, not UTF-16 units: "at most N characters" should mean what a user counts.
  // Code points, not UTF-16 units: JSON Schema's maxLength counts characters that way (RFC 8259 strings).
  if (
    spec.maxLength !== undefined &&
    typeof value === 'string' &&
    // eslint-disable-next-line @typescript-eslint/no-misused-spread -- code points are what is meant here
    [...value].length > spec.maxLength
  ) {
    return { code: 'maxLength', message: `must be at most ${spec.maxLength} characters` };
  }
  return undefined;
}
