import type { HttpResponseInit } from '@azure/functions';
import type { RuntimeEntity } from '../../model/runtime-manifest.js';
import { problemResponse } from '../http/response.js';
import { EmbeddingError } from './embed-types.js';

/** How long a client is asked to wait after a 503 `embedding-unavailable` (Azure OpenAI throttles per minute). */
export const EMBEDDING_RETRY_AFTER_SECONDS = 10;

/**
 * The answer to a failed embedding — of an item's text on a write, or of a search's query text: 400
 * `embedding-refused` when the service refused the text itself, else 503 `embedding-unavailable` with
 * `Retry-After`. The detail names the entity and the status, never the text.
 *
 * @example
 * ```ts
 * try { vector = await embedQuery(text); } catch (e) { return embeddingProblem(entity, e); }
 * ```
 */
export function embeddingProblem(entity: RuntimeEntity, e: unknown): HttpResponseInit {
  const err =
    e instanceof EmbeddingError ? e : new EmbeddingError('unavailable', 'embedding failed');
  return err.kind === 'input'
    ? problemResponse('embedding-refused', `${entity.entityName}: ${err.message}.`)
    : problemResponse('embedding-unavailable', `${entity.entityName}: ${err.message}.`, {
        headers: { 'Retry-After': String(EMBEDDING_RETRY_AFTER_SECONDS) },
      });
}
