import { keyword, splitCommas, topLevel, walkQuery, type SplitGroupBy } from './group-by-query.js';
import {
  bm25,
  containsWords,
  type Distance,
  largerFirst,
  ranks,
  RRF_K,
  vectorDistance,
} from './search-scores.js';

/**
 * The search queries `@vercel/cosmosdb-server` cannot parse (its engine knows no FullTextContains*, FullTextScore,
 * VectorDistance, RRF, ORDER BY RANK nor OFFSET LIMIT), split as GROUP BY's are (group-by-query.ts): the rows its
 * engine selects — every item the query's other WHERE conditions admit — and how they are filtered by the
 * full-text conditions, scored (search-scores.ts), ordered (best first, ties by id), paged and projected. The
 * syntax is Learn's: `SELECT [TOP n] <columns> FROM c [WHERE …] ORDER BY [RANK] <score> [OFFSET n LIMIT m]`, a
 * score being `FullTextScore(path, term, …)`, `VectorDistance(path, vector[, bool, {distanceFunction}])` or
 * `RRF(score, score, …[, [weights]])`; a full-text condition stands as a top-level AND term of the WHERE (alone,
 * or ORs of such conditions).
 */

type Args = readonly string[];
type Scored = readonly Record<string, unknown>[];
type Params = ReadonlyMap<string, unknown>;

/** A function call `NAME(args…)` at the whole of `text`, or undefined. */
function call(text: string): { name: string; args: string[] } | undefined {
  const m = /^\s*([A-Za-z_]+)\s*\(([\s\S]*)\)\s*$/.exec(text);
  if (!m || !balanced(m[2] ?? '')) return undefined;
  return { name: (m[1] ?? '').toUpperCase(), args: splitCommas(m[2] ?? '') };
}

/** Whether no bracket of `text` closes one opened before it (strings skipped): `a(b) c` is, `a) (b` is not. */
function balanced(text: string): boolean {
  const { lowest, end } = walkQuery(text);
  return lowest >= 0 && end === 0;
}

/** A value of the query: a parameter, a string, a number, an array or object literal. */
function value(text: string, params: Params): unknown {
  const t = text.trim();
  if (t.startsWith('@')) {
    if (!params.has(t)) throw new Error(`The query names ${t} but no parameter of that name.`);
    return params.get(t);
  }
  if (/^'.*'$/s.test(t)) return t.slice(1, -1);
  return JSON.parse(t.replace(/'/g, '"')) as unknown;
}

/** A document's property at a path written `c.a`, `c["a"]` or `c['a']` (the alias is the FROM's). */
function path(text: string): (doc: Record<string, unknown>) => unknown {
  const steps: string[] = [];
  const rest = text.trim().replace(/^[A-Za-z_]\w*/, '');
  const re = /\.([A-Za-z_]\w*)|\[\s*["']([^"']+)["']\s*\]/y;
  let m: RegExpExecArray | null;
  while (re.lastIndex < rest.length && (m = re.exec(rest))) steps.push(m[1] ?? m[2] ?? '');
  if (re.lastIndex !== rest.length || steps.length === 0)
    throw new Error(`"${text}" is not a property path.`);
  return (doc) =>
    steps.reduce<unknown>(
      (v, k) =>
        v && typeof v === 'object' && Object.hasOwn(v, k)
          ? (v as Record<string, unknown>)[k]
          : undefined,
      doc,
    );
}

/** A full-text condition of the WHERE: FullTextContains*, or ORs / ANDs of them, evaluated on a document. */
function condition(text: string, params: Params): (doc: Record<string, unknown>) => boolean {
  let t = text.trim();
  while (t.startsWith('(') && t.endsWith(')') && call(`f${t}`)) t = t.slice(1, -1).trim();
  for (const op of ['OR', 'AND'] as const) {
    const cuts = topLevel(
      t,
      (i) => new RegExp(`${op}\\s`, 'iy').test(t.slice(i)) && /\s/.test(t.charAt(i - 1)),
    );
    if (cuts.length) {
      const parts = [0, ...cuts].map((c, i) =>
        t.slice(i === 0 ? 0 : c + op.length, cuts[i] ?? t.length),
      );
      const each = parts.map((p) => condition(p, params));
      return op === 'OR' ? (d) => each.some((f) => f(d)) : (d) => each.every((f) => f(d));
    }
  }
  const c = call(t);
  const how = {
    FULLTEXTCONTAINS: 'all',
    FULLTEXTCONTAINSALL: 'all',
    FULLTEXTCONTAINSANY: 'any',
  } as const;
  if (!c || !(c.name in how) || c.args.length < 2)
    throw new Error(
      `"${t}": a full-text condition here is FullTextContains*(path, term, …) or ORs of them.`,
    );
  const field = path(c.args[0] ?? '');
  const terms = c.args.slice(1).map((a) => String(value(a, params)));
  return (d) => containsWords(field(d), terms, how[c.name as keyof typeof how]);
}

/** A score expression's value per document (undefined: unranked) and whether larger ranks first. */
function score(
  text: string,
  docs: Scored,
  params: Params,
): { values: (number | undefined)[]; desc: boolean } {
  const c = call(text);
  if (c?.name === 'FULLTEXTSCORE') {
    const field = path(c.args[0] ?? '');
    const terms = c.args.slice(1).map((a) => String(value(a, params)));
    // A document none of whose words match is no full-text result (it takes no rank in an RRF).
    return { values: bm25(docs.map(field), terms).map((s) => (s > 0 ? s : undefined)), desc: true };
  }
  if (c?.name === 'VECTORDISTANCE') return vectorScores(c.args, docs, params);
  if (c?.name === 'RRF') {
    const last = c.args[c.args.length - 1] ?? '';
    const weighted =
      last.trim().startsWith('[') ||
      (last.trim().startsWith('@') && Array.isArray(value(last, params)));
    const weights = weighted ? (value(last, params) as number[]) : [];
    const parts = (weighted ? c.args.slice(0, -1) : c.args).map((a) => score(a, docs, params));
    const fused = docs.map((_, i) => {
      let sum: number | undefined;
      parts.forEach((p, j) => {
        const r = ranks(p.values, p.desc)[i];
        if (r !== undefined) sum = (sum ?? 0) + (weights[j] ?? 1) / (RRF_K + r);
      });
      return sum;
    });
    return { values: fused, desc: true };
  }
  throw new Error(`"${text}" is not a scoring function (FullTextScore, VectorDistance, RRF).`);
}

function vectorScores(args: Args, docs: Scored, params: Params) {
  const field = path(args[0] ?? '');
  const against = value(args[1] ?? 'null', params);
  const options =
    args[3] === undefined ? {} : (value(args[3], params) as { distanceFunction?: string });
  const how = (options.distanceFunction ?? 'cosine').toLowerCase() as Distance;
  return {
    values: docs.map((d) => vectorDistance(field(d), against, how)),
    desc: largerFirst(how),
  };
}

/**
 * Split a search query, or undefined when the text has no top-level `ORDER BY RANK` or `ORDER BY VectorDistance`.
 * A search query this server cannot serve throws, to be answered as a 400.
 *
 * @example
 * ```ts
 * const split = splitSearch('SELECT c AS item FROM c WHERE c.t = @t ORDER BY RANK FullTextScore(c.body, @s0) OFFSET 0 LIMIT 10');
 * // split.rows: 'SELECT * FROM c WHERE c.t = @t'
 * ```
 */
export function splitSearch(text: string): SplitGroupBy | undefined {
  const order = keyword(text, /ORDER\s+BY\s+(RANK\s|VECTORDISTANCE\s*\()/iy);
  if (order === undefined) return undefined;
  const from = keyword(text, /FROM\s/iy);
  if (!/^\s*SELECT\s/i.test(text) || from === undefined || from > order)
    throw new Error('A search query is SELECT … FROM c [WHERE …] ORDER BY [RANK] ….');
  let head = text.slice(0, from).replace(/^\s*SELECT\s+/i, '');
  const top = /^TOP\s+(\S+)\s+/i.exec(head);
  if (top) head = head.slice(top[0].length);
  const alias = /^FROM\s+([A-Za-z_]\w*)/i.exec(text.slice(from))?.[1] ?? 'c';
  const whereAt = keyword(text.slice(0, order), /WHERE\s/iy);
  const where = whereAt === undefined ? '' : text.slice(whereAt + 5, order).trim();
  const conj = splitAnd(where);
  const engine = conj.filter((c) => !/FULLTEXTCONTAINS/i.test(c));
  const fullText = conj.filter((c) => /FULLTEXTCONTAINS/i.test(c));
  let tail = text.slice(order).replace(/^ORDER\s+BY\s+(RANK\s+)?/i, '');
  const offsetAt = keyword(tail, /OFFSET\s/iy);
  const page =
    offsetAt === undefined
      ? undefined
      : /^OFFSET\s+(\S+)\s+LIMIT\s+(\S+)\s*$/i.exec(tail.slice(offsetAt));
  if (offsetAt !== undefined && !page) throw new Error('OFFSET takes a LIMIT: OFFSET n LIMIT m.');
  if (offsetAt !== undefined) tail = tail.slice(0, offsetAt);
  const fromText = `FROM ${alias}`;
  return {
    rows: `SELECT * ${fromText}${engine.length ? ` WHERE ${engine.join(' AND ')}` : ''}`,
    fold(found, params) {
      // The full-text conditions first; the scores' statistics are over the items the other conditions admit.
      const conds = fullText.map((c) => condition(c, params));
      // In id order, so items of one score rank by id in each scoring function too (an RRF fuses those ranks):
      // ties go by id in every mode, never by where the engine happens to store the items.
      const rows = [...found].sort(byId);
      const scored = score(tail.trim(), rows, params);
      const kept = rows
        .map((doc, i) => ({ doc, s: scored.values[i] }))
        .filter(
          (e): e is { doc: Record<string, unknown>; s: number } =>
            e.s !== undefined && conds.every((f) => f(e.doc)),
        )
        .sort((p, q) => (scored.desc ? q.s - p.s : p.s - q.s) || byId(p.doc, q.doc));
      const skip = page ? Number(value(page[1] ?? '0', params)) : 0;
      const take = Math.min(
        page ? Number(value(page[2] ?? '0', params)) : Infinity,
        top ? Number(value(top[1] ?? '0', params)) : Infinity,
      );
      return kept.slice(skip, skip + take).map((e) => project(head, alias, e.doc, params));
    },
  };
}

function byId(a: Record<string, unknown>, b: Record<string, unknown>): number {
  const x = `${String(a['id'])}\u0000${String(a['_rid'])}`;
  const y = `${String(b['id'])}\u0000${String(b['_rid'])}`;
  return x < y ? -1 : x > y ? 1 : 0;
}

function splitAnd(where: string): string[] {
  if (!where) return [];
  const cuts = topLevel(
    where,
    (i) => /AND\s/iy.test(where.slice(i)) && /\s/.test(where.charAt(i - 1)),
  );
  return [0, ...cuts].map((c, i) =>
    where.slice(i === 0 ? 0 : c + 3, cuts[i] ?? where.length).trim(),
  );
}

/** The row a document answers: `*` the document, else each `expr AS name` (the alias, a path, a VectorDistance). */
function project(
  head: string,
  alias: string,
  doc: Record<string, unknown>,
  params: Params,
): Record<string, unknown> {
  if (head.trim() === '*') return doc;
  const out: Record<string, unknown> = {};
  for (const col of splitCommas(head)) {
    const m = /^([\s\S]*?)\s+AS\s+([A-Za-z_]\w*)$/i.exec(col);
    const expr = (m?.[1] ?? col).trim();
    const name =
      m?.[2] ??
      expr
        .split(/[.[\]"']/)
        .filter(Boolean)
        .pop() ??
      expr;
    const c = call(expr);
    const v =
      expr === alias
        ? doc
        : c?.name === 'VECTORDISTANCE'
          ? vectorScores(c.args, [doc], params).values[0]
          : path(expr)(doc);
    if (v !== undefined) out[name] = v;
  }
  return out;
}
