import { dirname, join } from 'node:path';

/**
 * The files that set how esbuild and TypeScript read a source file — `tsconfig.json`, `jsconfig.json` and
 * `package.json` (compiler options, `paths`, `"type"`) — in each of `dirs` and every folder above, each once and
 * sorted: what a cache of bundles stamps beside the sources, so one appearing or changing makes it stale.
 *
 * @example
 * ```ts
 * configFilesAbove(['/project/src']); // ['/package.json', …, '/project/src/tsconfig.json', …]
 * ```
 */
export function configFilesAbove(dirs: Iterable<string>): string[] {
  const files = new Set<string>();
  const folders = new Set<string>();
  for (const dir of dirs)
    for (let d = dir; !folders.has(d); d = dirname(d)) {
      folders.add(d);
      for (const name of ['tsconfig.json', 'jsconfig.json', 'package.json'])
        files.add(join(d, name));
      if (dirname(d) === d) break;
    }
  return [...files].sort();
}
