import { HELP } from '../commands.js';
import { UsageError } from '../shared/usage-error.js';
import { checkTarget } from '../shared/environment-option.js';
import { commandLine, soleEntry } from '../shared/command-line.js';
import { usagePrices } from '../../resources/usage-prices.js';
import { hourStart } from './usage-ledger-sums.js';
import { billingReport, invoicesFor, usageExport } from './usage-billing-command.js';
import { monthWindow, planFees } from './usage-month.js';
import { readLedger, readRegistry } from './usage-ledger-read.js';
import { ledgerUsage, withInvoices } from './usage-ledger-report.js';
import { formatLedgerUsage, usageCsv } from './usage-ledger-render.js';
import { unreadable, usageSource } from './usage-source.js';
import { csvDocument } from './usage-csv.js';
import { checkTenant, parseSince, usageQuery } from './queries.js';
import { formatUsage, usageOf, type Usage } from './render.js';
import { logsTarget, runQuery } from './workspace.js';
import type { LogsIo } from './command.js';

/**
 * `atakora usage <entry> [--environment E | --local] [--resource-group RG] [--since 30d] [--tenant T] [--json |
 * --csv]`: each tenant's requests, refused requests, RU, realtime messages, stored bytes, live connections and
 * estimated cost. A backend with a tenant registry reads its usage ledger (exact: the runtime counts every request,
 * whatever the sampling); one without reads the sampled telemetry in the environment's workspace and says so.
 * Progress on stderr, the report on stdout.
 *
 * @example
 * ```ts
 * process.exitCode = await usageCommand(['backend.ts', '--environment', 'prod', '--csv'], io);
 * ```
 */
export async function usageCommand(argv: readonly string[], io: LogsIo): Promise<number> {
  const line = commandLine(
    argv,
    {
      help: HELP['usage'],
      strings: ['environment', 'resource-group', 'since', 'tenant', 'month'],
      booleans: ['local', 'json', 'csv', 'billing', 'check', 'close-hour'],
    },
    io,
  );
  if (!line) return 0;
  const { values: v, positionals } = line;
  // `atakora usage export <entry>`: the billing export, now (usage-billing-command.ts).
  const exporting = positionals[0] === 'export';
  const entry = soleEntry(
    exporting ? 'usage export' : 'usage',
    exporting ? positionals.slice(1) : positionals,
  );
  if (v.json && v.csv) throw new UsageError('usage prints --json or --csv, not both.');
  checkTarget('usage', v);
  if (v.local && v['resource-group'] !== undefined)
    throw new UsageError('usage --local works on the running atakora dev: drop --resource-group.');
  if (exporting) {
    const other = (['csv', 'billing', 'check', 'month', 'since', 'tenant'] as const).find(
      (k) => v[k] !== undefined,
    );
    if (other) throw new UsageError(`usage export takes no --${other}: it sends every hour due.`);
    // Closing the hour early drops its later usage from the invoice: never on a deployed environment.
    if (v['close-hour'] && !v.local)
      throw new UsageError(
        'usage export --close-hour works on the running atakora dev only: add --local (a deployed hour closes on its own).',
      );
    return usageExport(entry, v, io);
  }
  if (v['close-hour']) throw new UsageError('--close-hour goes with usage export --local.');
  if (v.check && !v.billing) throw new UsageError('usage --check goes with --billing.');
  if (v.month !== undefined && v.since !== undefined)
    throw new UsageError('usage takes --month or --since, not both.');
  const since = parseSince(v.since ?? '30d');
  const tenant = v.tenant === undefined ? undefined : checkTenant(v.tenant);
  if (v.billing) {
    if (v.csv) throw new UsageError('usage --billing prints text or --json, not --csv.');
    const window = v.month === undefined ? since.ms : Date.now() - monthWindow(v.month).from;
    return billingReport(entry, v, window, tenant, io);
  }
  const month = v.month === undefined ? undefined : monthWindow(v.month);
  const source = await usageSource(entry, v);
  if (source.kind === 'telemetry') {
    const usage = await telemetryUsage(source.backend, v['resource-group'], since, tenant, io);
    io.out(
      v.json
        ? `${JSON.stringify(usage, null, 2)}\n`
        : v.csv
          ? telemetryCsv(usage)
          : `${formatUsage(usage)}source: ${usage.sourceNote}\n`,
    );
    return 0;
  }
  try {
    const now = Date.now();
    const from = month ? new Date(month.from).toISOString() : hourStart(now - since.ms);
    const to = month ? Math.min(now, month.to) : now;
    io.err(
      `reading the usage ledger of ${source.backend.backendId} (${source.where}) from ${from}` +
        `${tenant === undefined ? '' : `, tenant ${tenant}`}…\n`,
    );
    const [read, registry] = await Promise.all([
      readLedger(source.usage, {
        fromHour: from,
        ...(month ? { toHour: new Date(month.to).toISOString() } : {}),
        tenant,
        progress: (line) => {
          io.err(line);
        },
      }),
      readRegistry(source.tenants, tenant),
    ]).catch((e: unknown) => {
      throw unreadable(source.backend, source.where, e);
    });
    io.err(`${String(read.items)} ledger item(s) read.\n`);
    // A month's view says what Stripe will invoice each billed tenant, beside what it costs to serve.
    const invoices = month
      ? await invoicesFor(source, v, registry, month, tenant).catch((e: unknown) => {
          throw unreadable(source.backend, source.where, e);
        })
      : undefined;
    const report = withInvoices(
      ledgerUsage({
        backendId: source.backend.backendId,
        where: source.where,
        since: month ? (v.month ?? '') : since.text,
        from,
        to: new Date(to).toISOString(),
        hours: month ? (to - month.from) / 3_600_000 : since.ms / 3_600_000,
        prices: usagePrices(source.plan),
        fees: planFees(source.backend.config.tenants?.plans),
        sums: read.sums,
        registry,
        tenant,
      }),
      invoices,
    );
    io.out(
      v.json
        ? `${JSON.stringify(report, null, 2)}\n`
        : v.csv
          ? usageCsv(report)
          : formatLedgerUsage(report),
    );
  } finally {
    source.dispose();
  }
  return 0;
}

/** The telemetry's usage, said to be what it is. */
type TelemetryUsage = Usage & { readonly source: 'telemetry'; readonly sourceNote: string };

async function telemetryUsage(
  backend: Parameters<typeof logsTarget>[0],
  resourceGroup: string | undefined,
  since: ReturnType<typeof parseSince>,
  tenant: string | undefined,
  io: LogsIo,
): Promise<TelemetryUsage> {
  const target = logsTarget(backend, resourceGroup);
  io.err(
    `reading ${target.stack}'s telemetry in ${target.workspace} (no tenant registry, so no usage ledger)…\n`,
  );
  const rows = await runQuery(target, usageQuery(), since.iso);
  const usage = usageOf(tenant === undefined ? rows : rows.filter((r) => r['Tenant'] === tenant), {
    stack: target.stack,
    environment: target.environment,
    since: since.text,
    samplingPercentage: target.samplingPercentage,
    serverless: target.serverless,
  });
  return {
    source: 'telemetry',
    sourceNote:
      'sampled traces in Log Analytics (this backend has no tenant registry, so no usage ledger: the counts are ' +
      'as good as the sampling)',
    ...usage,
  };
}

function telemetryCsv(u: Usage): string {
  return csvDocument([
    ['tenant', 'requests', 'failures', 'request_units', 'usd_request_units'],
    ...u.tenants.map((t) => [t.tenant, t.requests, t.failures, t.requestUnits, t.estimatedUsd]),
  ]);
}
