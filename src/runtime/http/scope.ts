import { refused } from './response.js';
import type { HttpRequest, HttpResponseInit } from '@azure/functions';
import type { RuntimeEntity } from '../../model/runtime-manifest.js';
import { problemResponse } from './response.js';
import {
  explicitPartitionValue,
  isPartitionValue,
  PARTITION_HEADER,
  partitionField,
  type PartitionValue,
} from '../values/partition.js';
import { isIsolated, TENANT_FIELD, type Tenant } from '../values/tenancy.js';
import { isWellFormed } from '../values/text-checks.js';

/** A value, or the error response to send instead. */
export type Resolved<T> = { ok: true; value: T } | { ok: false; response: HttpResponseInit };

/**
 * Fill the body's `tenantId` with the caller's tenant, or refuse (403) a body that names another tenant;
 * the refusal names where the caller's tenant came from (its token's claim, or a gateway's header).
 * Mutates `body`, which the caller owns (it was just parsed).
 *
 * @example
 * ```ts
 * const denied = applyTenant(entity, body, tenant);
 * if (denied) return denied;
 * ```
 */
export function applyTenant(
  entity: RuntimeEntity,
  body: Record<string, unknown>,
  tenant: Tenant | undefined,
): HttpResponseInit | undefined {
  if (!isIsolated(entity)) {
    // Reserved on shared entities too: a planted tenantId would surface in that tenant if the entity became isolated.
    return Object.hasOwn(body, TENANT_FIELD)
      ? problemResponse(
          'tenant-mismatch',
          `${TENANT_FIELD} is reserved: ${entity.entityName} is shared by every tenant, so a body may not name one.`,
        )
      : undefined;
  }
  if (tenant === undefined) return undefined;
  if (!Object.hasOwn(body, TENANT_FIELD)) {
    body[TENANT_FIELD] = tenant.id;
    return undefined;
  }
  if (body[TENANT_FIELD] !== tenant.id) {
    return problemResponse(
      'tenant-mismatch',
      `The body's ${TENANT_FIELD} is not your tenant (taken from ${tenant.source}).`,
    );
  }
  return undefined;
}

/**
 * A 400 when the client named a partition key value (`?pk=` / `x-partition-key`) that can be no key: text
 * that is not well-formed UTF-16 (a lone surrogate), which has no UTF-8 form to store or put in a URL.
 *
 * @example
 * ```ts
 * const bad = badPartitionValue(request);
 * if (bad) return bad;
 * ```
 */
export function badPartitionValue(request: HttpRequest): HttpResponseInit | undefined {
  const raw = request.query.get('pk') ?? request.headers.get(PARTITION_HEADER);
  if (raw === null || isWellFormed(raw)) return undefined;
  return problemResponse(
    'invalid-partition-key',
    'The partition key value (?pk= or x-partition-key) is not well-formed text (it holds a lone UTF-16 surrogate).',
  );
}

/**
 * The partition key value of the item addressed by `id`: the id itself for `/id`, the caller's tenant for
 * `/tenantId`, else `?pk=` / `x-partition-key`, else (PUT/PATCH) the body's partition key field.
 *
 * @example
 * ```ts
 * const pk = itemPartition(entity, request, id, tenant);
 * if (!pk.ok) return pk.response;
 * await container.item(id, pk.value).read();
 * ```
 */
export function itemPartition(
  entity: RuntimeEntity,
  request: HttpRequest,
  id: string,
  tenant: Tenant | undefined,
  body?: Readonly<Record<string, unknown>>,
): Resolved<PartitionValue> {
  const field = partitionField(entity);
  if (field === 'id') return { ok: true, value: id };
  if (field === TENANT_FIELD && tenant !== undefined) return { ok: true, value: tenant.id };
  const bad = badPartitionValue(request);
  if (bad) return { ok: false, response: bad };
  const explicit = explicitPartitionValue(entity, request);
  if (explicit !== undefined) return { ok: true, value: explicit };
  const fromBody = body?.[field];
  if (isPartitionValue(fromBody)) return { ok: true, value: fromBody };
  return refused(
    'partition-key-required',
    `Pass the ${field} partition key value as ?pk= or the x-partition-key header.`,
  );
}
