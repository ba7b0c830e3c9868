import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { at } from '../../model/at.js';
import { configFilesAbove } from '../../kit/node/config-files.js';
import { nearestNodeModules } from '../../kit/node/node-modules.js';

/** A bundled entry as compile-entry writes it beside the entry. */
export interface CachedBundle {
  readonly code: string;
  readonly map: string;
}

/** [path, size, mtime]; size -1 for a file that is absent (its later appearance invalidates). */
type Stamp = readonly [string, number, number];

interface Stored extends CachedBundle {
  readonly stamps: readonly Stamp[];
}

/**
 * The last bundle of an entry, kept in the project's `node_modules/.cache/atakora/entries/` with the
 * size and mtime of everything it was made from: the local files esbuild read and every `tsconfig.json`,
 * `jsconfig.json` and `package.json` from the entry's folder up (compiler options, `paths`). Not folders:
 * the bundle itself is written beside the entry, which changes that folder's mtime on every run; so a new
 * file that would change what an unchanged import resolves to (`lib.ts` added beside `lib/index.ts`) is
 * seen once any stamped file changes, or after deleting the cache folder. When all still match, the next
 * `atakora plan/synth entry.ts` skips esbuild (its process start and bundle were most of what a `.ts` entry
 * cost over a `.mjs` one). No cache without a `node_modules` folder above the entry: code is only ever read
 * back from the project's own folder, never from a shared temp directory.
 *
 * @example
 * ```ts
 * const cache = entryCache('/project/main.ts');
 * const bundle = cache?.read() ?? build();
 * cache?.write(bundle, ['/project/main.ts', '/project/lib/config.ts']);
 * ```
 */
export function entryCache(entry: string):
  | {
      read(): CachedBundle | undefined;
      write(bundle: CachedBundle, inputs: readonly string[]): void;
    }
  | undefined {
  const modules = nearestNodeModules(dirname(entry));
  if (!modules) return undefined;
  const file = join(modules, '.cache', 'atakora', 'entries', `${cacheKey(entry)}.json`);
  return {
    read() {
      let stored: Stored;
      try {
        stored = JSON.parse(readFileSync(file, 'utf8')) as Stored;
      } catch {
        return undefined;
      }
      const current = stampsOf(stored.stamps.map(([p]) => p));
      const same =
        current.length === stored.stamps.length &&
        current.every(
          ([, size, mtime], i) =>
            at(stored.stamps, i)[1] === size && at(stored.stamps, i)[2] === mtime,
        );
      return same ? { code: stored.code, map: stored.map } : undefined;
    },
    write(bundle, inputs) {
      const paths = [...new Set([...inputs, ...configFilesAbove([dirname(entry)])])].sort();
      const stored: Stored = { ...bundle, stamps: stampsOf(paths) };
      try {
        mkdirSync(dirname(file), { recursive: true });
        const temp = `${file}.${String(process.pid)}.tmp`;
        writeFileSync(temp, JSON.stringify(stored));
        renameSync(temp, file);
      } catch {
        // A cache that cannot be written is no cache: the next run bundles again.
      }
    },
  };
}

/**
 * Entry path, Node version (the bundle's target) and this build of the CLI (its file's mtime: a
 * reinstall changes it).
 */
function cacheKey(entry: string): string {
  let self = 0;
  try {
    self = statSync(fileURLToPath(import.meta.url)).mtimeMs;
  } catch {
    /* bundled elsewhere: the key still names the entry */
  }
  return createHash('sha256')
    .update(`${resolve(entry)}\0${process.version}\0${String(self)}`)
    .digest('hex')
    .slice(0, 32);
}

function stampsOf(paths: readonly string[]): Stamp[] {
  return paths.map((p): Stamp => {
    try {
      const s = statSync(p);
      return [p, s.size, s.mtimeMs];
    } catch {
      return [p, -1, -1];
    }
  });
}
