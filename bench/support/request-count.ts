import dc from 'node:diagnostics_channel';

/** The Cosmos DB requests of one piece of work: queries and point reads, by container. */
export interface RequestCount {
  readonly queries: Readonly<Record<string, number>>;
  readonly reads: Readonly<Record<string, number>>;
}

/**
 * The Cosmos DB requests `work` sends from this process, counted as they leave it (Node's
 * `http.client.request.start` diagnostics channel, which `@azure/cosmos`'s HTTP client passes through): queries
 * (without the SDK's query-plan requests) and point reads, by container. Exact where times are noise, so the benches
 * print them beside their ratios. Work must not overlap with other Cosmos DB traffic of the process.
 *
 * @example
 * ```ts
 * const { requests } = await countRequests(() => call('OrderApi-collection', 'orders', { $expand: 'customer' }));
 * console.log(requests.queries); // { orders: 1, customers: 1 }
 * ```
 */
export async function countRequests<T>(
  work: () => Promise<T>,
): Promise<{ readonly result: T; readonly requests: RequestCount }> {
  const queries: Record<string, number> = {};
  const reads: Record<string, number> = {};
  const listener = (message: unknown) => {
    const request = (
      message as { request?: { method?: string; path?: string; getHeader(n: string): unknown } }
    ).request;
    const m = /\/colls\/([^/]+)\/docs(\/[^/?]+)?/.exec(request?.path ?? '');
    if (!request || !m) return;
    const coll = decodeURIComponent(m[1]!);
    if (
      request.method === 'POST' &&
      !m[2] &&
      request.getHeader('x-ms-documentdb-isquery') !== undefined
    ) {
      if (request.getHeader('x-ms-cosmos-is-query-plan-request') === undefined)
        queries[coll] = (queries[coll] ?? 0) + 1;
    } else if (request.method === 'GET' && m[2]) reads[coll] = (reads[coll] ?? 0) + 1;
  };
  dc.subscribe('http.client.request.start', listener);
  try {
    const result = await work();
    return { result, requests: { queries, reads } };
  } finally {
    dc.unsubscribe('http.client.request.start', listener);
  }
}
