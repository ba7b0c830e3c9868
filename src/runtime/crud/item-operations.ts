import type { HttpResponseInit } from '@azure/functions';
import { embedItem, withoutClientVector } from '../embed/item-embedding.js';
import { callCosmos } from '../data/cosmos-policy.js';
import type { ItemRequest } from './context.js';
import { emptyResponse, jsonTextResponse } from '../http/response.js';
import {
  cacheKey,
  conditional,
  ifMatchOf,
  orCosmosError,
  readStored,
  writeItem,
  writeTarget,
} from './item-store.js';
import { itemPartition } from '../http/scope.js';
import { stripSystemFields } from '../values/system-fields.js';
import { presentStored, refuseAhead } from './versioned-items.js';
import { fillDefaults } from '../values/item-defaults.js';
import { refusedItem, storedForm } from './stored-form.js';
import { holdItemWrite, itemRemoved } from './item-bytes.js';
import { itemRoomFreed } from './item-room.js';
import { keepOwner } from '../access/scope.js';
import { withDeletedItem } from '../realtime/deleted-items.js';
import { withPriorItem } from '../audit/item-changes.js';
import { keptVector, withoutVector } from '../values/vector-answer.js';

function ok(body: Record<string, unknown>, etag: string | undefined): HttpResponseInit {
  return jsonTextResponse(200, JSON.stringify(body), etag ? { ETag: etag } : {});
}

/**
 * GET `api/<route>/{id}`: 200 + `ETag`, or 404 (also for an item of another tenant). Served from the
 * read cache when the entity enables it. The item as answers show it: without its vector unless `select` (the
 * request's `$select`, endpoints.ts) names it — the cache holds that form; a read with `$select` passes it by.
 *
 * @example
 * ```ts
 * const response = await readItem({ ...req, id: '42' });
 * ```
 */
export async function readItem(
  ctx: ItemRequest,
  select?: readonly string[],
): Promise<HttpResponseInit> {
  const { request, id, tenant } = ctx;
  const pk = itemPartition(ctx.entity, request, id, tenant);
  if (!pk.ok) return pk.response;
  const key = cacheKey(pk.value, id, tenant);
  const cache = select === undefined ? ctx.cache : undefined;
  // The cache holds items whoever read them: an owner-only read checks the stored owner instead.
  const cached = ctx.access?.ownOnly ? undefined : cache?.get(key);
  if (cached) return jsonTextResponse(200, cached.json, cached.etag ? { ETag: cached.etag } : {});
  return orCosmosError(ctx, id, async () => {
    const ticket = cache?.begin() ?? 0;
    const stored = await readStored(ctx, id, pk.value, tenant);
    if ('absent' in stored) return stored.absent;
    const shown = await presentStored(ctx, stored.resource, select);
    if (!shown.ok) return shown.response;
    const json = JSON.stringify(withoutVector(ctx.entity, shown.item, select));
    cache?.set(key, { json, etag: stored.etag }, ticket);
    return jsonTextResponse(200, json, stored.etag ? { ETag: stored.etag } : {});
  });
}

/**
 * PUT `api/<route>/{id}`: replace the whole item. 200 + new `ETag`; 400 (schema, id or partition key
 * change); 403 (foreign tenant); 404 (also another tenant's item); 412 when the stored ETag is not in
 * `If-Match`; 413 over the size limit.
 *
 * @example
 * ```ts
 * const response = await replaceItem({ ...req, id: '42' });
 * ```
 */
export async function replaceItem(ctx: ItemRequest): Promise<HttpResponseInit> {
  const { request, id } = ctx;
  const target = await writeTarget(ctx, request, id, ctx.tenant);
  if (!target.ok) return target.response;
  const { body, pk } = target.value;
  const item = fillDefaults(ctx.entity.schema, { ...body, id, [ctx.pkField]: pk });
  const refused = refusedItem(ctx, withoutClientVector(ctx.entity, item), 'The body');
  if (refused) return refused;
  const unknownReference = await ctx.relations?.checkReferences(ctx.call, body);
  if (unknownReference) return unknownReference;
  const condition = ifMatchOf(request);
  if (!condition.ok) return condition.response;
  return writeItem(
    ctx,
    pk,
    condition.value,
    async (etag, stored) => {
      // An item a newer version of the code wrote is never overwritten in the older shape.
      const ahead = stored && refuseAhead(ctx, stored.resource);
      if (ahead) return ahead;
      // The owner field keeps its stored value.
      const refused = keepOwner(ctx, item, stored, true);
      if (refused) return refused;
      // The vector from the item's text, after the caller may write it, before the write (runtime/embed/).
      const embedded = await embedItem(ctx.entity, ctx.embedder, item, stored?.resource);
      if (!embedded.ok) return embedded.response;
      // A GET body written back carries no vector (answers leave it out): the stored one stays.
      const whole = keptVector(ctx.entity, embedded.item, stored?.resource);
      const next = storedForm(ctx, whole, 'replace', stored?.resource ?? {});
      // What it adds (or frees) held under the plan's storage quota (crud/item-bytes.ts).
      const held = await holdItemWrite(ctx, next, stored?.resource);
      if (!held.ok) return held.response;
      try {
        const { resource, etag: newEtag } = await callCosmos(ctx.cosmos, (abortSignal) =>
          ctx.container.item(id, pk).replace(next, { ...conditional(etag), abortSignal }),
        );
        held.write.written();
        // The item as it was, for an audited entity's changes (audit/item-changes.ts); no copy for the others.
        return withPriorItem(
          ok(stripSystemFields(resource ?? item), newEtag),
          ctx.entity.audit ? stored?.resource : undefined,
        );
      } finally {
        held.write.failed();
      }
    },
    // Always read first: the stored version (a rollback's newer items) and owner decide whether it may.
    true,
  );
}

/**
 * DELETE `api/<route>/{id}`: 204; 404 (also for another tenant's item); 412 when the stored ETag is not in
 * `If-Match`.
 *
 * @example
 * ```ts
 * const response = await deleteItem({ ...req, id: '42' });
 * ```
 */
export function deleteItem(ctx: ItemRequest): Promise<HttpResponseInit> {
  const { request, id } = ctx;
  const pk = itemPartition(ctx.entity, request, id, ctx.tenant);
  if (!pk.ok) return Promise.resolve(pk.response);
  const condition = ifMatchOf(request);
  if (!condition.ok) return Promise.resolve(condition.response);
  return writeItem(
    ctx,
    pk.value,
    condition.value,
    async (etag, stored) => {
      // A parent's children first, the caller's own delete of each, all or nothing (relations/cascade-delete.ts).
      const tree = await ctx.relations?.deleteTree(ctx.call, { id, pk: pk.value, etag });
      // A 202 (children still going, the parent gone from reads) is the parent's delete for its readers.
      if (tree && 'response' in tree) return withDeletedItem(tree.response, stored?.resource);
      await callCosmos(ctx.cosmos, (abortSignal) =>
        ctx.container
          .item(id, pk.value)
          .delete({ ...conditional(tree ? tree.etag : etag), abortSignal }),
      );
      if (stored) itemRemoved(ctx.entity, ctx.call, stored.resource);
      // The room it held under the plan's items given back (crud/item-room.ts).
      await itemRoomFreed(ctx);
      // The realtime event goes to whoever could read the item (runtime/realtime/events.ts).
      return withDeletedItem(emptyResponse(204), stored?.resource);
    },
    // A parent is read first (in the caller's confinement): no children go for an item it cannot see. A
    // realtime entity with owner audiences reads it too, to tell its owner.
    // The usage ledger subtracts the item's bytes: a metered delete reads it first too.
    ctx.relations !== undefined || ctx.readsBeforeDelete === true || ctx.usage !== undefined,
  );
}
