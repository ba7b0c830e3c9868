import { Agent, request } from 'node:http';

/** One answer of {@link lightClient}: its status and its body parsed as JSON. */
export interface LightAnswer {
  readonly status: number;
  json(): unknown;
}

/**
 * A keep-alive `node:http` client for loopback benchmarks: what it adds to a request is a few microseconds, the same
 * for a GET and a POST with a body. `fetch` (undici) is not used for server ratios: in the one process the bench
 * runs, its own CPU for a POST with a body is ~0.17 ms more than for a GET (a bare server answering at once: POST
 * 0.455 ms, GET 0.287 ms; `node:http`: 0.077 and 0.069 ms), which would be counted as the server's.
 *
 * @example
 * ```ts
 * const send = lightClient();
 * const r = await send('POST', 'http://127.0.0.1:7071/api/mcp', { 'content-type': 'application/json' }, '{}');
 * r.status; // 200
 * send.close();
 * ```
 */
export function lightClient(): ((
  method: string,
  url: string,
  headers: Readonly<Record<string, string>>,
  body?: string,
) => Promise<LightAnswer>) & { close(): void } {
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  const send = (
    method: string,
    url: string,
    headers: Readonly<Record<string, string>>,
    body?: string,
  ) =>
    new Promise<LightAnswer>((resolve, reject) => {
      const sent =
        body === undefined
          ? headers
          : { ...headers, 'content-length': String(Buffer.byteLength(body)) };
      const r = request(url, { method, agent, headers: sent }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('error', reject);
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          resolve({ status: res.statusCode ?? 0, json: () => JSON.parse(text) as unknown });
        });
      });
      r.on('error', reject);
      r.end(body);
    });
  return Object.assign(send, { close: () => agent.destroy() });
}
