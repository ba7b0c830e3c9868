/**
 * A map that cannot be changed through any reference: it wraps a private `Map` and has no `set`, `delete`
 * or `clear` (a frozen `Map` would still accept `set`, since its entries are not properties).
 *
 * @example
 * ```ts
 * const m = new ReadOnlyMap([['cosmos:shared', 1]]);
 * m.get('cosmos:shared'); // 1
 * [...m.keys()];          // ['cosmos:shared']
 * ```
 */
export class ReadOnlyMap<K, V> implements ReadonlyMap<K, V> {
  readonly #map: Map<K, V>;

  constructor(entries: Iterable<readonly [K, V]>) {
    this.#map = new Map(entries);
    Object.freeze(this);
  }

  get size(): number {
    return this.#map.size;
  }
  get(key: K): V | undefined {
    return this.#map.get(key);
  }
  has(key: K): boolean {
    return this.#map.has(key);
  }
  keys(): MapIterator<K> {
    return this.#map.keys();
  }
  values(): MapIterator<V> {
    return this.#map.values();
  }
  entries(): MapIterator<[K, V]> {
    return this.#map.entries();
  }
  forEach(callback: (value: V, key: K, map: ReadonlyMap<K, V>) => void, thisArg?: unknown): void {
    this.#map.forEach((value, key) => {
      callback.call(thisArg, value, key, this);
    });
  }
  [Symbol.iterator](): MapIterator<[K, V]> {
    return this.#map.entries();
  }
  get [Symbol.toStringTag](): string {
    return 'ReadOnlyMap';
  }
}
