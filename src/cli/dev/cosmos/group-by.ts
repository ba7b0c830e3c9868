import type { IncomingMessage, Server } from 'node:http';
import { Readable } from 'node:stream';
import { splitGroupBy } from './group-by-query.js';
import { splitSearch } from './search-query.js';
import {
  answer,
  isQueryRequest,
  type LayerRequest as Req,
  type LayerResponse as Res,
  layerRequests,
} from './server-layer.js';

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => {
      chunks.push(c);
    });
    req.on('end', () => {
      resolve(Buffer.concat(chunks));
    });
    req.on('error', reject);
  });
}

/** The request again, with `body` (the original's stream is spent): what the server's own listeners read. */
function replay(req: IncomingMessage, body: Buffer, drop: readonly string[] = []): Req {
  const headers = Object.fromEntries(
    Object.entries({ ...req.headers, 'content-length': String(body.length) }).filter(
      ([h]) => !drop.includes(h),
    ),
  );
  return Object.assign(Readable.from([body]), {
    headers,
    method: req.method,
    url: req.url,
    socket: req.socket,
    httpVersion: req.httpVersion,
  });
}

/** What the server's listeners write for one request, kept instead of sent. */
function capture(): { res: Res; done: Promise<{ status: number; body: string }> } {
  let finish: (v: { status: number; body: string }) => void = () => undefined;
  const done = new Promise<{ status: number; body: string }>((r) => (finish = r));
  const res = {
    statusCode: 200,
    finished: false,
    headersSent: false,
    setHeader: () => res,
    getHeader: () => undefined,
    end(body?: string) {
      res.finished = true;
      finish({ status: res.statusCode, body: body ?? '' });
      return res;
    },
  };
  return { res, done };
}

/**
 * Teach `@vercel/cosmosdb-server` Cosmos DB's GROUP BY and its search (the same query text Azure runs): a layer in
 * front of its `request` listeners that answers a query with a top-level GROUP BY (group-by-query.ts), or ranked by
 * `ORDER BY RANK` / `ORDER BY VectorDistance` (search-query.ts: FullTextContains*, FullTextScore, VectorDistance,
 * RRF, OFFSET LIMIT), by running its rows through the server itself and folding them as Azure does, in one page.
 * Every other request goes to the server untouched. Used by `atakora dev` and the tests, so aggregates and searches
 * behave under dev as deployed.
 *
 * @example
 * ```ts
 * const server = serveGroupBy(createHttpsServer({ cert, key }));
 * ```
 */
export function serveGroupBy<S extends Server>(server: S): S {
  return layerRequests(server, (req, res, pass) => {
    if (!isQueryRequest(req, 'x-ms-documentdb-isquery')) {
      pass(req, res);
      return;
    }
    void (async () => {
      const raw = await readBody(req);
      let spec: { query?: unknown; parameters?: unknown };
      let split: ReturnType<typeof splitGroupBy>;
      try {
        spec = JSON.parse(raw.toString('utf8')) as typeof spec;
        split =
          typeof spec.query === 'string'
            ? (splitGroupBy(spec.query) ?? splitSearch(spec.query))
            : undefined;
      } catch (e) {
        answer(res, 400, { code: 'BadRequest', message: (e as Error).message });
        return;
      }
      if (!split) {
        pass(replay(req, raw), res);
        return;
      }
      // Every row at once: the groups are only whole once every item is read.
      const inner = Buffer.from(JSON.stringify({ ...spec, query: split.rows }));
      const { res: kept, done } = capture();
      pass(replay(req, inner, ['x-ms-max-item-count', 'x-ms-continuation']), kept);
      const { status, body } = await done;
      if (status !== 200) {
        answer(res, status, JSON.parse(body || '{}'));
        return;
      }
      const rows = (JSON.parse(body) as { Documents?: Record<string, unknown>[] }).Documents ?? [];
      const parameters = new Map(
        (Array.isArray(spec.parameters)
          ? (spec.parameters as { name: string; value: unknown }[])
          : []
        ).map((p) => [p.name, p.value] as const),
      );
      let groups: Record<string, unknown>[];
      try {
        groups = split.fold(rows, parameters);
      } catch (e) {
        answer(res, 400, { code: 'BadRequest', message: (e as Error).message });
        return;
      }
      answer(res, 200, { Documents: groups, _count: groups.length }, groups.length);
    })().catch((e: unknown) => {
      if (!res.headersSent) answer(res, 500, { message: (e as Error).message });
    });
  });
}
