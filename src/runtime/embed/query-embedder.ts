import type { RuntimeEntity } from '../../model/runtime-manifest.js';
import { EmbeddingError, type Embedder } from './embed-types.js';
import { embedderOf } from './embedder-of.js';

/** What of the runtime services (pipeline/services.ts `RuntimeServices`) the embedders read. */
export interface EmbedderServices {
  readonly embedderFor?: ((entity: RuntimeEntity) => Embedder | undefined) | undefined;
}

/** Embeds a search's query text into a vector of the entity's dimensions; rejects with `EmbeddingError`. */
export type QueryEmbedder = (text: string) => Promise<number[]>;

// One embedder per entity and process: the items' writes and the searches share its SDK client and its token cache.
const shared = new WeakMap<RuntimeEntity, Embedder | undefined>();

/**
 * The embedder of an entity's writes and searches: the services' `embedderFor` when they name one (tests, a host's
 * own), else {@link embedderOf} over `process.env` (the Azure OpenAI SDK with `ATAKORA_OPENAI_ENDPOINT`, the local
 * deterministic one without), one per entity. Undefined when the entity does not embed.
 *
 * @example
 * ```ts
 * const embedder = entityEmbedder(entity, services);
 * ```
 */
export function entityEmbedder(
  entity: RuntimeEntity,
  services: EmbedderServices | undefined,
): Embedder | undefined {
  if (!entity.search?.vector?.embed) return undefined;
  const own = services?.embedderFor?.(entity);
  if (own) return own;
  if (!shared.has(entity)) shared.set(entity, embedderOf(entity, process.env));
  return shared.get(entity);
}

/**
 * The {@link QueryEmbedder} of a CrudApi whose search embeds (undefined otherwise), from the runtime services: the
 * same embedder its writes use, so a query and the items are embedded by one model. An empty or blank query is
 * refused (`EmbeddingError('input')`, a 400 through `embeddingProblem`) without a call.
 *
 * @example
 * ```ts
 * const embedQuery = queryEmbedderOf(entity, services);
 * const vector = embedQuery ? await embedQuery('login fails') : undefined;
 * ```
 */
export function queryEmbedderOf(
  entity: RuntimeEntity,
  services?: EmbedderServices,
): QueryEmbedder | undefined {
  const embedder = entityEmbedder(entity, services);
  if (!embedder) return undefined;
  return (text) =>
    text.trim() === ''
      ? Promise.reject(new EmbeddingError('input', 'the query text is empty'))
      : embedder.embed(text);
}
