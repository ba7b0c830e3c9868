import type http from 'node:http';
import type https from 'node:https';

/** What one piece of work asked of Cosmos DB, by container: queries and point reads (the SDK's own metadata aside). */
export interface CosmosRequests {
  /** Queries by container id (a query-plan request is not a query: the SDK asks it before some queries). */
  readonly queries: Readonly<Record<string, number>>;
  /** Point reads (`GET …/docs/{id}`) by container id. */
  readonly reads: Readonly<Record<string, number>>;
}

/**
 * The Cosmos DB requests `work` makes, counted at the local protocol server (its `request` event): costs as
 * exact numbers, where times on a shared machine are noise. Writes and metadata (databases, containers, partition
 * key ranges) are not counted.
 *
 * @example
 * ```ts
 * const { result, requests } = await countingRequests(cosmos.server, () => app.list(orders, ALICE, { $expand: 'customer' }));
 * expect(requests.queries).toEqual({ orders: 1, customers: 1 });
 * ```
 */
export async function countingRequests<T>(
  server: https.Server | http.Server,
  work: () => Promise<T>,
): Promise<{ readonly result: T; readonly requests: CosmosRequests }> {
  const queries: Record<string, number> = {};
  const reads: Record<string, number> = {};
  const listener = (req: {
    method?: string;
    url?: string;
    headers: Record<string, string | string[] | undefined>;
  }) => {
    const m = /\/colls\/([^/]+)\/docs(\/[^/?]+)?/.exec(req.url ?? '');
    if (!m) return;
    const coll = decodeURIComponent(m[1]!);
    if (req.method === 'POST' && !m[2] && req.headers['x-ms-documentdb-isquery'] !== undefined) {
      if (req.headers['x-ms-cosmos-is-query-plan-request'] === undefined)
        queries[coll] = (queries[coll] ?? 0) + 1;
    } else if (req.method === 'GET' && m[2]) reads[coll] = (reads[coll] ?? 0) + 1;
  };
  server.on('request', listener);
  try {
    const result = await work();
    return { result, requests: { queries, reads } };
  } finally {
    server.off('request', listener);
  }
}
