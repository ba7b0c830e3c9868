import { accessSync, constants, statSync } from 'node:fs';
import { delimiter, isAbsolute, join, resolve } from 'node:path';

/**
 * Where an external CLI (terraform, tofu, swa) is: a path (it has a separator) is taken as it is, resolved
 * against `cwd`; a bare name is looked up on `PATH` (with `PATHEXT` on Windows). Undefined when nothing there is
 * an executable file — the caller turns that into its own error with the fix.
 *
 * @example
 * ```ts
 * findExecutable('terraform', process.env); // '/usr/local/bin/terraform'
 * findExecutable('./node_modules/.bin/swa', process.env, '/work/app'); // '/work/app/node_modules/.bin/swa'
 * ```
 */
export function findExecutable(
  candidate: string,
  env: NodeJS.ProcessEnv,
  cwd: string = process.cwd(),
): string | undefined {
  // On Windows an npm-installed CLI is `<name>.cmd`: PATHEXT applies to a path as to a name.
  const exts =
    process.platform === 'win32' ? ['', ...(env['PATHEXT'] ?? '.EXE;.CMD;.BAT').split(';')] : [''];
  const withExt = (file: string) => exts.map((ext) => file + ext).find(isExecutable);
  if (candidate.includes('/') || candidate.includes('\\') || isAbsolute(candidate))
    return withExt(resolve(cwd, candidate));
  for (const dir of (env['PATH'] ?? '').split(delimiter)) {
    const file = dir ? withExt(join(dir, candidate)) : undefined;
    if (file) return file;
  }
  return undefined;
}

function isExecutable(file: string): boolean {
  try {
    accessSync(file, constants.X_OK);
    return statSync(file).isFile();
  } catch {
    return false;
  }
}
