import type { HttpRequest, HttpResponseInit } from '@azure/functions';
import type { RuntimeEntity } from '../model/runtime-manifest.js';
import { problemResponse } from './http-response.js';
import {
  explicitPartitionValue,
  isPartitionValue,
  isTenantScoped,
  partitionField,
  type PartitionValue,
  TENANT_HEADER,
  tenantOf,
} from './partition.js';

/** A value, or the error response to send instead. */
export type Resolved<T> = { ok: true; value: T } | { ok: false; response: HttpResponseInit };

/**
 * The caller's tenant for a tenant-scoped entity (`undefined` value for other entities). A missing
 * `x-tenant-id` is a **403** (`urn:atakora:problem:tenant-required`, DESIGN §6): without a tenant nothing
 * may be read or written. The header names a partition, it is not a credential — authentication belongs to
 * the platform in front of the app (Easy Auth, APIM), which should set it.
 *
 * @example
 * ```ts
 * const tenant = requireTenant(entity, request);
 * if (!tenant.ok) return tenant.response;
 * ```
 */
export function requireTenant(entity: RuntimeEntity, request: HttpRequest): Resolved<string | undefined> {
  if (!isTenantScoped(entity)) return { ok: true, value: undefined };
  const tenant = tenantOf(request);
  if (tenant === undefined) {
    return { ok: false, response: problemResponse(403, 'tenant-required', `The ${TENANT_HEADER} header is required for ${entity.entityName}.`) };
  }
  return { ok: true, value: tenant };
}

/**
 * Fill the body's `tenantId` from the header, or refuse (403) a body that names another tenant.
 * Mutates `body`, which the caller owns (it was just parsed).
 *
 * @example
 * ```ts
 * const denied = applyTenant(entity, body, tenant);
 * if (denied) return denied;
 * ```
 */
export function applyTenant(entity: RuntimeEntity, body: Record<string, unknown>, tenant: string | undefined): HttpResponseInit | undefined {
  if (!isTenantScoped(entity) || tenant === undefined) return undefined;
  if (body.tenantId === undefined) {
    body.tenantId = tenant;
    return undefined;
  }
  if (body.tenantId !== tenant) {
    return problemResponse(403, 'tenant-mismatch', `The body's tenantId does not match the ${TENANT_HEADER} header.`);
  }
  return undefined;
}

/**
 * The partition key value of the item addressed by `id`: the id itself for `/id`, the tenant for
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
  tenant: string | undefined,
  body?: Readonly<Record<string, unknown>>,
): Resolved<PartitionValue> {
  const field = partitionField(entity);
  if (field === 'id') return { ok: true, value: id };
  if (tenant !== undefined) return { ok: true, value: tenant };
  const explicit = explicitPartitionValue(entity, request);
  if (explicit !== undefined) return { ok: true, value: explicit };
  const fromBody = body?.[field];
  if (isPartitionValue(fromBody)) return { ok: true, value: fromBody };
  return {
    ok: false,
    response: problemResponse(400, 'partition-key-required', `Pass the ${field} partition key value as ?pk= or the x-partition-key header.`),
  };
}
