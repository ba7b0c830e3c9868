import type { SqlQuerySpec } from '@azure/cosmos';
import { embedItem, withoutClientVector } from '../embed/item-embedding.js';
import type { HttpRequest, HttpResponseInit } from '@azure/functions';
import { cosmosErrorResponse, cosmosStatus } from '../http/cosmos-errors.js';
import { callCosmos } from '../data/cosmos-policy.js';
import type { CrudRequest, CrudStore } from './context.js';
import { jsonResponse, problemResponse, refused } from '../http/response.js';
import { cacheKey } from './item-store.js';
import { isPartitionValue, type PartitionValue } from '../values/partition.js';
import { readJsonObject } from '../http/body.js';
import { applyTenant, badPartitionValue, type Resolved } from '../http/scope.js';
import { stampOwner } from '../access/scope.js';
import { TENANT_FIELD, type Tenant } from '../values/tenancy.js';
import { checkContinuationToken } from '../values/text-checks.js';
import { isIssuedContinuation } from '../values/continuation-shape.js';
import { stripSystemFields } from '../values/system-fields.js';
import { fillDefaults } from '../values/item-defaults.js';
import { fullItemsWhenVersioned, presentStored, projected } from './versioned-items.js';
import { withoutVector } from '../values/vector-answer.js';
import { migrationBudget } from './migration-chain.js';
import { refusedItem, storedForm } from './stored-form.js';
import { holdItemWrite, itemRemoved } from './item-bytes.js';
import { holdItemRoom, itemRoomFreed } from './item-room.js';
import { compileListQuery, type CompiledListQuery } from '../queries/list-query.js';
import { readListParameters } from '../queries/list-parameters.js';
import { CONTINUATION_HEADER, DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE } from '../../contract/paging.js';
import { carryCount, countMatches, readCarried, readCount } from '../relations/count.js';
import { ledByParent, withExpandFields, type ListWithin } from '../relations/list-hooks.js';
import { HAS_MANY_FIRST, readExpand } from '../relations/entity-relations.js';
import { listConfinement } from './list-confinement.js';
import { aggregateItems } from './aggregate-items.js';

// Paging is part of the CRUD contract (src/contract/paging.ts): the OpenAPI document and the client read it too.
export { CONTINUATION_HEADER, DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE } from '../../contract/paging.js';

/**
 * The item's URL as an absolute-path reference (`/api/users/42`), which RFC 9110 §10.2.2 allows in
 * `Location`: the client resolves it against the URL it called, so the `Host` header a client or a proxy
 * sent is never echoed back as an origin. `undefined` when id or key cannot be encoded (a lone surrogate:
 * validation refuses those first; this keeps a write from ever being followed by a throw).
 */
function itemUrl(
  ctx: CrudStore,
  request: HttpRequest,
  id: string,
  pk: unknown,
): string | undefined {
  try {
    const url = new URL(request.url);
    const base = `${url.pathname.replace(/\/+$/, '')}/${encodeURIComponent(id)}`;
    // Only entities keyed by another field need ?pk= to address the item (id and tenant come from elsewhere).
    const needsPk = ctx.pkField !== 'id' && ctx.pkField !== TENANT_FIELD;
    return needsPk ? `${base}?pk=${encodeURIComponent(String(pk))}` : base;
  } catch {
    return undefined;
  }
}

/**
 * POST `api/<route>`: validate, generate the id when absent, create. 201 + `Location` (a path, without
 * scheme and host) + `ETag`; 400 with field errors; 403 on a foreign tenantId; 409 when the id exists in
 * that partition; 413 over the size limit; 503 + `Retry-After` when Cosmos DB does not answer in time.
 *
 * @example
 * ```ts
 * const response = await createItem(req);
 * ```
 */
export async function createItem(ctx: CrudRequest): Promise<HttpResponseInit> {
  const { request, tenant } = ctx;
  const body = await readJsonObject(request);
  if (!body.ok) return body.response;
  const item = body.value;
  const denied = applyTenant(ctx.entity, item, tenant) ?? stampOwner(ctx, item);
  if (denied) return denied;
  if (item.id === undefined) item.id = ctx.generateId();
  fillDefaults(ctx.entity.schema, item);
  const refused = refusedItem(ctx, withoutClientVector(ctx.entity, item), 'The body');
  if (refused) return refused;
  const unknownReference = await ctx.relations?.checkReferences(ctx.call, item);
  if (unknownReference) return unknownReference;
  const id = item.id as string;
  const pk = item[ctx.pkField];
  // Built before the write: nothing may be stored behind an error response.
  const location = itemUrl(ctx, request, id, pk);
  if (location === undefined)
    return problemResponse('invalid-id', 'The id or partition key value cannot be part of a URL.');
  // The vector from the item's text (search.vector.embed), before anything is written: a failure stores nothing.
  const embedded = await embedItem(ctx.entity, ctx.embedder, item);
  if (!embedded.ok) return embedded.response;
  const stored = storedForm(ctx, embedded.item, 'create');
  // Its bytes held under the plan's storage quota while it is written (crud/item-bytes.ts).
  const held = await holdItemWrite(ctx, stored);
  if (!held.ok) return held.response;
  // Its room under the plan's items (crud/item-room.ts): reserved before the write, counted or given back after.
  const room = await holdItemRoom(ctx).catch((e: unknown) => {
    held.write.failed();
    throw e;
  });
  if (!room.ok) {
    held.write.failed();
    return room.response;
  }
  let created = false;
  try {
    const { resource, etag } = await callCosmos(ctx.cosmos, (abortSignal) =>
      ctx.container.items.create(stored, { abortSignal }),
    );
    created = true;
    ctx.cache?.invalidate(cacheKey(pk, id, tenant));
    held.write.written();
    await room.hold?.settle();
    // A parent deleted while this child was written: the child does not outlive it (relations/entity-relations.ts).
    const orphan = await ctx.relations?.afterCreate(ctx.call, item, async () => {
      if (await removeCreated(ctx, id, pk as PartitionValue)) {
        itemRemoved(ctx.entity, ctx.call, stored);
        await itemRoomFreed(ctx);
      }
    });
    if (orphan) return orphan;
    const headers: Record<string, string> = { Location: location };
    if (etag) headers.ETag = etag;
    return jsonResponse(201, stripSystemFields(resource ?? item), headers);
  } catch (e) {
    // A create or query never targets a missing item: a 404 means the container itself is missing.
    if (cosmosStatus(e) === 404) throw e;
    const response = cosmosErrorResponse(
      e,
      `${ctx.entity.entityName} "${id}"`,
      ctx.cosmos.retryAfterSeconds,
      { write: id },
    );
    if (response) return response;
    throw e;
  } finally {
    held.write.failed();
    if (!created) await room.hold?.release();
  }
}

/**
 * Take back an item this request just created (its parent went meanwhile): true when this call removed it, false
 * when it was gone already (whoever removed it counted its bytes).
 */
async function removeCreated(ctx: CrudStore, id: string, pk: PartitionValue): Promise<boolean> {
  try {
    await callCosmos(ctx.cosmos, (abortSignal) =>
      ctx.container.item(id, pk).delete({ abortSignal }),
    );
    return true;
  } catch (e) {
    if (cosmosStatus(e) !== 404) throw e;
    return false;
  }
}

function parseLimit(raw: string | null): number | undefined {
  if (raw === null) return DEFAULT_PAGE_SIZE;
  if (!/^\d{1,4}$/.test(raw)) return undefined;
  const n = Number(raw);
  return n >= 1 && n <= MAX_PAGE_SIZE ? n : undefined;
}

/** The query of one list request: its confinement (listConfinement), then its `$filter`, `$select` and sort. */
function listQuery(
  ctx: CrudRequest,
  request: HttpRequest,
  tenant: Tenant | undefined,
  compiled?: CompiledListQuery,
  within?: ListWithin,
): { query: SqlQuerySpec; count: SqlQuerySpec; partition: PartitionValue | undefined } {
  const { where, parameters, partition } = listConfinement(ctx, request, tenant, within);
  // $filter goes inside the confinement: ANDed, in parentheses, with its own @pN parameters (list-query.ts).
  if (compiled?.where !== undefined) {
    where.push(`(${compiled.where})`);
    parameters.push(...compiled.parameters);
  }
  if (compiled && (compiled.select !== '*' || compiled.orderBy !== undefined)) {
    const filtered = where.length === 0 ? '' : ` WHERE ${where.join(' AND ')}`;
    const sorted = compiled.orderBy === undefined ? '' : ` ORDER BY ${compiled.orderBy}`;
    return {
      query: { query: `SELECT ${compiled.select} FROM c${filtered}${sorted}`, parameters },
      count: { query: `SELECT VALUE COUNT(1) FROM c${filtered}`, parameters },
      partition,
    };
  }
  const query =
    where.length === 0
      ? { query: 'SELECT * FROM c' }
      : { query: `SELECT * FROM c WHERE ${where.join(' AND ')}`, parameters };
  const filtered = where.length === 0 ? '' : ` WHERE ${where.join(' AND ')}`;
  return {
    query,
    count: { query: `SELECT VALUE COUNT(1) FROM c${filtered}`, parameters },
    partition,
  };
}

/**
 * GET `api/<route>`: one page of items, `{ items, continuationToken }` (token also in `x-ms-continuation`;
 * `null` on the last page). Isolated entities list only the caller's tenant's items; entities keyed by
 * another field list one partition when `?pk=`/`x-partition-key` is given, else all. A continuation token
 * that is not printable ASCII (no token Cosmos DB issued) is a 400. List queries (`$filter`, `$orderby`,
 * `$select`, `$first`, `$after`; list-parameters.ts) narrow, sort and project the page inside that confinement.
 *
 * @example
 * ```ts
 * // GET /api/users?limit=100&continuationToken=...
 * // GET /api/users?$filter=price gt 5&$orderby=price desc&$select=name&$first=20
 * const response = await listItems(req);
 * ```
 */
export async function listItems(ctx: CrudRequest): Promise<HttpResponseInit> {
  const { request, tenant, within } = ctx;
  // `$apply` asks for groups instead of a page (aggregate-items.ts), inside the same confinement.
  const apply = request.query.get('$apply');
  if (apply !== null) return aggregateItems(ctx, apply);
  const params = readListParameters(ctx.queryEntity ?? ctx.entity, request);
  if (!params.ok) return params.response;
  const wantsCount = readCount(request);
  if (!wantsCount.ok) return wantsCount.response;
  const expand = readExpand(ctx.entity, request);
  if (!expand.ok) return expand.response;
  const limit = parseLimit(params.first);
  if (limit === undefined) {
    return problemResponse('invalid-limit', `limit must be an integer from 1 to ${MAX_PAGE_SIZE}.`);
  }
  // Each parent of a page that expands a hasMany may cost a query of its own: at most 100 parents a page.
  if (limit > HAS_MANY_FIRST.max && expand.value.some((r) => r.kind === 'hasMany'))
    return problemResponse(
      'invalid-expand',
      `$expand: a page that expands a hasMany relation holds at most ${HAS_MANY_FIRST.max} items; ask $first=${HAS_MANY_FIRST.max} or less.`,
      { parameter: '$expand' },
    );
  const sentToken = readPageToken(params.after ?? request.headers.get(CONTINUATION_HEADER));
  if (!sentToken.ok) return sentToken.response;
  const { token, count: carried } = sentToken.value;
  const badPk = ctx.pkField === 'id' ? undefined : badPartitionValue(request);
  if (badPk) return badPk;
  // $expand reads the relation's field even when $select leaves it out (list-hooks.ts drops it again).
  const listed = withExpandFields(ctx.entity, params.query, expand.value);
  // A children page sorts with the parent's field first: the ORDER BY its derived composite index serves.
  const sorted = ledByParent(ctx.entity, listed.query, within);
  const {
    query,
    count,
    partition: scope,
  } = listQuery(
    ctx,
    request,
    tenant,
    sorted && compileListQuery(fullItemsWhenVersioned(ctx, sorted), ctx.pkField),
    within,
  );
  try {
    // The count runs beside the page (the same confinement and $filter), not after it.
    const [page, total] = await Promise.all([
      callCosmos(ctx.cosmos, (abortSignal) =>
        ctx.container.items
          .query(query, {
            maxItemCount: limit,
            abortSignal,
            ...(token ? { continuationToken: token } : {}),
            ...(isPartitionValue(scope) ? { partitionKey: scope } : {}),
          })
          .fetchNext(),
      ),
      wantsCount.value ? (carried ?? countMatches(ctx, count, scope)) : undefined,
    ]);
    // Older items pass through the migrations (and defaults) before $select and $expand see them.
    const select = listed.query?.select;
    const shown: Record<string, unknown>[] = [];
    // One budget for the page's migrations and its expansions': a page waits no longer for them than one read
    // would (a hasMany expansion's own page of children shares the request's: within.budget).
    const budget = within?.budget ?? migrationBudget(ctx.cosmos.timeoutMs);
    for (const r of page.resources as Record<string, unknown>[]) {
      const presented = await presentStored(ctx, r, select, budget);
      if (!presented.ok) return presented.response;
      // Without the vector unless $select names it (values/vector-answer.ts).
      shown.push(withoutVector(ctx.entity, projected(ctx, presented.item, select), select));
    }
    const expanded =
      ctx.relations && expand.value.length
        ? await ctx.relations.expand(ctx.call, shown, expand.value, listed.added, budget)
        : { ok: true as const, value: shown };
    if (!expanded.ok) return expanded.response;
    const items = expanded.value;
    const next = carryCount(
      page.hasMoreResults && page.continuationToken ? page.continuationToken : null,
      total,
    );
    // The body always carries the token; the header only when it is header-safe (Cosmos DB's are).
    const header = next !== null && checkContinuationToken(next) === undefined;
    return jsonResponse(
      200,
      { items, continuationToken: next, ...(total === undefined ? {} : { count: total }) },
      header ? { [CONTINUATION_HEADER]: next } : {},
    );
  } catch (e) {
    if (cosmosStatus(e) === 404) throw e;
    const response = cosmosErrorResponse(
      e,
      `the ${ctx.entity.entityName} list`,
      ctx.cosmos.retryAfterSeconds,
    );
    if (response) return response;
    throw e;
  }
}

/**
 * The continuation token a list request sent (`$after`, `continuationToken` or the header), checked: a later page
 * of a counted listing brings its count back in the token (counted once, on the first page); a token Cosmos DB
 * never issued would start the listing over (the local server) or fail deep in the SDK, so it is a 400.
 *
 * @example
 * ```ts
 * const sent = readPageToken(request.query.get('$after'));
 * if (!sent.ok) return sent.response;
 * ```
 */
function readPageToken(sent: string | null | undefined): Resolved<ReturnType<typeof readCarried>> {
  const badToken =
    sent === undefined || sent === null || sent === '' ? undefined : checkContinuationToken(sent);
  if (badToken) return refused('invalid-continuation-token', `The continuation token ${badToken}.`);
  const carried = readCarried(sent ?? undefined);
  if (carried.token !== undefined && !isIssuedContinuation(carried.token))
    return refused(
      'invalid-continuation-token',
      "The continuation token is not one this API issued: send back the previous page's as it came.",
    );
  return { ok: true, value: carried };
}
