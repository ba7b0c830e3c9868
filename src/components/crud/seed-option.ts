import { AtakoraError } from '../../model/errors.js';
import { ENVIRONMENT_NAME } from '../../kit/pure/environment-name.js';

/** A CrudApi's `seed`, checked: one file for every environment, or one file per environment named. */
export type SeedOption = string | Readonly<Record<string, string>>;

const SEED_FILE = /\.json$/i;

/**
 * Check `seed`'s shape at define time: a `.json` path, or an object of environment name → `.json` path. The
 * file itself is read, parsed and checked against the schema when `atakora dev` or `atakora seed` loads it
 * (cli/seed/seed-file.ts): definitions and plans never read the disk. Throws `CRUD_SEED_INVALID`.
 *
 * @example
 * ```ts
 * checkSeedOption('OrderApi', { dev: './seed/orders.json' }); // { dev: './seed/orders.json' }
 * ```
 */
export function checkSeedOption(id: string, seed: unknown): SeedOption {
  const path = ['components', id, 'config', 'seed'];
  const fail = (message: string, at: (string | number)[] = path): never => {
    throw new AtakoraError('CRUD_SEED_INVALID', `CrudApi ${id}: ${message}`, {
      path: at,
      resolution:
        "Write seed: './seed/orders.json' (a JSON array of items, relative to the working directory) or " +
        "seed: { dev: './seed/orders.dev.json', test: './seed/orders.test.json' } (one file per environment).",
    });
  };
  const file = (value: unknown, at: (string | number)[]): string => {
    if (typeof value !== 'string' || !SEED_FILE.test(value.trim()))
      fail(`seed must be the path of a .json file (got ${JSON.stringify(value)}).`, at);
    return (value as string).trim();
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
