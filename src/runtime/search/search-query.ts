import type { SqlParameter, SqlQuerySpec } from '@azure/cosmos';
import type { SearchMode } from '../../contract/search.js';
import type { RuntimeSearch } from '../../model/runtime-manifest.js';
import { FIELD_NAME } from '../../model/field-names.js';

/**
 * The one Cosmos DB query of a search page. The syntax is Learn's (Azure Cosmos DB for NoSQL query language):
 * - text: `WHERE (FullTextContainsAny(c.path, 't1', …) OR …)` and `ORDER BY RANK FullTextScore(c.path, 't1', …)`
 *   ("FULLTEXTSCORE": a BM25 score usable only in ORDER BY RANK or as an argument of RRF, never projected;
 *   "FULLTEXTCONTAINSANY"); several text paths are fused, `ORDER BY RANK RRF(FullTextScore(c.a, …),
 *   FullTextScore(c.b, …))` ("RRF": "Fusion with two FullTextScore functions");
 * - vector: `SELECT c AS item, VectorDistance(c.v, @vector, false, {'distanceFunction': 'cosine'}) AS score …
 *   ORDER BY VectorDistance(c.v, @vector, false, {…})` ("VECTORDISTANCE": projectable, most similar first; the
 *   distance named as the container's policy declares it, so the local server computes the same);
 * - hybrid: `ORDER BY RANK RRF(FullTextScore(c.a, …), …, VectorDistance(c.v, @vector))` ("ORDER BY RANK", "Hybrid
 *   search"), every item of the confinement ranked (no text condition: an item near the vector counts too).
 * The page is `OFFSET n LIMIT m`: the SDK refuses continuation tokens on vector, full-text and hybrid queries
 * (@azure/cosmos QueryValidationHelper: "Continuation tokens are not supported for … search queries"), so a page is
 * its offset. The confinement and `$filter` come first in the WHERE, as in a list.
 *
 * @example
 * ```ts
 * const spec = searchQuery(search, { mode: 'text', terms: ['login'] }, { where: ['c["tenantId"] = @tenant'], parameters }, 0, 20);
 * ```
 */
export function searchQuery(
  search: RuntimeSearch,
  request: {
    readonly mode: SearchMode;
    readonly terms?: readonly string[];
    readonly vector?: readonly number[];
  },
  confined: { readonly where: readonly string[]; readonly parameters: readonly SqlParameter[] },
  offset: number,
  limit: number,
): SqlQuerySpec {
  const parameters: SqlParameter[] = [...confined.parameters];
  const where = [...confined.where];
  const terms = (request.terms ?? []).map((t, i) => {
    parameters.push({ name: `@s${String(i)}`, value: t });
    return `@s${String(i)}`;
  });
  const textPaths = request.mode === 'vector' ? [] : (search.text?.fields ?? []).map(ref);
  const scores = textPaths.map((p) => `FullTextScore(${p}, ${terms.join(', ')})`);
  if (request.mode === 'text')
    where.push(
      `(${textPaths.map((p) => `FullTextContainsAny(${p}, ${terms.join(', ')})`).join(' OR ')})`,
    );
  let distance: string | undefined;
  if (request.mode !== 'text' && search.vector) {
    parameters.push({ name: '@vector', value: [...(request.vector ?? [])] });
    const options = `{'distanceFunction': '${search.vector.distance}'}`;
    distance = `VectorDistance(${ref(search.vector.field)}, @vector, false, ${options})`;
  }
  const ranked = distance === undefined ? scores : [...scores, distance];
  const order =
    request.mode === 'vector'
      ? `ORDER BY ${distance ?? ''}`
      : `ORDER BY RANK ${ranked.length === 1 ? (ranked[0] ?? '') : `RRF(${ranked.join(', ')})`}`;
  const select = request.mode === 'vector' ? `c AS item, ${distance ?? ''} AS score` : 'c AS item';
  const filtered = where.length === 0 ? '' : ` WHERE ${where.join(' AND ')}`;
  return {
    query: `SELECT ${select} FROM c${filtered} ${order} OFFSET ${String(offset)} LIMIT ${String(limit)}`,
    parameters,
  };
}

function ref(name: string): string {
  if (!FIELD_NAME.test(name)) throw new Error(`search-query: "${name}" is not a field name.`);
  return `c["${name}"]`;
}
