import type { HttpResponseInit } from '@azure/functions';
import type { CrudRequest } from './context.js';
import { jsonTextResponse } from '../http/response.js';
import type { Resolved } from '../http/scope.js';
import { readExpand } from '../relations/entity-relations.js';
import { migrationBudget } from '../values/migration-budget.js';

/**
 * `$expand` on `GET api/<route>/{id}`: checked now (a bad value is the 400 before any read), applied to the read's
 * answer later — a 200's item gets each relation embedded, anything else passes as it is. Undefined without
 * `$expand`, so the read (and its cache) is untouched then. The embedded items' migrations share one budget,
 * started here, before the read: the request waits for migrations no longer than a list page would.
 *
 * @example
 * ```ts
 * const expand = expandOne(req);
 * if (expand && !expand.ok) return expand.response;
 * const response = expand ? await expand.value(await readItem(req)) : …;
 * ```
 */
export function expandOne(
  ctx: CrudRequest,
): Resolved<(read: HttpResponseInit) => Promise<HttpResponseInit>> | undefined {
  const expand = readExpand(ctx.entity, ctx.request);
  if (!expand.ok) return expand;
  const relations = ctx.relations;
  if (expand.value.length === 0 || !relations) return undefined;
  const budget = migrationBudget(ctx.cosmos.timeoutMs);
  return {
    ok: true,
    value: async (read) => {
      if ((read.status ?? 200) !== 200 || typeof read.body !== 'string') return read;
      const item = JSON.parse(read.body) as Record<string, unknown>;
      const expanded = await relations.expand(ctx.call, [item], expand.value, [], budget);
      if (!expanded.ok) return expanded.response;
      // The item's own ETag stays (what If-Match on a later write compares); no GET here answers 304.
      const etag = (read.headers as Record<string, string> | undefined)?.ETag;
      return jsonTextResponse(200, JSON.stringify(expanded.value[0]), etag ? { ETag: etag } : {});
    },
  };
}
