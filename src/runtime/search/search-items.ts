import type { HttpResponseInit } from '@azure/functions';
import { LIST_QUERY_PARAMETERS as Q } from '../../contract/paging.js';
import { parseListQuery } from '../../contract/query/index.js';
import { SEARCH_LIMITS } from '../../contract/search.js';
import type { RuntimeEntity, RuntimeSearch } from '../../model/runtime-manifest.js';
import { callCosmos } from '../data/cosmos-policy.js';
import { readJsonObject } from '../http/body.js';
import { cosmosErrorResponse, cosmosStatus } from '../http/cosmos-errors.js';
import { jsonResponse, problemResponse } from '../http/response.js';
import { badPartitionValue } from '../http/scope.js';
import { queryProblem } from '../queries/list-parameters.js';
import { compileListQuery } from '../queries/list-query.js';
import { isPartitionValue } from '../values/partition.js';
import type { CrudRequest } from '../crud/context.js';
import { listConfinement } from '../crud/list-confinement.js';
import { migrationBudget } from '../crud/migration-chain.js';
import { presentStored } from '../crud/versioned-items.js';
import { selected, withoutVector } from '../values/vector-answer.js';
import { parseSelect } from '../../contract/query/parse-orderby-select.js';
import type { FieldError } from '../http/response.js';
import { checkSearchBody, type SearchRequest } from './search-body.js';
import { searchQuery } from './search-query.js';
import { readSearchToken, searchToken } from './search-token.js';
import { EmbeddingError } from '../embed/embed-types.js';
import { EMBEDDING_RETRY_AFTER_SECONDS, embeddingProblem } from '../embed/embedding-problem.js';
import type { QueryEmbedder } from '../embed/query-embedder.js';

/** RRF's constant k (Learn, "Hybrid search": reciprocal rank fusion, 1 / (k + rank) with k = 60). */
const RRF_K = 60;

/**
 * `POST api/<route>/search`: one page of the CrudApi's items ranked by the search (search-query.ts: `FullTextScore`,
 * `VectorDistance`, or `RRF` of both), `{ items: [{ …item, score }], continuationToken }`, from ONE Cosmos DB query
 * inside exactly a list's confinement — the caller's tenant, the owner rule, the named partition — and the body's
 * `filter` (a list's `$filter`, ANDed). Each item is presented as a list presents it (migrated, defaults filled;
 * others' owners hidden by the route's after step). `score` is `VectorDistance`'s value in vector mode (Cosmos DB
 * projects it), and `1 / (60 + rank)` in text and hybrid modes, whose BM25 and RRF scores Cosmos DB never projects
 * (Learn, "FULLTEXTSCORE": "can't be part of a projection"). A bad body is a 400 `invalid-search` with field errors;
 * a bad `filter` a 400 `invalid-query`; the text of a vector search is embedded by `embedder` when one is given.
 *
 * @example
 * ```ts
 * const response = await searchItems(req, entity.search, undefined); // 200 { items: [{ id: 't1', …, score: 0.016 }], continuationToken: null }
 * ```
 */
export async function searchItems(
  ctx: CrudRequest,
  search: RuntimeSearch,
  embedder: QueryEmbedder | undefined,
): Promise<HttpResponseInit> {
  const { request, tenant } = ctx;
  const body = await readJsonObject(request);
  if (!body.ok) return body.response;
  const checked = checkSearchBody(body.value, search, embedder !== undefined);
  if (!checked.ok)
    return problemResponse('invalid-search', searchDetail(checked.errors), {
      errors: checked.errors,
    });
  const s = checked.value;
  const offset = s.after === undefined ? 0 : readSearchToken(s.after, s);
  if (offset === undefined)
    return problemResponse(
      'invalid-continuation-token',
      'after is not the continuationToken of the previous page of this same search: send it back as it came, with the same body.',
    );
  if (offset + s.first > SEARCH_LIMITS.maxDepth)
    return problemResponse('invalid-search', searchDepth(), {
      errors: [{ field: 'after', code: 'depth', message: searchDepth() }],
    });
  const entity = ctx.queryEntity ?? ctx.entity;
  const unknown = unknownSelected(s.select, entity);
  if (unknown.length)
    return problemResponse('invalid-search', searchDetail(unknown), { errors: unknown });
  const filter = parseListQuery((n) => (n === Q.filter ? (s.filter ?? null) : null), entity);
  if (!filter.ok) return queryProblem(filter.issues);
  const badPk = ctx.pkField === 'id' ? undefined : badPartitionValue(request);
  if (badPk) return badPk;
  const vector = await queryVector(s, search, embedder, ctx.entity);
  if (!vector.ok) return vector.response;
  const confined = listConfinement(ctx, request, tenant);
  if (filter.value.filter) {
    const compiled = compileListQuery({ filter: filter.value.filter }, ctx.pkField);
    if (compiled.where !== undefined) confined.where.push(`(${compiled.where})`);
    confined.parameters.push(...compiled.parameters);
  }
  // One more than the page: whether a next page exists, without a second query.
  const spec = searchQuery(search, { ...s, ...vector.value }, confined, offset, s.first + 1);
  // A ranked search (text, hybrid: ORDER BY RANK) names no partition to the SDK: the WHERE alone confines it
  // (listConfinement's `@pk`/`@tenant`). With the partitionKey option the SDK sends the query to that one partition
  // and bypasses the query plan whose hybrid pipeline ranks it — reported unranked with a partition key
  // (Azure/azure-cosmos-dotnet-v3#5332, Azure/azure-sdk-for-python#42241); @azure/cosmos builds its hybrid (ranking)
  // execution context only from a query plan (queryIterator.js, createHybridQueryExecutionContext). A vector search
  // is a plain ORDER BY, which one partition answers in order: it keeps the option (docs/search.md).
  const onePartition = s.mode === 'vector' && isPartitionValue(confined.partition);
  try {
    const { resources } = await callCosmos(ctx.cosmos, (abortSignal) =>
      ctx.container.items
        .query<{ item: Record<string, unknown>; score?: number }>(spec, {
          abortSignal,
          ...(onePartition ? { partitionKey: confined.partition } : {}),
        })
        .fetchAll(),
    );
    const budget = migrationBudget(ctx.cosmos.timeoutMs);
    const items: Record<string, unknown>[] = [];
    for (const [i, row] of resources.slice(0, s.first).entries()) {
      const presented = await presentStored(ctx, row.item, s.select, budget);
      if (!presented.ok) return presented.response;
      const score = s.mode === 'vector' ? row.score : 1 / (RRF_K + offset + i + 1);
      // As a list shows it: without the vector unless `select` names it, cut to `select` when there is one.
      const shown = withoutVector(ctx.entity, presented.item, s.select);
      items.push({ ...(s.select ? selected(shown, ctx.pkField, s.select) : shown), score });
    }
    const more = resources.length > s.first && offset + s.first < SEARCH_LIMITS.maxDepth;
    return jsonResponse(200, {
      items,
      continuationToken: more ? searchToken(s, offset + s.first) : null,
    });
  } catch (e) {
    if (cosmosStatus(e) === 404) throw e;
    const response = cosmosErrorResponse(
      e,
      `the ${ctx.entity.entityName} search`,
      ctx.cosmos.retryAfterSeconds,
    );
    if (response) return response;
    throw e;
  }
}

/** The fields of `select` the entity's query schema does not hold (owners hidden where they are), as field errors. */
function unknownSelected(
  select: readonly string[] | undefined,
  entity: Parameters<typeof parseListQuery>[1],
): FieldError[] {
  return (select ?? [])
    .filter((name) => {
      const r = parseSelect(name, entity.schema);
      return !r.ok || r.value.length !== 1 || r.value[0] !== name;
    })
    .map((name) => ({
      field: 'select',
      code: 'unknown',
      message: `select names ${JSON.stringify(name)}, which is no field of this CrudApi.`,
    }));
}

/** The query vector: the one sent, or the text's from the embedder (vector and hybrid modes without `vector`). */
async function queryVector(
  s: SearchRequest,
  search: RuntimeSearch,
  embedder: QueryEmbedder | undefined,
  entity: RuntimeEntity,
): Promise<
  { ok: true; value: { vector?: readonly number[] } } | { ok: false; response: HttpResponseInit }
> {
  if (s.mode === 'text' || s.vector !== undefined || s.text === undefined || !embedder)
    return { ok: true, value: {} };
  const unavailable = (why: string) => ({
    ok: false as const,
    response: problemResponse(
      'embedding-unavailable',
      `The search text was not embedded: ${why}.`,
      {
        headers: { 'Retry-After': String(EMBEDDING_RETRY_AFTER_SECONDS) },
      },
    ),
  });
  let vector: unknown;
  try {
    vector = await embedder(s.text);
  } catch (e) {
    // The embedding room's own answer: 400 `embedding-refused` for text the service refuses, else 503.
    if (e instanceof EmbeddingError) return { ok: false, response: embeddingProblem(entity, e) };
    return unavailable(e instanceof Error ? e.message : String(e));
  }
  const dims = search.vector?.dimensions;
  if (
    !Array.isArray(vector) ||
    vector.length !== dims ||
    !vector.every((n) => typeof n === 'number' && Number.isFinite(n))
  )
    return unavailable(`the embedder answered no vector of ${String(dims)} finite numbers`);
  return { ok: true, value: { vector: vector as number[] } };
}

function searchDetail(errors: readonly { field: string; message: string }[]): string {
  const first = errors[0];
  const more = errors.length > 1 ? ` (and ${String(errors.length - 1)} more in "errors")` : '';
  return first
    ? `${first.field || 'The body'}: ${first.message}${more}`
    : 'The search body is invalid.';
}

function searchDepth(): string {
  return `A search pages through its first ${String(SEARCH_LIMITS.maxDepth)} ranked items at most: narrow it with filter.`;
}
