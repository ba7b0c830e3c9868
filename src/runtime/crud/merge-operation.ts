import type { PartitionValue } from '../values/partition.js';
import { embedItem, withoutClientVector } from '../embed/item-embedding.js';
import type { HttpResponseInit } from '@azure/functions';
import { cosmosStatus } from '../http/cosmos-errors.js';
import { callCosmos } from '../data/cosmos-policy.js';
import type { CrudRequest, ItemRequest } from './context.js';
import { jsonTextResponse } from '../http/response.js';
import { withPriorItem } from '../audit/item-changes.js';
import { type IfMatch, ifMatchSatisfied } from '../data/if-match.js';
import {
  cacheKey,
  conditional,
  contention,
  ifMatchOf,
  invalidating,
  orCosmosError,
  preconditionFailed,
  readStored,
  writeTarget,
} from './item-store.js';
import { backoff } from '../data/merge-retry.js';
import { refusedItem, storedForm } from './stored-form.js';
import { holdItemWrite } from './item-bytes.js';
import { setOwn, stripSystemFields } from '../values/system-fields.js';
import { fillDefaults } from '../values/item-defaults.js';
import { presentStored, refuseAhead } from './versioned-items.js';
import type { Tenant } from '../values/tenancy.js';
import { keepOwner } from '../access/scope.js';

/** RFC 7396 merge of top-level fields onto a copy of the stored item: `null` removes, anything else sets. */
function merge(
  stored: Readonly<Record<string, unknown>>,
  patch: Readonly<Record<string, unknown>>,
): Record<string, unknown> {
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
 * between) is a 412. Without it, a lost race is retried with backoff and jitter (`CrudStore.mergeRetry`); when the
 * retries run out the answer is **409** `write-contention` with `Retry-After` — never a 412 about an
 * If-Match the client did not send. Another tenant's item is a 404, like a missing one.
 *
 * @example
 * ```ts
 * // PATCH /api/counters/c1  If-Match: "…"  { "count": 8 }
 * const response = await mergeItem({ ...req, id: 'c1' });
 * ```
 */
export async function mergeItem(ctx: ItemRequest): Promise<HttpResponseInit> {
  const { request, id, tenant } = ctx;
  const target = await writeTarget(ctx, request, id, tenant);
  if (!target.ok) return target.response;
  const { body: patch, pk } = target.value;
  const condition = ifMatchOf(request);
  if (!condition.ok) return condition.response;
  // Only what the patch sets can change a reference.
  const unknownReference = await ctx.relations?.checkReferences(ctx.call, patch);
  if (unknownReference) return unknownReference;
  const key = cacheKey(pk, id, tenant);
  return orCosmosError(
    ctx,
    id,
    () =>
      ctx.mergeQueue.run(key, ctx.cosmos.timeoutMs, () =>
        invalidating(ctx, key, () => mergeWithRetry(ctx, id, pk, tenant, patch, condition.value)),
      ),
    { write: id },
  );
}

/** Read, merge, validate and write conditionally on the read's ETag, again after a lost race (see mergeItem). */
async function mergeWithRetry(
  ctx: CrudRequest,
  id: string,
  pk: PartitionValue,
  tenant: Tenant | undefined,
  patch: Readonly<Record<string, unknown>>,
  condition: IfMatch,
): Promise<HttpResponseInit> {
  const started = performance.now();
  for (let attempt = 1; ; attempt++) {
    const stored = await readStored(ctx, id, pk, tenant);
    if ('absent' in stored) return stored.absent;
    if (!ifMatchSatisfied(condition, stored.etag)) return preconditionFailed(ctx, id);
    const ahead = refuseAhead(ctx, stored.resource);
    if (ahead) return ahead;
    const refused = keepOwner(ctx, { ...patch }, stored, false);
    if (refused) return refused;
    // After the merge: a `null` on a defaulted field resets it to its default.
    // The patch applies to the item in its current shape (older items through their migrations first).
    const current = await presentStored(ctx, stored.resource);
    if (!current.ok) return current.response;
    const merged = fillDefaults(ctx.entity.schema, merge(current.item, patch));
    const invalid = refusedItem(ctx, withoutClientVector(ctx.entity, merged), 'The merged item');
    if (invalid) return invalid;
    // The vector from the merged text: kept when the text is unchanged, else embedded anew (runtime/embed/).
    const embedded = await embedItem(ctx.entity, ctx.embedder, merged, stored.resource);
    if (!embedded.ok) return embedded.response;
    const next = storedForm(ctx, embedded.item, 'update', stored.resource);
    // What it adds (or frees) held under the plan's storage quota (crud/item-bytes.ts), again on each attempt.
    const held = await holdItemWrite(ctx, next, stored.resource);
    if (!held.ok) return held.response;
    try {
      const { resource, etag } = await callCosmos(ctx.cosmos, (abortSignal) =>
        ctx.container.item(id, pk).replace(next, { ...conditional(stored.etag), abortSignal }),
      );
      held.write.written();
      // The item as it was, for an audited entity's changes (audit/item-changes.ts); no copy for the others.
      return withPriorItem(
        jsonTextResponse(
          200,
          JSON.stringify(stripSystemFields(resource ?? merged)),
          etag ? { ETag: etag } : {},
        ),
        ctx.entity.audit ? stored.resource : undefined,
      );
    } catch (e) {
      if (cosmosStatus(e) !== 412) throw e;
      // The client's own ETag was current when read and is stale now: the 412 is about its If-Match.
      if (condition.kind === 'tags') return preconditionFailed(ctx, id);
      // Retries stop at the attempt limit, and at the deadline of one call so the request stays bounded.
      if (attempt >= ctx.mergeRetry.attempts || performance.now() - started > ctx.cosmos.timeoutMs)
        return contention(ctx, id);
      await backoff(ctx.mergeRetry, attempt);
    } finally {
      held.write.failed();
    }
  }
}
