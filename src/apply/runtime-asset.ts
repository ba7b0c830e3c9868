import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { AtakoraError } from '../model/errors.js';
import { builtPath } from '../kit/node/library-files.js';

/**
 * The directory of the built CRUD runtime app (host.json, package.json, bundled index.js): what
 * `atakora dev` and the tests load: `dist/runtime-app` of this package, also when running from `src/`.
 */
export function runtimeAppDir(): string {
  const dir = builtPath('runtime-app');
  if (!existsSync(join(dir, 'host.json'))) {
    throw new AtakoraError(
      'RUNTIME_ASSET_MISSING',
      `The CRUD runtime bundle was not found (looked in ${dir}).`,
      { path: ['runtime'] },
    );
  }
  return dir;
}

/**
 * The CRUD runtime's package, zipped once at build time (`scripts/build-runtime.mjs`): a deterministic,
 * content-hashed zip that a CRUD-only Function App deploys as is — synth copies a file, it zips nothing.
 */
export function runtimePackageFile(): string {
  const dir = builtPath('runtime-package');
  const pointer = join(dir, 'runtime-package.json');
  if (existsSync(pointer)) {
    const { file } = JSON.parse(readFileSync(pointer, 'utf8')) as { file: string };
    if (existsSync(join(dir, file))) return join(dir, file);
  }
  throw new AtakoraError(
    'RUNTIME_ASSET_MISSING',
    `The prebuilt CRUD runtime package was not found (looked in ${dir}).`,
    { path: ['runtime'] },
  );
}
