/**
 * The Azure OpenAI embedding models a CrudApi's `search.vector.embed.model` may name, with what each takes (Learn,
 * "Azure OpenAI in Foundry Models", embeddings: text-embedding-3-small and -large version 1, text-embedding-ada-002
 * version 2; https://learn.microsoft.com/azure/ai-foundry/openai/concepts/models#embeddings) and the request's
 * `dimensions`, which only the text-embedding-3 models accept (Learn, Azure OpenAI REST reference, Embeddings -
 * Create: "Only supported in text-embedding-3 and later models"): `maxDimensions` is the model's native length, the
 * most it returns; ada-002 returns 1,536 and nothing else. `usdPerMillionTokens` is the Global Standard list price
 * (https://azure.microsoft.com/pricing/details/cognitive-services/openai-service/, recorded 2026-11).
 */
export const EMBEDDING_MODELS = {
  'text-embedding-3-small': {
    version: '1',
    maxDimensions: 1536,
    shortens: true,
    usdPerMillionTokens: 0.02,
  },
  'text-embedding-3-large': {
    version: '1',
    maxDimensions: 3072,
    shortens: true,
    usdPerMillionTokens: 0.13,
  },
  'text-embedding-ada-002': {
    version: '2',
    maxDimensions: 1536,
    shortens: false,
    usdPerMillionTokens: 0.1,
  },
} as const;

/** A model {@link EMBEDDING_MODELS} names. */
export type EmbeddingModel = keyof typeof EMBEDDING_MODELS;

/** The model `embed` uses when it names none: the cheapest, and it takes any dimensions up to 1,536. */
export const DEFAULT_EMBEDDING_MODEL: EmbeddingModel = 'text-embedding-3-small';

/**
 * The app setting holding the Azure OpenAI account's endpoint (`https://<custom subdomain>.openai.azure.com/`), set
 * by apply when a CrudApi embeds; under `atakora dev` it is absent (the local embedder) unless it names a stand-in.
 *
 * @example
 * ```ts
 * const endpoint = process.env[OPENAI_ENDPOINT_SETTING]; // 'https://oai-notes-prod-k3x9a1.openai.azure.com/'
 * ```
 */
export const OPENAI_ENDPOINT_SETTING = 'ATAKORA_OPENAI_ENDPOINT';

/** The plan's key of the backend's one Azure OpenAI account. */
export const OPENAI_KEY = 'openai:shared';

/**
 * Whether `name` is a model of {@link EMBEDDING_MODELS}.
 *
 * @example
 * ```ts
 * isEmbeddingModel('text-embedding-3-small'); // true
 * ```
 */
export function isEmbeddingModel(name: unknown): name is EmbeddingModel {
  return typeof name === 'string' && Object.hasOwn(EMBEDDING_MODELS, name);
}
