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
export function findExecutable(candidate: string, env: NodeJS.ProcessEnv, cwd: string = process.cwd()): string | undefined {
  if (candidate.includes('/') || candidate.includes('\\') || isAbsolute(candidate)) {
    const file = resolve(cwd, candidate);
    return isExecutable(file) ? file : undefined;
  }
  const exts = process.platform === 'win32' ? (env['PATHEXT'] ?? '.EXE;.CMD;.BAT').split(';') : [''];
  for (const dir of (env['PATH'] ?? '').split(delimiter)) {
    if (!dir) continue;
    for (const ext of exts) {
      const file = join(dir, candidate + ext);
      if (isExecutable(file)) return file;
    }
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
