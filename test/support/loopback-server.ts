import type { IncomingMessage, Server } from 'node:http';
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
