import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { Readable } from 'node:stream';

/** What the server's own listeners read of a request and write to a response (a real one, or a replay/capture). */
export type LayerRequest = Readable & Pick<IncomingMessage, 'headers' | 'method' | 'url'>;
export type LayerResponse = Pick<ServerResponse, 'statusCode' | 'headersSent'> & {
  setHeader(name: string, value: string): unknown;
  end(body?: string): unknown;
};

/** An item query's path (`POST dbs/{db}/colls/{coll}/docs` with a query header): what the layers look at. */
export const QUERY_PATH = /^\/dbs\/[^/]+\/colls\/[^/]+\/docs\/?$/;

/** Whether `req` is a POST to a container's documents with `header: true` (the SDK's query and query-plan marks). */
export function isQueryRequest(req: IncomingMessage, header: string): boolean {
  return (
    req.method === 'POST' &&
    String(req.headers[header]).toLowerCase() === 'true' &&
    QUERY_PATH.test(req.url ?? '')
  );
}

/**
 * Put `handle` in front of `@vercel/cosmosdb-server`'s `request` listeners: it answers what it takes in hand and
 * hands the rest to `pass` (the server's own listeners, untouched). The layers of dev's local server (group-by.ts,
 * query-plan.ts) are each one such handler.
 *
 * @example
 * ```ts
 * layerRequests(server, (req, res, pass) => (req.url === '/' ? answer(res, 200, {}) : pass(req, res)));
 * ```
 */
export function layerRequests<S extends Server>(
  server: S,
  handle: (
    req: IncomingMessage,
    res: ServerResponse,
    pass: (req: LayerRequest, res: LayerResponse) => void,
  ) => void,
): S {
  const listeners = server.listeners('request') as ((
    req: LayerRequest,
    res: LayerResponse,
  ) => void)[];
  server.removeAllListeners('request');
  const pass = (req: LayerRequest, res: LayerResponse) => {
    for (const l of listeners) l.call(server, req, res);
  };
  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    handle(req, res, pass);
  });
  return server;
}

/**
 * Answer as the server answers every request (its lib/index.js): JSON, a charge of 1, an activity id, and the item
 * count of a query's page when given.
 *
 * @example
 * ```ts
 * answer(res, 400, { code: 'BadRequest', message: 'no query' });
 * ```
 */
export function answer(res: LayerResponse, status: number, body: unknown, count?: number): void {
  res.statusCode = status;
  res.setHeader('content-type', 'application/json');
  res.setHeader('x-ms-request-charge', '1');
  res.setHeader('x-ms-activity-id', '00000000-0000-0000-0000-000000000000');
  if (count !== undefined) res.setHeader('x-ms-item-count', String(count));
  res.end(JSON.stringify(body));
}
