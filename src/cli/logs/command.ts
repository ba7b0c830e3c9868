import { HELP } from '../commands.js';
import { msFromEnv } from '../shared/env-ms.js';
import { loadFirstBackend } from '../shared/environment-option.js';
import { commandLine, soleEntry, type CommandIo } from '../shared/command-line.js';
import { colors } from '../shared/style.js';
import { checkTenant, LOGS_MAX_ROWS, parseSince, requestsQuery } from './queries.js';
import { formatRequest, requestLine, type RequestLine } from './render.js';
import { logsTarget, runQuery, type LogsTarget } from './workspace.js';

/** Where the command writes; `signal` ends a `--follow` (a test's; the terminal's Ctrl+C ends the process). */
export interface LogsIo extends CommandIo {
  readonly stdout?: { isTTY?: boolean };
  readonly signal?: AbortSignal;
}

/** How often `--follow` asks again: `ATAKORA_LOGS_POLL_MS`, default 10 s (Azure Monitor allows a user 200 queries per 30 s: Learn, "Azure Monitor service limits", user query throttling). */
const POLL_MS = 10_000;

/**
 * `atakora logs <entry> [--environment E] [--resource-group RG] [--tenant T] [--since 1h] [--follow] [--json]`:
 * the requests the runtime served in that environment (its spans in Application Insights, read from the Log
 * Analytics workspace with the deployer's identity), oldest first, failures marked; `--json` one object a line;
 * `--follow` then prints new ones as they arrive.
 *
 * @example
 * ```ts
 * process.exitCode = await logsCommand(['backend.ts', '--environment', 'prod', '--tenant', tid, '--since', '2h'], io);
 * ```
 */
export async function logsCommand(argv: readonly string[], io: LogsIo): Promise<number> {
  const line = commandLine(
    argv,
    {
      help: HELP['logs'],
      strings: ['environment', 'resource-group', 'tenant', 'since'],
      booleans: ['json'],
      own: { follow: { type: 'boolean', short: 'f' } },
    },
    io,
  );
  if (!line) return 0;
  const { values: v, positionals } = line;
  const entry = soleEntry('logs', positionals);
  const since = parseSince(v.since ?? '1h');
  const tenant = v.tenant === undefined ? undefined : checkTenant(v.tenant);
  const target = logsTarget(await loadFirstBackend(entry, v.environment), v['resource-group']);
  const c = colors(io.stdout ?? {});
  const print = (r: RequestLine) => {
    io.out(`${v.json ? JSON.stringify(publicLine(r)) : formatRequest(r, c.red)}\n`);
  };

  const first = (
    await runQuery(target, requestsQuery(tenant === undefined ? {} : { tenant }), since.iso)
  ).map(requestLine);
  for (const r of first) print(r);
  if (!v.json) summary(io, target, first, since.text, tenant);
  if (!v.follow) return 0;
  await follow(target, tenant, first, print, io);
  return 0;
}

/** Ask again every poll for rows ingested since the newest seen, print the ones not seen, until the signal. */
async function follow(
  target: LogsTarget,
  tenant: string | undefined,
  seen: readonly RequestLine[],
  print: (r: RequestLine) => void,
  io: LogsIo,
): Promise<void> {
  const ids = new Set(seen.map((r) => r.id));
  let after = newest(seen) ?? new Date().toISOString();
  const poll = msFromEnv(process.env, 'ATAKORA_LOGS_POLL_MS', POLL_MS);
  io.err(`following ${target.stack}'s requests (every ${String(poll / 1000)} s; Ctrl+C stops)…\n`);
  while (!io.signal?.aborted) {
    await sleep(poll, io.signal);
    if (io.signal?.aborted) break;
    const rows = (
      await runQuery(
        target,
        requestsQuery({ ...(tenant === undefined ? {} : { tenant }), after }),
        // The rows ingested after `after` may be of requests a little older: a day bounds the scan.
        'P1D',
      )
    ).map(requestLine);
    for (const r of rows) {
      if (r.id && ids.has(r.id)) continue;
      ids.add(r.id);
      print(r);
    }
    after = newest(rows) ?? after;
    // Bound the memory of a long follow: ids older than the last answer are not asked for again.
    if (ids.size > 4 * LOGS_MAX_ROWS)
      for (const id of [...ids].slice(0, ids.size - LOGS_MAX_ROWS)) ids.delete(id);
  }
}

function newest(rows: readonly RequestLine[]): string | undefined {
  let best: string | undefined;
  for (const r of rows) if (r.ingested && (!best || r.ingested > best)) best = r.ingested;
  return best;
}

function summary(
  io: LogsIo,
  target: LogsTarget,
  rows: readonly RequestLine[],
  since: string,
  tenant: string | undefined,
): void {
  const failed = rows.filter((r) => !r.success).length;
  const who = tenant === undefined ? '' : ` of tenant ${tenant}`;
  const sampled =
    target.samplingPercentage < 100
      ? ` (traces kept at ${String(target.samplingPercentage)}%: a row marked ×N stands for N requests)`
      : '';
  io.err(
    rows.length === 0
      ? `no requests${who} in ${target.stack}'s last ${since}${sampled}; a request reaches the workspace a few minutes after it is served.\n`
      : `${String(rows.length)} request(s)${who} in ${target.stack}'s last ${since}, ${String(failed)} failed` +
          `${rows.length === LOGS_MAX_ROWS ? ` (the newest ${String(LOGS_MAX_ROWS)}: narrow with --since or --tenant)` : ''}${sampled}.\n`,
  );
}

/** What `--json` prints of a line: everything but the bookkeeping of a follow. */
function publicLine(r: RequestLine): Omit<RequestLine, 'id' | 'ingested'> {
  const { id: _id, ingested: _ingested, ...rest } = r;
  return rest;
}

function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((done) => {
    const t = setTimeout(done, ms);
    signal?.addEventListener(
      'abort',
      () => {
        clearTimeout(t);
        done();
      },
      { once: true },
    );
  });
}
