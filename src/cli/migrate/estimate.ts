import type { Container } from '../azure/cosmos.js';
import { at } from '../../model/at.js';

/**
 * Request units of a read and a write by item size (KB), session or eventual consistency, from
 * https://learn.microsoft.com/azure/cosmos-db/understand-request-unit-consumption ("Document size" table:
 * 1 KB reads 1.00 RU and writes 4.95 RU … 128 KB 9.95 and 48.19). Writes also grow with indexed properties, so
 * the figure is an estimate, as the dry run says.
 */
const RU_BY_SIZE: readonly (readonly [kb: number, read: number, write: number])[] = [
  [1, 1.0, 4.95],
  [2, 1.04, 6.29],
  [4, 1.14, 6.67],
  [8, 1.33, 7.04],
  [16, 1.67, 9.52],
  [32, 2.19, 11.23],
  [64, 4.76, 22.67],
  [128, 9.95, 48.19],
  [256, 20.28, 98.29],
  [512, 40.95, 184.57],
  [1024, 145.9, 625.0],
  [2048, 291.8, 1250.0],
];

/** RU of one replace of an item of `kb` KB, interpolated in the Learn table (its last row beyond it). */
export function replaceUnits(kb: number): number {
  let [k1, , w1] = at(RU_BY_SIZE, 0);
  if (kb <= k1) return w1;
  for (const [k2, , w2] of RU_BY_SIZE.slice(1)) {
    if (kb <= k2) return w1 + ((w2 - w1) * (kb - k1)) / (k2 - k1);
    [k1, w1] = [k2, w2];
  }
  return w1;
}

/** What rewriting the older items of a container would cost. */
export interface RewriteEstimate {
  /** Items the run would rewrite. */
  readonly older: number;
  /** Average size of the migrated items, in KB. */
  readonly averageKb: number;
  /** The query of older items, as the dry run measured it (the real run pages through the same query). */
  readonly queryUnits: number;
  readonly queryRequests: number;
  /** One replace per item at the average size. */
  readonly writeUnits: number;
  readonly requestUnits: number;
  /** At the latency measured now: the query's pages as timed, a replace as long as a point read. */
  readonly seconds: number;
}

/**
 * Estimate the RU and time of a rewrite from its dry run: the request units the dry run's query of the older
 * items was charged (the real run reads them through the same query, page by page, once), plus a replace per item
 * at the migrated items' average size (Learn's table above), and the time at the latency of up to 5 point reads
 * of items measured now (a replace counted as long as a read). Reads only.
 *
 * @example
 * ```ts
 * const est = await estimateRewrite(container, dry, '/tenantId', queryMs);
 * ```
 */
export async function estimateRewrite(
  container: Container,
  dry: {
    readonly rewritten: number;
    readonly averageKb?: number;
    readonly cost: { readonly requests: number; readonly requestUnits: number };
  },
  partitionKey: string,
  queryMs: number,
): Promise<RewriteEstimate> {
  const older = dry.rewritten;
  const averageKb = dry.averageKb ?? 0;
  const queryUnits = dry.cost.requestUnits;
  const queryRequests = dry.cost.requests;
  if (older === 0)
    return {
      older,
      averageKb,
      queryUnits,
      queryRequests,
      writeUnits: 0,
      requestUnits: queryUnits,
      seconds: queryMs / 1000,
    };
  const { resources } = await container.items
    .query<Record<string, unknown>>('SELECT TOP 5 * FROM c')
    .fetchAll();
  const field = partitionKey.slice(1);
  let spent = 0;
  for (const r of resources) {
    const start = performance.now();
    await container.item(String(r['id']), r[field] as string).read();
    spent += performance.now() - start;
  }
  const perRequestMs = resources.length ? spent / resources.length : 0;
  const writeUnits = older * replaceUnits(averageKb);
  return {
    older,
    averageKb,
    queryUnits,
    queryRequests,
    writeUnits,
    requestUnits: queryUnits + writeUnits,
    seconds: (queryMs + older * perRequestMs) / 1000,
  };
}
