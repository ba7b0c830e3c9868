/**
 * What turns a search's text into its query vector, for a CrudApi that declares `search.vector.embed`: given the
 * text, the vector of the CrudApi's declared dimensions (the embedding deployment's answer). The search route takes
 * one optionally; without one, a vector or hybrid search must send its `vector`.
 *
 * @example
 * ```ts
 * const embed: QueryEmbedder = async (text) => (await openai.embeddings.create({ model, input: text })).data[0]!.embedding;
 * ```
 */
export type QueryEmbedder = (text: string) => Promise<number[]>;
