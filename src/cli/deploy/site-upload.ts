import { runLogged } from '../shared/run-logged.js';
import { randomUUID } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { AtakoraError } from '../../model/errors.js';

// How `swa deploy` (@azure/static-web-apps-cli 2.0.x, src/cli/commands/deploy/deploy.ts and register.ts) finds
// what it uploads, and why atakora runs it the way it does:
// - the content folder is the positional argument (`swa deploy [outputLocation]`), resolved against
//   `--app-location`, which defaults to the working directory;
// - `staticwebapp.config.json` is looked up under `--swa-config-location`, else the app location (again the
//   working directory): every file of that tree is visited (node_modules and .git* skipped) and the last one
//   found wins (core/utils/user-config.ts, findSWAConfigFile), then handed to the uploader as its
//   CONFIG_FILE_LOCATION — so run from a project folder it uploads the project's own, un-merged file, not the
//   staged one with the security headers;
// - `swa-cli.config.json` and `.github/workflows/*` of the working directory override options
//   (core/utils/cli-config.ts, workflow-config.ts).
// So the uploader runs inside the staged folder, with every location pointing at it: it sees nothing else.
// Its exit code is not enough either: it exits 0 when no deploy binary could be obtained, and the deploy
// binary's own failures come as output lines (`✖ …`, "Deployment Failed :(", "Deployment Failure Reason: …");
// success is the line `✔ Project deployed to <url>` (ora's succeed, deploy.ts). The output decides.

/** The file every site deploy writes at the site's root, so verification sees content this deploy wrote. */
export const SITE_DEPLOY_MARKER = 'atakora-deploy.json';

/** What {@link writeDeployMarker} writes: a fresh id per deploy, and when. Nothing secret. */
export interface SiteDeployMarker {
  readonly deployId: string;
  readonly deployedAt: string;
}

/**
 * Write {@link SITE_DEPLOY_MARKER} into a staged site folder: `{ deployId, deployedAt }`, a new id each time.
 *
 * @example
 * ```ts
 * const marker = writeDeployMarker(staged); // later: GET <site>/atakora-deploy.json must hold marker.deployId
 * ```
 */
export function writeDeployMarker(folder: string, now: Date = new Date()): SiteDeployMarker {
  const marker = { deployId: randomUUID(), deployedAt: now.toISOString() };
  writeFileSync(join(folder, SITE_DEPLOY_MARKER), JSON.stringify(marker) + '\n');
  return marker;
}

/**
 * The arguments of `swa deploy` for a staged folder: the folder as content, app and configuration location.
 *
 * @example
 * ```ts
 * swaDeployArgs('/tmp/atakora-site-web-x1'); // ['deploy', '/tmp/…', '--app-location', '/tmp/…', '--swa-config-location', '/tmp/…', '--env', 'production']
 * ```
 */
export function swaDeployArgs(folder: string): string[] {
  return [
    'deploy',
    folder,
    '--app-location',
    folder,
    '--swa-config-location',
    folder,
    '--env',
    'production',
  ];
}

/**
 * Whether the uploader's output says the upload succeeded: a `Project deployed to` line and no failure line.
 * Undefined when it succeeded, else the lines that say why not.
 *
 * @example
 * ```ts
 * uploadFailure('✔ Project deployed to https://x.azurestaticapps.net'); // undefined
 * uploadFailure('Deployment Failed :(\nDeployment Failure Reason: Failed to upload'); // 'Deployment Failed :( | …'
 * ```
 */
export function uploadFailure(output: string): string | undefined {
  const lines = output
    .split('\n')
    .map((l) => l.replace(/\x1b\[[0-9;]*m/g, '').trim())
    .filter((l) => l !== '');
  const failed = lines.filter(
    (l) => l.startsWith('✖') || /deployment fail/i.test(l) || /^Status:\s*Failed/i.test(l),
  );
  if (failed.length > 0) return failed.slice(-3).join(' | ');
  if (!lines.some((l) => /Project deployed to/i.test(l)))
    return `no "Project deployed to" line in its output${lines.length ? ` (last: ${lines.slice(-2).join(' | ')})` : ' (no output)'}`;
  return undefined;
}

/**
 * Run `swa deploy` on a staged folder with the deployment token in its environment (never an argument), inside
 * that folder; a non-zero exit or an output that does not say it deployed is `SITE_UPLOAD_FAILED`.
 *
 * @example
 * ```ts
 * await uploadStaged(swa, staged, token, 'Portal', process.env, console.error);
 * ```
 */
export async function uploadStaged(
  swa: string,
  folder: string,
  token: string,
  id: string,
  env: NodeJS.ProcessEnv,
  log: (l: string) => void,
): Promise<void> {
  const { code, output } = await runLogged(swa, swaDeployArgs(folder), {
    cwd: folder,
    env: { ...env, SWA_CLI_DEPLOYMENT_TOKEN: token },
    log,
    keep: 20_000,
    shown: (line) => line.replaceAll(token, '***'),
  });
  const masked = output.replaceAll(token, '***');
  const failure = code === 0 ? uploadFailure(masked) : undefined;
  const why =
    code !== 0
      ? `swa deploy exited ${String(code)}: ${masked.trim().split('\n').slice(-3).join(' | ')}`
      : failure && `swa deploy exited 0 but ${failure}`;
  if (why)
    throw new AtakoraError('SITE_UPLOAD_FAILED', `Uploading site ${id} failed (${why}).`, {
      path: ['components', id],
    });
}
