import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { LOCAL_SECRETS_FILE } from '../host/secrets.js';

/**
 * The files whose change restarts the apps (absolute paths, each once): the entry, every handler module, the
 * project files the entry read while loading (shared/recorded-reads.ts), and the local secrets file when a
 * secret is read from it or missing and its folder exists. `atakora dev` watches them (shared/watch-files.ts).
 *
 * @example
 * ```ts
 * watchedFiles('main.ts', handlers, read, secrets); // ['/app/main.ts', '/app/src/fn.ts', '/app/flags.json']
 * ```
 */
export function watchedFiles(
  entry: string,
  handlers: readonly string[],
  read: readonly string[],
  secrets: { readonly fromFile: readonly string[]; readonly missing: readonly string[] },
): string[] {
  const secretsFile = resolve(LOCAL_SECRETS_FILE);
  return [
    ...new Set([
      resolve(entry),
      ...handlers,
      ...read,
      ...(secrets.fromFile.length + secrets.missing.length && existsSync(dirname(secretsFile))
        ? [secretsFile]
        : []),
    ]),
  ];
}
