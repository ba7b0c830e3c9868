import { AtakoraError } from '../model/errors.js';

/**
 * Check a component id the way every `define` does: a letter, then letters, digits, `_` or `-` (it becomes part of
 * route, setting and resource names). Anything else — from JavaScript any value at all — is COMPONENT_ID_INVALID at
 * `path` (default `components.<id>`).
 *
 * @example
 * ```ts
 * checkComponentId('UserApi'); // passes
 * checkComponentId('2fast');   // AtakoraError COMPONENT_ID_INVALID
 * ```
 */
export function checkComponentId(
  id: string,
  // String(): from JavaScript the id may be any value (a number, a symbol), and this error must still be thrown.
  // eslint-disable-next-line @typescript-eslint/no-unnecessary-type-conversion
  path: readonly string[] = ['components', String(id)],
): void {
  if (typeof id !== 'string' || !/^[A-Za-z][A-Za-z0-9_-]*$/.test(id))
    throw new AtakoraError(
      'COMPONENT_ID_INVALID',
      `A component id must start with a letter and hold letters, digits, "_" or "-" (got ${JSON.stringify(id)}).`,
      { path: [...path] },
    );
}
