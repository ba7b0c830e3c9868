/**
 * The reference of search and aggregates (DESIGN §2 "Search and aggregates on a CrudApi"), over the model's state:
 * who may see what is the model's `list` (tenant, access rules, owner rule), and what a search ranks or an aggregate
 * counts is computed here from those items alone.
 *
 * - search: the caller's visible items, scored by BM25 over `name` as the dev layer documents it
 *   (src/cli/dev/cosmos/search-scores.ts: words are lower-cased runs of letters and digits, k1 1.2, b 0.75, the
 *   statistics over the items the caller's confinement admits), an item none of whose words match left out, best
 *   first, ties by id; hybrid is RRF (k 60) of that ranking and the vector's (no model item holds a vector: none);
 *   vector finds nothing. Each item is as its GET gives it, with `score` = 1 / (60 + its rank) in text and hybrid
 *   modes (search-items.ts: Cosmos DB never projects FullTextScore).
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

/** What the reference needs of a search body: its words and mode (validity is the request's own verdict). */
export interface SearchAsked {
  readonly mode: 'text' | 'vector' | 'hybrid';
  readonly text?: string;
}

/** One aggregate of `$apply`, as the MCP tool takes it (`with: 'count'` is `$count`). */
export interface AggregateAsked {
  readonly as: string;
  readonly with: 'count' | 'min' | 'max' | 'sum';
  readonly field?: string;
}

/** The items of `entity` the caller may list, as stored (the model's list, before presentation). */
export function visibleStored(
  b: ModelBackend,
  s: ModelState,
  p: Principal,
  entity: number,
): Item[] | Expected {
  const listed = list(b, s, p, entity, [], false);
  if (listed.status !== 200) return listed;
  const e = entityAt(b, entity);
  const d = decide(b, e, 'list', p);
  const stored = [...s.items.values()]
    .filter((v) => v.entity === entity)
    .map((v) => v.item)
    .filter((i) => (!isolated(e) || i.tenantId === p.tid) && (d === 'all' || i.ownerId === p.oid));
  const shownCount = (listed.body as { items: unknown[] }).items.length;
  if (stored.length !== shownCount)
    throw new Error(
      `search-reference: ${stored.length} stored items where list shows ${shownCount}`,
    );
  return stored;
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
  readonly items: readonly Item[];
  /** Per item, the key that orders it: items of equal key (one id in two partitions) may come in either order. */
  readonly ties: readonly string[];
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
): Ranked | Expected {
  const stored = visibleStored(b, s, p, entity);
  if (!Array.isArray(stored)) return stored;
  if (asked.mode === 'vector') return { items: [], ties: [] };
  const words = [...new Set(wordsOf(asked.text))];
  const scores = bm25(stored, SEARCHED.text, words);
  const e = entityAt(b, entity);
  const ranked = stored
    .map((item, k) => ({ item, score: scores[k] ?? 0 }))
    .filter((x) => x.score > 0)
    .sort(
      (x, y) =>
        y.score - x.score || (x.item.id! < y.item.id! ? -1 : x.item.id! > y.item.id! ? 1 : 0),
    );
  return {
    items: ranked.map((x) => shown(b, e, x.item, p)),
    ties: ranked.map((x) => JSON.stringify([x.score, x.item.id])),
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
