import type { ItemDefinition, RequestOptions } from '@azure/cosmos';
import type { HttpRequest, HttpResponseInit } from '@azure/functions';
import { cosmosErrorResponse, cosmosStatus, OWNER_NOT_FOUND_SUBSTATUS } from './cosmos-errors.js';
import type { CrudContext } from './crud-context.js';
import { emptyResponse, jsonResponse, problemResponse } from './http-response.js';
import { ReadCache } from './read-cache.js';
import { readJsonObject } from './request-body.js';
import { applyTenant, itemPartition } from './request-scope.js';
import { validateItem } from './schema-validator.js';
import { stripSystemFields } from './system-fields.js';

/** How often PATCH re-reads after losing a race it started itself (no client If-Match). */
const MERGE_ATTEMPTS = 5;

function what(ctx: CrudContext, id: string): string {
  return `${ctx.entity.entityName} "${id}"`;
}

/** `If-Match` as a Cosmos access condition; `*` only asks that the item exist, which every call does. */
function ifMatch(request: HttpRequest): string | undefined {
  const value = request.headers.get('if-match')?.trim();
  return value && value !== '*' ? value : undefined;
}

function conditional(etag: string | undefined): RequestOptions {
  return etag ? { accessCondition: { type: 'IfMatch', condition: etag } } : {};
}

function ok(body: Record<string, unknown>, etag: string | undefined): HttpResponseInit {
  return jsonResponse(200, body, etag ? { ETag: etag } : {});
}

function notFound(ctx: CrudContext, id: string): HttpResponseInit {
  return problemResponse(404, 'not-found', `${what(ctx, id)} does not exist.`);
}

async function orCosmosError(ctx: CrudContext, id: string, run: () => Promise<HttpResponseInit>): Promise<HttpResponseInit> {
  try {
    return await run();
  } catch (e) {
    const response = cosmosErrorResponse(e, what(ctx, id));
    if (response) return response;
    throw e;
  }
}

/** Read the stored item, or `undefined` when it is absent from that partition. */
async function readStored(ctx: CrudContext, id: string, pk: ItemDefinition[string]) {
  const response = await ctx.container.item(id, pk).read<Record<string, unknown>>();
  const { resource, etag } = response;
  // read() reports 404 without throwing; a missing container must still surface as a server error.
  if (response.statusCode === 404 && response.substatus === OWNER_NOT_FOUND_SUBSTATUS) {
    throw new Error(`Container ${ctx.container.id} does not exist (404/${OWNER_NOT_FOUND_SUBSTATUS}).`);
  }
  // Defence in depth: never hand out an item whose stored key differs from the partition asked for.
  if (!resource || resource[ctx.pkField] !== pk) return undefined;
  return { resource, etag: etag || (resource._etag as string | undefined) };
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
  if (cached) return ok({ ...cached.body }, cached.etag);
  return orCosmosError(ctx, id, async () => {
    const stored = await readStored(ctx, id, pk.value);
    if (!stored) return notFound(ctx, id);
    const body = stripSystemFields(stored.resource);
    ctx.cache?.set(key, { body, etag: stored.etag });
    return ok(body, stored.etag);
  });
}

/** Checks shared by PUT and PATCH: tenant, immutable id, immutable partition key. */
function checkIdentity(ctx: CrudContext, body: Record<string, unknown>, id: string, pk: unknown, tenant: string | undefined) {
  const denied = applyTenant(ctx.entity, body, tenant);
  if (denied) return denied;
  if (body.id !== undefined && body.id !== id) {
    return problemResponse(400, 'id-immutable', 'The body id differs from the id in the URL; ids cannot change.', {
      errors: [{ field: 'id', code: 'immutable', message: 'id cannot change' }],
    });
  }
  if (ctx.pkField !== 'id' && body[ctx.pkField] !== undefined && body[ctx.pkField] !== pk) {
    return problemResponse(400, 'partition-key-immutable', `${ctx.pkField} is the partition key and cannot change.`, {
      errors: [{ field: ctx.pkField, code: 'immutable', message: `${ctx.pkField} cannot change` }],
    });
  }
  return undefined;
}

/**
 * PUT `api/<route>/{id}`: replace the whole item. 200 + new `ETag`; 400 (schema, id or partition key
 * change); 403 (foreign tenant); 404; 412 on a stale `If-Match`.
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
  return orCosmosError(ctx, id, async () => {
    ctx.cache?.delete(ReadCache.key(pk.value, id));
    const { resource, etag } = await ctx.container.item(id, pk.value).replace(item, conditional(ifMatch(request)));
    // Again after the write: a read that raced the write may have cached the old version meanwhile.
    ctx.cache?.delete(ReadCache.key(pk.value, id));
    return ok(stripSystemFields(resource ?? item), etag);
  });
}

/**
 * PATCH `api/<route>/{id}`: JSON merge of top-level fields (`null` removes a field, as in RFC 7396), then
 * schema validation of the merged item. The write is conditional on the ETag just read, so concurrent
 * merges never lose an update: with a client `If-Match` a race is a 412, without one it is retried.
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
  const expected = ifMatch(request);
  return orCosmosError(ctx, id, async () => {
    ctx.cache?.delete(ReadCache.key(pk.value, id));
    for (let attempt = 1; ; attempt++) {
      const stored = await readStored(ctx, id, pk.value);
      if (!stored) return notFound(ctx, id);
      if (expected !== undefined && expected !== stored.etag) {
        return problemResponse(412, 'precondition-failed', `${what(ctx, id)} has changed since the ETag in If-Match: read it again and retry.`);
      }
      const merged = stripSystemFields(stored.resource);
      for (const [field, value] of Object.entries(patch)) {
        if (value === null) delete merged[field];
        else merged[field] = value;
      }
      const errors = validateItem(ctx.entity, merged);
      if (errors.length > 0) return problemResponse(400, 'validation', `The merged item is not a valid ${ctx.entity.entityName}.`, { errors });
      try {
        const { resource, etag } = await ctx.container.item(id, pk.value).replace(merged, conditional(stored.etag));
        ctx.cache?.delete(ReadCache.key(pk.value, id));
        return ok(stripSystemFields(resource ?? merged), etag);
      } catch (e) {
        if (cosmosStatus(e) !== 412 || expected !== undefined || attempt >= MERGE_ATTEMPTS) throw e;
      }
    }
  });
}

/**
 * DELETE `api/<route>/{id}`: 204; 404 (also for another tenant's item); 412 on a stale `If-Match`.
 *
 * @example
 * ```ts
 * const response = await deleteItem(ctx, request, '42', undefined);
 * ```
 */
export async function deleteItem(ctx: CrudContext, request: HttpRequest, id: string, tenant: string | undefined): Promise<HttpResponseInit> {
  const pk = itemPartition(ctx.entity, request, id, tenant);
  if (!pk.ok) return pk.response;
  return orCosmosError(ctx, id, async () => {
    ctx.cache?.delete(ReadCache.key(pk.value, id));
    await ctx.container.item(id, pk.value).delete(conditional(ifMatch(request)));
    ctx.cache?.delete(ReadCache.key(pk.value, id));
    return emptyResponse(204);
  });
}
