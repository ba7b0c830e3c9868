import { createHash } from 'node:crypto';
import {
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import type { ZipEntry } from './zip.js';
import type { FoundQueueCall } from './queue-calls.js';
import { nearestNodeModules } from '../kit/node/node-modules.js';

/** A bundle as bundle-app.ts keeps it: its files, the inputs it was made from ([file, size, mtime]), its queue calls. */
export interface KeptBundle {
  readonly inputs: readonly (readonly [string, number, number])[];
  readonly files: ZipEntry[];
  readonly queueCalls: readonly FoundQueueCall[];
}

/** How many bundles the folder keeps: the least recently used beyond it are removed as a new one is written. */
const KEPT = 24;

/**
 * `atakora dev`'s app bundles kept across processes in the project's `node_modules/.cache/atakora/dev-bundles/`, one
 * folder per key (esbuild's version and the build's options, the entry's source among them), with the size and mtime
 * of every file that went in: a handler app that hosts CrudApis bundles the whole CRUD runtime with its handlers
 * (~1.3–1.7 CPU-s of esbuild), which every start of `atakora dev` paid again though nothing had changed; the next
 * start, or another process, reads the bytes back when every input still matches, as the entries' cache does
 * (cli/entry/cache.ts). Only dev's bundles (with source maps, never uploaded): a deploy always bundles afresh. No
 * cache without a `node_modules` folder above the working folder; a cache that cannot be read or written is none.
 *
 * @example
 * ```ts
 * const cache = devBundleCache(JSON.stringify([esbuild.version, options]), workingDir);
 * const kept = cache?.read(fresh) ?? build();
 * ```
 */
export function devBundleCache(
  key: string,
  workingDir: string,
):
  | {
      /** The kept bundle when `fresh` says its inputs are unchanged. */
      read(fresh: (kept: KeptBundle) => boolean): KeptBundle | undefined;
      write(bundle: KeptBundle): void;
    }
  | undefined {
  const modules = nearestNodeModules(workingDir);
  if (!modules) return undefined;
  const root = join(modules, '.cache', 'atakora', 'dev-bundles');
  const dir = join(root, createHash('sha256').update(key).digest('hex').slice(0, 32));
  return {
    read(fresh) {
      try {
        const meta = JSON.parse(readFileSync(join(dir, 'meta.json'), 'utf8')) as Omit<
          KeptBundle,
          'files'
        > & { readonly names: readonly string[] };
        const kept: KeptBundle = {
          inputs: meta.inputs,
          queueCalls: meta.queueCalls,
          files: meta.names.map((name, i) => ({
            name,
            data: readFileSync(join(dir, String(i))),
          })),
        };
        if (!fresh(kept)) return undefined;
        const now = new Date();
        utimesSync(join(dir, 'meta.json'), now, now);
        return kept;
      } catch {
        return undefined;
      }
    },
    write(bundle) {
      const temp = `${dir}.${String(process.pid)}.tmp`;
      try {
        rmSync(temp, { recursive: true, force: true });
        mkdirSync(temp, { recursive: true });
        bundle.files.forEach((f, i) => {
          writeFileSync(join(temp, String(i)), f.data);
        });
        const names = bundle.files.map((f) => f.name);
        const meta = { inputs: bundle.inputs, queueCalls: bundle.queueCalls, names };
        writeFileSync(join(temp, 'meta.json'), JSON.stringify(meta));
        rmSync(dir, { recursive: true, force: true });
        renameSync(temp, dir);
        prune(root);
      } catch {
        // Another process wrote it first, or the folder is not writable: the next start bundles again.
        rmSync(temp, { recursive: true, force: true });
      }
    },
  };
}

/** Remove the least recently used bundles beyond {@link KEPT} (a temporary project's make a new key per run). */
function prune(root: string): void {
  const kept = readdirSync(root)
    .filter((name) => !name.endsWith('.tmp'))
    .map((name) => {
      try {
        return { name, used: statSync(join(root, name, 'meta.json')).mtimeMs };
      } catch {
        return { name, used: 0 };
      }
    })
    .sort((a, b) => b.used - a.used);
  for (const { name } of kept.slice(KEPT))
    rmSync(join(root, name), { recursive: true, force: true });
}
