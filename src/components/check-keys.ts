import { closest } from '../kit/pure/closest-key.js';
import { AtakoraError } from '../model/errors.js';

export { closest };

/**
 * Reject keys a definition does not know, with the path and, for a near miss, the key that was probably
 * meant: a misspelt optional key (`partitonKey`) would otherwise be dropped silently and the default used.
 *
 * @example
 * ```ts
 * checkKnownKeys(
 *   { entityName: 'User', partitonKey: '/id' },
 *   ['entityName', 'partitionKey'],
 *   ['components', 'UserApi', 'config'],
 *   'CrudApi UserApi',
 * );
 * // AtakoraError CONFIG_UNKNOWN_KEY: CrudApi UserApi: unknown key "partitonKey" (did you mean "partitionKey"?).
 * ```
 */
export function checkKnownKeys(
  value: object,
  known: readonly string[],
  path: readonly (string | number)[],
  what: string,
): void {
  for (const key of Object.keys(value)) {
    if (known.includes(key)) continue;
    const guess = closest(key, known);
    throw new AtakoraError(
      'CONFIG_UNKNOWN_KEY',
      `${what}: unknown key "${key}"${guess ? ` (did you mean "${guess}"?)` : ''}.`,
      {
        path: [...path, key],
        details: { key, known },
        resolution: `${guess ? `Rename it to "${guess}"` : 'Remove it'}; the accepted keys here are: ${known.join(', ')}.`,
      },
    );
  }
}

/**
 * The keys of a config interface as a runtime list, checked both ways by the compiler: a listed key that `T`
 * lacks, or a key of `T` left out, is a type error — so adding an option to a config type without adding it
 * here fails to compile instead of being rejected at run time as unknown.
 *
 * @example
 * ```ts
 * const CACHE_KEYS = keysOf<{ enabled: boolean; ttl?: number }>()(['enabled', 'ttl']);
 * ```
 */
export const keysOf =
  <T>() =>
  <const K extends readonly (keyof T & string)[]>(
    keys: K &
      ([Exclude<keyof T, K[number]>] extends [never]
        ? unknown
        : { readonly missingKeys: Exclude<keyof T, K[number]> }),
  ): readonly string[] =>
    keys;

/**
 * Whether `value` is a non-empty list of `allowed` values (a CrudApi's `operations`, a function's `methods`).
 *
 * @example
 * ```ts
 * isNonEmptyListOf(['GET'], ['GET', 'POST']); // true
 * isNonEmptyListOf([], ['GET', 'POST']);      // false
 * ```
 */
export function isNonEmptyListOf<T>(value: unknown, allowed: readonly T[]): value is readonly T[] {
  return (
    Array.isArray(value) &&
    value.length > 0 &&
    value.every((v: unknown) => (allowed as readonly unknown[]).includes(v))
  );
}
