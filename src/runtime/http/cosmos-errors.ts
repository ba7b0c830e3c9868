import type { HttpResponseInit } from '@azure/functions';
import { unavailableReason } from '../data/cosmos-policy.js';
import { problemResponse } from './response.js';
import { withLogNote } from './log.js';

/**
 * The HTTP status of a Cosmos SDK error (`ErrorResponse.code`), or `undefined` for anything else
 * (network failures, bugs).
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
 * Longest `Retry-After` passed on from Cosmos DB's throttling hint (`x-ms-retry-after-ms`): a client told to
 * wait longer than a minute usually gives up instead, and a throttled partition recovers within seconds.
 *
 * @example
 * ```ts
 * // Cosmos DB: 429, x-ms-retry-after-ms: 90000 → API: 429, Retry-After: 60
 * ```
 */
export const MAX_RETRY_AFTER_SECONDS = 60;

/**
 * Whether a 404 is about the container or database rather than the item.
 *
 * @example
 * ```ts
 * if (isOwnerMissing(e)) throw e; // surfaces as a 500, not a misleading 404
 * ```
 */
export function isOwnerMissing(error: unknown): boolean {
  return (
    cosmosStatus(error) === 404 &&
    (error as { substatus?: unknown }).substatus === OWNER_NOT_FOUND_SUBSTATUS
  );
}

// Failures before the request left this process (nothing reached Cosmos DB): a write did not happen.
const NOT_SENT = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'credential',
]);

/**
 * What a failed call was doing: a read (nothing to lose), or a write of the item `id` — whose outcome is
 * unknown when Cosmos DB stopped answering after the request left, which the 503 then says.
 *
 * @example
 * ```ts
 * cosmosErrorResponse(e, 'User "1"', 5, { write: '1' });
 * ```
 */
export interface CallIntent {
  /** The id of the item a create, replace, merge or delete was writing. */
  readonly write?: string;
}

function unavailable(
  reason: string,
  what: string,
  retryAfterSeconds: number,
  intent: CallIntent,
): HttpResponseInit {
  const unknown = intent.write !== undefined && !NOT_SENT.has(reason);
  // The reason goes to the log only: it may name hosts, and the client can only wait and retry.
  const response = unknown
    ? problemResponse(
        'database-unavailable',
        `The database did not answer in time for ${what}: the change may or may not have been made. Retry ` +
          `with the same id: ` +
          'the item as you wrote it (or a 409 for a create, a 404 for a delete) shows that it was.',
        {
          outcome: 'unknown',
          id: intent.write,
          headers: { 'Retry-After': String(retryAfterSeconds) },
        },
      )
    : problemResponse(
        'database-unavailable',
        `The database did not answer in time for ${what}: retry later.`,
        {
          ...(intent.write !== undefined ? { outcome: 'not-applied', id: intent.write } : {}),
          headers: { 'Retry-After': String(retryAfterSeconds) },
        },
      );
  return withLogNote(response, `CosmosUnavailableError: ${reason}`);
}

/** Retry-After (whole seconds, 1..MAX_RETRY_AFTER_SECONDS) from a 429's hint. */
function throttleSeconds(error: unknown): number {
  const ms = (error as { retryAfterInMs?: unknown }).retryAfterInMs;
  const seconds = typeof ms === 'number' && Number.isFinite(ms) ? Math.ceil(ms / 1000) : 1;
  return Math.min(MAX_RETRY_AFTER_SECONDS, Math.max(1, seconds));
}

/**
 * The one mapping of Cosmos DB failures to client responses: conflict, stale ETag and bad request pass on
 * as 409/412/400; throttling is **429** with the service's hint as `Retry-After` (capped at
 * {@link MAX_RETRY_AFTER_SECONDS}; a throttled request was not executed); unreachable, too slow, reset,
 * truncated or a 5xx is **503** + `Retry-After`, and for a write it says whether the outcome is unknown.
 * `undefined` when it is the server's problem (a missing container). Cosmos' own message is not echoed: it
 * names internal resource ids.
 *
 * @example
 * ```ts
 * catch (e) { return cosmosErrorResponse(e, 'User "1"') ?? Promise.reject(e); }
 * ```
 */
export function cosmosErrorResponse(
  error: unknown,
  what: string,
  retryAfterSeconds = 5,
  intent: CallIntent = {},
): HttpResponseInit | undefined {
  // 404/1003: the database or container is missing — a deployment fault, not an absent item.
  if (isOwnerMissing(error)) return undefined;
  const reason = unavailableReason(error);
  if (reason !== undefined) return unavailable(reason, what, retryAfterSeconds, intent);
  switch (cosmosStatus(error)) {
    case 400:
      return problemResponse(
        'bad-request',
        `Cosmos DB rejected the request for ${what} (for example a malformed continuation token).`,
      );
    case 404:
      return problemResponse('not-found', `${what} does not exist.`);
    case 409:
      return problemResponse('conflict', `${what} already exists.`);
    case 412:
      return problemResponse(
        'precondition-failed',
        `${what} has changed since the ETag in If-Match: read it again and retry.`,
      );
    case 413:
      return problemResponse('item-too-large', `${what} is larger than Cosmos DB allows.`);
    case 429:
      return problemResponse(
        'throttled',
        'The database is busy: retry after the indicated delay. Nothing was changed.',
        {
          ...(intent.write !== undefined ? { outcome: 'not-applied', id: intent.write } : {}),
          headers: { 'Retry-After': String(throttleSeconds(error)) },
        },
      );
    default:
      return undefined;
  }
}

/**
 * `run`, its Cosmos DB failure answered as every route answers one (503/429 with Retry-After, naming `what`); any
 * other failure goes on.
 *
 * @example
 * ```ts
 * return answerUnavailable('the tenant registry', async () => jsonResponse(200, await store.read(id)));
 * ```
 */
export async function answerUnavailable(
  what: string,
  run: () => Promise<HttpResponseInit>,
): Promise<HttpResponseInit> {
  try {
    return await run();
  } catch (e) {
    const response = cosmosErrorResponse(e, what);
    if (response) return response;
    throw e;
  }
}
