import { parseArgs } from 'node:util';
import { at } from '../../model/at.js';
import { HELP } from '../commands.js';
import { loadInEnvironment } from '../shared/environment-option.js';
import { UsageError } from '../shared/usage-error.js';
import { parseSince, usageQuery } from './queries.js';
import { formatUsage, usageOf } from './render.js';
import { logsTarget, runQuery } from './workspace.js';
import type { LogsIo } from './command.js';

/**
 * `atakora usage <entry> [--environment E] [--resource-group RG] [--since 30d] [--json]`: requests, failures, RU
 * and the estimated Cosmos DB cost per tenant and per component, summed from the runtime's spans in the
 * environment's workspace (each request's RU is what Cosmos DB charged its calls; sampled rows scaled back).
 *
 * @example
 * ```ts
 * process.exitCode = await usageCommand(['backend.ts', '--environment', 'prod', '--json'], io);
 * ```
 */
export async function usageCommand(argv: readonly string[], io: LogsIo): Promise<number> {
  const { values: v, positionals } = parseArgs({
    args: [...argv],
    allowPositionals: true,
    strict: true,
    options: {
      help: { type: 'boolean', short: 'h' },
      environment: { type: 'string' },
      'resource-group': { type: 'string' },
      since: { type: 'string' },
      json: { type: 'boolean' },
    },
  });
  if (v.help) {
    io.out(`${HELP['usage'] ?? ''}\n`);
    return 0;
  }
  const [entry, ...extra] = positionals;
  if (!entry) throw new UsageError('usage takes an <entry>.');
  if (extra.length) throw new UsageError(`usage takes one <entry> (got ${positionals.join(' ')}).`);
  const since = parseSince(v.since ?? '30d');
  const target = logsTarget(
    at(await loadInEnvironment(entry, v.environment), 0),
    v['resource-group'],
  );
  const rows = await runQuery(target, usageQuery(), since.iso);
  const usage = usageOf(rows, {
    stack: target.stack,
    environment: target.environment,
    since: since.text,
    samplingPercentage: target.samplingPercentage,
    serverless: target.serverless,
  });
  io.out(v.json ? `${JSON.stringify(usage, null, 2)}\n` : formatUsage(usage));
  return 0;
}
