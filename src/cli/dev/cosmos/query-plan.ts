import type { Server } from 'node:http';
import { answer, isQueryRequest, layerRequests } from './server-layer.js';

/** The header `@azure/cosmos` marks its query-plan request with (`HttpHeaders.IsQueryPlan`). */
const QUERY_PLAN_HEADER = 'x-ms-cosmos-is-query-plan-request';

/**
 * The plan of a query the server runs whole: one range, the whole key space (the local server has one partition key
 * range, `read-partition-key-ranges`), nothing for the SDK to order, aggregate, page or deduplicate across ranges —
 * the server does each itself, so a plan-driven run over its one range answers as a direct run does. The shape is
 * the gateway's (`PartitionedQueryExecutionInfo`, @azure/cosmos request/ErrorResponse.ts: version 2, `queryInfo`,
 * `queryRanges`).
 */
const PASS_THROUGH_PLAN = {
  partitionedQueryExecutionInfoVersion: 2,
  queryInfo: {
    distinctType: 'None',
    top: null,
    offset: null,
    limit: null,
    orderBy: [],
    orderByExpressions: [],
    groupByExpressions: [],
    groupByAliases: [],
    aggregates: [],
    groupByAliasToAggregateType: {},
    rewrittenQuery: '',
    hasSelectValue: false,
    hasNonStreamingOrderBy: false,
  },
  queryRanges: [{ min: '', max: 'FF', isMinInclusive: true, isMaxInclusive: false }],
} as const;

/**
 * Answer `@azure/cosmos`' query-plan requests as the gateway does — with a plan, without running the query — in
 * front of `@vercel/cosmosdb-server`, which has no plan route and answered each one by running the query itself,
 * across every partition. The SDK sends one beside every item query (queryIterator.ts `fetchQueryPlan`, issue
 * Azure/azure-sdk-for-js#4978) and reads it only when the gateway refuses the query as not directly servable
 * (400 with `additionalErrorInfo`, `needsQueryPlan`) or under `forceQueryPlan`; the local server serves every query
 * directly, so the plan is read by neither: each query was run twice for one answer (docs/performance.md).
 * Every other request goes to the server untouched.
 *
 * @example
 * ```ts
 * const server = serveQueryPlans(serveGroupBy(createHttpsServer({ cert, key })));
 * ```
 */
export function serveQueryPlans<S extends Server>(server: S): S {
  return layerRequests(server, (req, res, pass) => {
    if (!isQueryRequest(req, QUERY_PLAN_HEADER)) {
      pass(req, res);
      return;
    }
    // Read to its end (the query text is not needed), so the kept-alive connection is ready for the next request.
    req.resume();
    req.once('end', () => {
      answer(res, 200, PASS_THROUGH_PLAN);
    });
  });
}
