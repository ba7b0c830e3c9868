/**
 * Values this process shares between every copy of the runtime's modules, by a key made of what they are bound to:
 * kept on a registry symbol (`Symbol.for(key)`), not in a module variable, because a Function App's package may load
 * two copies (the runtime's own and a handler's import of `@atakora/component/runtime`), and both must see one
 * binding. What is bound here is read once, when routes are built (pipeline/services.ts `boundServices`), never
 * per request.
 *
 * @example
 * ```ts
 * const caches = processBinding<RuntimeTenantRegistry, RegistryCache>('atakora.runtime.tenantRegistries', (r) => `${r.database}/${r.container}`);
 * caches.bind(registry, cache);
 * caches.bound(registry); // cache
 * ```
 */
export function processBinding<K, V>(
  key: string,
  nameOf: (of: K) => string,
): { bind(of: K, value: V): V | undefined; bound(of: K): V | undefined } {
  const map = (): Map<string, V> => {
    const g = globalThis as Record<symbol, unknown>;
    const symbol = Symbol.for(key);
    const held = g[symbol];
    if (held instanceof Map) return held as Map<string, V>;
    const made = new Map<string, V>();
    g[symbol] = made;
    return made;
  };
  return {
    bind(of, value) {
      const before = map().get(nameOf(of));
      map().set(nameOf(of), value);
      return before;
    },
    bound: (of) => map().get(nameOf(of)),
  };
}
