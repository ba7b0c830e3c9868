import type { RuntimeTenantRegistry } from '../../model/runtime-manifest.js';

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

/**
 * A {@link processBinding} of one value per tenant registry, by the container it concerns: the registry's own
 * (`database/container`: its cache, the app's tenant source) or its usage ledger (`database/usage`: the meter).
 *
 * @example
 * ```ts
 * const meters = registryBinding<'usage', UsageMeter>('atakora.runtime.usageMeters', 'usage');
 * ```
 */
export function registryBinding<P extends 'container' | 'usage', V>(
  key: string,
  part: P,
): ReturnType<typeof processBinding<Pick<RuntimeTenantRegistry, 'database' | P>, V>> {
  return processBinding<Pick<RuntimeTenantRegistry, 'database' | P>, V>(
    key,
    (r) => `${r.database}/${r[part]}`,
  );
}
