import type { RequestOptions } from '@azure/cosmos';
import type { PartitionValue } from '../values/partition.js';
import type { HttpRequest, HttpResponseInit } from '@azure/functions';
import {
  type CallIntent,
  cosmosErrorResponse,
  cosmosStatus,
  OWNER_NOT_FOUND_SUBSTATUS,
} from '../http/cosmos-errors.js';
import { callCosmos } from '../data/cosmos-policy.js';
import type { CrudRequest, CrudStore, ItemRequest } from './context.js';
import { problemResponse, refused } from '../http/response.js';
import { entityTag, type IfMatch, ifMatchSatisfied, isWeakTag } from '../data/if-match.js';
import { ReadCache } from '../data/read-cache.js';
import { applyTenant, itemPartition, type Resolved } from '../http/scope.js';
import { readJsonObject } from '../http/body.js';
import { idError, ownValue } from '../http/schema-validator.js';
import { belongsTo, TENANT_FIELD, type Tenant } from '../values/tenancy.js';
import { refusedWrite, visibleTo } from '../access/scope.js';
import { at } from '../../model/at.js';
import { isDeleting } from '../relations/deleting.js';

/** `User "42"`, as problem details name an item. */
export function what(ctx: CrudStore, id: string): string {
  return `${ctx.entity.entityName} "${id}"`;
}

/** The request options of a write conditional on `etag` (none when `undefined`). */
export function conditional(etag: string | undefined): RequestOptions {
  return etag ? { accessCondition: { type: 'IfMatch', condition: etag } } : {};
}

/** 404 for an item that is missing — or another tenant's, which the caller must not learn exists. */
export function notFound(ctx: CrudStore, id: string): HttpResponseInit {
  return problemResponse('not-found', `${what(ctx, id)} does not exist.`);
}

/** 412: the stored ETag is not one the client's If-Match lists. */
export function preconditionFailed(ctx: CrudStore, id: string): HttpResponseInit {
  return problemResponse(
    'precondition-failed',
    `${what(ctx, id)} has changed since the ETag in If-Match: read it again and retry.`,
  );
}

export { ifMatchOf } from '../http/if-match-header.js';

/**
 * The read-cache key of an item: partition key value and id, and the tenant — for an entity not partitioned
 * by tenant, one id may be cached for one tenant only.
 */
export function cacheKey(pk: unknown, id: string, tenant: Tenant | undefined): string {
  return ReadCache.key(tenant === undefined ? pk : [tenant.id, pk], id);
}

/** Run a call, mapping Cosmos DB failures to the client's response (see cosmosErrorResponse). */
export async function orCosmosError(
  ctx: CrudStore,
  id: string,
  run: () => Promise<HttpResponseInit>,
  intent: CallIntent = {},
): Promise<HttpResponseInit> {
  try {
    return await run();
  } catch (e) {
    const response = cosmosErrorResponse(e, what(ctx, id), ctx.cosmos.retryAfterSeconds, intent);
    if (response) return response;
    throw e;
  }
}

/** Run a write with the item's cache entry invalidated before and after, whatever the outcome. */
export async function invalidating<T>(
  ctx: CrudStore,
  key: string,
  write: () => Promise<T>,
): Promise<T> {
  ctx.cache?.invalidate(key);
  try {
    return await write();
  } finally {
    // After too: a read that started before the write must not cache the old version (see ReadCache.set).
    ctx.cache?.invalidate(key);
  }
}

/** A stored item (without asking the client) and its ETag. */
export interface Stored {
  readonly resource: Record<string, unknown>;
  readonly etag: string | undefined;
}

/** Why no stored item is handed out: the response to send (404, or 403 for a reader who may not change it). */
export interface Absent {
  readonly absent: HttpResponseInit;
}

/**
 * Read the stored item, or the answer when there is none to hand out: 404 when it is absent from that partition
 * — or belongs to another tenant (or to none: an item written before tenant isolation), or to another owner
 * under an owner-only scope — which the caller must not learn exists; but 403 naming the rule when the caller's
 * rules let them read it (they know it exists) and only its owner may make this change.
 */
export async function readStored(
  ctx: CrudRequest,
  id: string,
  pk: PartitionValue,
  tenant: Tenant | undefined,
): Promise<Stored | Absent> {
  const response = await callCosmos(ctx.cosmos, (abortSignal) =>
    ctx.container.item(id, pk).read<Record<string, unknown>>({ abortSignal }),
  );
  const { resource, etag } = response;
  // read() reports 404 without throwing; a missing container must still surface as a server error.
  if (response.statusCode === 404 && response.substatus === OWNER_NOT_FOUND_SUBSTATUS) {
    throw new Error(
      `Container ${ctx.container.id} does not exist (404/${OWNER_NOT_FOUND_SUBSTATUS}).`,
    );
  }
  // Defence in depth: never hand out an item whose stored key differs from the partition asked for.
  // A parent whose delete is under way (relations/deleting.ts) is gone already, to every read and write.
  if (
    !resource ||
    resource[ctx.pkField] !== pk ||
    !belongsTo(resource, tenant) ||
    isDeleting(resource)
  )
    return { absent: notFound(ctx, id) };
  if (!visibleTo(ctx, resource)) return { absent: refusedWrite(ctx) ?? notFound(ctx, id) };
  return { resource, etag: etag || resource._etag };
}

/**
 * Whether a PUT or DELETE must read the item first: to check its tenant (an isolated entity not partitioned
 * by tenant: the key alone does not confine the write), or to compare a list of tags.
 */
function mustRead(ctx: CrudRequest, tenant: Tenant | undefined, condition: IfMatch): boolean {
  // An owner-only request must see the item's owner before it may change it.
  return (
    (tenant !== undefined && ctx.pkField !== TENANT_FIELD) ||
    (condition.kind === 'tags' &&
      (condition.tags.length > 1 || isWeakTag(at(condition.tags, 0)))) ||
    ctx.access?.ownOnly === true
  );
}

/**
 * Run a PUT or DELETE write conditionally. One strong client tag goes to Cosmos DB quoted (and on a 412 the
 * stored tag is read and compared, in case the server keeps another form); when the item must be read
 * first (tenant check, several tags) the write is conditional on the read's ETag, so nothing changes between
 * the check and the write. If such a write loses a race the client did not ask about (no If-Match), it reads
 * again, up to `ctx.mergeRetry.attempts` times, then answers 409 `write-contention`.
 */
export async function guardedWrite(
  ctx: CrudRequest,
  id: string,
  pk: PartitionValue,
  tenant: Tenant | undefined,
  condition: IfMatch,
  write: (etag: string | undefined, stored?: Stored) => Promise<HttpResponseInit>,
  readFirst = false,
): Promise<HttpResponseInit> {
  if (!readFirst && !mustRead(ctx, tenant, condition)) {
    if (condition.kind !== 'tags') return write(undefined);
    try {
      // One strong tag goes to Cosmos DB in its quoted form (Cosmos DB's own); a 412 may only mean the server
      // keeps its tags in another form (the local one: bare), so the read below compares them as tags.
      return await write(entityTag(at(condition.tags, 0)));
    } catch (e) {
      if (cosmosStatus(e) !== 412) throw e;
    }
  }
  for (let attempt = 1; ; attempt++) {
    const stored = await readStored(ctx, id, pk, tenant);
    if ('absent' in stored) return stored.absent;
    if (!ifMatchSatisfied(condition, stored.etag)) return preconditionFailed(ctx, id);
    try {
      return await write(stored.etag, stored);
    } catch (e) {
      if (cosmosStatus(e) !== 412 || condition.kind === 'tags') throw e;
      if (attempt >= ctx.mergeRetry.attempts) return contention(ctx, id);
    }
  }
}

/**
 * A PUT or DELETE of the request's item: {@link guardedWrite} with the item's cache entry invalidated around it and
 * Cosmos DB's failures answered as the client's (503/429 with `Retry-After`).
 *
 * @example
 * ```ts
 * return writeItem(ctx, pk, condition.value, async (etag, stored) => …, true);
 * ```
 */
export function writeItem(
  ctx: ItemRequest,
  pk: PartitionValue,
  condition: IfMatch,
  write: (etag: string | undefined, stored?: Stored) => Promise<HttpResponseInit>,
  readFirst = false,
): Promise<HttpResponseInit> {
  const { id, tenant } = ctx;
  return orCosmosError(
    ctx,
    id,
    () =>
      invalidating(ctx, cacheKey(pk, id, tenant), () =>
        guardedWrite(ctx, id, pk, tenant, condition, write, readFirst),
      ),
    { write: id },
  );
}

/** 409 after the retries of a write the client did not condition ran out. */
export function contention(ctx: CrudStore, id: string): HttpResponseInit {
  return problemResponse(
    'write-contention',
    `${what(ctx, id)} is being changed by other requests too often to write: retry later.`,
    {
      headers: { 'Retry-After': '1' },
    },
  );
}

/**
 * What a PUT or PATCH writes: its JSON object body and the partition, or the response refusing the request
 * (media type and shape, partition key, then {@link checkIdentity}). Nothing is read or written yet.
 *
 * @example
 * ```ts
 * const target = await writeTarget(ctx, request, '42', tenant);
 * if (!target.ok) return target.response;
 * ```
 */
export async function writeTarget(
  ctx: CrudStore,
  request: HttpRequest,
  id: string,
  tenant: Tenant | undefined,
): Promise<Resolved<{ body: Record<string, unknown>; pk: PartitionValue }>> {
  // The URL id is the item's id: a write under an id the schema's maxLength refuses is a 400 before any read.
  const bad = idError(ctx.entity, id);
  if (bad)
    return refused('validation', `The id in the URL is not a valid ${ctx.entity.entityName} id.`, {
      errors: [bad],
    });
  const parsed = await readJsonObject(request);
  if (!parsed.ok) return { ok: false, response: parsed.response };
  const body = parsed.value;
  const pk = itemPartition(ctx.entity, request, id, tenant, body);
  if (!pk.ok) return pk;
  const identity = checkIdentity(ctx, body, id, pk.value, tenant);
  if (identity) return { ok: false, response: identity };
  return { ok: true, value: { body, pk: pk.value } };
}

/**
 * Checks shared by PUT and PATCH: tenant, immutable id, immutable partition key.
 *
 * @example
 * ```ts
 * const refused = checkIdentity(ctx, body, id, pk.value, tenant);
 * if (refused) return refused;
 * ```
 */
export function checkIdentity(
  ctx: CrudStore,
  body: Record<string, unknown>,
  id: string,
  pk: unknown,
  tenant: Tenant | undefined,
): HttpResponseInit | undefined {
  const denied = applyTenant(ctx.entity, body, tenant);
  if (denied) return denied;
  const bodyId = ownValue(body, 'id');
  if (bodyId !== undefined && bodyId !== id) {
    return problemResponse(
      'id-immutable',
      'The body id differs from the id in the URL; ids cannot change.',
      {
        errors: [{ field: 'id', code: 'immutable', message: 'id cannot change' }],
      },
    );
  }
  const bodyPk = ownValue(body, ctx.pkField);
  if (ctx.pkField !== 'id' && bodyPk !== undefined && bodyPk !== pk) {
    return problemResponse(
      'partition-key-immutable',
      `${ctx.pkField} is the partition key and cannot change.`,
      {
        errors: [
          { field: ctx.pkField, code: 'immutable', message: `${ctx.pkField} cannot change` },
        ],
      },
    );
  }
  return undefined;
}
