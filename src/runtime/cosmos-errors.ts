import type { HttpResponseInit } from '@azure/functions';
import { problemResponse } from './http-response.js';

/**
 * The HTTP status of a Cosmos SDK error (`ErrorResponse.code`), or `undefined` for anything else
 * (network failures, bugs), which the request wrapper turns into a 500.
 *
 * @example
 * ```ts
 * try { await container.items.create(item); } catch (e) { if (cosmosStatus(e) === 409) ... }
 * ```
 */
export function cosmosStatus(error: unknown): number | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const code = (error as { code?: unknown }).code;
  return typeof code === 'number' ? code : undefined;
}

/**
 * The client-facing response for a Cosmos error the client can act on (conflict, stale ETag, throttling,
 * bad continuation token), or `undefined` when it is the server's problem. Cosmos' own message is not
 * echoed: it names internal resource ids.
 *
 * @example
 * ```ts
 * catch (e) { return cosmosErrorResponse(e, 'User "1"') ?? Promise.reject(e); }
 * ```
 */
export function cosmosErrorResponse(error: unknown, what: string): HttpResponseInit | undefined {
  switch (cosmosStatus(error)) {
    case 400:
      return problemResponse(400, 'bad-request', `Cosmos DB rejected the request for ${what} (for example a malformed continuation token).`);
    case 404:
      return problemResponse(404, 'not-found', `${what} does not exist.`);
    case 409:
      return problemResponse(409, 'conflict', `${what} already exists.`);
    case 412:
      return problemResponse(412, 'precondition-failed', `${what} has changed since the ETag in If-Match: read it again and retry.`);
    case 413:
      return problemResponse(413, 'item-too-large', `${what} is larger than Cosmos DB allows.`);
    case 429: {
      const ms = (error as { retryAfterInMs?: unknown }).retryAfterInMs;
      const seconds = typeof ms === 'number' ? Math.max(1, Math.ceil(ms / 1000)) : 1;
      return problemResponse(429, 'throttled', 'The database is busy: retry after the indicated delay.', {
        headers: { 'Retry-After': String(seconds) },
      });
    }
    default:
      return undefined;
  }
}
