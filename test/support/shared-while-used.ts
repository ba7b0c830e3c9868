/** One registered cache: how to drop it, whether the current file used it, and whether it holds anything. */
export interface Held {
  readonly drop: () => void;
  used: boolean;
  filled: boolean;
}

// One registry per worker: test/setup.ts and the support modules share the worker's module cache, but keep it on
// the global so a module evaluated twice (vi.resetModules) still lands in the same one.
const key = Symbol.for('atakora.test.shared-while-used');
function registry(): Set<Held> {
  const scope = globalThis as { [key]?: Set<Held> };
  scope[key] ??= new Set();
  return scope[key];
}

/**
 * Caches that a worker's test files share, kept only while the files keep using them. With `isolate: false`
 * (vitest.config.ts) a worker's files share one heap: a cache in a support module (the architecture tests' ~1,150
 * syntax trees, the examples' synths) stays reachable for every later file of the worker, and every major GC of
 * every later file marks it again (measured with the profile's GC figures, test/support/profile.ts:
 * docs/performance.md, "The suite"). So a cache registered here is dropped at the end of the first test file that
 * did not use it: files that use it one after another share it, and a file that does not pays for it once at most.
 * test/setup.ts calls `dropIdle` as each file ends. Registers a cache by how to drop it; returns what each use of
 * the cache calls (it keeps it for this file).
 *
 * @example
 * ```ts
 * const parsed = new Map<string, ts.SourceFile>();
 * const used = sharedWhileUsed(() => parsed.clear());
 * export function sourceOf(file: string) {
 *   used();
 *   // … read from / fill `parsed`
 * }
 * ```
 */
export function sharedWhileUsed(drop: () => void, caches: Set<Held> = registry()): () => void {
  const held: Held = { drop, used: true, filled: true };
  caches.add(held);
  return () => {
    held.used = true;
    held.filled = true;
  };
}

/** Drops every cache the file that ends now did not use, and starts the next file's count afresh. */
export function dropIdle(caches: Set<Held> = registry()): void {
  for (const held of caches) {
    if (!held.used && held.filled) {
      held.drop();
      held.filled = false;
    }
    held.used = false;
  }
}
