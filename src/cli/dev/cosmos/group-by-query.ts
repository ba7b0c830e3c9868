/**
 * The GROUP BY queries `@vercel/cosmosdb-server` cannot parse (its engine, `@zeit/cosmosdb-query` 0.7, has no GROUP
 * BY), split so that it can answer them: the rows it can select (`SELECT VALUE { "k0": …, "v0": … } FROM … WHERE …`)
 * and how to fold them into groups as Azure does (Learn, "GROUP BY (NoSQL query)" and the aggregate functions' pages:
 * an undefined argument is skipped; SUM and AVG of any non-number are undefined; MIN and MAX compare in Cosmos DB's
 * order of types; a group of items lacking a grouped property leaves it out of the row).
 */

/** One column of the SELECT: a grouped expression, or an aggregate of an expression. */
interface Column {
  readonly alias: string;
  readonly fn?: 'COUNT' | 'SUM' | 'MIN' | 'MAX' | 'AVG';
  readonly expr: string;
}

/** A GROUP BY query split into what the local engine runs and how its rows fold. */
export interface SplitGroupBy {
  /** The row query: every grouped expression and aggregate argument of one item, from the same FROM and WHERE. */
  readonly rows: string;
  fold(
    rows: readonly Record<string, unknown>[],
    parameters: ReadonlyMap<string, unknown>,
  ): Record<string, unknown>[];
}

/**
 * Walk a query text outside its strings: `visit` each character that is no bracket with the bracket depth it stands
 * at; the lowest depth reached (below 0: a bracket closed one never opened) and the depth at the end.
 *
 * @example
 * ```ts
 * walkQuery('a) (b'); // { lowest: -1, end: 0 }
 * ```
 */
export function walkQuery(
  text: string,
  visit: (i: number, depth: number) => void = () => undefined,
): { readonly lowest: number; readonly end: number } {
  let depth = 0;
  let lowest = 0;
  for (let i = 0; i < text.length; i++) {
    const ch = text.charAt(i);
    if (ch === '"' || ch === "'") {
      const end = text.indexOf(ch, i + 1);
      i = end < 0 ? text.length : end;
    } else if ('([{'.includes(ch)) depth++;
    else if (')]}'.includes(ch)) lowest = Math.min(lowest, --depth);
    else visit(i, depth);
  }
  return { lowest, end: depth };
}

/** Top-level pieces of a query text: strings, brackets and parentheses are skipped over, never split. */
export function topLevel(text: string, at: (i: number) => boolean): number[] {
  const hits: number[] = [];
  walkQuery(text, (i, depth) => {
    if (depth === 0 && at(i)) hits.push(i);
  });
  return hits;
}

/** Where a keyword first stands at the top level of a query text (after a space or at the start). */
export function keyword(text: string, word: RegExp): number | undefined {
  return topLevel(text, (i) => {
    word.lastIndex = i;
    return word.test(text) && (i === 0 || /\s/.test(text.charAt(i - 1)));
  })[0];
}

/** The top-level comma-separated pieces of a query text, trimmed. */
export function splitCommas(text: string): string[] {
  const cuts = topLevel(text, (i) => text.charAt(i) === ',');
  const out: string[] = [];
  let from = 0;
  for (const c of [...cuts, text.length]) {
    out.push(text.slice(from, c).trim());
    from = c + 1;
  }
  return out;
}

function column(text: string): Column {
  const as = /^(.*)\s+AS\s+([A-Za-z_][A-Za-z0-9_]*)$/is.exec(text);
  if (!as) throw new Error(`Each column of a GROUP BY query needs an alias (AS name): "${text}".`);
  const expr = (as[1] ?? '').trim();
  const call = /^(COUNT|SUM|MIN|MAX|AVG)\s*\((.*)\)$/is.exec(expr);
  if (!call) return { alias: as[2] ?? '', expr };
  return {
    alias: as[2] ?? '',
    fn: (call[1] ?? '').toUpperCase() as Column['fn'],
    expr: (call[2] ?? '').trim(),
  };
}

const rank = (v: unknown): number =>
  v === undefined
    ? 0
    : v === null
      ? 1
      : typeof v === 'boolean'
        ? 2
        : typeof v === 'number'
          ? 3
          : typeof v === 'string'
            ? 4
            : 5;

function compare(a: unknown, b: unknown): number {
  const d = rank(a) - rank(b);
  if (d !== 0) return d;
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  if (typeof a === 'boolean' && typeof b === 'boolean') return Number(a) - Number(b);
  return String(a) < String(b) ? -1 : String(a) > String(b) ? 1 : 0;
}

function aggregate(fn: NonNullable<Column['fn']>, values: readonly unknown[]): unknown {
  const defined = values.filter((v) => v !== undefined);
  if (fn === 'COUNT') return defined.length;
  if (fn === 'SUM' || fn === 'AVG') {
    if (defined.some((v) => typeof v !== 'number')) return undefined;
    const sum = (defined as number[]).reduce((s, n) => s + n, 0);
    return fn === 'SUM' ? sum : defined.length ? sum / defined.length : undefined;
  }
  const scalar = defined.filter((v) => rank(v) < 5);
  if (scalar.length === 0) return undefined;
  const sorted = [...scalar].sort(compare);
  return fn === 'MIN' ? sorted[0] : sorted[sorted.length - 1];
}

/**
 * Split `SELECT <columns> FROM <from> [WHERE <condition>] GROUP BY <expressions>` (the subset Azure serves: no ORDER
 * BY, no VALUE with GROUP BY, each column a grouped expression or an aggregate, with an alias), or undefined when the
 * text has no top-level GROUP BY. A query GROUP BY cannot serve in Azure throws, to be answered as a 400.
 *
 * @example
 * ```ts
 * const split = splitGroupBy('SELECT c.status AS s, COUNT(1) AS n FROM c GROUP BY c.status');
 * // split.rows: 'SELECT VALUE {"k0": c.status, "v1": 1} FROM c'
 * ```
 */
export function splitGroupBy(text: string): SplitGroupBy | undefined {
  const group = keyword(text, /GROUP\s+BY\s/iy);
  if (group === undefined) return undefined;
  const from = keyword(text, /FROM\s/iy);
  if (!/^\s*SELECT\s/i.test(text) || from === undefined || from > group)
    throw new Error('A GROUP BY query is SELECT … FROM … [WHERE …] GROUP BY ….');
  const head = text.slice(0, from).replace(/^\s*SELECT\s+/i, '');
  if (/^VALUE\s/i.test(head) || /^DISTINCT\s/i.test(head) || /^TOP\s/i.test(head))
    throw new Error('GROUP BY takes no VALUE, DISTINCT or TOP in this local server.');
  const tail = text.slice(group).replace(/^GROUP\s+BY\s+/i, '');
  if (keyword(tail, /(ORDER\s+BY|OFFSET)\s/iy) !== undefined)
    throw new Error(
      "GROUP BY can't be used with ORDER BY (Learn, GROUP BY remarks), nor OFFSET here.",
    );
  const keys = splitCommas(tail);
  const columns = splitCommas(head).map(column);
  for (const c of columns)
    if (!c.fn && !keys.includes(c.expr))
      throw new Error(`"${c.expr}" is neither grouped nor aggregated.`);
  const fields = [
    ...keys.map((k, i) => `"k${String(i)}": ${k}`),
    ...columns.map((c, i) => `"v${String(i)}": ${c.fn ? c.expr : c.expr}`),
  ];
  const rows = `SELECT VALUE {${fields.join(', ')}} ${text.slice(from, group).trim()}`;
  return {
    rows,
    fold(found) {
      const groups = new Map<string, Record<string, unknown>[]>();
      for (const row of found) {
        const id = JSON.stringify(
          keys.map((_, i) => (`k${String(i)}` in row ? row[`k${String(i)}`] : ['undefined'])),
        );
        const list = groups.get(id);
        if (list) list.push(row);
        else groups.set(id, [row]);
      }
      return [...groups.values()].map((members) => {
        const out: Record<string, unknown> = {};
        columns.forEach((c, i) => {
          const values = members.map((m) => m[`v${String(i)}`]);
          const v = c.fn ? aggregate(c.fn, values) : values[0];
          if (v !== undefined) out[c.alias] = v;
        });
        return out;
      });
    },
  };
}
