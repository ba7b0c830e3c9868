import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { AtakoraError } from '../../model/errors.js';

/** Where `atakora dev` reads local secret values (git-ignored: never commit it). */
export const LOCAL_SECRETS_FILE = '.atakora/secrets.json';

/** Where each secret of an app came from under `atakora dev`, and which have none. */
export interface DevSecrets {
  readonly fromEnvironment: readonly string[];
  readonly fromFile: readonly string[];
  readonly missing: readonly string[];
}

/**
 * Replace each Key Vault reference among an app's settings (its declared secrets) by the local value: the
 * environment variable of that name, else `.atakora/secrets.json` (`{ "STRIPE_KEY": "sk_test_…" }`) in the
 * working directory. A secret with neither is left unset (the handler sees `undefined`) and reported.
 *
 * @example
 * ```ts
 * const report = localSecretValues(settings, process.env, process.cwd());
 * report.missing; // ['STRIPE_KEY']
 * ```
 */
export function localSecretValues(
  settings: Record<string, string>,
  env: NodeJS.ProcessEnv,
  cwd: string,
): DevSecrets {
  const names = Object.keys(settings)
    .filter((k) => settings[k]!.startsWith('@Microsoft.KeyVault('))
    .sort();
  const report = {
    fromEnvironment: [] as string[],
    fromFile: [] as string[],
    missing: [] as string[],
  };
  if (names.length === 0) return report;
  const file = readLocalSecrets(cwd);
  for (const name of names) {
    const fromEnv = env[name];
    const fromFile = file[name];
    if (fromEnv !== undefined && fromEnv !== '') {
      settings[name] = fromEnv;
      report.fromEnvironment.push(name);
    } else if (fromFile !== undefined) {
      settings[name] = fromFile;
      report.fromFile.push(name);
    } else {
      Reflect.deleteProperty(settings, name);
      report.missing.push(name);
    }
  }
  return report;
}

/**
 * The banner lines for {@link DevSecrets}: where each value came from (never the value) and how to set a missing one.
 *
 * @example
 * ```ts
 * devSecretLines({ fromEnvironment: [], fromFile: [], missing: ['STRIPE_KEY'] });
 * // ['secret STRIPE_KEY: missing — export STRIPE_KEY=… or add it to .atakora/secrets.json (git-ignored)']
 * ```
 */
export function devSecretLines(s: DevSecrets): string[] {
  return [
    ...s.fromEnvironment.map((n) => `secret ${n}: from the environment`),
    ...s.fromFile.map((n) => `secret ${n}: from ${LOCAL_SECRETS_FILE}`),
    ...s.missing.map(
      (n) =>
        `secret ${n}: missing — export ${n}=… or add it to ${LOCAL_SECRETS_FILE} (git-ignored); the handler ` +
        `reads undefined`,
    ),
  ];
}

function readLocalSecrets(cwd: string): Record<string, string> {
  const path = join(cwd, LOCAL_SECRETS_FILE);
  if (!existsSync(path)) return {};
  let data: unknown;
  try {
    data = JSON.parse(readFileSync(path, 'utf8'));
  } catch (e) {
    throw invalid(`is not JSON (${(e as Error).message})`);
  }
  if (!data || typeof data !== 'object' || Array.isArray(data))
    throw invalid('must be a JSON object of names to strings');
  for (const [k, v] of Object.entries(data))
    if (typeof v !== 'string')
      throw invalid(`holds a ${typeof v} for ${k}; every value is a string`);
  return data as Record<string, string>;
}

function invalid(why: string): AtakoraError {
  return new AtakoraError('DEV_SECRETS_INVALID', `${LOCAL_SECRETS_FILE} ${why}.`, {
    path: [LOCAL_SECRETS_FILE],
    resolution:
      `Write ${LOCAL_SECRETS_FILE} as { "STRIPE_KEY": "sk_test_…" } (strings only), or set the environment ` +
      `variable of that name instead.`,
  });
}
