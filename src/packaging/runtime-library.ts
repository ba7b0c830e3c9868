import { existsSync, readFileSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import { builtPath, libraryPath } from '../kit/node/library-files.js';

/** The prebuilt CRUD runtime library's file, in `dist/runtime-lib/` (scripts/build-runtime.mjs). */
export const RUNTIME_LIBRARY_FILE = 'atakora-crud-runtime.js';

/**
 * The source of the CRUD runtime library that `npm run build` bundles (scripts/build-runtime.mjs): the modules a
 * package's entry takes from this library when its app hosts the runtime beside handlers — register-hosted,
 * start-runtime, start-telemetry — under `code` (the `src` folder, extension `ts`). `settings/hide-unresolved`
 * stays out: the entry imports it first, before `@azure/functions`, which the library leaves to the package bundle.
 *
 * @example
 * ```ts
 * runtimeLibrarySource('/repo/src', 'ts'); // export { startRuntime } from "/repo/src/runtime/start-runtime.ts"; …
 * ```
 */
export function runtimeLibrarySource(code: string, extension: string): string {
  const from = (...segments: string[]) => JSON.stringify(`${join(code, ...segments)}.${extension}`);
  return [
    `export { registerHostedFunctions } from ${from('packaging', 'register-hosted')};`,
    `export { startRuntime } from ${from('runtime', 'start-runtime')};`,
    `export { startTelemetry } from ${from('runtime', 'telemetry', 'start-telemetry')};`,
    '',
  ].join('\n');
}

/**
 * The prebuilt CRUD runtime library (`dist/runtime-lib/atakora-crud-runtime.js`), or undefined when there is none to
 * use: bundling a package from it reads one minified file of ours instead of the runtime's ~1,000 sources and ~450
 * dependency files (~0.6 instead of ~1.3 CPU-s of esbuild per package; docs/performance.md, "The suite"). Running
 * from the sources (tests, tsx), it is used only while no source it was built from (its `inputs.json`) is newer
 * than it — a stale one would put yesterday's runtime in the package — and the sources are bundled otherwise.
 *
 * @example
 * ```ts
 * const library = prebuiltRuntimeLibrary(); // …/dist/runtime-lib/atakora-crud-runtime.js, or undefined
 * ```
 */
export function prebuiltRuntimeLibrary(): string | undefined {
  const fromSources = basename(libraryPath()) === 'src';
  return usableRuntimeLibrary(
    builtPath('runtime-lib'),
    fromSources ? join(libraryPath(), '..') : undefined,
  );
}

/**
 * The library in `libDir` when it is there and, with `sourceRoot` (the package root, when running from the sources),
 * no source its `inputs.json` lists (relative to that root, as esbuild's metafile names them) is newer than it.
 *
 * @example
 * ```ts
 * usableRuntimeLibrary('/repo/dist/runtime-lib', '/repo'); // …/atakora-crud-runtime.js, or undefined when stale
 * ```
 */
export function usableRuntimeLibrary(libDir: string, sourceRoot?: string): string | undefined {
  const file = join(libDir, RUNTIME_LIBRARY_FILE);
  if (!existsSync(file)) return undefined;
  if (sourceRoot === undefined) return file;
  try {
    const built = statSync(file).mtimeMs;
    const inputs = JSON.parse(
      readFileSync(join(libDir, 'inputs.json'), 'utf8'),
    ) as readonly string[];
    return inputs.every((f) => statSync(join(sourceRoot, f)).mtimeMs <= built) ? file : undefined;
  } catch {
    return undefined;
  }
}
