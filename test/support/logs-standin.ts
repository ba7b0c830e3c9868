import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One query the stand-in was sent. */
export interface LogsCall {
  readonly url: string;
  readonly authorization: string | undefined;
  readonly query: string;
  readonly timespan: string | undefined;
}

/** What the stand-in answers a query with: a table's rows (objects), or a status and body. */
export type LogsAnswer =
  | { readonly rows: readonly Record<string, unknown>[] }
  | { readonly status: number; readonly body: unknown };

/** A loopback stand-in of the Log Analytics query API. */
export interface LogsStandIn {
  /** For ATAKORA_LOGS_ENDPOINT. */
  readonly base: string;
  readonly calls: LogsCall[];
  /** How the next queries are answered (default: no rows). */
  answer(by: (call: LogsCall) => LogsAnswer): void;
  close(): Promise<void>;
}

/**
 * The Log Analytics query API on 127.0.0.1, as Learn describes it ("Query - Execute" and "Query - Execute With
 * Resource Id"): `POST /v1/workspaces/{id}/query` or `POST /v1/{resourceId}/query` with `{ query, timespan }`,
 * answered `{ tables: [{ name: 'PrimaryResult', columns: [{ name, type }], rows: [[…]] }] }` — the columns taken
 * from the rows the test gives, in their order — or an error `{ error: { code, message } }`.
 *
 * @example
 * ```ts
 * const logs = await startLogsStandIn();
 * logs.answer(() => ({ rows: [{ Name: 'GET api/notes', ResultCode: '200' }] }));
 * ```
 */
export async function startLogsStandIn(): Promise<LogsStandIn> {
  const calls: LogsCall[] = [];
  let by: (call: LogsCall) => LogsAnswer = () => ({ rows: [] });
  const server = createServer((req, res) => {
    void body(req).then((text) => {
      const send = (status: number, json: unknown) => {
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end(JSON.stringify(json));
      };
      if (req.method !== 'POST' || !/^\/v1\/.+\/query$/.test(req.url ?? ''))
        return send(404, { error: { code: 'PathNotFoundError', message: `no ${req.url ?? ''}` } });
      let parsed: { query?: string; timespan?: string } = {};
      try {
        parsed = JSON.parse(text) as typeof parsed;
      } catch {
        return send(400, { error: { code: 'BadArgumentError', message: 'not JSON' } });
      }
      const call: LogsCall = {
        url: req.url ?? '',
        authorization: req.headers.authorization,
        query: parsed.query ?? '',
        timespan: parsed.timespan,
      };
      calls.push(call);
      const a = by(call);
      if ('status' in a) return send(a.status, a.body);
      const columns = [...new Set(a.rows.flatMap((r) => Object.keys(r)))];
      send(200, {
        tables: [
          {
            name: 'PrimaryResult',
            columns: columns.map((name) => ({ name, type: typeOf(a.rows, name) })),
            rows: a.rows.map((r) => columns.map((c) => r[c] ?? null)),
          },
        ],
      });
    });
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  const { port } = server.address() as AddressInfo;
  return {
    base: `http://127.0.0.1:${String(port)}`,
    calls,
    answer(f) {
      by = f;
    },
    close: () =>
      new Promise<void>((ok) => {
        server.closeAllConnections();
        server.close(() => {
          ok();
        });
      }),
  };
}

function typeOf(rows: readonly Record<string, unknown>[], column: string): string {
  const v = rows.find((r) => r[column] !== undefined && r[column] !== null)?.[column];
  return typeof v === 'number' ? 'real' : typeof v === 'boolean' ? 'bool' : 'string';
}

function body(req: IncomingMessage): Promise<string> {
  return new Promise((ok) => {
    let text = '';
    req.setEncoding('utf8');
    req.on('data', (c: string) => (text += c));
    req.on('end', () => {
      ok(text);
    });
  });
}
