import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { AtakoraError } from '../../model/errors.js';

const PACKAGE_NAME = '@atakora/component';

/**
 * Where this copy of the library runs from: the package root and its code folder, `dist` (the built package,
 * whose entry points are bundles with shared chunks, so a module's own location says little) or `src`
 * (tests and tsx). Files the library reads or loads by path (the CRUD runtime zip, the apply layer, modules
 * it bundles into Function App packages, the dev host) are found from here, never relative to the calling
 * module.
 */
function locate(): { root: string; code: string } {
  const here = dirname(fileURLToPath(import.meta.url));
  for (let dir = here; ; dir = dirname(dir)) {
    const manifest = join(dir, 'package.json');
    if (
      existsSync(manifest) &&
      (JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string }).name === PACKAGE_NAME
    ) {
      const folder = relative(dir, here).split(sep)[0];
      return { root: dir, code: join(dir, folder === 'src' ? 'src' : 'dist') };
    }
    if (dirname(dir) === dir) {
      throw new AtakoraError(
        'RUNTIME_ASSET_MISSING',
        `The files of ${PACKAGE_NAME} were not found: no package.json of ${PACKAGE_NAME} above ${here}.`,
        {
          path: ['runtime'],
          resolution:
            `Load ${PACKAGE_NAME} from its installed folder: if you bundle your cdktf program, mark it ` +
            `external (esbuild --external:${PACKAGE_NAME}).`,
        },
      );
    }
  }
}

let found: { root: string; code: string } | undefined;

/**
 * A path inside the library's code folder (`dist/…` built, `src/…` from source).
 *
 * @example
 * ```ts
 * libraryPath('packaging'); // …/dist/packaging
 * ```
 */
export function libraryPath(...segments: string[]): string {
  found ??= locate();
  return join(found.code, ...segments);
}

/**
 * A path inside the built package (`dist/…`), also when running from source: build outputs such as the
 * prebuilt CRUD runtime exist only there.
 *
 * @example
 * ```ts
 * join(builtPath('runtime-package'), 'runtime-package.json');
 * ```
 */
export function builtPath(...segments: string[]): string {
  found ??= locate();
  return join(found.root, 'dist', ...segments);
}

/**
 * A module of the library by its path without extension: the compiled `.js` when present, else the `.ts`
 * source (from `src/`, under tsx and vitest).
 *
 * @example
 * ```ts
 * libraryModule('packaging', 'register-hosted'); // …/dist/packaging/register-hosted.js
 * ```
 */
export function libraryModule(...segments: string[]): string {
  const base = libraryPath(...segments);
  return existsSync(`${base}.js`) ? `${base}.js` : `${base}.ts`;
}
