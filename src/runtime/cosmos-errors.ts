import type { HttpResponseInit } from '@azure/functions';
import { unavailableReason } from './cosmos-policy.js';
import { problemResponse } from './http-response.js';
import { withLogNote } from './request-log.js';

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

/** Cosmos' substatus for "the owner resource (database/container) does not exist". */
export const OWNER_NOT_FOUND_SUBSTATUS = 1003;

/**
 * Whether a 404 is about the container or database rather than the item.
 *
 * @example
 * ```ts
 * if (isOwnerMissing(e)) throw e; // surfaces as a 500, not a misleading 404
 * ```
 */
export function isOwnerMissing(error: unknown): boolean {
  return cosmosStatus(error) === 404 && (error as { substatus?: unknown }).substatus === OWNER_NOT_FOUND_SUBSTATUS;
}

/**
 * The client-facing response for a Cosmos error the client can act on (conflict, stale ETag, throttling,
 * bad continuation token, Cosmos DB unreachable or too slow → 503 + `Retry-After`), or `undefined` when it
 * is the server's problem. Cosmos' own message is not echoed: it names internal resource ids.
 *
 * @example
 * ```ts
 * catch (e) { return cosmosErrorResponse(e, 'User "1"') ?? Promise.reject(e); }
 * ```
 */
export function cosmosErrorResponse(error: unknown, what: string, retryAfterSeconds = 5): HttpResponseInit | undefined {
  // 404/1003: the database or container is missing — a deployment fault, not an absent item.
  if (isOwnerMissing(error)) return undefined;
  const unavailable = unavailableReason(error);
  if (unavailable !== undefined) {
    // The reason goes to the log only: it may name hosts, and the client can only wait and retry.
    const response = problemResponse(503, 'database-unavailable', `The database did not answer in time for ${what}: retry later.`, {
      headers: { 'Retry-After': String(retryAfterSeconds) },
    });
    return withLogNote(response, `CosmosUnavailableError: ${unavailable}`);
  }
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
