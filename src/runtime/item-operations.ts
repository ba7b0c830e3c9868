import type { RequestOptions } from '@azure/cosmos';
import type { HttpRequest, HttpResponseInit } from '@azure/functions';
import { cosmosErrorResponse, cosmosStatus, OWNER_NOT_FOUND_SUBSTATUS } from './cosmos-errors.js';
import { callCosmos } from './cosmos-policy.js';
import type { CrudContext } from './crud-context.js';
import { emptyResponse, jsonTextResponse, problemResponse } from './http-response.js';
import { type IfMatch, ifMatchSatisfied, parseIfMatch } from './if-match.js';
import { backoff } from './merge-retry.js';
import { ReadCache } from './read-cache.js';
import { checkItemSize, readJsonObject } from './request-body.js';
import { applyTenant, itemPartition } from './request-scope.js';
import type { PartitionValue } from './partition.js';
import { ownValue, validateItem } from './schema-validator.js';
import { setOwn, stripSystemFields } from './system-fields.js';

function what(ctx: CrudContext, id: string): string {
  return `${ctx.entity.entityName} "${id}"`;
}

function conditional(etag: string | undefined): RequestOptions {
  return etag ? { accessCondition: { type: 'IfMatch', condition: etag } } : {};
}

function ok(body: Record<string, unknown>, etag: string | undefined): HttpResponseInit {
  return jsonTextResponse(200, JSON.stringify(body), etag ? { ETag: etag } : {});
}

function notFound(ctx: CrudContext, id: string): HttpResponseInit {
  return problemResponse(404, 'not-found', `${what(ctx, id)} does not exist.`);
}

function preconditionFailed(ctx: CrudContext, id: string): HttpResponseInit {
  return problemResponse(412, 'precondition-failed', `${what(ctx, id)} has changed since the ETag in If-Match: read it again and retry.`);
}

async function orCosmosError(ctx: CrudContext, id: string, run: () => Promise<HttpResponseInit>): Promise<HttpResponseInit> {
  try {
    return await run();
  } catch (e) {
    const response = cosmosErrorResponse(e, what(ctx, id), ctx.cosmos.retryAfterSeconds);
    if (response) return response;
    throw e;
  }
}

/** Run a write with the item's cache entry invalidated before and after, whatever the outcome. */
async function invalidating<T>(ctx: CrudContext, key: string, write: () => Promise<T>): Promise<T> {
  ctx.cache?.invalidate(key);
  try {
    return await write();
  } finally {
    // After too: a read that started before the write must not cache the old version (see ReadCache.set).
    ctx.cache?.invalidate(key);
  }
}

/** Read the stored item, or `undefined` when it is absent from that partition. */
async function readStored(ctx: CrudContext, id: string, pk: PartitionValue) {
  const response = await callCosmos(ctx.cosmos, (abortSignal) => ctx.container.item(id, pk).read<Record<string, unknown>>({ abortSignal }));
  const { resource, etag } = response;
  // read() reports 404 without throwing; a missing container must still surface as a server error.
  if (response.statusCode === 404 && response.substatus === OWNER_NOT_FOUND_SUBSTATUS) {
    throw new Error(`Container ${ctx.container.id} does not exist (404/${OWNER_NOT_FOUND_SUBSTATUS}).`);
  }
  // Defence in depth: never hand out an item whose stored key differs from the partition asked for.
  if (!resource || resource[ctx.pkField] !== pk) return undefined;
  return { resource, etag: etag || resource._etag };
}

/**
 * The ETag a PUT or DELETE must be conditional on, or the response to send instead. One tag goes to Cosmos
 * as is; a list (RFC 9110 allows several) is checked against a fresh read, whose ETag then guards the write.
 */
async function writeCondition(ctx: CrudContext, id: string, pk: PartitionValue, condition: IfMatch): Promise<{ etag: string | undefined } | HttpResponseInit> {
  if (condition.kind !== 'tags') return { etag: undefined };
  if (condition.tags.length === 1) return { etag: condition.tags[0] };
  const stored = await readStored(ctx, id, pk);
  if (!stored) return notFound(ctx, id);
  return ifMatchSatisfied(condition, stored.etag) ? { etag: stored.etag } : preconditionFailed(ctx, id);
}

/**
 * GET `api/<route>/{id}`: 200 + `ETag`, or 404 (also for an item of another tenant). Served from the
 * read cache when the entity enables it.
 *
 * @example
 * ```ts
 * const response = await readItem(ctx, request, '42', undefined);
 * ```
 */
export async function readItem(ctx: CrudContext, request: HttpRequest, id: string, tenant: string | undefined): Promise<HttpResponseInit> {
  const pk = itemPartition(ctx.entity, request, id, tenant);
  if (!pk.ok) return pk.response;
  const key = ReadCache.key(pk.value, id);
  const cached = ctx.cache?.get(key);
  if (cached) return jsonTextResponse(200, cached.json, cached.etag ? { ETag: cached.etag } : {});
  return orCosmosError(ctx, id, async () => {
    const ticket = ctx.cache?.begin() ?? 0;
    const stored = await readStored(ctx, id, pk.value);
    if (!stored) return notFound(ctx, id);
    const json = JSON.stringify(stripSystemFields(stored.resource));
    ctx.cache?.set(key, { json, etag: stored.etag }, ticket);
    return jsonTextResponse(200, json, stored.etag ? { ETag: stored.etag } : {});
  });
}

/** Checks shared by PUT and PATCH: tenant, immutable id, immutable partition key. */
function checkIdentity(ctx: CrudContext, body: Record<string, unknown>, id: string, pk: unknown, tenant: string | undefined) {
  const denied = applyTenant(ctx.entity, body, tenant);
  if (denied) return denied;
  const bodyId = ownValue(body, 'id');
  if (bodyId !== undefined && bodyId !== id) {
    return problemResponse(400, 'id-immutable', 'The body id differs from the id in the URL; ids cannot change.', {
      errors: [{ field: 'id', code: 'immutable', message: 'id cannot change' }],
    });
  }
  const bodyPk = ownValue(body, ctx.pkField);
  if (ctx.pkField !== 'id' && bodyPk !== undefined && bodyPk !== pk) {
    return problemResponse(400, 'partition-key-immutable', `${ctx.pkField} is the partition key and cannot change.`, {
      errors: [{ field: ctx.pkField, code: 'immutable', message: `${ctx.pkField} cannot change` }],
    });
  }
  return undefined;
}

/**
 * PUT `api/<route>/{id}`: replace the whole item. 200 + new `ETag`; 400 (schema, id or partition key
 * change); 403 (foreign tenant); 404; 412 when the stored ETag is not in `If-Match`; 413 over the size limit.
 *
 * @example
 * ```ts
 * const response = await replaceItem(ctx, request, '42', undefined);
 * ```
 */
export async function replaceItem(ctx: CrudContext, request: HttpRequest, id: string, tenant: string | undefined): Promise<HttpResponseInit> {
  const parsed = await readJsonObject(request);
  if (!parsed.ok) return parsed.response;
  const body = parsed.value;
  const pk = itemPartition(ctx.entity, request, id, tenant, body);
  if (!pk.ok) return pk.response;
  const refused = checkIdentity(ctx, body, id, pk.value, tenant);
  if (refused) return refused;
  const item = { ...body, id, [ctx.pkField]: pk.value };
  const errors = validateItem(ctx.entity, item);
  if (errors.length > 0) return problemResponse(400, 'validation', `The body is not a valid ${ctx.entity.entityName}.`, { errors });
  const tooLarge = checkItemSize(item);
  if (tooLarge) return tooLarge;
  const condition = parseIfMatch(request.headers.get('if-match'));
  return orCosmosError(ctx, id, () =>
    invalidating(ctx, ReadCache.key(pk.value, id), async () => {
      const guard = await writeCondition(ctx, id, pk.value, condition);
      if (!('etag' in guard)) return guard;
      const { resource, etag } = await callCosmos(ctx.cosmos, (abortSignal) =>
        ctx.container.item(id, pk.value).replace(item, { ...conditional(guard.etag), abortSignal }),
      );
      return ok(stripSystemFields(resource ?? item), etag);
    }),
  );
}

/** RFC 7396 merge of top-level fields onto a copy of the stored item: `null` removes, anything else sets. */
function merge(stored: Readonly<Record<string, unknown>>, patch: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const merged = stripSystemFields(stored);
  for (const [field, value] of Object.entries(patch)) {
    if (value === null) Reflect.deleteProperty(merged, field);
    // An own data property whatever the name: assignment would let a "__proto__" field swap the prototype.
    else setOwn(merged, field, value);
  }
  return merged;
}

/**
 * PATCH `api/<route>/{id}`: JSON merge of top-level fields (`null` removes a field, as in RFC 7396), then
 * schema validation of the merged item. The write is conditional on the ETag just read, so concurrent
 * merges never lose an update; this instance's PATCHes of one item queue behind each other (`KeyedQueue`),
 * so races are with other instances only. With `If-Match`, a stored ETag outside the list (or a change in
 * between) is a 412. Without it, a lost race is retried with backoff and jitter (`CrudContext.mergeRetry`); when the
 * retries run out the answer is **409** `write-contention` with `Retry-After` — never a 412 about an
 * If-Match the client did not send.
 *
 * @example
 * ```ts
 * // PATCH /api/counters/c1  If-Match: "…"  { "count": 8 }
 * const response = await mergeItem(ctx, request, 'c1', undefined);
 * ```
 */
export async function mergeItem(ctx: CrudContext, request: HttpRequest, id: string, tenant: string | undefined): Promise<HttpResponseInit> {
  const parsed = await readJsonObject(request);
  if (!parsed.ok) return parsed.response;
  const patch = parsed.value;
  const pk = itemPartition(ctx.entity, request, id, tenant, patch);
  if (!pk.ok) return pk.response;
  const refused = checkIdentity(ctx, patch, id, pk.value, tenant);
  if (refused) return refused;
  const condition = parseIfMatch(request.headers.get('if-match'));
  const key = ReadCache.key(pk.value, id);
  return orCosmosError(ctx, id, () =>
    ctx.mergeQueue.run(key, ctx.cosmos.timeoutMs, () => invalidating(ctx, key, () => mergeWithRetry(ctx, id, pk.value, patch, condition))),
  );
}

/** Read, merge, validate and write conditionally on the read's ETag, again after a lost race (see mergeItem). */
async function mergeWithRetry(
  ctx: CrudContext,
  id: string,
  pk: PartitionValue,
  patch: Readonly<Record<string, unknown>>,
  condition: IfMatch,
): Promise<HttpResponseInit> {
  const started = performance.now();
  for (let attempt = 1; ; attempt++) {
    const stored = await readStored(ctx, id, pk);
    if (!stored) return notFound(ctx, id);
    if (!ifMatchSatisfied(condition, stored.etag)) return preconditionFailed(ctx, id);
    const merged = merge(stored.resource, patch);
    const errors = validateItem(ctx.entity, merged);
    if (errors.length > 0) return problemResponse(400, 'validation', `The merged item is not a valid ${ctx.entity.entityName}.`, { errors });
    const tooLarge = checkItemSize(merged);
    if (tooLarge) return tooLarge;
    try {
      const { resource, etag } = await callCosmos(ctx.cosmos, (abortSignal) =>
        ctx.container.item(id, pk).replace(merged, { ...conditional(stored.etag), abortSignal }),
      );
      return ok(stripSystemFields(resource ?? merged), etag);
    } catch (e) {
      if (cosmosStatus(e) !== 412) throw e;
      // The client's own ETag was current when read and is stale now: the 412 is about its If-Match.
      if (condition.kind === 'tags') return preconditionFailed(ctx, id);
      // Retries stop at the attempt limit, and at the deadline of one call so the request stays bounded.
      if (attempt >= ctx.mergeRetry.attempts || performance.now() - started > ctx.cosmos.timeoutMs) {
        return problemResponse(409, 'write-contention', `${what(ctx, id)} is being changed by other requests too often to merge: retry later.`, {
          headers: { 'Retry-After': '1' },
        });
      }
      await backoff(ctx.mergeRetry, attempt);
    }
  }
}

/**
 * DELETE `api/<route>/{id}`: 204; 404 (also for another tenant's item); 412 when the stored ETag is not in
 * `If-Match`.
 *
 * @example
 * ```ts
 * const response = await deleteItem(ctx, request, '42', undefined);
 * ```
 */
export async function deleteItem(ctx: CrudContext, request: HttpRequest, id: string, tenant: string | undefined): Promise<HttpResponseInit> {
  const pk = itemPartition(ctx.entity, request, id, tenant);
  if (!pk.ok) return pk.response;
  const condition = parseIfMatch(request.headers.get('if-match'));
  return orCosmosError(ctx, id, () =>
    invalidating(ctx, ReadCache.key(pk.value, id), async () => {
      const guard = await writeCondition(ctx, id, pk.value, condition);
      if (!('etag' in guard)) return guard;
      await callCosmos(ctx.cosmos, (abortSignal) => ctx.container.item(id, pk.value).delete({ ...conditional(guard.etag), abortSignal }));
      return emptyResponse(204);
    }),
  );
}
