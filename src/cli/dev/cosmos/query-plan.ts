import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { randomUUID } from 'node:crypto';

const QUERY_PATH = /^\/dbs\/[^/]+\/colls\/[^/]+\/docs\/?$/;

/** The header `@azure/cosmos` marks its query-plan request with (`HttpHeaders.IsQueryPlan`). */
const QUERY_PLAN_HEADER = 'x-ms-cosmos-is-query-plan-request';

/**
 * The plan of a query the server runs whole: one range, the whole key space (the local server has one partition key
 * range, `read-partition-key-ranges`), nothing for the SDK to order, aggregate, page or deduplicate across ranges —
 * the server does each itself, so a plan-driven run over its one range answers as a direct run does. The shape is
 * the gateway's (`PartitionedQueryExecutionInfo`, @azure/cosmos request/ErrorResponse.ts: version 2, `queryInfo`,
 * `queryRanges`).
 */
const PASS_THROUGH_PLAN = JSON.stringify({
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
});

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
  const listeners = server.listeners('request') as ((
    req: IncomingMessage,
    res: ServerResponse,
  ) => void)[];
  server.removeAllListeners('request');
  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    if (
      req.method !== 'POST' ||
      String(req.headers[QUERY_PLAN_HEADER]).toLowerCase() !== 'true' ||
      !QUERY_PATH.test(req.url ?? '')
    ) {
      for (const l of listeners) l.call(server, req, res);
      return;
    }
    // Read to its end (the query text is not needed), so the kept-alive connection is ready for the next request.
    req.resume();
    req.once('end', () => {
      res.statusCode = 200;
      // The headers the server puts on every answer (its lib/index.js), a charge of 1 as on each of them.
      res.setHeader('content-type', 'application/json');
      res.setHeader('x-ms-activity-id', randomUUID());
      res.setHeader('x-ms-request-charge', '1');
      res.end(PASS_THROUGH_PLAN);
    });
  });
  return server;
}
