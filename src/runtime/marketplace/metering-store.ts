import type { Container } from '@azure/cosmos';
import { METER_KEYS, type MeterKey } from '../../model/billing.js';
import { type LedgerRead, type LedgerRecords, ledgerRecords } from '../billing/ledger-records.js';

/**
 * What the Marketplace metering export recorded of one organization's hour on one meter, in the usage ledger beside
 * the hours it was made from (`marketplace:<YYYY-MM-DDTHH>:<meter>`, partition `/tenant`, kept 400 days like them):
 * written `sending` before its usage event goes out, `sent` once Marketplace holds it (`Accepted`, or `Duplicate`: it
 * held that subscription, dimension and hour already), `refused` with Marketplace's status (`Expired`,
 * `ResourceNotActive`, …). The quantity, plan and hour are fixed when it is first written: a resend after a kill or a
 * 5xx sends that same event, never a recomputed one — as the Stripe export's records (runtime/billing/billing-store.ts).
 *
 * @example
 * ```ts
 * const r: MeteringRecord = {
 *   id: 'marketplace:2026-11-25T10:requests', tenant: 'acme-k3x9qa', kind: 'marketplace', hour: '2026-11-25T10:00:00.000Z',
 *   meter: 'requests', dimension: 'api_calls', subscriptionId: '37f9…', planId: 'pro-monthly', quantity: 412,
 *   state: 'sent', attempts: 1, createdOn: '2026-11-25T11:10:00.412Z', sentOn: '2026-11-25T11:10:01.002Z',
 * };
 * ```
 */
export interface MeteringRecord {
  readonly id: string;
  readonly tenant: string;
  readonly kind: 'marketplace';
  readonly hour: string;
  readonly meter: MeterKey;
  readonly dimension: string;
  readonly subscriptionId: string;
  readonly planId: string;
  readonly quantity: number;
  readonly state: 'sending' | 'sent' | 'refused';
  readonly attempts: number;
  readonly createdOn: string;
  readonly sentOn?: string;
  /** Marketplace's status of the event (`Accepted`, `Duplicate`, `Expired`, …) or the failure's text. */
  readonly status?: string;
  /** The hour of activation's: the activation (ISO), its event's `effectiveStartTime` instead of the hour's start. */
  readonly startTime?: string;
}

/** The id of the record of `hour` (`YYYY-MM-DDTHH`) on `meter`. */
export const meteringRecordId = (hour: string, meter: MeterKey): string =>
  `marketplace:${hour}:${meter}`;

/** A stored item as a record, or undefined when it is not one the export wrote. */
export function meteringRecordOf(
  item: Readonly<Record<string, unknown>>,
): MeteringRecord | undefined {
  const s = (k: string) => (typeof item[k] === 'string' ? item[k] : undefined);
  const n = (k: string) =>
    typeof item[k] === 'number' && Number.isFinite(item[k]) ? item[k] : undefined;
  const meter = METER_KEYS.find((m) => m === item['meter']);
  const state = item['state'];
  const [id, tenant, hour, dimension, subscriptionId, planId, createdOn] = [
    'id',
    'tenant',
    'hour',
    'dimension',
    'subscriptionId',
    'planId',
    'createdOn',
  ].map(s);
  const quantity = n('quantity');
  if (
    item['kind'] !== 'marketplace' ||
    !meter ||
    (state !== 'sending' && state !== 'sent' && state !== 'refused') ||
    !id ||
    !tenant ||
    !hour ||
    !dimension ||
    !subscriptionId ||
    !planId ||
    !createdOn ||
    quantity === undefined
  )
    return undefined;
  const sentOn = s('sentOn');
  const status = s('status');
  const startTime = s('startTime');
  return {
    id,
    tenant,
    kind: 'marketplace',
    hour,
    meter,
    dimension,
    subscriptionId,
    planId,
    quantity,
    state,
    attempts: n('attempts') ?? 0,
    createdOn,
    ...(sentOn !== undefined ? { sentOn } : {}),
    ...(status !== undefined ? { status } : {}),
    ...(startTime !== undefined ? { startTime } : {}),
  };
}

/** One organization's part of the ledger the export reads: its hours, stored items and metering records. */
export type MeteringLedger = LedgerRead<MeteringRecord>;

/** Where the export reads and writes its records (the runtime's and the CLI's: {@link cosmosMeteringStore}). */
export type MeteringStore = LedgerRecords<MeteringRecord>;

/**
 * The store on the ledger's container: one single-partition query per organization, one write per record change.
 * Merge point with the Stripe export (runtime/billing): the ledger's closed hours are read as it reads them — the
 * `hour` and `stored` items of the tenant's partition — and valued by its meter-values.ts.
 *
 * @example
 * ```ts
 * const store = cosmosMeteringStore(db.container('usage'));
 * ```
 */
export function cosmosMeteringStore(usage: Container): MeteringStore {
  return ledgerRecords(usage, 'marketplace', meteringRecordOf);
}
