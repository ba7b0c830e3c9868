// Where `atakora dev` and the CLI read local secret values: the environment, else `.atakora/secrets.json`.
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { AtakoraError } from '../../../model/errors.js';

/** Where `atakora dev` reads local secret values (git-ignored: never commit it). */
export const LOCAL_SECRETS_FILE = '.atakora/secrets.json';

/** Where each secret of an app came from under `atakora dev`, and which have none. */
export interface DevSecrets {
  readonly fromEnvironment: readonly string[];
  readonly fromFile: readonly string[];
  readonly missing: readonly string[];
  /**
   * The secrets file's permission bits when group or others may read it (`mode & 0o077`, POSIX only): the
   * banner warns, naming the file and `chmod 600`.
   */
  readonly exposedMode?: number;
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
  const report: {
    fromEnvironment: string[];
    fromFile: string[];
    missing: string[];
    exposedMode?: number;
  } = { fromEnvironment: [], fromFile: [], missing: [] };
  if (names.length === 0) return report;
  const { values: file, exposedMode } = readLocalSecrets(cwd);
  if (exposedMode !== undefined) report.exposedMode = exposedMode;
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
 * The file's values, and its mode when group or others may read it. A parse error says where (line and
 * column), never what: Node's JSON.parse message quotes the text around the fault, which is a secret's value.
 */
function readLocalSecrets(cwd: string): {
  values: Record<string, string>;
  exposedMode?: number;
} {
  const path = join(cwd, LOCAL_SECRETS_FILE);
  if (!existsSync(path)) return { values: {} };
  const mode = statSync(path).mode;
  // Windows has no group/other bits to speak of (Node reports 0o666 for any writable file).
  const exposedMode = process.platform !== 'win32' && (mode & 0o077) !== 0 ? mode : undefined;
  const text = readFileSync(path, 'utf8');
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (e) {
    throw invalid(`is not JSON (${where(text, (e as Error).message)})`);
  }
  if (!data || typeof data !== 'object' || Array.isArray(data))
    throw invalid('must be a JSON object of names to strings');
  for (const [k, v] of Object.entries(data))
    if (typeof v !== 'string')
      throw invalid(`holds a ${typeof v} for ${k}; every value is a string`);
  return {
    values: data as Record<string, string>,
    ...(exposedMode !== undefined ? { exposedMode } : {}),
  };
}

/** `line L, column C` of a JSON.parse failure from the position its message gives, else `a syntax error`. */
function where(text: string, message: string): string {
  const lineColumn = /line (\d+) column (\d+)/.exec(message);
  if (lineColumn) return `line ${lineColumn[1] ?? '?'}, column ${lineColumn[2] ?? '?'}`;
  const at = /position (\d+)/.exec(message);
  if (at) {
    const before = text.slice(0, Number(at[1]));
    const line = before.split('\n').length;
    return `line ${String(line)}, column ${String(before.length - before.lastIndexOf('\n'))}`;
  }
  return /end of (JSON|data) input/i.test(message) ? 'it ends early' : 'a syntax error';
}

function invalid(why: string): AtakoraError {
  return new AtakoraError('DEV_SECRETS_INVALID', `${LOCAL_SECRETS_FILE} ${why}.`, {
    path: [LOCAL_SECRETS_FILE],
    resolution:
      `Write ${LOCAL_SECRETS_FILE} as { "STRIPE_KEY": "sk_test_…" } (strings only), or set the environment ` +
      `variable of that name instead.`,
  });
}
