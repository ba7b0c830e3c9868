/**
 * Sums of the usage ledger's items per tenant (the `usage` container; item formats in docs/tenants.md "Usage and
 * costs"). Pure: items in, sums out — the reader (ledger-read.ts) streams items through {@link addLedgerItem}.
 */

/** One tenant's figures: counters summed over the window's hours, stored bytes and connections as they are now. */
export interface LedgerSums {
  requests: number;
  refused: number;
  requestUnits: number;
  messages: number;
  /** Bytes the window's hours added minus removed (signed). */
  itemBytesAdded: number;
  fileBytesAdded: number;
  /** Running totals over every `stored` item of the tenant (all instances and CLI imports). */
  storedItemBytes: number;
  storedFileBytes: number;
  /** Live realtime connections (one `connection` item each). */
  connections: number;
}

/** An empty {@link LedgerSums}. */
export function emptySums(): LedgerSums {
  return {
    requests: 0,
    refused: 0,
    requestUnits: 0,
    messages: 0,
    itemBytesAdded: 0,
    fileBytesAdded: 0,
    storedItemBytes: 0,
    storedFileBytes: 0,
    connections: 0,
  };
}

// The ledger is written by the runtime, but a number that is not one (a hand-edited item) must not turn every
// total into NaN: it counts as 0.
const num = (v: unknown): number => (typeof v === 'number' && Number.isFinite(v) ? v : 0);

/**
 * Add one ledger item to its tenant's sums: an `hour` item when its hour starts at or after `fromHour` (an ISO
 * time on the hour, as items name their hour), a `stored` item's running totals, a `connection` item as one live
 * connection; `minute` items and anything else are not usage.
 *
 * @example
 * ```ts
 * const sums = new Map<string, LedgerSums>();
 * const item = { tenant: 't1', kind: 'hour', hour: '2026-11-25T10:00:00.000Z', requests: 3, ru: 1.5 };
 * addLedgerItem(sums, item, '2026-11-01T00:00:00.000Z');
 * sums.get('t1')?.requests; // 3
 * ```
 */
export function addLedgerItem(
  sums: Map<string, LedgerSums>,
  item: Readonly<Record<string, unknown>>,
  fromHour: string,
): void {
  const tenant = item['tenant'];
  if (typeof tenant !== 'string' || tenant === '') return;
  const kind = item['kind'];
  if (kind !== 'hour' && kind !== 'stored' && kind !== 'connection') return;
  if (kind === 'hour' && !(typeof item['hour'] === 'string' && item['hour'] >= fromHour)) return;
  let s = sums.get(tenant);
  if (!s) {
    s = emptySums();
    sums.set(tenant, s);
  }
  if (kind === 'hour') {
    s.requests += num(item['requests']);
    s.refused += num(item['refused']);
    s.requestUnits += num(item['ru']);
    s.messages += num(item['messages']);
    s.itemBytesAdded += num(item['itemBytes']);
    s.fileBytesAdded += num(item['fileBytes']);
  } else if (kind === 'stored') {
    s.storedItemBytes += num(item['itemBytes']);
    s.storedFileBytes += num(item['fileBytes']);
  } else s.connections += 1;
}

/**
 * The sums as reported: RU to two decimals (as the ledger records them), so float addition leaves no
 * 0.30000000000000004.
 *
 * @example
 * ```ts
 * roundedSums({ ...emptySums(), requestUnits: 0.1 + 0.2 }).requestUnits; // 0.3
 * ```
 */
export function roundedSums(s: LedgerSums): LedgerSums {
  return { ...s, requestUnits: Math.round(s.requestUnits * 100) / 100 };
}

/**
 * The ISO time of the start of the UTC hour holding `ms`: the ledger's hours are whole, so a window starts on one.
 *
 * @example
 * ```ts
 * hourStart(Date.parse('2026-11-25T10:42:00Z')); // '2026-11-25T10:00:00.000Z'
 * ```
 */
export function hourStart(ms: number): string {
  return new Date(Math.floor(ms / 3_600_000) * 3_600_000).toISOString();
}
