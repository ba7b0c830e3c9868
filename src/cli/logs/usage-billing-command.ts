import { AtakoraError } from '../../model/errors.js';
import { cosmosBillingStore } from '../../runtime/billing/billing-store.js';
import { type ExportReport, exportUsage } from '../../runtime/billing/export-usage.js';
import { scrubKey } from '../../runtime/billing/meter-sender.js';
import { printable } from '../shared/terminal-text.js';
import { billingConfigOf, cliStripeReader, cliStripeSender } from './billing-sender.js';
import { type MonthInvoices, monthInvoices } from './usage-invoice.js';
import type { RegistryEntry } from './usage-ledger-read.js';
import { formatBilling, reconcileBilling } from './usage-billing.js';
import { checkMarketplace, formatMarketplace, marketplaceReport } from './marketplace-billing.js';
import { usageSource, type UsageSource } from './usage-source.js';
import type { LogsIo } from './command.js';

type LedgerSource = Extract<UsageSource, { kind: 'ledger' }>;

/** The ledger source of a billed backend (`--local` or `--environment E`), or the error that says why not. */
async function billedSource(
  entry: string,
  v: { local?: boolean; environment?: string; 'resource-group'?: string },
): Promise<LedgerSource> {
  const source = await usageSource(entry, v);
  if (source.kind !== 'ledger')
    throw new AtakoraError(
      'USAGE_NO_LEDGER',
      `${source.backend.backendId} has no tenant registry, so no usage ledger to bill from.`,
      { path: ['auth', 'allowedTenants'] },
    );
  return source;
}

/**
 * `atakora usage export <entry> [--local [--close-hour] | --environment E] [--resource-group RG] [--json]` (parsed by
 * usage-command.ts): run the billing export now, as the timer does each hour (every closed hour due, per tenant
 * with a customer and per meter, exactly once), with the key from the environment variable the config names.
 * Prints what it sent; an outage or a refused key leaves the rest for the next run and exits 1
 * (BILLING_STRIPE_UNAVAILABLE). `--close-hour` (dev only) sends the hour in progress too, as if it had closed.
 *
 * @example
 * ```ts
 * process.exitCode = await usageExport('backend.ts', { local: true }, io);
 * ```
 */
export async function usageExport(
  entry: string,
  v: {
    local?: boolean;
    environment?: string;
    'resource-group'?: string;
    json?: boolean;
    'close-hour'?: boolean;
  },
  io: LogsIo,
): Promise<number> {
  const source = await billedSource(entry, v);
  try {
    const billing = billingConfigOf(source.backend);
    const sender = await cliStripeSender(source.backend, billing, { local: v.local === true });
    io.err(`exporting the usage of ${source.backend.backendId} (${source.where}) to Stripe…\n`);
    const report = await exportUsage({
      backendId: source.backend.backendId,
      // The environment the runtime's manifest names (dev's under --local): one identifier per hour, wherever sent.
      environment: source.plan.environment,
      billing,
      store: cosmosBillingStore(source.tenants, source.usage),
      sender,
      ...(v['close-hour'] && v.local ? { closeOpenHour: true } : {}),
      log: (line) => {
        io.err(`${printable(JSON.stringify(line))}\n`);
      },
    });
    io.out(v.json ? `${JSON.stringify(report, null, 2)}\n` : exportText(source, report));
    if (report.stopped !== undefined)
      throw new AtakoraError(
        'BILLING_STRIPE_UNAVAILABLE',
        `The export stopped: ${printable(report.stopped)}. ${String(report.pending)} event(s) wait for the next ` +
          'run (the timer, or this command again); nothing is sent twice.',
        { path: ['usage', 'export'] },
      );
    return 0;
  } finally {
    source.dispose();
  }
}

/**
 * A failed read of Stripe's summaries (`--check`) as BILLING_STRIPE_UNAVAILABLE, its message masked as the export's
 * are (scrubKey: the sender masked its key already; anything else shaped like a key is masked here); other errors as
 * they are. By name: the sender's module loads the Stripe SDK, which this one never imports.
 */
function stripeReadFailure(
  e: unknown,
  path: readonly string[] = ['usage', '--billing', '--check'],
): unknown {
  if (!(e instanceof Error) || e.name !== 'StripeReadError') return e;
  const status = (e as { status?: number }).status;
  return new AtakoraError(
    'BILLING_STRIPE_UNAVAILABLE',
    `Stripe could not be read${status === undefined ? '' : ` (${String(status)})`}: ` +
      printable(scrubKey(e.message, '')),
    { path },
  );
}

function exportText(source: LedgerSource, r: ExportReport): string {
  return (
    `${printable(source.backend.backendId)} (${source.where}): closed hours ${r.from} to ${r.to} of ` +
    `${String(r.tenants)} tenant(s) with a Stripe customer: ${String(r.sent)} event(s) sent, ` +
    `${String(r.duplicates)} already in Stripe, ${String(r.alreadySent)} sent before, ${String(r.pending)} pending, ` +
    `${String(r.refused)} refused.` +
    (r.skippedTenants.length
      ? ` Not exported (identifiers over Stripe's 100 characters): ${r.skippedTenants.map(printable).join(', ')}.`
      : '') +
    '\n'
  );
}

/**
 * `atakora usage <entry> --billing [--check] [--since 30d] [--tenant T] [--json]`: the ledger reconciled with what
 * was sent (and with `--check`, with Stripe's meter event summaries). Exit 0 with the report (its `equal` says);
 * with `--check`, 1 when anything differs (BILLING_CHECK_MISMATCH after the report).
 *
 * @example
 * ```ts
 * process.exitCode = await billingReport('backend.ts', { local: true, check: true }, since, undefined, io);
 * ```
 */
export async function billingReport(
  entry: string,
  v: {
    local?: boolean;
    environment?: string;
    'resource-group'?: string;
    check?: boolean;
    json?: boolean;
  },
  sinceMs: number,
  tenant: string | undefined,
  io: LogsIo,
): Promise<number> {
  const source = await billedSource(entry, v);
  try {
    // Sold on Azure Marketplace: its records reconciled beside Stripe's (marketplace-billing.ts).
    const market = await marketplaceReport(source, v, sinceMs, tenant);
    if (market && !source.backend.config.tenants?.billing?.stripe) {
      io.out(
        v.json
          ? `${JSON.stringify({ marketplace: market }, null, 2)}\n`
          : formatMarketplace(market),
      );
      checkMarketplace(market, source.backend.backendId, source.where, v.check === true);
      return 0;
    }
    const billing = billingConfigOf(source.backend);
    const check = v.check
      ? await cliStripeSender(source.backend, billing, { local: v.local === true })
      : undefined;
    // Events Stripe took and refused later are in its meter error reports, not its answers (stripe-reads.ts).
    const stripeErrors = check
      ? await (await cliStripeReader(billing, { local: v.local === true }))
          ?.errorReports(Object.values(billing.meters).filter((n) => n !== undefined))
          .catch((e: unknown) => {
            throw stripeReadFailure(e);
          })
      : undefined;
    const now = Date.now();
    io.err(
      `reconciling the usage ledger of ${source.backend.backendId} (${source.where}) with Stripe…\n`,
    );
    const r = await reconcileBilling({
      backendId: source.backend.backendId,
      where: source.where,
      billing,
      store: cosmosBillingStore(source.tenants, source.usage),
      fromMs: now - sinceMs,
      now,
      tenant,
      check,
      stripeErrors,
    }).catch((e: unknown) => {
      throw stripeReadFailure(e);
    });
    io.out(
      v.json
        ? `${JSON.stringify(market ? { ...r, marketplace: market } : r, null, 2)}\n`
        : formatBilling(r) + (market ? formatMarketplace(market) : ''),
    );
    checkMarketplace(market, source.backend.backendId, source.where, v.check === true);
    if (!r.equal && v.check)
      throw new AtakoraError(
        'BILLING_CHECK_MISMATCH',
        `The ledger, what was sent and Stripe's summaries of ${source.backend.backendId} (${source.where}) differ ` +
          'in the hours listed above.',
        { path: ['usage', '--billing', '--check'] },
      );
    return 0;
  } finally {
    source.dispose();
  }
}

/**
 * `atakora usage --month`'s invoices for a billed backend (undefined without `tenants.billing`): what Stripe will
 * invoice each tenant with a customer, its prices read with the key when it is set here (else quantities only).
 * A failed read of Stripe is BILLING_STRIPE_UNAVAILABLE, its message masked.
 *
 * @example
 * ```ts
 * const invoices = await invoicesFor(source, { local: false }, registry, month, undefined);
 * ```
 */
export async function invoicesFor(
  source: LedgerSource,
  v: { local?: boolean },
  registry: ReadonlyMap<string, RegistryEntry>,
  month: { readonly from: number; readonly to: number },
  tenant: string | undefined,
): Promise<MonthInvoices | undefined> {
  const tenants = source.backend.config.tenants;
  const billing = tenants?.billing?.stripe;
  if (!tenants || !billing) return undefined;
  const reader = await cliStripeReader(billing, { local: v.local === true });
  return monthInvoices({
    billing,
    plans: tenants.plans,
    store: cosmosBillingStore(source.tenants, source.usage),
    reader,
    planOf: (id) => registry.get(id)?.plan,
    fromMs: month.from,
    toMs: Math.min(Date.now(), month.to),
    tenant,
  }).catch((e: unknown) => {
    throw stripeReadFailure(e, ['usage', '--month']);
  });
}
