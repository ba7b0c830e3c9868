import { runLogged } from './run-logged.js';
import { resolve } from 'node:path';
import { AtakoraError } from '../../model/errors.js';

/** What a site's build needs: its component id, command and where it runs. */
export interface SiteBuild {
  readonly componentId: string;
  readonly buildCommand: string;
  readonly sourceDirectory: string;
  readonly outputDirectory?: string;
}

/**
 * Run a site's `buildCommand` through the shell: in `sourceDirectory` when the build writes to an
 * `outputDirectory` there, else in the working directory (the build creates `sourceDirectory` itself).
 * Its output goes to `log`; a non-zero exit is `SITE_BUILD_FAILED` naming the site.
 *
 * @example
 * ```ts
 * await runSiteBuild(
 *   {
 *     componentId: 'Portal',
 *     buildCommand: 'npm run build',
 *     sourceDirectory: './web',
 *     outputDirectory: 'dist',
 *   },
 *   console.error,
 * );
 * ```
 */
export async function runSiteBuild(
  site: SiteBuild,
  log: (line: string) => void,
  cwd: string = process.cwd(),
): Promise<void> {
  const dir = site.outputDirectory === undefined ? cwd : resolve(cwd, site.sourceDirectory);
  log(`Building site ${site.componentId}: ${site.buildCommand} (in ${dir})`);
  const { code, output: tail } = await runLogged(site.buildCommand, [], {
    cwd: dir,
    shell: true,
    log,
    keep: 2000,
  });
  if (code !== 0) {
    throw new AtakoraError(
      'SITE_BUILD_FAILED',
      `The build of site ${site.componentId} (${site.buildCommand}, in ${dir}) exited with ${String(code)}: ` +
        tail.trim().split('\n').slice(-3).join(' | '),
      {
        path: ['components', site.componentId, 'config', 'buildCommand'],
      },
    );
  }
}
