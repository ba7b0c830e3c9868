import { request } from 'node:http';

/** One answer of the local stack: status, JSON body (undefined when none or not JSON). */
export interface LoopbackReply {
  readonly status: number;
  readonly body: unknown;
}

/**
 * One HTTP request to the `atakora dev` stack on 127.0.0.1 (plain HTTP, never Azure): what the proof sends. A
 * `Buffer` body goes as it is, with the headers given (a file's bytes to its upload URL); any other body as JSON.
 *
 * @example
 * ```ts
 * const r = await send('GET', 'http://127.0.0.1:7071/api/notes', { 'x-atakora-dev-user': 'alice@contoso' });
 * ```
 */
export function send(
  method: string,
  url: string,
  headers: Readonly<Record<string, string>>,
  body?: unknown,
): Promise<LoopbackReply> {
  const bytes = Buffer.isBuffer(body);
  const data = body === undefined ? undefined : bytes ? body : Buffer.from(JSON.stringify(body));
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      {
        method,
        headers: {
          ...headers,
          ...(data && !bytes ? { 'content-type': 'application/json' } : {}),
          ...(data ? { 'content-length': String(data.length) } : {}),
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let parsed: unknown;
          try {
            parsed = text ? JSON.parse(text) : undefined;
          } catch {
            parsed = text;
          }
          resolve({ status: res.statusCode ?? 0, body: parsed });
        });
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(data);
  });
}
