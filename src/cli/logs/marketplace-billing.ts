import type { UsageSource } from './usage-source.js';
import type { Backend } from '../../backend/backend.js';
import type { MarketplaceConfig } from '../../model/config.js';
import { AtakoraError } from '../../model/errors.js';
import { marketplaceBases, settingSecret } from '../../model/marketplace.js';
import { secretReferenceSetting } from '../../kit/pure/names/secret-names.js';
import { marketplaceHttp } from '../../runtime/marketplace/marketplace-http.js';
import {
  MarketplaceCallError,
  type MarketplaceClient,
  type UsageEventsRow,
} from '../../runtime/marketplace/marketplace-port.js';
import { meteringRecordOf, type MeteringRecord } from '../../runtime/marketplace/metering-store.js';
import { localSecretValues } from '../shared/secrets/local-secrets.js';
import { printable } from '../shared/terminal-text.js';

/** The usage ledger's container, as `atakora usage` reaches it (the cli/azure room's client). */
type Container = Extract<UsageSource, { kind: 'ledger' }>['usage'];

/** One subscription's day on one dimension: what the ledger recorded as sent, and what Marketplace recorded. */
export interface MarketplaceDay {
  readonly day: string;
  readonly tenant: string;
  readonly subscriptionId: string;
  readonly dimension: string;
  /** Quantities recorded `sent`; those `sending` (a later run resends them) and `refused` apart. */
  readonly sent: number;
  readonly pending: number;
  readonly refused: number;
  /** `GET …/usageEvents`' `submittedQuantity` and `reconStatus` (with `--check`), else null. */
  readonly marketplace: { readonly submitted: number; readonly status: string } | null;
  readonly equal: boolean;
}

/** `atakora usage --billing [--check]`'s Marketplace part. */
export interface MarketplaceReport {
  readonly offer: string;
  readonly from: string;
  readonly days: readonly MarketplaceDay[];
  /** Whether every day's sent quantity is what Marketplace recorded (always true without `--check`). */
  readonly equal: boolean;
}

/**
 * The fulfillment app's client secret as the CLI reads it: the environment variable the config names, with `--local`
 * also `.atakora/secrets.json` (as `atakora dev` reads it); undefined when neither holds one. Never printed.
 *
 * @example
 * ```ts
 * cliMarketplaceSecret(marketplace, { local: true }); // the secret, or undefined
 * ```
 */
export function cliMarketplaceSecret(
  m: MarketplaceConfig,
  options: { readonly local: boolean },
  env: NodeJS.ProcessEnv = process.env,
  cwd: string = process.cwd(),
): string | undefined {
  const secret = settingSecret(env[m.secret]);
  if (secret || !options.local) return secret;
  const settings = { [m.secret]: secretReferenceSetting(m.secret) };
  localSecretValues(settings, env, cwd);
  return settingSecret(settings[m.secret]);
}

/**
 * Marketplace for the CLI (`--check`): the publisher's token with the secret {@link cliMarketplaceSecret} finds, at
 * `ATAKORA_MARKETPLACE_API` when set; MARKETPLACE_SECRET_MISSING naming the variable when there is none.
 *
 * @example
 * ```ts
 * const client = cliMarketplaceClient(backend, m, { local: true });
 * ```
 */
export function cliMarketplaceClient(
  backend: Backend,
  m: MarketplaceConfig,
  options: { readonly local: boolean },
  env: NodeJS.ProcessEnv = process.env,
): MarketplaceClient {
  const secret = cliMarketplaceSecret(m, options, env);
  if (!secret)
    throw new AtakoraError(
      'MARKETPLACE_SECRET_MISSING',
      `The fulfillment app's client secret of ${backend.backendId} is not set here: the environment variable ` +
        `${m.secret} is empty${options.local ? ` and .atakora/secrets.json has no ${m.secret}` : ''}.`,
      {
        path: ['env', m.secret],
        resolution:
          `Set ${m.secret} in this shell to a client secret of the fulfillment app ${m.clientId} (Microsoft Entra ` +
          'admin center → App registrations → the app → Certificates & secrets), then run the command again.',
      },
    );
  return marketplaceHttp({
    ...marketplaceBases(env),
    tenantId: m.publisherTenantId,
    clientId: m.clientId,
    secret,
    timeoutMs: 30_000,
  });
}

/** Every metering record written since `from` (ISO), across organizations (one cross-partition query). */
async function recordsSince(usage: Container, from: string): Promise<MeteringRecord[]> {
  const { resources } = await usage.items
    .query<Record<string, unknown>>({
      query: "SELECT * FROM c WHERE c.kind = 'marketplace' AND c.hour >= @from",
      parameters: [{ name: '@from', value: from }],
    })
    .fetchAll();
  return resources.flatMap((r) => meteringRecordOf(r) ?? []);
}

/**
 * The ledger's Marketplace records reconciled by day with what Marketplace recorded (`GET …/usageEvents`, Learn,
 * "Marketplace metered billing APIs": each subscription's day per dimension, `submittedQuantity` and `reconStatus`):
 * equal when every day's quantity recorded `sent` is Marketplace's and no day Marketplace holds is missing here.
 *
 * @example
 * ```ts
 * const report = await reconcileMarketplace({ offer: m, usage, fromMs, tenant: undefined, client });
 * ```
 */
export async function reconcileMarketplace(input: {
  readonly offer: MarketplaceConfig;
  readonly usage: Container;
  readonly fromMs: number;
  readonly tenant: string | undefined;
  readonly client: MarketplaceClient | undefined;
}): Promise<MarketplaceReport> {
  const from = new Date(Math.floor(input.fromMs / 86_400_000) * 86_400_000).toISOString();
  const records = (await recordsSince(input.usage, from)).filter(
    (r) => input.tenant === undefined || r.tenant === input.tenant,
  );
  const key = (day: string, sub: string, dim: string) => `${day}|${sub.toLowerCase()}|${dim}`;
  const days = new Map<
    string,
    { tenant: string; sub: string; dim: string; sent: number; pending: number; refused: number }
  >();
  for (const r of records) {
    const k = key(r.hour.slice(0, 10), r.subscriptionId, r.dimension);
    const d = days.get(k) ?? {
      tenant: r.tenant,
      sub: r.subscriptionId,
      dim: r.dimension,
      sent: 0,
      pending: 0,
      refused: 0,
    };
    d[r.state === 'sent' ? 'sent' : r.state === 'sending' ? 'pending' : 'refused'] += r.quantity;
    days.set(k, d);
  }
  let rows: readonly UsageEventsRow[] = [];
  if (input.client) {
    try {
      rows = await input.client.usageEvents({ usageStartDate: from, offerId: input.offer.offer });
    } catch (e) {
      if (!(e instanceof MarketplaceCallError)) throw e;
      throw new AtakoraError(
        'MARKETPLACE_UNAVAILABLE',
        `Azure Marketplace could not be read: ${printable(e.message)}`,
        {
          path: ['usage', '--billing', '--check'],
        },
      );
    }
  }
  const theirs = new Map(
    rows.map((r) => [key(r.usageDate.slice(0, 10), r.usageResourceId, r.dimension), r]),
  );
  const ours = new Set(days.keys());
  const known = new Set(records.map((r) => r.subscriptionId.toLowerCase()));
  const out: MarketplaceDay[] = [];
  for (const k of [
    ...new Set([...ours, ...[...theirs.keys()].filter((t) => known.has(t.split('|')[1] ?? ''))]),
  ].sort()) {
    const d = days.get(k);
    const row = theirs.get(k);
    const [day = '', sub = '', dim = ''] = k.split('|');
    const marketplace = input.client
      ? { submitted: row?.submittedQuantity ?? 0, status: row?.reconStatus ?? 'none' }
      : null;
    out.push({
      day,
      tenant: d?.tenant ?? '',
      subscriptionId: d?.sub ?? sub,
      dimension: dim,
      sent: d?.sent ?? 0,
      pending: d?.pending ?? 0,
      refused: d?.refused ?? 0,
      marketplace,
      equal: marketplace === null || marketplace.submitted === (d?.sent ?? 0),
    });
  }
  return { offer: input.offer.offer, from, days: out, equal: out.every((d) => d.equal) };
}

/**
 * The report as text: one line a day, subscription and dimension, a mismatch marked.
 *
 * @example
 * ```ts
 * io.out(formatMarketplace(report));
 * ```
 */
export function formatMarketplace(r: MarketplaceReport): string {
  const lines = [`Azure Marketplace (offer ${printable(r.offer)}) since ${r.from}:`];
  if (r.days.length === 0) lines.push('  nothing metered.');
  for (const d of r.days)
    lines.push(
      `  ${d.day} ${printable(d.tenant || '?')} ${d.subscriptionId} ${printable(d.dimension)}: sent ${String(d.sent)}` +
        (d.pending ? `, pending ${String(d.pending)}` : '') +
        (d.refused ? `, refused ${String(d.refused)}` : '') +
        (d.marketplace
          ? `; Marketplace ${String(d.marketplace.submitted)} (${printable(d.marketplace.status)})`
          : '') +
        (d.equal ? '' : '  ← differs'),
    );
  return `${lines.join('\n')}\n`;
}

/**
 * `atakora usage --billing [--check]`'s Marketplace part for a backend that sells there (undefined otherwise): the
 * records reconciled by day, with `--check` against `usageEvents`.
 *
 * @example
 * ```ts
 * const market = await marketplaceReport(source, { check: true, local: true }, 30 * 86_400_000, undefined);
 * ```
 */
export async function marketplaceReport(
  source: { readonly backend: Backend; readonly usage: Container },
  v: { readonly check?: boolean; readonly local?: boolean },
  sinceMs: number,
  tenant: string | undefined,
): Promise<MarketplaceReport | undefined> {
  const offer = source.backend.config.tenants?.billing?.marketplace;
  if (!offer) return undefined;
  return reconcileMarketplace({
    offer,
    usage: source.usage,
    fromMs: Date.now() - sinceMs,
    tenant,
    client: v.check
      ? cliMarketplaceClient(source.backend, offer, { local: v.local === true })
      : undefined,
  });
}

/**
 * BILLING_CHECK_MISMATCH for a Marketplace report that differs (after it was printed), else nothing.
 *
 * @example
 * ```ts
 * checkMarketplace(report, 'backend', 'local', true);
 * ```
 */
export function checkMarketplace(
  r: MarketplaceReport | undefined,
  backendId: string,
  where: string,
  check: boolean,
): void {
  if (r && !r.equal && check)
    throw new AtakoraError(
      'BILLING_CHECK_MISMATCH',
      `What the ledger recorded as sent to Azure Marketplace and its usageEvents of ${backendId} (${where}) differ on ` +
        'the days listed above.',
      { path: ['usage', '--billing', '--check'] },
    );
}
