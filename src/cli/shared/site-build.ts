import { spawn } from 'node:child_process';
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
  const { code, tail } = await new Promise<{ code: number | null; tail: string }>((done) => {
    const child = spawn(site.buildCommand, {
      cwd: dir,
      shell: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let tail = '';
    const take = (d: Buffer) => {
      const text = d.toString();
      tail = (tail + text).slice(-2000);
      for (const l of text.split('\n').filter(Boolean)) log(`  ${l}`);
    };
    child.stdout.on('data', take);
    child.stderr.on('data', take);
    child.once('error', (e) => {
      done({ code: -1, tail: e.message });
    });
    child.once('close', (c) => {
      done({ code: c, tail });
    });
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
