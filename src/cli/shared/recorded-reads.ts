import fs from 'node:fs';
import { syncBuiltinESMExports } from 'node:module';
import { isAbsolute, relative, resolve } from 'node:path';

/**
 * Run `load` and return, with its result, the project files it read with `fs.readFileSync` / `fs.readFile`
 * (a flags JSON file the entry reads, say), so `atakora dev` watches them beside the entry and the handlers.
 * Files outside `root` or under `node_modules`, modules (the loader reads them) and package.json/tsconfig files
 * are left out. The hooks are in place only while `load` runs
 * (ESM imports of `node:fs` see them through `syncBuiltinESMExports`).
 *
 * @example
 * ```ts
 * const { value: backends, files } = await recordingReads(() => loadBackends('main.ts'), process.cwd());
 * ```
 */
export async function recordingReads<T>(
  load: () => Promise<T>,
  root: string,
): Promise<{ value: T; files: string[] }> {
  const seen = new Set<string>();
  const note = (path: unknown) => {
    if (typeof path !== 'string' && !(path instanceof URL)) return;
    const file = resolve(path instanceof URL ? path.pathname : path);
    const rel = relative(root, file);
    if (rel.startsWith('..') || isAbsolute(rel) || rel.split(/[\\/]/).includes('node_modules'))
      return;
    // Modules are the loader's business (the entry and handlers are watched already); so are the project's
    // package.json and tsconfig files, read to compile the entry.
    if (
      /\.(?:[cm]?[jt]sx?|map)$/.test(file) ||
      /(?:^|[\\/])(?:package\.json|tsconfig[^\\/]*\.json)$/.test(file)
    )
      return;
    seen.add(file);
  };
  const { readFileSync, readFile } = fs;
  const promisesReadFile = fs.promises.readFile;
  fs.readFileSync = ((path: unknown, ...rest: unknown[]) => {
    note(path);
    return (readFileSync as (...a: unknown[]) => unknown)(path, ...rest);
  }) as typeof fs.readFileSync;
  fs.readFile = ((path: unknown, ...rest: unknown[]) => {
    note(path);
    (readFile as (...a: unknown[]) => unknown)(path, ...rest);
  }) as typeof fs.readFile;
  fs.promises.readFile = ((path: unknown, ...rest: unknown[]) => {
    note(path);
    return (promisesReadFile as (...a: unknown[]) => unknown)(path, ...rest);
  }) as typeof fs.promises.readFile;
  syncBuiltinESMExports();
  try {
    const value = await load();
    return { value, files: [...seen].sort() };
  } finally {
    fs.readFileSync = readFileSync;
    fs.readFile = readFile;
    fs.promises.readFile = promisesReadFile;
    syncBuiltinESMExports();
  }
}
