import type { AccessCell, MatrixPrincipal } from '../../access/matrix/types.js';
import type { RuntimeEntity } from '../../model/runtime-manifest.js';
import { unitVector } from './bodies.js';
import { type CrudProof, shared } from './crud-proof.js';
import { expectOn, type ProbeItem } from './expect.js';
import type { Proof } from './proof-context.js';

/** The words of a text as full-text search matches them (runtime/search/search-body.ts `searchTerms`). */
const words = (v: unknown): string[] =>
  typeof v === 'string' ? (v.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? []) : [];

/** Whether `i` holds `term` in one of the CrudApi's full-text fields. */
const matches = (e: RuntimeEntity, i: ProbeItem, term: string) =>
  (e.search?.text?.fields ?? []).some((f) => words(i.body[f]).includes(term));

/**
 * The word the proof searches for: one every probe item of `e` holds in a full-text field (the bodies put
 * `<field>-<principal>` there, so the field's own name), so that a search must answer exactly the items a list
 * shows. None when `e` has no full-text search or no item yet.
 *
 * @example
 * ```ts
 * searchTerm(tickets, items); // 'title'
 * ```
 */
export function searchTerm(e: RuntimeEntity, items: readonly ProbeItem[]): string | undefined {
  const fields = e.search?.text?.fields ?? [];
  const first = items[0];
  if (!first) return undefined;
  const candidates = fields.flatMap((f) => words(first.body[f]));
  return candidates.find((t) => items.every((i) => matches(e, i, t)));
}

/** One search the proof sends: its body, how it is shown, and which probe items it must find (when visible). */
export interface ProofSearch {
  readonly body: Readonly<Record<string, unknown>>;
  readonly shown: string;
  readonly finds: (i: ProbeItem) => boolean;
}

/**
 * The searches the proof sends on `e`: a full-text one for the word every probe item holds, and a vector one for
 * the unit vector the bodies give each item when vectors are sent explicitly (with `embed` the runtime writes them:
 * a vector search ranks every item that has one, which the proof cannot tell apart, so none is sent).
 *
 * @example
 * ```ts
 * searchQueries(notes, items); // [{ body: { text: 'body', first: 100 }, shown: '{"text":"body"}', finds }]
 * ```
 */
export function searchQueries(e: RuntimeEntity, items: readonly ProbeItem[]): ProofSearch[] {
  const out: ProofSearch[] = [];
  const term = searchTerm(e, items);
  if (term !== undefined)
    out.push({
      body: { text: term, first: 100 },
      shown: `{"text":"${term}"}`,
      finds: (i) => matches(e, i, term),
    });
  const v = e.search?.vector;
  if (v && !v.embed)
    out.push({
      body: { vector: unitVector(v.dimensions), mode: 'vector', first: 100 },
      shown: `{"vector":[1,0,…],"mode":"vector"}`,
      finds: (i) => Array.isArray(i.body[v.field]),
    });
  return out;
}

/** The `$apply` the proof sends: one group per item (its id) and its count, so the groups name the items counted. */
const PROOF_APPLY = 'groupby((id),aggregate($count as n))';

/** The ids of `e`'s probe items that `p` sees through `cell` (a list's), in probe order. */
function visibleIds(run: CrudProof, e: RuntimeEntity, p: MatrixPrincipal, cell: AccessCell) {
  return run
    .of(e)
    .filter((i) => expectOn(cell, false, p, i, run.cell(e, 'read', p), shared(e)) === 'ok')
    .map((i) => i.id);
}

/** The ids of `e`'s probe items among `answered` (a page's items or an aggregate's groups), in probe order. */
function answeredIds(run: CrudProof, e: RuntimeEntity, answered: unknown): string[] {
  const items = (answered as { items?: { id?: unknown }[] } | null | undefined)?.items;
  const seen = new Set((Array.isArray(items) ? items : []).map((x) => String(x.id)));
  return run
    .of(e)
    .filter((i) => seen.has(i.id))
    .map((i) => i.id);
}

/** Whether every group of an aggregate's answer counts one item and no group is of an item the proof did not make. */
function countsOne(run: CrudProof, e: RuntimeEntity, answered: unknown): boolean {
  const items = (answered as { items?: { id?: unknown; n?: unknown }[] } | null | undefined)?.items;
  if (!Array.isArray(items)) return false;
  return items.length === answeredIds(run, e, answered).length && items.every((g) => g.n === 1);
}

/**
 * The aggregate and the full-text search of `e` as `p` (DESIGN §2 "Search and aggregates": who may list may group
 * and search, confined as a list): a refused cell must answer its status; an allowed one exactly the items the cell
 * lets `p` list — every group of `groupby((id))` counting one; each search of `searchQueries` (the word, the
 * vector) finding exactly those it matches.
 *
 * @example
 * ```ts
 * await proveSearch(proof, run, (e) => app.url, tickets, principal);
 * ```
 */
export async function proveSearch(
  proof: Proof,
  run: CrudProof,
  base: (entity: RuntimeEntity) => string,
  e: RuntimeEntity,
  p: MatrixPrincipal,
): Promise<void> {
  if (proof.proves(e.componentId, 'aggregate')) await proveAggregate(proof, run, base, e, p);
  if (!e.search || !proof.proves(e.componentId, 'search')) return;
  const queries = searchQueries(e, run.of(e));
  if (queries.length === 0 && p === proof.matrix.principals[0])
    proof.report.unproven.push(
      `${e.componentId} search: no word every probe item holds in a full-text field, and vectors embedded by the runtime`,
    );
  const cell = run.cell(e, 'search', p);
  const row = { component: e.componentId, operation: 'search' };
  for (const q of queries) {
    const request = `POST api/${e.route}/search ${q.shown}`;
    const found = await proof.call(base(e), 'POST', `api/${e.route}/search`, p, q.body);
    if (typeof cell === 'number') {
      proof.check(row, p, request, found.status === cell, String(cell), found);
      continue;
    }
    const want = visibleIds(run, e, p, cell).filter((id) =>
      run.of(e).some((i) => i.id === id && q.finds(i)),
    );
    const got = answeredIds(run, e, found.body);
    proof.check(
      row,
      p,
      request,
      found.status === 200 && want.join() === got.join(),
      `200 finding [${want.join(', ')}]`,
      `${found.status} finding [${got.join(', ')}]`,
    );
  }
}

/** `$apply=groupby((id), …)` as `p`: its cell's status, or exactly the items the list cell allows, one group each. */
async function proveAggregate(
  proof: Proof,
  run: CrudProof,
  base: (entity: RuntimeEntity) => string,
  e: RuntimeEntity,
  p: MatrixPrincipal,
): Promise<void> {
  const path = `api/${e.route}?$apply=${encodeURIComponent(PROOF_APPLY)}`;
  const agg = run.cell(e, 'aggregate', p);
  const grouped = await proof.call(base(e), 'GET', path, p);
  const aggRow = { component: e.componentId, operation: 'aggregate' };
  if (typeof agg === 'number')
    proof.check(aggRow, p, `GET ${path}`, grouped.status === agg, String(agg), grouped);
  else {
    const want = visibleIds(run, e, p, agg);
    const got = answeredIds(run, e, grouped.body);
    proof.check(
      aggRow,
      p,
      `GET ${path}`,
      grouped.status === 200 && want.join() === got.join() && countsOne(run, e, grouped.body),
      `200 counting [${want.join(', ')}] once each`,
      `${grouped.status} counting [${got.join(', ')}]${grouped.status === 200 && !countsOne(run, e, grouped.body) ? ' (a group not of one proof item)' : ''}`,
    );
  }
}
