import type { Embedder } from './embed-types.js';

/** FNV-1a, 32 bits: a fast, stable hash (the same token lands in the same dimension on every machine). */
function fnv1a(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/**
 * The local deterministic embedder `atakora dev` uses when no `ATAKORA_OPENAI_ENDPOINT` names a stand-in: a hashed
 * bag of words — each lower-cased word, and each of its character trigrams at half weight (so "login" and "logins"
 * are near), adds ±1 to the dimension its hash picks — normalized to length 1. The same text always gives the same
 * vector, texts sharing words are closer by cosine than texts that share none; no network, no model. Its vectors
 * mean nothing to Azure OpenAI's: items embedded under dev are re-embedded by their next write in Azure.
 *
 * @example
 * ```ts
 * const v = await localEmbedder(8).embed('login fails'); // 8 numbers, length 1
 * ```
 */
export function localEmbedder(dimensions: number): Embedder {
  return { embed: (text) => Promise.resolve(localVector(text, dimensions)) };
}

/**
 * {@link localEmbedder}'s vector of `text`, synchronously.
 *
 * @example
 * ```ts
 * localVector('a b', 4).length; // 4
 * ```
 */
export function localVector(text: string, dimensions: number): number[] {
  const v = new Array<number>(dimensions).fill(0);
  const add = (feature: string, weight: number) => {
    const h = fnv1a(feature);
    v[h % dimensions]! += h & 0x80000000 ? -weight : weight;
  };
  for (const word of text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? []) {
    add(`w:${word}`, 1);
    const padded = `^${word}$`;
    for (let i = 0; i + 3 <= padded.length; i++) add(`t:${padded.slice(i, i + 3)}`, 0.5);
  }
  const norm = Math.hypot(...v);
  if (norm === 0) {
    // Nothing to hash (punctuation only): a fixed unit vector rather than zeros (cosine of zeros is undefined).
    v[0] = 1;
    return v;
  }
  return v.map((x) => x / norm);
}
