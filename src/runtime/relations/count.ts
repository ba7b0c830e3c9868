import type { SqlQuerySpec } from '@azure/cosmos';
import type { HttpRequest } from '@azure/functions';
import type { CrudContext } from '../data/context.js';
import { callCosmos } from '../data/cosmos-policy.js';
import { problemResponse } from '../http/response.js';
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
  return {
    ok: false,
    response: problemResponse('invalid-query', `$count at position 0: ${message}`, {
      parameter: '$count',
      position: 0,
      issues: [{ code: 'syntax', parameter: '$count', position: 0, message }],
    }),
  };
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
  ctx: CrudContext,
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
