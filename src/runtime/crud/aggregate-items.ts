import type { HttpResponseInit } from '@azure/functions';
import { parseApply, parseListQuery, QUERY_LIMITS } from '../../contract/query/index.js';
import { LIST_QUERY_PARAMETERS as Q } from '../../contract/paging.js';
import { RELATION_PARAMETERS as R } from '../../contract/relations.js';
import { callCosmos } from '../data/cosmos-policy.js';
import { cosmosErrorResponse, cosmosStatus } from '../http/cosmos-errors.js';
import { jsonResponse } from '../http/response.js';
import { badPartitionValue } from '../http/scope.js';
import { queryProblem } from '../queries/list-parameters.js';
import { compileListQuery } from '../queries/list-query.js';
import { aggregateRows, compileApply } from '../queries/aggregate-query.js';
import { isPartitionValue } from '../values/partition.js';
import type { CrudRequest } from './context.js';
import { listConfinement } from './list-confinement.js';

/** What pages, sorts or shapes a list's items: meaningless beside groups, so refused by name rather than ignored. */
const NOT_WITH_APPLY = [
  Q.orderBy,
  Q.select,
  Q.first,
  Q.after,
  R.expand,
  R.count,
  'limit',
  'continuationToken',
];

/**
 * GET `api/<route>?$apply=groupby((f1,f2), aggregate($count as count, n with sum as total))`: `{ items: [{ f1, f2,
 * count, total }] }`, one item a group, from ONE Cosmos DB `GROUP BY` query inside exactly the list's confinement —
 * the caller's tenant, the owner rule, the named partition, a parent's children — and its `$filter` (ANDed, as a
 * list's). Who may list may aggregate (the same route and rules). A bad `$apply` (contract/query/parse-apply.ts), a
 * paging, sort or projection parameter beside it, or more than {@link QUERY_LIMITS}.maxGroups groups is a 400
 * `invalid-query`; groups come sorted by their fields. Aggregates read the stored values, as `$filter` does.
 *
 * @example
 * ```ts
 * // GET /api/tickets?$apply=groupby((status), aggregate($count as count))&$filter=archived eq false
 * const response = await aggregateItems(req); // 200 { items: [{ status: 'open', count: 3 }, …] }
 * ```
 */
export async function aggregateItems(ctx: CrudRequest, text: string): Promise<HttpResponseInit> {
  const { request, tenant, within } = ctx;
  const extra = NOT_WITH_APPLY.find((p) => request.query.get(p) !== null);
  if (extra !== undefined) {
    const message = `${extra} does not go with $apply: an aggregate answers every group at once, unsorted by request.`;
    return queryProblem([{ code: 'conflict', parameter: Q.apply, position: 0, message }]);
  }
  const entity = ctx.queryEntity ?? ctx.entity;
  const apply = parseApply(text, entity.schema);
  const filter = parseListQuery((n) => (n === Q.filter ? request.query.get(n) : null), entity);
  const issues = [...(apply.ok ? [] : apply.issues), ...(filter.ok ? [] : filter.issues)];
  if (!apply.ok || !filter.ok) return queryProblem(issues);
  const badPk = ctx.pkField === 'id' ? undefined : badPartitionValue(request);
  if (badPk) return badPk;
  const { where, parameters, partition } = listConfinement(ctx, request, tenant, within);
  if (filter.value.filter) {
    // $filter's own @pN parameters, inside the confinement (list-query.ts).
    const compiled = compileListQuery({ filter: filter.value.filter }, ctx.pkField);
    if (compiled.where !== undefined) where.push(`(${compiled.where})`);
    parameters.push(...compiled.parameters);
  }
  const { select, groupBy } = compileApply(apply.value);
  const filtered = where.length === 0 ? '' : ` WHERE ${where.join(' AND ')}`;
  const query = { query: `SELECT ${select} FROM c${filtered} GROUP BY ${groupBy}`, parameters };
  try {
    // One query; across partitions the SDK merges the partial groups (its query plan), within one it is served whole.
    const { resources } = await callCosmos(ctx.cosmos, (abortSignal) =>
      ctx.container.items
        .query<Record<string, unknown>>(query, {
          abortSignal,
          ...(isPartitionValue(partition) ? { partitionKey: partition } : {}),
        })
        .fetchAll(),
    );
    if (resources.length > QUERY_LIMITS.maxGroups)
      return queryProblem([
        {
          code: 'too-many',
          parameter: Q.apply,
          position: 0,
          message: `More than ${String(QUERY_LIMITS.maxGroups)} groups: narrow with $filter or group by fewer fields.`,
        },
      ]);
    return jsonResponse(200, { items: aggregateRows(apply.value, resources) });
  } catch (e) {
    if (cosmosStatus(e) === 404) throw e;
    const response = cosmosErrorResponse(
      e,
      `the ${ctx.entity.entityName} aggregate`,
      ctx.cosmos.retryAfterSeconds,
    );
    if (response) return response;
    throw e;
  }
}
