// A test file's app held before its beforeAll made it: the suites (scim-suite.ts, marketplace-suite.ts) return one,
// so helpers at the top of a file may close over the app the hook makes later.

/**
 * An object that reads every property of `current()` at the time it is read (a method bound to it); `current`
 * throws while there is none yet.
 *
 * @example
 * ```ts
 * let app: MarketplaceApp | undefined;
 * const fileApp = forwarded(() => {
 *   if (!app) throw new Error('no app before beforeAll');
 *   return app;
 * });
 * ```
 */
export function forwarded<T extends object>(current: () => T): T {
  return new Proxy({} as T, {
    get(_, key) {
      const target = current();
      const value: unknown = Reflect.get(target, key);
      return typeof value === 'function' ? value.bind(target) : value;
    },
    has: (_, key) => Reflect.has(current(), key),
  });
}
