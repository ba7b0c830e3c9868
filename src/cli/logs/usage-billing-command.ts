import { AtakoraError } from '../../model/errors.js';
import { cosmosBillingStore } from '../../runtime/billing/billing-store.js';
import { type ExportReport, exportUsage } from '../../runtime/billing/export-usage.js';
import { scrubKey } from '../../runtime/billing/meter-sender.js';
import { printable } from '../shared/terminal-text.js';
import {
  billingConfigOf,
  cliPermissionProbe,
  cliStripeReader,
  cliStripeSender,
} from './billing-sender.js';
import { checkPermissions, lacks, type PermissionCheck } from './billing-permissions.js';
import { type MonthInvoices, monthInvoices } from './usage-invoice.js';
import { stripePreviews } from './usage-invoice-preview.js';
import type { RegistryEntry } from './usage-ledger-read.js';
import { reconcileBilling } from './usage-billing.js';
import { formatBilling } from './usage-billing-render.js';
import { checkMarketplace, formatMarketplace, marketplaceReport } from './marketplace-billing.js';
import {
  marketplaceExport,
  marketplaceExportText,
  stoppedMarketplace,
} from './marketplace-export.js';
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
 * with a customer and per meter, exactly once), with the key from the environment variable the config names — and,
 * for a backend sold on Azure Marketplace, its usage to Marketplace as the metering timer sends it (a backend sold
 * there only sends nothing to Stripe; marketplace-export.ts).
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
    // Sold on Azure Marketplace: its usage sent as the metering timer sends it (marketplace-export.ts), beside
    // Stripe's — or alone, for a backend sold on Marketplace only.
    const market = await marketplaceExport(source, v, io);
    if (market && !source.backend.config.tenants?.billing?.stripe) {
      io.out(
        v.json
          ? `${JSON.stringify({ marketplace: market }, null, 2)}\n`
          : marketplaceExportText(source, market),
      );
      stoppedMarketplace(market);
      return 0;
    }
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
    io.out(
      v.json
        ? `${JSON.stringify(market ? { ...report, marketplace: market } : report, null, 2)}\n`
        : exportText(source, report) + (market ? marketplaceExportText(source, market) : ''),
    );
    stoppedMarketplace(market);
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
 * was sent (and with `--check`, with Stripe's meter event summaries, after proving the key's permissions one call
 * each). Exit 0 with the report (its `equal` says); with `--check`, 1 when a permission is missing
 * (BILLING_KEY_PERMISSION_MISSING) or anything differs (BILLING_CHECK_MISMATCH), after the report.
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
    const local = { local: v.local === true };
    const check = v.check ? await cliStripeSender(source.backend, billing, local) : undefined;
    const permissions = check ? await keyPermissions(billing, local, io) : undefined;
    // Events Stripe took and refused later are in its meter error reports, not its answers (stripe-reads.ts); a read
    // the key may not make is not tried (its permission is reported MISSING instead).
    const stripeErrors =
      check && !lacks(permissions, 'events-read')
        ? await (await cliStripeReader(billing, local))
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
      check: lacks(permissions, 'meters-read') ? undefined : check,
      stripeErrors,
      permissions,
    }).catch((e: unknown) => {
      throw stripeReadFailure(e);
    });
    io.out(
      v.json
        ? `${JSON.stringify(market ? { ...r, marketplace: market } : r, null, 2)}\n`
        : formatBilling(r) + (market ? formatMarketplace(market) : ''),
    );
    const missing = (permissions ?? []).filter((p) => p.state === 'missing');
    if (missing.length) throw permissionMissing(source, missing, r.equal);
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

/** The key's permissions, one probe each (a key Stripe refuses outright: BILLING_STRIPE_UNAVAILABLE, masked). */
async function keyPermissions(
  billing: ReturnType<typeof billingConfigOf>,
  local: { readonly local: boolean },
  io: LogsIo,
): Promise<PermissionCheck[] | undefined> {
  const probe = await cliPermissionProbe(billing, local);
  if (!probe) return undefined;
  io.err('checking the Stripe key’s permissions (a call each, nothing written)…\n');
  return checkPermissions(billing, probe).catch((e: unknown) => {
    throw stripeReadFailure(e);
  });
}

/** BILLING_KEY_PERMISSION_MISSING naming each permission the key lacks, what needs it and what Stripe named. */
function permissionMissing(
  source: LedgerSource,
  missing: readonly PermissionCheck[],
  equal: boolean,
): AtakoraError {
  const named = missing.map(
    (p) =>
      `${p.permission} (for ${p.neededBy.join('; ')}${p.stripe ? `; Stripe names ${printable(p.stripe)}` : ''})`,
  );
  return new AtakoraError(
    'BILLING_KEY_PERMISSION_MISSING',
    `The Stripe key of ${source.backend.backendId} (${source.where}) lacks ${named.join(', ')}` +
      `${equal ? '' : '; and the reconciliation differs in the hours listed above'}.`,
    {
      path: ['usage', '--billing', '--check'],
      resolution:
        `Edit the restricted key in Stripe (Developers → API keys) and set ${missing
          .map((p) => p.permission)
          .join(
            ', ',
          )}, or use a key that has them (docs/billing.md, "The key's permissions"); then run the ` +
        'command again.',
    },
  );
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
  const store = cosmosBillingStore(source.tenants, source.usage);
  const now = Date.now();
  // Stripe previews the next invoice only: its figure for the month in progress; a past month's is its invoices.
  const current = month.from <= now && now < month.to;
  const read = async (): Promise<MonthInvoices> => {
    const ours = await monthInvoices({
      billing,
      plans: tenants.plans,
      store,
      reader,
      planOf: (id) => registry.get(id)?.plan,
      fromMs: month.from,
      toMs: Math.min(now, month.to),
      tenant,
    });
    // Without the key the report says so already ("Quantities only").
    if (!reader) return ours;
    if (!current)
      return {
        ...ours,
        previewNote:
          "Stripe's preview is of the next invoice, shown for the month in progress only: a past month's figure " +
          'is on the invoices Stripe issued (dashboard → Invoices).',
      };
    return { ...ours, previews: await stripePreviews(reader, store, tenant) };
  };
  return read().catch((e: unknown) => {
    throw stripeReadFailure(e, ['usage', '--month']);
  });
}
