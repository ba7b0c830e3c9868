import { AtakoraError } from '../model/errors.js';
import { canonicalRanges, ipRangeProblem } from '../kit/pure/ip-ranges.js';

/**
 * Check a component's `allowedIpRanges` at define time and return it canonical (`a.b.c.d/n`, sorted, blocks
 * inside another dropped) and frozen; `undefined` when not written. A non-empty list of public IPv4 addresses or
 * CIDR blocks, each written from its first address. Throws `NETWORK_RANGE_INVALID` at the bad entry's path.
 *
 * @example
 * ```ts
 * checkAllowedIpRanges('CrudApi', 'AdminApi', ['203.0.113.0/24']); // ['203.0.113.0/24']
 * checkAllowedIpRanges('CrudApi', 'AdminApi', ['10.0.0.0/8']); // throws NETWORK_RANGE_INVALID
 * ```
 */
export function checkAllowedIpRanges(
  kind: 'CrudApi' | 'FileStore',
  id: string,
  value: unknown,
): readonly string[] | undefined {
  if (value === undefined) return undefined;
  const path = ['components', id, 'config', 'allowedIpRanges'];
  if (!Array.isArray(value) || value.length === 0)
    throw new AtakoraError(
      'NETWORK_RANGE_INVALID',
      `${kind} ${id}: allowedIpRanges must be a non-empty list of IPv4 ranges (got ${JSON.stringify(value)}).`,
      {
        path,
        resolution:
          "Write allowedIpRanges: ['203.0.113.0/24'], or leave it out to admit every address the backend's " +
          "networking admits (networking: 'isolated' admits none from outside Azure).",
      },
    );
  const list = value as unknown[];
  list.forEach((range, i) => {
    const problem = ipRangeProblem(range);
    if (problem)
      throw new AtakoraError(
        'NETWORK_RANGE_INVALID',
        `${kind} ${id}: allowedIpRanges[${String(i)}] ${JSON.stringify(range) ?? String(range)} ${problem}.`,
        { path: [...path, i] },
      );
  });
  return Object.freeze(canonicalRanges(list as string[]));
}

/**
 * `{ allowedIpRanges }` checked, or `{}` when not written: spread into a normalized config.
 *
 * @example
 * ```ts
 * networkRanges('FileStore', 'Avatars', ['203.0.113.0/24']); // { allowedIpRanges: ['203.0.113.0/24'] }
 * ```
 */
export function networkRanges(
  kind: 'CrudApi' | 'FileStore',
  id: string,
  value: unknown,
): { readonly allowedIpRanges?: readonly string[] } {
  const ranges = checkAllowedIpRanges(kind, id, value);
  return ranges === undefined ? {} : { allowedIpRanges: ranges };
}
