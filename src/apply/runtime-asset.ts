import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { AtakoraError } from '../model/errors.js';

/**
 * The directory of the built CRUD runtime app (host.json, package.json, bundled index.js), zipped by apply.
 * From `dist/apply/` it is `dist/runtime-app`; from `src/apply/` (tests, tsx) it is the same `dist/runtime-app`.
 */
export function runtimeAppDir(): string {
  const here = dirname(fileURLToPath(import.meta.url));
  const candidates = [resolve(here, '../runtime-app'), resolve(here, '../../dist/runtime-app')];
  const found = candidates.find((d) => existsSync(join(d, 'host.json')));
  if (!found) {
    throw new AtakoraError('RUNTIME_ASSET_MISSING', `The CRUD runtime bundle was not found (looked in ${candidates.join(', ')}).`, { path: ['runtime'] });
  }
  return found;
}
