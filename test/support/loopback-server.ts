import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A request's whole body as text.
 *
 * @example
 * ```ts
 * createServer((req, res) => void readBody(req).then((text) => res.end(text)));
 * ```
 */
export function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      resolve(Buffer.concat(chunks).toString('utf8'));
    });
  });
}

/**
 * A request's body as a JSON object; an empty body is `{}`.
 *
 * @example
 * ```ts
 * createServer((req, res) => void readJsonBody(req).then((body) => res.end(String(body['id']))));
 * ```
 */
export async function readJsonBody(req: IncomingMessage): Promise<Record<string, unknown>> {
  const text = await readBody(req);
  return text ? (JSON.parse(text) as Record<string, unknown>) : {};
}

/**
 * Listen on 127.0.0.1 at a port the OS picks (other tests run at the same time): the base URL and a stop.
 *
 * @example
 * ```ts
 * const { base, close } = await listenOnLoopback(createServer(handler));
 * ```
 */
export async function listenOnLoopback(
  server: Server,
): Promise<{ base: string; close: () => Promise<void> }> {
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    base: `http://127.0.0.1:${String((server.address() as AddressInfo).port)}`,
    close: () =>
      new Promise<void>((r) => {
        server.close(() => {
          r();
        });
      }),
  };
}

/** What a JSON stand-in answers: a status, and a value sent as JSON (none: an empty body). */
export interface JsonAnswer {
  readonly status: number;
  readonly value?: unknown;
}

/**
 * A stand-in that speaks JSON, listening on loopback: each request's body parsed (readJsonBody), `handle`'s answer
 * written as `application/json`.
 *
 * @example
 * ```ts
 * const { base, close } = await serveJsonOnLoopback((req, body) => ({ status: 201, value: body }));
 * ```
 */
export function serveJsonOnLoopback(
  handle: (req: IncomingMessage, body: Record<string, unknown>) => JsonAnswer,
): Promise<{ base: string; close: () => Promise<void> }> {
  const server = createServer((req, res) => {
    void readJsonBody(req).then((body) => {
      const { status, value } = handle(req, body);
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(value === undefined ? undefined : JSON.stringify(value));
    });
  });
  return listenOnLoopback(server);
}
