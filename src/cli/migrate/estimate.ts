import type { Container } from '../azure/cosmos.js';
import { SCHEMA_VERSION_FIELD } from '../../runtime/values/system-fields.js';

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

/** RU of one point read plus one replace of an item of `kb` KB, interpolated in the Learn table. */
export function readReplaceUnits(kb: number): number {
  const first = RU_BY_SIZE[0]!;
  if (kb <= first[0]) return first[1] + first[2];
  for (let i = 1; i < RU_BY_SIZE.length; i++) {
    const [k1, r1, w1] = RU_BY_SIZE[i - 1]!;
    const [k2, r2, w2] = RU_BY_SIZE[i]!;
    if (kb <= k2) {
      const t = (kb - k1) / (k2 - k1);
      return r1 + (r2 - r1) * t + w1 + (w2 - w1) * t;
    }
  }
  const last = RU_BY_SIZE[RU_BY_SIZE.length - 1]!;
  return last[1] + last[2];
}

/** What rewriting the older items of a container would cost. */
export interface RewriteEstimate {
  readonly older: number;
  /** Average size of a sample of older items, in KB. */
  readonly averageKb: number;
  readonly requestUnits: number;
  /** At the latency measured on the sample, one read and one replace per item, one item at a time. */
  readonly seconds: number;
}

/**
 * Estimate the RU and time of rewriting `older` items: the size of up to 50 older items (their JSON), and the
 * latency of up to 5 point reads of them (a replace is counted as long as a read). Reads only.
 *
 * @example
 * ```ts
 * const { requestUnits, seconds } = await estimateRewrite(container, 3, 1200, '/tenantId');
 * ```
 */
export async function estimateRewrite(
  container: Container,
  current: number,
  older: number,
  partitionKey: string,
): Promise<RewriteEstimate> {
  if (older === 0) return { older, averageKb: 0, requestUnits: 0, seconds: 0 };
  const { resources } = await container.items
    .query<Record<string, unknown>>(
      `SELECT TOP 50 * FROM c WHERE NOT IS_DEFINED(c["${SCHEMA_VERSION_FIELD}"]) OR ` +
        `c["${SCHEMA_VERSION_FIELD}"] < ${String(current)}`,
    )
    .fetchAll();
  const sizes = resources.map((r) => Buffer.byteLength(JSON.stringify(r)) / 1024);
  const averageKb = sizes.length ? sizes.reduce((a, b) => a + b, 0) / sizes.length : 1;
  const field = partitionKey.slice(1);
  let spent = 0;
  const timed = resources.slice(0, 5);
  for (const r of timed) {
    const start = performance.now();
    await container.item(String(r['id']), r[field] as string).read();
    spent += performance.now() - start;
  }
  const perRequestMs = timed.length ? spent / timed.length : 0;
  return {
    older,
    averageKb,
    requestUnits: older * readReplaceUnits(averageKb),
    seconds: (older * 2 * perRequestMs) / 1000,
  };
}
