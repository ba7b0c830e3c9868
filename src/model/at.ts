import { AtakoraFault } from './fault.js';

/**
 * The item at `index`, which the caller knows is there (an index inside the bounds it loops over, the first
 * entry of a list it checked is not empty): with `noUncheckedIndexedAccess` an index read is `T | undefined`, and
 * this says "present" by checking it, where a `!` would only assert it. A miss is a bug of ours: an
 * {@link AtakoraFault} naming the index, never a TypeError further on.
 *
 * @example
 * ```ts
 * const first = at(requirements, 0);
 * ```
 */
export function at<T>(items: readonly T[], index: number): T {
  const item = items[index];
  if (item === undefined)
    throw new AtakoraFault(`index ${String(index)} is outside a list of ${String(items.length)}.`);
  return item;
}

/**
 * The value under `key`, which the caller knows is there (a key read back from the map it came from, or one it has
 * just set): the checked form of `map.get(key)!`. A miss is a bug of ours: an {@link AtakoraFault} naming the key.
 *
 * @example
 * ```ts
 * const site = atKey(sitesByKey, resource.key);
 * ```
 */
export function atKey<K, V>(map: ReadonlyMap<K, V>, key: K): V {
  const value = map.get(key);
  if (value === undefined)
    throw new AtakoraFault(`key ${String(key)} is missing from a map of ${String(map.size)}.`);
  return value;
}
