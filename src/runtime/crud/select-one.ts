import type { HttpResponseInit } from '@azure/functions';
import { LIST_QUERY_PARAMETERS as Q } from '../../contract/paging.js';
import { parseListQuery } from '../../contract/query/index.js';
import { jsonTextResponse } from '../http/response.js';
import type { Resolved } from '../http/scope.js';
import { queryProblem } from '../queries/list-parameters.js';
import { selected } from '../values/vector-answer.js';
import type { CrudRequest } from './context.js';

/**
 * `$select` on `GET api/<route>/{id}`, as a list takes it: the fields of the entity's query schema (owners hidden
 * where they are: `$select=ownerId` is then a 400 naming it), checked before the read — a bad one is the 400
 * `invalid-query` — and applied to its answer: `id`, the partition key and the fields named (with `$expand`, its
 * relations too). Undefined without `$select`, so the read (and its cache) is untouched then. How to read an
 * item's vector: answers leave it out unless `$select` names it (values/vector-answer.ts).
 *
 * @example
 * ```ts
 * const select = selectOne(req); // GET /api/tickets/t1?$select=title,embedding
 * if (select && !select.ok) return select.response;
 * ```
 */
export function selectOne(ctx: CrudRequest): Resolved<readonly string[]> | undefined {
  const text = ctx.request.query.get(Q.select);
  if (text === null || text.trim() === '') return undefined;
  const parsed = parseListQuery(
    (n) => (n === Q.select ? text : null),
    ctx.queryEntity ?? ctx.entity,
  );
  if (!parsed.ok) return { ok: false, response: queryProblem(parsed.issues) };
  return { ok: true, value: parsed.value.select ?? [] };
}

/**
 * A 200 item answer cut down to `select` (and `keep`: the relations `$expand` embedded); anything else as it is.
 *
 * @example
 * ```ts
 * const response = selectedAnswer(await readItem(req, ['title']), 'id', ['title'], []);
 * ```
 */
export function selectedAnswer(
  read: HttpResponseInit,
  pkField: string,
  select: readonly string[],
  keep: readonly string[],
): HttpResponseInit {
  if ((read.status ?? 200) !== 200 || typeof read.body !== 'string') return read;
  const item = JSON.parse(read.body) as Record<string, unknown>;
  const etag = (read.headers as Record<string, string> | undefined)?.ETag;
  return jsonTextResponse(
    200,
    JSON.stringify(selected(item, pkField, select, keep)),
    etag ? { ETag: etag } : {},
  );
}
