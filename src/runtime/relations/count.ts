import type { Container, SqlQuerySpec } from '@azure/cosmos';
import type { HttpRequest } from '@azure/functions';
import { callCosmos, type TracedCallPolicy } from '../data/cosmos-policy.js';
import { refused } from '../http/response.js';
import type { Resolved } from '../http/scope.js';
import { isPartitionValue, type PartitionValue } from '../values/partition.js';

/**
 * `$count`: `true` asks for the number of matches beside the page, `false` or absent not; anything else is a 400
 * naming the parameter (never a guess).
 *
 * @example
 * ```ts
 * const count = readCount(request); // ?$count=true → { ok: true, value: true }
 * ```
 */
export function readCount(request: HttpRequest): Resolved<boolean> {
  const raw = request.query.get('$count');
  if (raw === null || raw === 'false') return { ok: true, value: false };
  if (raw === 'true') return { ok: true, value: true };
  const message = '$count must be true or false.';
  return refused('invalid-query', `$count at position 0: ${message}`, {
    parameter: '$count',
    position: 0,
    issues: [{ code: 'syntax', parameter: '$count', position: 0, message }],
  });
}

/**
 * Every match of the list's query (the same confinement — tenant, owner rules, parent — and `$filter`): one
 * `SELECT VALUE COUNT(1)` whose partial results (one per partition range a cross-partition query visits) add up.
 *
 * @example
 * ```ts
 * await countMatches(ctx, { query: 'SELECT VALUE COUNT(1) FROM c WHERE c["tenantId"] = @tenant', parameters }, undefined);
 * ```
 */
export async function countMatches(
  ctx: { readonly container: Container; readonly cosmos: TracedCallPolicy },
  query: SqlQuerySpec,
  partition: PartitionValue | undefined,
): Promise<number> {
  const { resources } = await callCosmos(ctx.cosmos, (abortSignal) =>
    ctx.container.items
      .query<number>(query, {
        abortSignal,
        ...(isPartitionValue(partition) ? { partitionKey: partition } : {}),
      })
      .fetchAll(),
  );
  return resources.reduce((sum, n) => sum + (typeof n === 'number' ? n : 0), 0);
}

/** How a continuation token carries the first page's count: `atakora-count:<n>:` before Cosmos DB's own token. */
const CARRIED = /^atakora-count:(0|[1-9][0-9]{0,15}):/;

/**
 * The token a counted page returns: Cosmos DB's, with the count in front, so a later page of the same listing
 * answers `count` without counting again (`$count` costs one query, on the first page only). Null stays null.
 *
 * @example
 * ```ts
 * carryCount('{"token":"+RID…"}', 42); // 'atakora-count:42:{"token":"+RID…"}'
 * ```
 */
export function carryCount(token: string | null, count: number | undefined): string | null {
  return token === null || count === undefined ? token : `atakora-count:${String(count)}:${token}`;
}

/**
 * A continuation token as a client sent it back: Cosmos DB's own token, and the count an earlier page carried in it
 * (undefined when none did). A count is the caller's own page's, never a basis for access: a client that forges one
 * only tells itself a wrong number.
 *
 * @example
 * ```ts
 * readCarried('atakora-count:42:{"token":"+RID…"}'); // { token: '{"token":"+RID…"}', count: 42 }
 * ```
 */
export function readCarried(token: string | undefined): {
  readonly token: string | undefined;
  readonly count: number | undefined;
} {
  const m = token === undefined ? null : CARRIED.exec(token);
  if (!m || token === undefined) return { token, count: undefined };
  const count = Number(m[1]);
  return {
    token: token.slice(m[0].length) || undefined,
    count: Number.isSafeInteger(count) ? count : undefined,
  };
}
