import type { HttpRequest, HttpResponseInit } from '@azure/functions';
import { parseListQuery, type ListQuery, type QueryIssue } from '../../contract/query/index.js';
import type { RuntimeEntity } from '../../model/runtime-manifest.js';
import { problemResponse } from '../http/response.js';
import { at } from '../../model/at.js';

/** What a list request asks for beyond its confinement; `first`/`after` are the raw texts (checked by the caller). */
export type ListParameters =
  | {
      readonly ok: true;
      readonly first: string | null;
      readonly after: string | undefined;
      readonly query: ListQuery | undefined;
    }
  | { readonly ok: false; readonly response: HttpResponseInit };

/** `$first` beside `limit` (and `$after` beside `continuationToken`): one of the two, or the same value twice. */
function alias(
  request: HttpRequest,
  name: string,
  old: string,
): { value: string | null } | { conflict: string } {
  const a = request.query.get(name);
  const b = request.query.get(old);
  if (a !== null && b !== null && a !== b)
    return { conflict: `${name} and ${old} disagree; send one of them.` };
  return { value: a ?? b };
}

function conflict(message: string, parameter: '$first' | '$after'): HttpResponseInit {
  const issue: QueryIssue = { code: 'conflict', parameter, position: 0, message };
  return problemResponse('invalid-query', message, { parameter, position: 0, issues: [issue] });
}

/**
 * The query's 400: `not-sortable` when every issue is an undeclared sort (the fix is in the CrudApi's config),
 * else `invalid-query`; the detail names the first issue's parameter and position, `issues` lists them all.
 */
export function queryProblem(issues: readonly QueryIssue[]): HttpResponseInit {
  const first = at(issues, 0);
  const slug = issues.every((i) => i.code === 'not-sortable') ? 'not-sortable' : 'invalid-query';
  const more = issues.length > 1 ? ` (and ${issues.length - 1} more in "issues")` : '';
  return problemResponse(
    slug,
    `${first.parameter} at position ${first.position}: ${first.message}${more}`,
    {
      parameter: first.parameter,
      position: first.position,
      issues,
    },
  );
}

/**
 * Read a list request's paging and query parameters (Data API builder's names beside the older ones):
 * `$first` or `limit`, `$after` or `continuationToken`, and `$filter`/`$orderby`/`$select` parsed and checked
 * against the entity. A problem is a 400 response ready to return.
 *
 * @example
 * ```ts
 * const params = readListParameters(ctx.entity, request);
 * if (!params.ok) return params.response;
 * ```
 */
export function readListParameters(entity: RuntimeEntity, request: HttpRequest): ListParameters {
  const first = alias(request, '$first', 'limit');
  if ('conflict' in first) return { ok: false, response: conflict(first.conflict, '$first') };
  const after = alias(request, '$after', 'continuationToken');
  if ('conflict' in after) return { ok: false, response: conflict(after.conflict, '$after') };
  const parsed = parseListQuery((name) => request.query.get(name), entity);
  if (!parsed.ok) return { ok: false, response: queryProblem(parsed.issues) };
  const q = parsed.value;
  const query = q.filter || q.orderBy || q.select ? q : undefined;
  return { ok: true, first: first.value, after: after.value ?? undefined, query };
}
