import { relative } from 'node:path';
import { ADMIN_KEY_HEADER } from '../loopback/guard.js';

/**
 * The banner lines on what `atakora dev` guards and keeps: the admin key (functions run only with it, or from a
 * JSON request of a trusted origin: cli/dev/loopback/guard.ts), the accepted Host names, whether local data is kept across
 * restarts (`--data-dir`), and the files watched beside the entry.
 *
 * @example
 * ```ts
 * for (const line of devSafetyLines(session)) console.log(line);
 * // Admin key (x-functions-key on POST /admin/functions/<name>): 3f…
 * ```
 */
export function devSafetyLines(session: {
  readonly adminKey: string;
  readonly dataDir: string | undefined;
  readonly cosmosEndpoint: string | undefined;
  readonly watched: readonly string[];
}): string[] {
  const lines = [
    `Admin key (${ADMIN_KEY_HEADER} on POST /admin/functions/<name>): ${session.adminKey}`,
    'Answers Host localhost, 127.0.0.1 and [::1] only; anonymous callers and pages of other origins get 401 ' +
      '(health excepted).',
  ];
  if (session.cosmosEndpoint) {
    lines.push(
      session.dataDir
        ? `Local data is kept in ${relative(process.cwd(), session.dataDir) || '.'} (loaded at start, saved ` +
            `every 5 s and at stop).`
        : 'Local data is NOT kept: it is gone when atakora dev stops (--data-dir <dir> keeps it).',
    );
  }
  const extra = session.watched.slice(1).filter((f) => !/\.[cm]?[jt]sx?$/.test(f));
  if (extra.length)
    lines.push(
      `Also watched (read by the entry): ${extra.map((f) => relative(process.cwd(), f)).join(', ')}`,
    );
  return lines;
}
