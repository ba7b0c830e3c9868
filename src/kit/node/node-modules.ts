import { statSync } from 'node:fs';
import { dirname, join } from 'node:path';

/**
 * The `node_modules` folder nearest above `dir` (itself included), where the caches of a project live; undefined
 * when there is none up to the root.
 *
 * @example
 * ```ts
 * const cache = join(nearestNodeModules(process.cwd()) ?? tmpdir(), '.cache', 'atakora');
 * ```
 */
export function nearestNodeModules(dir: string): string | undefined {
  for (let d = dir; ; d = dirname(d)) {
    const candidate = join(d, 'node_modules');
    try {
      if (statSync(candidate).isDirectory()) return candidate;
    } catch {
      /* not here */
    }
    if (dirname(d) === d) return undefined;
  }
}
