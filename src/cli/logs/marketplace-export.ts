import { admissionPolicy, MEMBERS } from '../../kit/pure/tenant-registry.js';
import type { TenantRecord } from '../../contract/tenants.js';
import { DEFAULT_COSMOS_POLICY, readItemOrNone } from '../../runtime/data/cosmos-policy.js';
import { tenantRecordOf } from '../../runtime/tenants/tenant-record.js';
import {
  exportMarketplaceUsage,
  type MeteringReport,
} from '../../runtime/marketplace/metering-export.js';
import { cosmosMeteringStore } from '../../runtime/marketplace/metering-store.js';
import { cosmosPurchaseClaims } from '../../runtime/marketplace/purchase-claims.js';
import { AtakoraError } from '../../model/errors.js';
import type { Backend } from '../../backend/backend.js';
import { printable } from '../shared/terminal-text.js';
import { cliMarketplaceClient } from './marketplace-billing.js';
import type { LogsIo } from './command.js';
import type { UsageSource } from './usage-source.js';

// The registry's and the ledger's container type, as usage-source.ts holds them (no Azure SDK import outside
// src/cli/azure/).
type Container = Extract<UsageSource, { kind: 'ledger' }>['usage'];

/** Where the export reads and writes: the backend's registry and usage ledger (usage-source.ts's ledger source). */
export interface MarketplaceExportSource {
  readonly backend: Backend;
  readonly where: string;
  readonly tenants: Container;
  readonly usage: Container;
}

/**
 * `atakora usage export`'s Marketplace part (DESIGN §2: the export "runs now" what the timers run each hour): the
 * offer's usage sent to `POST …/batchUsageEvent` exactly as the runtime's metering timer sends it
 * (runtime/marketplace/metering-export.ts — the same claims in the `members` container, records in the usage ledger,
 * one event per subscription, dimension and closed hour above the plan's included quantity, only while
 * `Subscribed`, never before activation, never for an organization Stripe meters), with the fulfillment app's secret
 * from the environment variable the config names (`--local`: also `.atakora/secrets.json`) and
 * `ATAKORA_MARKETPLACE_API` when set. Undefined for a backend not sold on Marketplace. An outage or a refused app
 * leaves the rest for the next run: MARKETPLACE_UNAVAILABLE (after the report is printed by the caller).
 *
 * @example
 * ```ts
 * const report = await marketplaceExport(source, { local: true }, io);
 * ```
 */
export async function marketplaceExport(
  source: MarketplaceExportSource,
  v: { readonly local?: boolean; readonly 'close-hour'?: boolean },
  io: LogsIo,
): Promise<MeteringReport | undefined> {
  const offer = source.backend.config.tenants?.billing?.marketplace;
  const marketplace = admissionPolicy(source.backend.config).registry?.marketplace;
  if (!offer || !marketplace) return undefined;
  const client = cliMarketplaceClient(source.backend, offer, { local: v.local === true });
  io.err(
    `exporting the usage of ${source.backend.backendId} (${source.where}) to Azure Marketplace…\n`,
  );
  const members = source.tenants.database.container(MEMBERS.container);
  return exportMarketplaceUsage({
    marketplace,
    claims: cosmosPurchaseClaims(members),
    read: async (organization): Promise<TenantRecord | undefined> =>
      tenantRecordOf(
        await readItemOrNone(source.tenants, DEFAULT_COSMOS_POLICY, organization, organization),
      ),
    store: cosmosMeteringStore(source.usage),
    client,
    ...(v['close-hour'] && v.local ? { closeOpenHour: true } : {}),
    log: (line) => {
      io.err(`${printable(JSON.stringify(line))}\n`);
    },
  });
}

/**
 * The report as one line of text.
 *
 * @example
 * ```ts
 * io.out(marketplaceExportText(source, report));
 * ```
 */
export function marketplaceExportText(source: MarketplaceExportSource, r: MeteringReport): string {
  return (
    `${printable(source.backend.backendId)} (${source.where}): closed hours ${r.from} to ${r.to} of ` +
    `${String(r.subscriptions)} Azure Marketplace subscription(s): ${String(r.sent)} event(s) sent, ` +
    `${String(r.duplicates)} already in Marketplace, ${String(r.pending)} pending, ${String(r.refused)} refused.\n`
  );
}

/**
 * MARKETPLACE_UNAVAILABLE for a run that stopped (after its report is printed), else nothing.
 *
 * @example
 * ```ts
 * stoppedMarketplace(report);
 * ```
 */
export function stoppedMarketplace(r: MeteringReport | undefined): void {
  if (r?.stopped === undefined) return;
  throw new AtakoraError(
    'MARKETPLACE_UNAVAILABLE',
    `The Azure Marketplace export stopped: ${printable(r.stopped)}. ${String(r.pending)} event(s) wait for the next ` +
      'run (the timer, or this command again); nothing is sent twice.',
    {
      path: ['usage', 'export'],
      resolution:
        'Run atakora usage export again later; if Marketplace refused the fulfillment app (401/403), check its ' +
        'client secret and that the app is the offer’s (Partner Center → Technical configuration).',
    },
  );
}
