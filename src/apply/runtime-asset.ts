import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { AtakoraError } from '../model/errors.js';
import { builtPath } from '../kit/node/library-files.js';

// The build output, also when running from src/ (tests, tsx).
const distDirs = [builtPath()];

/**
 * The directory of the built CRUD runtime app (host.json, package.json, bundled index.js): what
 * `atakora dev` and the tests load. From `dist/apply/` it is `dist/runtime-app`; from `src/apply/` the same.
 */
export function runtimeAppDir(): string {
  const candidates = distDirs.map((d) => join(d, 'runtime-app'));
  const found = candidates.find((d) => existsSync(join(d, 'host.json')));
  if (!found) {
    throw new AtakoraError('RUNTIME_ASSET_MISSING', `The CRUD runtime bundle was not found (looked in ${candidates.join(', ')}).`, { path: ['runtime'] });
  }
  return found;
}

/**
 * The CRUD runtime's package, zipped once at build time (`scripts/build-runtime.mjs`): a deterministic,
 * content-hashed zip that a CRUD-only Function App deploys as is — synth copies a file, it zips nothing.
 */
export function runtimePackageFile(): string {
  const candidates = distDirs.map((d) => join(d, 'runtime-package'));
  for (const dir of candidates) {
    const pointer = join(dir, 'runtime-package.json');
    if (!existsSync(pointer)) continue;
    const { file } = JSON.parse(readFileSync(pointer, 'utf8')) as { file: string };
    if (existsSync(join(dir, file))) return join(dir, file);
  }
  throw new AtakoraError('RUNTIME_ASSET_MISSING', `The prebuilt CRUD runtime package was not found (looked in ${candidates.join(', ')}).`, { path: ['runtime'] });
}
