import type { FieldType } from '../model/runtime-manifest.js';

// What a value of each field type is: one rule for the runtime's validation of a body (runtime/values/field-types.ts)
// and a CrudApi's field defaults at define time (components/crud/field-default.ts), so that no default is stored
// that a body could not carry.

// Date-time per RFC 3339 (the profile of ISO-8601 APIs use): the offset is mandatory so that the
// instant is unambiguous wherever the Function App happens to run.
const DATE_TIME =
  /^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,9})?)?(?:[Zz]|[+-]\d{2}:\d{2})$/;
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** `Date.parse` rolls 2024-02-30 over to March; a calendar date must survive the round trip. */
function isCalendarDate(year: number, month: number, day: number): boolean {
  const d = new Date(Date.UTC(year, month - 1, day));
  return d.getUTCFullYear() === year && d.getUTCMonth() === month - 1 && d.getUTCDate() === day;
}

function isTimestamp(value: unknown): boolean {
  if (typeof value === 'number') return Number.isFinite(value);
  if (typeof value !== 'string') return false;
  const m = DATE_TIME.exec(value);
  if (!m) return false;
  const [, y, mo, d, h, mi, s] = m;
  if (!isCalendarDate(Number(y), Number(mo), Number(d))) return false;
  return (
    Number(h) < 24 &&
    Number(mi) < 60 &&
    (s === undefined || Number(s) < 60) &&
    !Number.isNaN(Date.parse(value))
  );
}

function isDate(value: unknown): boolean {
  if (typeof value !== 'string') return false;
  const m = DATE.exec(value);
  return m !== null && isCalendarDate(Number(m[1]), Number(m[2]), Number(m[3]));
}

const CHECKS: Readonly<Record<FieldType, (value: unknown) => boolean>> = {
  string: (v) => typeof v === 'string',
  number: (v) => typeof v === 'number' && Number.isFinite(v),
  integer: (v) => typeof v === 'number' && Number.isSafeInteger(v),
  boolean: (v) => typeof v === 'boolean',
  object: (v) => typeof v === 'object' && v !== null && !Array.isArray(v),
  array: (v) => Array.isArray(v),
  timestamp: isTimestamp,
  date: isDate,
};

/**
 * Whether `value` is a value of field type `type` as the runtime admits it in a body: a finite number, a safe
 * integer, an RFC 3339 date-time with offset (or epoch milliseconds), a calendar date as `YYYY-MM-DD`, …
 *
 * @example
 * ```ts
 * fitsFieldType('date', '2024-02-30'); // false: no such day
 * fitsFieldType('timestamp', '2025-01-31T12:00:00Z'); // true
 * ```
 */
export function fitsFieldType(type: FieldType, value: unknown): boolean {
  return CHECKS[type](value);
}
