/**
 * The reference of search and aggregates (DESIGN §2 "Search and aggregates on a CrudApi"), over the model's state:
 * who may see what is the model's `list` (tenant, access rules, owner rule), and what a search ranks or an aggregate
 * counts is computed here from those items alone.
 *
 * - search: the caller's visible items, scored by BM25 over `name` as the dev layer documents it
 *   (src/cli/dev/cosmos/search-scores.ts: words are lower-cased runs of letters and digits, k1 1.2, b 0.75, the
 *   statistics over the items the caller's confinement admits), an item none of whose words match left out, best
 *   first, ties by id; vector ranks the items holding a vector (`ModelSide.vectors`: the run's creates send them)
 *   by cosine similarity to the query's, largest first — an item without one, or with a zero vector, unranked —;
 *   hybrid is RRF (k 60) of the two rankings, each in id order among equals as the dev layer ranks them. Each item
 *   is as its GET gives it — **without its vector** — with `score` = 1 / (60 + its rank) in text and hybrid modes
 *   (search-items.ts: Cosmos DB never projects FullTextScore), the similarity in vector mode; with `select`, only
 *   `id`, the partition key and the fields named (the vector too when named), as a list's `$select`.
 * - aggregates: `groupby` over the stored values of the visible items (as `$filter` reads them: an item stored
 *   before `status` had its default groups under no status), `$count`, `min`/`max` of strings; groups sorted by
 *   their fields, an absent value first (Cosmos DB's order of types).
 * - a body or `$apply` the CrudApi cannot serve is a 400 problem, after the admission and the rules (403 first).
 */
import { isolated, SEARCHED, type ModelBackend, type Principal } from './backend.js';
import {
  decide,
  type Expected,
  entityAt,
  type Item,
  list,
  type ModelState,
  shown,
} from './reference-model.js';

/** What the reference needs of a search body: its words, vector, mode and `select` (validity is the request's). */
export interface SearchAsked {
  readonly mode: 'text' | 'vector' | 'hybrid';
  readonly text?: string;
  /** The query vector of vector and hybrid modes. */
  readonly vector?: readonly number[];
  /** The fields each item carries besides `id` and the partition key; all but the vector when absent. */
  readonly select?: readonly string[];
}

/** One aggregate of `$apply`, as the MCP tool takes it (`with: 'count'` is `$count`). */
export interface AggregateAsked {
  readonly as: string;
  readonly with: 'count' | 'min' | 'max' | 'sum';
  readonly field?: string;
}

/** The items of `entity` the caller may list, as stored (the model's list, before presentation), with their keys. */
function visibleEntries(
  b: ModelBackend,
  s: ModelState,
  p: Principal,
  entity: number,
): { key: string; item: Item }[] | Expected {
  const listed = list(b, s, p, entity, [], false);
  if (listed.status !== 200) return listed;
  const e = entityAt(b, entity);
  const d = decide(b, e, 'list', p);
  const stored = [...s.items.entries()]
    .filter(([, v]) => v.entity === entity)
    .map(([key, v]) => ({ key, item: v.item }))
    .filter(
      ({ item: i }) =>
        (!isolated(e) || i.tenantId === p.tid) && (d === 'all' || i.ownerId === p.oid),
    );
  const shownCount = (listed.body as { items: unknown[] }).items.length;
  if (stored.length !== shownCount)
    throw new Error(
      `search-reference: ${stored.length} stored items where list shows ${shownCount}`,
    );
  return stored;
}

/** The items of `entity` the caller may list, as stored (the model's list, before presentation). */
export function visibleStored(
  b: ModelBackend,
  s: ModelState,
  p: Principal,
  entity: number,
): Item[] | Expected {
  const entries = visibleEntries(b, s, p, entity);
  return Array.isArray(entries) ? entries.map((x) => x.item) : entries;
}

/** Cosine similarity as `VectorDistance` computes it (the dev layer's search-scores.ts); undefined when unranked. */
function cosine(a: readonly number[] | undefined, q: readonly number[]): number | undefined {
  if (a === undefined || a.length !== q.length || a.length === 0) return undefined;
  let dot = 0;
  let na = 0;
  let nq = 0;
  for (let i = 0; i < a.length; i++) {
    dot += (a[i] ?? 0) * (q[i] ?? 0);
    na += (a[i] ?? 0) ** 2;
    nq += (q[i] ?? 0) ** 2;
  }
  return na === 0 || nq === 0 ? undefined : dot / Math.sqrt(na * nq);
}

/** 1-based ranks of defined scores, largest first, ties in the order given (the rows' id order). */
function ranksOf(scores: readonly (number | undefined)[]): (number | undefined)[] {
  const order = scores
    .map((v, i) => ({ v, i }))
    .filter((x): x is { v: number; i: number } => x.v !== undefined)
    .sort((x, y) => y.v - x.v || x.i - y.i);
  const out: (number | undefined)[] = scores.map(() => undefined);
  order.forEach((x, r) => (out[x.i] = r + 1));
  return out;
}

/** An item as a search answers it: its GET's form, less the vector unless `select` names it, cut to `select`. */
function answered(
  b: ModelBackend,
  e: ReturnType<typeof entityAt>,
  item: Item,
  vector: readonly number[] | undefined,
  p: Principal,
  select: readonly string[] | undefined,
): Record<string, unknown> {
  const shownItem: Record<string, unknown> = { ...shown(b, e, item, p) };
  if (select === undefined) return shownItem;
  if (vector !== undefined && select.includes(SEARCHED.vector)) shownItem[SEARCHED.vector] = vector;
  const keep = new Set(['id', e.key, ...select]);
  return Object.fromEntries(Object.entries(shownItem).filter(([k]) => keep.has(k)));
}

/** Words as full-text search sees them (DESIGN's local layer): lower-cased runs of letters and digits. */
export function wordsOf(v: unknown): string[] {
  return typeof v === 'string' ? (v.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? []) : [];
}

/** BM25 (k1 1.2, b 0.75) of each item's field for the query's distinct words, statistics over `items`. */
function bm25(items: readonly Item[], field: string, words: readonly string[]): number[] {
  const docs = items.map((i) => wordsOf(i[field]));
  const n = docs.length;
  const avg = docs.reduce((sum, d) => sum + d.length, 0) / Math.max(n, 1);
  const idf = words.map((t) => {
    const df = docs.filter((d) => d.includes(t)).length;
    return Math.log(1 + (n - df + 0.5) / (df + 0.5));
  });
  return docs.map((d) => {
    let score = 0;
    words.forEach((t, k) => {
      const tf = d.filter((w) => w === t).length;
      if (tf === 0) return;
      const norm = avg === 0 ? 1 : 1 - 0.75 + (0.75 * d.length) / avg;
      score += (idf[k] ?? 0) * ((tf * 2.2) / (tf + 1.2 * norm));
    });
    return score;
  });
}

/** A ranked answer: the items best first (as the caller's GET gives them), each run of one id and score unordered. */
export interface Ranked {
  readonly items: readonly Record<string, unknown>[];
  /** Per item, the key that orders it: items of equal key (one id in two partitions) may come in either order. */
  readonly ties: readonly string[];
  /** Vector mode: each item's score (its similarity). */
  readonly scores?: readonly number[];
}

/**
 * What a valid search answers over all its pages, or the refusal of the caller.
 *
 * @example
 * ```ts
 * const r = expectedSearch(b, state, alice, 0, { mode: 'text', text: 'x' });
 * ```
 */
export function expectedSearch(
  b: ModelBackend,
  s: ModelState,
  p: Principal,
  entity: number,
  asked: SearchAsked,
  vectors: ReadonlyMap<string, readonly number[]> = new Map(),
): Ranked | Expected {
  const entries = visibleEntries(b, s, p, entity);
  if (!Array.isArray(entries)) return entries;
  // The rows in id order, as the dev layer ranks them (its ties within one scoring function go by id).
  const rows = [...entries].sort((x, y) =>
    x.item.id! < y.item.id! ? -1 : x.item.id! > y.item.id! ? 1 : 0,
  );
  const words = [...new Set(wordsOf(asked.text))];
  const text =
    asked.mode === 'vector'
      ? rows.map(() => undefined)
      : bm25(
          rows.map((r) => r.item),
          SEARCHED.text,
          words,
        ).map((v) => (v > 0 ? v : undefined));
  const vec =
    asked.mode === 'text'
      ? rows.map(() => undefined)
      : rows.map((r) => cosine(vectors.get(r.key), asked.vector ?? []));
  const textRanks = ranksOf(text);
  const vecRanks = ranksOf(vec);
  const fused = rows.map((_, i) => {
    const parts = [textRanks[i], vecRanks[i]].filter((r): r is number => r !== undefined);
    return parts.length ? parts.reduce((sum, r) => sum + 1 / (60 + r), 0) : undefined;
  });
  const score = asked.mode === 'text' ? text : asked.mode === 'vector' ? vec : fused;
  const e = entityAt(b, entity);
  const ranked = rows
    .map((row, k) => ({ row, score: score[k], t: text[k], v: vec[k] }))
    .filter((x): x is typeof x & { score: number } => x.score !== undefined)
    .sort(
      (x, y) =>
        y.score - x.score ||
        (x.row.item.id! < y.row.item.id! ? -1 : x.row.item.id! > y.row.item.id! ? 1 : 0),
    );
  return {
    items: ranked.map((x) => answered(b, e, x.row.item, vectors.get(x.row.key), p, asked.select)),
    ties: ranked.map((x) => JSON.stringify([x.t ?? null, x.v ?? null, x.row.item.id])),
    ...(asked.mode === 'vector' ? { scores: ranked.map((x) => x.score) } : {}),
  };
}

/** Cosmos DB's order of an absent value and strings: absent first. */
function compareValues(a: string | undefined, c: string | undefined): number {
  if (a === c) return 0;
  if (a === undefined) return -1;
  if (c === undefined) return 1;
  return a < c ? -1 : 1;
}

/**
 * What a valid `$apply` answers: one row a group of the visible stored items, its fields (absent when the group's
 * items lack it) and aggregates (`min`/`max` absent when no item of the group has a value), sorted by the fields.
 *
 * @example
 * ```ts
 * expectedAggregate(b, state, alice, 0, ['status'], [{ as: 'count', with: 'count' }]);
 * ```
 */
export function expectedAggregate(
  b: ModelBackend,
  s: ModelState,
  p: Principal,
  entity: number,
  fields: readonly string[],
  aggregates: readonly AggregateAsked[],
): Expected {
  const stored = visibleStored(b, s, p, entity);
  if (!Array.isArray(stored)) return stored;
  const groups = new Map<string, Item[]>();
  for (const item of stored) {
    const key = JSON.stringify(fields.map((f) => item[f] ?? null));
    groups.set(key, [...(groups.get(key) ?? []), item]);
  }
  const rows = [...groups.values()].map((members) => {
    const row: Record<string, unknown> = {};
    for (const f of fields) if (members[0]![f] !== undefined) row[f] = members[0]![f];
    for (const a of aggregates) {
      if (a.with === 'count') row[a.as] = members.length;
      else {
        const values = members
          .map((m) => m[a.field!])
          .filter((v) => v !== undefined)
          .sort();
        const v = a.with === 'min' ? values[0] : values[values.length - 1];
        if (v !== undefined) row[a.as] = v;
      }
    }
    return { row, members };
  });
  rows.sort((x, y) => {
    for (const f of fields) {
      const d = compareValues(x.members[0]![f], y.members[0]![f]);
      if (d !== 0) return d;
    }
    return 0;
  });
  return { status: 200, body: { items: rows.map((r) => r.row) } };
}
