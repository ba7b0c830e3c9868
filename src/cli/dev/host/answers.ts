import type { IncomingMessage, ServerResponse } from 'node:http';
import { problemDocument, type ProblemCode } from '../../../contract/problems.js';

/**
 * An `application/problem+json` answer (RFC 9457) built from a code of the problem table, as the runtime's.
 *
 * @example
 * ```ts
 * problem(res, 'not-found', 'No function serves GET /api/x.');
 * ```
 */
export function problem(
  res: ServerResponse,
  code: ProblemCode,
  detail: string,
  headers: Record<string, string> = {},
): void {
  const doc = problemDocument(code, detail);
  res.writeHead(doc.status, {
    'content-type': 'application/problem+json; charset=utf-8',
    ...headers,
  });
  res.end(JSON.stringify(doc));
}

/**
 * A JSON answer.
 *
 * @example
 * ```ts
 * send(res, 202, { invoked: 'cleanup' });
 * ```
 */
export function send(
  res: ServerResponse,
  status: number,
  json: unknown,
  headers: Record<string, string> = {},
): void {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify(json));
}

/**
 * The request's body as UTF-8 text.
 *
 * @example
 * ```ts
 * const text = await bodyText(req);
 * ```
 */
export async function bodyText(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}
