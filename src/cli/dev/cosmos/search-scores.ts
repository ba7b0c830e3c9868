/**
 * The scoring functions of Cosmos DB's full-text, vector and hybrid search as the local server computes them (Learn,
 * "FULLTEXTSCORE": a BM25 score; "VECTORDISTANCE": cosine and dot product similarity, euclidean distance; "RRF":
 * reciprocal rank fusion, Learn "Hybrid search"), over the items a query's other conditions let through. What Azure
 * adds and this leaves out: stemming and stop words of the language (words match as they are, lower-cased), and
 * statistics over the whole container (here: over the items the query's confinement admits).
 */

/** BM25's parameters (the usual k1 and b: Robertson and Zaragoza, "The Probabilistic Relevance Framework"). */
const K1 = 1.2;
const B = 0.75;
/** RRF's constant (Learn, "Hybrid search": 1 / (k + rank), k = 60). */
export const RRF_K = 60;

/**
 * The words of a text as full-text search sees them here: runs of letters and digits, lower-cased.
 *
 * @example
 * ```ts
 * words('Login bug, again'); // ['login', 'bug', 'again']
 * ```
 */
export function words(text: unknown): string[] {
  return typeof text === 'string' ? (text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? []) : [];
}

/**
 * Whether a field holds all (`all`) or any of the words of the terms (FullTextContainsAll/Any; FullTextContains is
 * one term, all of its words).
 *
 * @example
 * ```ts
 * containsWords('Login bug', ['bug', 'crash'], 'any'); // true
 * ```
 */
export function containsWords(
  field: unknown,
  terms: readonly string[],
  how: 'all' | 'any',
): boolean {
  const have = new Set(words(field));
  const want = terms.flatMap(words);
  if (want.length === 0) return false;
  return how === 'all' ? want.every((w) => have.has(w)) : want.some((w) => have.has(w));
}

/**
 * BM25 of each document's field for the terms, the statistics (document count, average length, document frequency)
 * taken over `fields` themselves.
 *
 * @example
 * ```ts
 * bm25(['login bug', 'other'], ['bug']); // [0.68…, 0]
 * ```
 */
export function bm25(fields: readonly unknown[], terms: readonly string[]): number[] {
  const docs = fields.map(words);
  const n = docs.length;
  const avg = docs.reduce((s, d) => s + d.length, 0) / Math.max(n, 1);
  const query = [...new Set(terms.flatMap(words))];
  const idf = new Map(
    query.map((t) => {
      const df = docs.filter((d) => d.includes(t)).length;
      return [t, Math.log(1 + (n - df + 0.5) / (df + 0.5))] as const;
    }),
  );
  return docs.map((d) => {
    let score = 0;
    for (const t of query) {
      const tf = d.filter((w) => w === t).length;
      if (tf === 0) continue;
      const norm = avg === 0 ? 1 : 1 - B + (B * d.length) / avg;
      score += (idf.get(t) ?? 0) * ((tf * (K1 + 1)) / (tf + K1 * norm));
    }
    return score;
  });
}

/** A vector distance function Cosmos DB declares (`distanceFunction`). */
export type Distance = 'cosine' | 'dotproduct' | 'euclidean';

/**
 * VectorDistance of two vectors: cosine similarity, dot product, or euclidean distance; undefined when either is not
 * an array of numbers of the same length (or a cosine of a zero vector).
 *
 * @example
 * ```ts
 * vectorDistance([1, 0], [1, 0], 'cosine'); // 1
 * ```
 */
export function vectorDistance(a: unknown, b: unknown, how: Distance): number | undefined {
  if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length || a.length === 0)
    return undefined;
  if (!a.every((x) => typeof x === 'number') || !b.every((x) => typeof x === 'number'))
    return undefined;
  const x = a;
  const y = b;
  let dot = 0;
  let nx = 0;
  let ny = 0;
  let sq = 0;
  for (let i = 0; i < x.length; i++) {
    const p = x[i] ?? 0;
    const q = y[i] ?? 0;
    dot += p * q;
    nx += p * p;
    ny += q * q;
    sq += (p - q) * (p - q);
  }
  if (how === 'dotproduct') return dot;
  if (how === 'euclidean') return Math.sqrt(sq);
  return nx === 0 || ny === 0 ? undefined : dot / Math.sqrt(nx * ny);
}

/** Whether a larger value ranks first: similarities do, a euclidean distance does not. */
export const largerFirst = (how: Distance | 'bm25'): boolean => how !== 'euclidean';

/**
 * The 1-based rank of each scored document (undefined scores unranked; ties in the order given), best first.
 *
 * @example
 * ```ts
 * ranks([0.2, undefined, 0.9], true); // [2, undefined, 1]
 * ```
 */
export function ranks(
  scores: readonly (number | undefined)[],
  desc: boolean,
): (number | undefined)[] {
  const order = scores
    .map((s, i) => ({ s, i }))
    .filter((e): e is { s: number; i: number } => e.s !== undefined)
    .sort((p, q) => (desc ? q.s - p.s : p.s - q.s) || p.i - q.i);
  const out: (number | undefined)[] = scores.map(() => undefined);
  order.forEach((e, r) => (out[e.i] = r + 1));
  return out;
}
