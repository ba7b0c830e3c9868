import type { Container } from '../azure/cosmos.js';
import { addLedgerItem, type LedgerSums } from './usage-ledger-sums.js';

/** What to read: the window's first hour, one tenant or all, and where progress goes. */
export interface LedgerQuery {
  /** ISO time on the hour: `hour` items from this hour on count. */
  readonly fromHour: string;
  /** ISO time on the hour: `hour` items from this hour on do not count (`--month`'s end); default none. */
  readonly toHour?: string | undefined;
  readonly tenant?: string | undefined;
  readonly progress?: (line: string) => void;
}

/** The figures read, and how many items they came from. */
export interface LedgerRead {
  readonly sums: Map<string, LedgerSums>;
  readonly items: number;
}

/**
 * Read the usage ledger's `hour` items of the window, every `stored` item and every live `connection` item, and sum
 * them per tenant. One tenant (`--tenant`) is one partition's query (the container is keyed by `/tenant`); all
 * tenants is a cross-partition one, read page by page so a year of hours is never held at once. The sums are made
 * here, not by the service's `SUM … GROUP BY`: the same code then sums for every store (the local server too).
 *
 * @example
 * ```ts
 * const { sums } = await readLedger(container, { fromHour: '2026-10-26T10:00:00.000Z' });
 * ```
 */
export async function readLedger(container: Container, q: LedgerQuery): Promise<LedgerRead> {
  const sums = new Map<string, LedgerSums>();
  const oneTenant = q.tenant === undefined ? '' : ' AND c.tenant = @tenant';
  const parameters = [
    { name: '@from', value: q.fromHour },
    ...(q.tenant === undefined ? [] : [{ name: '@tenant', value: q.tenant }]),
  ];
  const query =
    'SELECT c.tenant, c.kind, c.hour, c.requests, c.refused, c.ru, c.messages, c.itemBytes, c.fileBytes FROM c ' +
    `WHERE ((c.kind = 'hour' AND c.hour >= @from) OR c.kind = 'stored' OR c.kind = 'connection')${oneTenant}`;
  const iterator = container.items.query<Record<string, unknown>>(
    { query, parameters },
    q.tenant === undefined
      ? { maxItemCount: 1000 }
      : { maxItemCount: 1000, partitionKey: q.tenant },
  );
  let items = 0;
  let reported = 0;
  while (iterator.hasMoreResults()) {
    const { resources } = await iterator.fetchNext();
    for (const item of resources ?? [])
      if (!(q.toHour !== undefined && item['kind'] === 'hour' && String(item['hour']) >= q.toHour))
        addLedgerItem(sums, item, q.fromHour);
    items += resources?.length ?? 0;
    if (q.progress && items - reported >= 10_000) {
      reported = items;
      q.progress(`  ${String(items)} ledger items read…\n`);
    }
  }
  return { sums, items };
}

/** One tenant's registry record as the usage report shows it. */
export interface RegistryEntry {
  readonly plan?: string;
  readonly status?: string;
  readonly name?: string;
}

/**
 * The registry's records (`tenants` container) by tenant id: plan, status and display name, for the report's
 * columns. Only strings are kept: anything else a record holds is not shown.
 *
 * @example
 * ```ts
 * (await readRegistry(tenants, undefined)).get('72f988bf-…'); // { plan: 'pro', status: 'active', name: 'Contoso' }
 * ```
 */
export async function readRegistry(
  container: Container,
  tenant: string | undefined,
): Promise<Map<string, RegistryEntry>> {
  const out = new Map<string, RegistryEntry>();
  const query =
    tenant === undefined
      ? { query: 'SELECT c.id, c.plan, c.status, c.name FROM c' }
      : {
          query: 'SELECT c.id, c.plan, c.status, c.name FROM c WHERE c.id = @id',
          parameters: [{ name: '@id', value: tenant }],
        };
  const { resources } = await container.items.query<Record<string, unknown>>(query).fetchAll();
  const text = (v: unknown) => (typeof v === 'string' ? v : undefined);
  for (const r of resources) {
    const id = text(r['id']);
    if (id === undefined) continue;
    const plan = text(r['plan']);
    const status = text(r['status']);
    const name = text(r['name']);
    out.set(id, {
      ...(plan !== undefined ? { plan } : {}),
      ...(status !== undefined ? { status } : {}),
      ...(name !== undefined ? { name } : {}),
    });
  }
  return out;
}
