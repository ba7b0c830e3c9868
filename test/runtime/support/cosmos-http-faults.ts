import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { randomUUID } from 'node:crypto';

/**
 * A fault of the Cosmos DB service itself, as seen on the wire (the TCP fault proxy covers unreachable and
 * slow): an HTTP status with Cosmos DB's headers (`x-ms-retry-after-ms` on a 429), or an answer that breaks
 * after the server did the work — the connection reset before the response, or the response cut short after
 * its headers and half of its body.
 */
export type HttpFault =
  | {
      readonly kind: 'status';
      readonly status: number;
      readonly retryAfterMs?: number;
      readonly times?: number;
    }
  | { readonly kind: 'reset-after' }
  | { readonly kind: 'truncate' };

/** The faults in place, by container id; `hits` counts the faulted requests per container. */
export interface CosmosHttpFaults {
  readonly hits: Map<string, number>;
  remove(): void;
}

function containerOf(req: IncomingMessage): string | undefined {
  const segments = new URL(req.url ?? '/', 'https://cosmos.local').pathname
    .split('/')
    .filter(Boolean)
    .map(decodeURIComponent);
  return segments[2] === 'colls' && segments[4] === 'docs' ? segments[3] : undefined;
}

/**
 * Put faults in front of the local Cosmos DB protocol server's request listeners: item requests
 * (`…/colls/<id>/docs…`) of the containers named in `faults` get that fault when they are authorized with
 * an Entra token (the app under test, through its managed identity); key-authorized requests (the test's
 * own client reading the store) pass untouched. Status bodies follow Cosmos DB's error shape
 * (https://learn.microsoft.com/rest/api/cosmos-db/http-status-codes-for-cosmosdb).
 */
export function injectCosmosFaults(
  server: Server,
  faults: Readonly<Record<string, HttpFault>>,
): CosmosHttpFaults {
  const original = server.listeners('request') as ((
    req: IncomingMessage,
    res: ServerResponse,
  ) => void)[];
  const hits = new Map<string, number>();
  const pass = (req: IncomingMessage, res: ServerResponse) => {
    for (const listener of original) listener.call(server, req, res);
  };
  const layer = (req: IncomingMessage, res: ServerResponse) => {
    const container = containerOf(req);
    const fault = container === undefined ? undefined : faults[container];
    const byApp = decodeURIComponent(String(req.headers.authorization ?? '')).startsWith(
      'type=aad',
    );
    if (!fault || !byApp) return pass(req, res);
    const n = (hits.get(container!) ?? 0) + 1;
    if (fault.kind === 'status') {
      if (fault.times !== undefined && n > fault.times) return pass(req, res);
      hits.set(container!, n);
      req.resume();
      res.writeHead(fault.status, {
        'content-type': 'application/json',
        'x-ms-activity-id': randomUUID(),
        'x-ms-request-charge': '0',
        ...(fault.retryAfterMs !== undefined
          ? { 'x-ms-retry-after-ms': String(fault.retryAfterMs) }
          : {}),
      });
      res.end(
        JSON.stringify({
          code: fault.status === 429 ? 'TooManyRequests' : 'InternalServerError',
          message: 'injected fault',
        }),
      );
      return;
    }
    hits.set(container!, n);
    // The server does the work (a create is stored); only its answer is lost or cut.
    const socket = req.socket;
    if (fault.kind === 'reset-after') {
      res.writeHead = (() => {
        socket.destroy();
        return res;
      }) as typeof res.writeHead;
      res.end = (() => {
        socket.destroy();
        return res;
      }) as typeof res.end;
    } else {
      res.end = ((chunk?: unknown) => {
        const text =
          typeof chunk === 'string' ? chunk : Buffer.isBuffer(chunk) ? chunk.toString('utf8') : '';
        res.write(text.slice(0, Math.max(1, Math.floor(text.length / 2))));
        setImmediate(() => socket.destroy());
        return res;
      }) as typeof res.end;
    }
    pass(req, res);
  };
  server.removeAllListeners('request');
  server.on('request', layer);
  return {
    hits,
    remove() {
      server.off('request', layer);
      for (const listener of original) server.on('request', listener);
    },
  };
}
