/**
 * Turns a text into its vector: the local deterministic embedder under `atakora dev`, Azure OpenAI's through the
 * official SDK in Azure or against a stand-in (embedder-of.ts).
 */
export interface Embedder {
  /** The text's vector, of the entity's declared dimensions; rejects with {@link EmbeddingError}. */
  embed(text: string): Promise<number[]>;
}

/**
 * Why an embedding failed: `'input'` — the service refused the text itself (over the model's 8,192 tokens, a
 * content filter: a 400 the client can fix, answered 400); `'unavailable'` — anything else (throttled after the
 * SDK's retries, a 5xx, no answer, the identity refused), answered 503 with `Retry-After`. The message names the
 * status and the service's code, never the text or a token.
 */
export class EmbeddingError extends Error {
  constructor(
    readonly kind: 'input' | 'unavailable',
    message: string,
  ) {
    super(message);
    this.name = 'EmbeddingError';
  }
}
