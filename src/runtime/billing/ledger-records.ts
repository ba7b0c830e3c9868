import type { Container } from '@azure/cosmos';

/** A ledger's closed hours and stored samples of one organization, and the export records kept beside them. */
export interface LedgerRead<R> {
  readonly hours: readonly Readonly<Record<string, unknown>>[];
  readonly stored: readonly Readonly<Record<string, unknown>>[];
  readonly records: readonly R[];
}

/** What an export keeps in the usage ledger: its reads of an organization's partition and its record writes. */
export interface LedgerRecords<R> {
  /** `tenant`'s hour items from `fromHour` (ISO) on, its stored items and the export's records. */
  ledger(tenant: string, fromHour: string): Promise<LedgerRead<R>>;
  /** Write `record` if no record of its id exists: `'exists'` otherwise (another run is sending it). */
  create(record: R): Promise<'created' | 'exists'>;
  /** Write `record` over the one of its id. */
  replace(record: R): Promise<void>;
}

const statusOf = (e: unknown): unknown => (e as { code?: unknown }).code;

/**
 * The usage ledger as an export reads and writes it (the Stripe export's `billing` records, Marketplace's
 * `marketplace` ones): one single-partition query per organization — its `hour` items from `fromHour`, its `stored`
 * ones and the export's own records of `kind` — and one write per record change. `recordOf` reads a record back
 * (undefined: not one, skipped).
 *
 * @example
 * ```ts
 * const records = ledgerRecords(db.container('usage'), 'billing', billingRecordOf);
 * const { hours, records: made } = await records.ledger('acme', '2026-11-01T00:00:00.000Z');
 * ```
 */
export function ledgerRecords<R extends object>(
  usage: Container,
  kind: string,
  recordOf: (item: Record<string, unknown>) => R | undefined,
): LedgerRecords<R> {
  return {
    async ledger(tenant, fromHour) {
      const { resources } = await usage.items
        .query<Record<string, unknown>>(
          {
            query:
              "SELECT * FROM c WHERE c.tenant = @t AND ((c.kind = 'hour' AND c.hour >= @h) OR c.kind = 'stored' " +
              'OR c.kind = @k)',
            parameters: [
              { name: '@t', value: tenant },
              { name: '@h', value: fromHour },
              { name: '@k', value: kind },
            ],
          },
          { partitionKey: tenant },
        )
        .fetchAll();
      const hours: Record<string, unknown>[] = [];
      const stored: Record<string, unknown>[] = [];
      const records: R[] = [];
      for (const item of resources) {
        if (item['tenant'] !== tenant) continue;
        if (item['kind'] === 'hour') hours.push(item);
        else if (item['kind'] === 'stored') stored.push(item);
        else {
          const r = recordOf(item);
          if (r) records.push(r);
        }
      }
      return { hours, stored, records };
    },
    async create(record) {
      try {
        await usage.items.create({ ...record });
        return 'created';
      } catch (e) {
        if (statusOf(e) === 409) return 'exists';
        throw e;
      }
    },
    async replace(record) {
      await usage.items.upsert({ ...record });
    },
  };
}
