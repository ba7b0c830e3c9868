import type { Container } from '@azure/cosmos';
import { meteringChannelOf } from '../../contract/marketplace/billing-channel.js';
import { marketplaceLinkOf } from '../../contract/marketplace/marketplace-link.js';
import { billingOf } from '../../contract/tenants.js';
import { METER_KEYS, type MeterKey } from '../../model/billing.js';
import { type LedgerRead, type LedgerRecords, ledgerRecords } from './ledger-records.js';

/**
 * What the billing export recorded of one tenant's hour on one meter, in the usage ledger beside the hours it was
 * made from (`billing:<YYYY-MM-DDTHH>:<meter>`, partition `/tenant`, kept 400 days like the hours): written
 * `sending` before the event goes out, `sent` once Stripe holds it (or says it holds that identifier), `refused`
 * when Stripe refused it (the reason kept). The value, identifier, customer and timestamp are fixed when it is first
 * written: a resend after a crash or an outage sends that same event, never a recomputed one.
 *
 * @example
 * ```ts
 * const r: BillingRecord = {
 *   id: 'billing:2026-11-25T10:requests', tenant: 'contoso', kind: 'billing', hour: '2026-11-25T10:00:00.000Z',
 *   meter: 'requests', eventName: 'api_requests', identifier: 'saas:prod:contoso:2026-11-25T10:requests',
 *   customer: 'cus_A1', value: 412, timestamp: 1795600800, state: 'sent', attempts: 1,
 *   createdOn: '2026-11-25T11:10:00.412Z', sentOn: '2026-11-25T11:10:00.618Z',
 * };
 * ```
 */
export interface BillingRecord {
  readonly id: string;
  readonly tenant: string;
  readonly kind: 'billing';
  readonly hour: string;
  readonly meter: MeterKey;
  readonly eventName: string;
  readonly identifier: string;
  readonly customer: string;
  readonly value: number;
  /**
   * Seconds since the epoch: the hour's start, or the subscription's period start when that falls inside the hour
   * (meter-values.ts `eventTimestamp`). Records written before the stamp carried it hold the hour's start.
   */
  readonly timestamp: number;
  readonly state: 'sending' | 'sent' | 'refused';
  readonly attempts: number;
  readonly createdOn: string;
  readonly sentOn?: string;
  /** The last failure, as Stripe or the network said it (the key scrubbed). */
  readonly error?: string;
}

/** The id of the record of `hour` (`YYYY-MM-DDTHH`) on `meter`. */
export const billingRecordId = (hour: string, meter: MeterKey): string =>
  `billing:${hour}:${meter}`;

/** A stored item as a record, or undefined when it is not one this export wrote (a hand-edited item is no proof). */
export function billingRecordOf(
  item: Readonly<Record<string, unknown>>,
): BillingRecord | undefined {
  const s = (k: string) => (typeof item[k] === 'string' ? item[k] : undefined);
  const n = (k: string) =>
    typeof item[k] === 'number' && Number.isFinite(item[k]) ? item[k] : undefined;
  const meter = METER_KEYS.find((m) => m === item['meter']);
  const state = item['state'];
  const [id, tenant, hour, eventName, identifier, customer, createdOn] = [
    'id',
    'tenant',
    'hour',
    'eventName',
    'identifier',
    'customer',
    'createdOn',
  ].map(s);
  const value = n('value');
  const timestamp = n('timestamp');
  if (
    item['kind'] !== 'billing' ||
    !meter ||
    (state !== 'sending' && state !== 'sent' && state !== 'refused') ||
    !id ||
    !tenant ||
    !hour ||
    !eventName ||
    !identifier ||
    !customer ||
    !createdOn ||
    value === undefined ||
    timestamp === undefined
  )
    return undefined;
  const sentOn = s('sentOn');
  const error = s('error');
  return {
    id,
    tenant,
    kind: 'billing',
    hour,
    meter,
    eventName,
    identifier,
    customer,
    value,
    timestamp,
    state,
    attempts: n('attempts') ?? 0,
    createdOn,
    ...(sentOn !== undefined ? { sentOn } : {}),
    ...(error !== undefined ? { error } : {}),
  };
}

/** A tenant the export bills: its Stripe customer, since when it is its own, and its subscription when known. */
export interface BilledTenant {
  readonly tenant: string;
  readonly customer: string;
  readonly since?: string;
  readonly subscription?: string;
  readonly periodStart?: string;
}

/** One tenant's part of the ledger the export reads: its hours, stored items and billing records. */
export type TenantLedger = LedgerRead<BillingRecord>;

/**
 * Where the export reads and writes: the registry's tenants with a Stripe customer, one tenant's ledger, and its
 * records (the runtime's and the CLI's: {@link cosmosBillingStore}; tests may count or break its calls).
 */
export interface BillingStore extends LedgerRecords<BillingRecord> {
  /**
   * The tenants Stripe meters (a Stripe customer, and no live Azure Marketplace link holding the channel:
   * billing-channel.ts), and when each record was created (`since`, ISO): an hour before it belongs
   * to whoever held the id before (an organization erased, its id given again), never to this customer. With a
   * subscription the webhook recorded, its id and the start of its current period (`periodStart`, ISO): the hour
   * it starts in is stamped at it (meter-values.ts `eventTimestamp`).
   */
  customers(): Promise<readonly BilledTenant[]>;
}

/**
 * The store on the registry's and the ledger's containers: one cross-partition query of the registry per run,
 * one single-partition query per tenant, one write per record change.
 *
 * @example
 * ```ts
 * const store = cosmosBillingStore(db.container('tenants'), db.container('usage'));
 * ```
 */
export function cosmosBillingStore(registry: Container, usage: Container): BillingStore {
  return {
    async customers() {
      const { resources } = await registry.items
        .query<Record<string, unknown>>(
          'SELECT c.id, c.billing, c.createdOn, c.marketplace FROM c WHERE IS_DEFINED(c.billing.stripeCustomerId)',
        )
        .fetchAll();
      const out: BilledTenant[] = [];
      for (const r of resources) {
        const billing = billingOf(r['billing']);
        const since = r['createdOn'];
        const sub = billing?.subscription;
        const periodStart = sub?.currentPeriodStart;
        // One channel meters an organization: a customer the operator gave a Marketplace-billed one waits, unsent.
        const marketplace = marketplaceLinkOf(r['marketplace']);
        if (billing && meteringChannelOf({ billing, marketplace }) !== 'stripe') continue;
        if (typeof r['id'] === 'string' && billing)
          out.push({
            tenant: r['id'],
            customer: billing.stripeCustomerId,
            ...(typeof since === 'string' && !Number.isNaN(Date.parse(since)) ? { since } : {}),
            ...(sub ? { subscription: sub.id } : {}),
            ...(periodStart !== undefined && !Number.isNaN(Date.parse(periodStart))
              ? { periodStart }
              : {}),
          });
      }
      return out.sort((a, b) => (a.tenant < b.tenant ? -1 : a.tenant > b.tenant ? 1 : 0));
    },
    ...ledgerRecords(usage, 'billing', billingRecordOf),
  };
}
