import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { AtakoraError } from '../../model/errors.js';
import { ENVIRONMENT_NAME } from '../../kit/pure/names/environment-name.js';

/** A CrudApi's `seed`, checked: one file for every environment, or one file per environment named. */
export type SeedOption = string | Readonly<Record<string, string>>;

const SEED_FILE = /\.json$/i;

/**
 * Check `seed` at define time: a `.json` path, or an object of environment name → `.json` path, and each file
 * (relative to `cwd`) exists and holds a JSON array of objects — read once here, as a StaticSite's folder is, so
 * a mistake points at the definition. The items are checked against the schema, with the runtime's own
 * validator, when `atakora dev` or `atakora seed` loads them (cli/shared/seed-file.ts). Throws `CRUD_SEED_INVALID`.
 *
 * @example
 * ```ts
 * checkSeedOption('OrderApi', { dev: './seed/orders.json' }); // { dev: './seed/orders.json' }
 * ```
 */
export function checkSeedOption(
  id: string,
  seed: unknown,
  cwd: string = process.cwd(),
): SeedOption {
  const path = ['components', id, 'config', 'seed'];
  const fail = (message: string, at: (string | number)[] = path): never => {
    throw new AtakoraError('CRUD_SEED_INVALID', `CrudApi ${id}: ${message}`, {
      path: at,
      resolution:
        "Write seed: './seed/orders.json' (a JSON array of items, or { schemaVersion, items }, relative to the " +
        'working directory) or ' +
        "seed: { dev: './seed/orders.dev.json', test: './seed/orders.test.json' } (one file per environment).",
    });
  };
  const file = (value: unknown, at: (string | number)[]): string => {
    if (typeof value !== 'string' || !SEED_FILE.test(value.trim()))
      fail(`seed must be the path of a .json file (got ${JSON.stringify(value)}).`, at);
    const path = (value as string).trim();
    readSeedFile(id, path, cwd);
    return path;
  };
  if (typeof seed === 'string') return file(seed, path);
  if (!seed || typeof seed !== 'object' || Array.isArray(seed))
    return fail(
      `seed must be a .json path or an object of environment → .json path (got ${JSON.stringify(seed)}).`,
    );
  const out: Record<string, string> = {};
  const entries = Object.entries(seed as Record<string, unknown>);
  if (entries.length === 0) fail('seed names no environment.');
  for (const [environment, value] of entries) {
    if (!ENVIRONMENT_NAME.test(environment))
      fail(
        `seed names ${JSON.stringify(environment)}, which is not an environment name (1-24 lower case letters, ` +
          'digits and "-", starting with a letter or digit).',
        [...path, environment],
      );
    out[environment] = file(value, [...path, environment]);
  }
  return Object.freeze(out);
}

/**
 * The seed file for `environment`: the one file, that environment's, or undefined (no seed there).
 *
 * @example
 * ```ts
 * seedFileFor({ dev: './seed/dev.json' }, 'prod'); // undefined
 * ```
 */
export function seedFileFor(seed: SeedOption | undefined, environment: string): string | undefined {
  if (seed === undefined) return undefined;
  if (typeof seed === 'string') return seed;
  return Object.hasOwn(seed, environment) ? seed[environment] : undefined;
}

/** A seed file as read: its items and the schema version they are written at (undefined: the current one). */
export interface SeedFile {
  readonly schemaVersion: number | undefined;
  readonly items: Record<string, unknown>[];
}

/**
 * A seed file: a JSON array of objects (items at the CrudApi's current schema version), or
 * `{ "schemaVersion": N, "items": [ … ] }` (items written at version N, passed through the migrations from N when
 * loaded). CRUD_SEED_INVALID names the file (and the item's index) otherwise.
 *
 * @example
 * ```ts
 * readSeedFile('OrderApi', './seed/orders.json'); // { schemaVersion: 1, items: [{ id: 'o-1', total: 42 }, …] }
 * ```
 */
export function readSeedFile(id: string, file: string, cwd: string = process.cwd()): SeedFile {
  const invalid = (message: string, at: (string | number)[] = []) =>
    new AtakoraError('CRUD_SEED_INVALID', `CrudApi ${id}: seed ${file}: ${message}`, {
      path: ['components', id, 'config', 'seed', ...at],
      resolution:
        'A seed file holds a JSON array of items ([{ … }, …]), or { "schemaVersion": N, "items": [ … ] } for ' +
        'items written at schema version N (they pass through the migrations from N when loaded).',
    });
  let text: string;
  try {
    text = readFileSync(resolve(cwd, file), 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code ?? String(e);
    throw invalid(`cannot be read (${code}; paths are relative to the working directory, ${cwd}).`);
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (e) {
    throw invalid(`is not JSON (${(e as Error).message}).`);
  }
  let schemaVersion: number | undefined;
  let items: unknown = data;
  const itemsAt: string[] = [];
  if (data && typeof data === 'object' && !Array.isArray(data)) {
    const keys = Object.keys(data).filter((k) => k !== 'schemaVersion' && k !== 'items');
    if (keys.length > 0 || !Object.hasOwn(data, 'items'))
      throw invalid(
        'must hold a JSON array of items ([{ … }, …]) or { "schemaVersion": N, "items": [ … ] } (it is an ' +
          `object ${keys.length > 0 ? `with ${JSON.stringify(keys[0])}` : 'without "items"'}).`,
      );
    const declared = (data as { schemaVersion?: unknown }).schemaVersion;
    if (declared !== undefined && (!Number.isInteger(declared) || (declared as number) < 1))
      throw invalid(
        `schemaVersion must be a whole number from 1 (got ${JSON.stringify(declared)}).`,
        ['schemaVersion'],
      );
    schemaVersion = declared as number | undefined;
    items = (data as { items: unknown }).items;
    itemsAt.push('items');
  }
  if (!Array.isArray(items))
    throw invalid('must hold a JSON array of items ([{ … }, …]).', itemsAt);
  items.forEach((item: unknown, index) => {
    if (!item || typeof item !== 'object' || Array.isArray(item))
      throw invalid(`item ${String(index)} is not an object.`, [...itemsAt, index]);
  });
  return { schemaVersion, items: items as Record<string, unknown>[] };
}
