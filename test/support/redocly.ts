import { spawnSync } from 'node:child_process';
import { join, resolve } from 'node:path';
import { deadline } from './patience.js';

const root = resolve(import.meta.dirname, '../..');

/** One document's report from Redocly CLI's `lint --format=json`. */
export interface RedoclyReport {
  totals: { errors: number; warnings: number };
  problems: { ruleId: string; message: string; location: { pointer: string }[] }[];
}

/**
 * Redocly CLI's `lint --extends=recommended` over `files`, as its own bin runs it (telemetry and update notices off):
 * one JSON report per document, in order, and the command's exit status.
 *
 * @example
 * ```ts
 * const { status, reports } = redoclyLint([file], work);
 * expect(reports[0]!.problems).toEqual([]);
 * ```
 */
export function redoclyLint(
  files: readonly string[],
  cwd: string,
): { status: number | null; reports: RedoclyReport[] } {
  const r = spawnSync(
    process.execPath,
    [
      join(root, 'node_modules/@redocly/cli/bin/cli.js'),
      'lint',
      '--extends=recommended',
      '--format=json',
      ...files,
    ],
    {
      cwd,
      encoding: 'utf8',
      env: { ...process.env, REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true' },
      timeout: deadline(120_000),
    },
  );
  // One JSON report per document, one after the other.
  const reports = r.stdout
    .slice(r.stdout.indexOf('{'))
    .split(/(?<=\})\s*(?=\{\s*"totals")/)
    .map((text) => JSON.parse(text) as RedoclyReport);
  return { status: r.status, reports };
}
