/**
 * A search's ranking computed straight from the items (the test's truth, written apart from the local server's
 * search-scores.ts): words lower-cased runs of letters and digits; BM25 (k1 1.2, b 0.75, statistics over the items
 * given); cosine similarity; RRF with k = 60 over per-function ranks (Learn, "Hybrid search"); ties by id.
 */
type Item = Record<string, unknown> & { id: string };

const tokens = (v: unknown): string[] =>
  typeof v === 'string' ? (v.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? []) : [];

function bm25Of(items: readonly Item[], field: string, terms: readonly string[]): number[] {
  const docs = items.map((i) => tokens(i[field]));
  const n = docs.length;
  const avg = docs.reduce((s, d) => s + d.length, 0) / Math.max(n, 1);
  const q = [...new Set(terms)];
  return docs.map((d) => {
    let s = 0;
    for (const t of q) {
      const df = docs.filter((x) => x.includes(t)).length;
      const idf = Math.log(1 + (n - df + 0.5) / (df + 0.5));
      const tf = d.filter((w) => w === t).length;
      if (tf === 0) continue;
      const norm = avg === 0 ? 1 : 1 - 0.75 + (0.75 * d.length) / avg;
      s += idf * ((tf * (1.2 + 1)) / (tf + 1.2 * norm));
    }
    return s;
  });
}

function cosine(a: readonly number[], b: readonly number[]): number | undefined {
  let dot = 0;
  let na = 0;
  let nb = 0;
  for (let i = 0; i < a.length; i++) {
    const x = a[i] ?? 0;
    const y = b[i] ?? 0;
    dot += x * y;
    na += x * x;
    nb += y * y;
  }
  return na === 0 || nb === 0 ? undefined : dot / Math.sqrt(na * nb);
}

/** Ids best first by score (undefined and, for text, zero left out), ties by id. */
function order(items: readonly Item[], scores: readonly (number | undefined)[]): string[] {
  return items
    .map((i, k) => ({ id: i.id, s: scores[k] }))
    .filter((e): e is { id: string; s: number } => e.s !== undefined)
    .sort((p, q) => q.s - p.s || (p.id < q.id ? -1 : p.id > q.id ? 1 : 0))
    .map((e) => e.id);
}

function rrf(items: readonly Item[], lists: readonly string[][]): string[] {
  const fused = items.map((i) => {
    let sum: number | undefined;
    for (const l of lists) {
      const r = l.indexOf(i.id);
      if (r >= 0) sum = (sum ?? 0) + 1 / (60 + r + 1);
    }
    return sum;
  });
  return order(items, fused);
}

/**
 * The ids a search answers, best first, over `items` (already the caller's: tenant, owner rule, filter).
 *
 * @example
 * ```ts
 * searchReference(items, { mode: 'text', terms: ['login'], fields: ['title', 'body'] });
 * ```
 */
export function searchReference(
  items: readonly Item[],
  s: {
    mode: 'text' | 'vector' | 'hybrid';
    terms?: readonly string[];
    vector?: readonly number[];
    fields: readonly string[];
    vectorField?: string;
  },
): string[] {
  const terms = s.terms ?? [];
  const textLists = s.fields.map((f) =>
    order(
      items,
      bm25Of(items, f, terms).map((x) => (x > 0 ? x : undefined)),
    ),
  );
  const vf = s.vectorField ?? 'embedding';
  const vectorList = order(
    items,
    items.map((i) =>
      Array.isArray(i[vf]) ? cosine(i[vf] as number[], s.vector ?? []) : undefined,
    ),
  );
  if (s.mode === 'vector') return vectorList;
  if (s.mode === 'hybrid') return rrf(items, [...textLists, vectorList]);
  // Text: the items holding any term in any field, fused over the fields when there are several.
  const matching = items.filter((i) =>
    s.fields.some((f) => tokens(i[f]).some((w) => terms.includes(w))),
  );
  return s.fields.length === 1 ? (textLists[0] ?? []) : rrf(matching, textLists);
}
