import type { HttpResponseInit } from '@azure/functions';
import { problemResponse } from '../../http/response.js';
import type { TenantContext } from '../context.js';
import { type LimitedTenant, type LimitScope, limitedTenant } from './limited-tenant.js';

/** Bytes in the `storageMb` of a plan (MiB, as Cosmos DB and Blob Storage count storage). */
export const BYTES_PER_MB = 1024 * 1024;

// A write of unknown size is refused once the bytes stored reach the quota; one of known size when it would pass it.
const full = (stored: number, max: number, adding: number): HttpResponseInit | undefined =>
  (adding > 0 ? stored + adding <= max * BYTES_PER_MB : stored < max * BYTES_PER_MB)
    ? undefined
    : problemResponse(
        'storage-quota-exceeded',
        adding > 0
          ? `Your directory stores ${stored} bytes and this file adds ${adding}, more than its plan's ${max} ` +
              'MB: delete items or files to write again.'
          : `Your directory stores ${stored} bytes, its plan's ${max} MB: delete items or files to write again.`,
        { quota: 'storageMb' },
      );

/**
 * The plan's `storageMb`: once the tenant's stored bytes (items and files, the ledger's `stored` items over every
 * instance and this one's live count) reach it → 403 `storage-quota-exceeded` on every write that may add bytes
 * (a CRUD create, replace or merge, a file upload or completion). Reads and deletes go on, so a tenant over its
 * quota can always free space.
 *
 * @example
 * ```ts
 * const refusal = storageQuota(ctx, limited); // undefined → within the plan
 * ```
 */
export function storageQuota(
  ctx: TenantContext,
  limited: LimitedTenant,
): HttpResponseInit | undefined | Promise<HttpResponseInit | undefined> {
  const max = limited.plan.storageMb;
  if (max === undefined || !ctx.endpoint.resource) return undefined;
  const op = ctx.endpoint.operation?.(ctx.route);
  if (op !== 'create' && op !== 'update') return undefined;
  const stored = limited.meter.storedBytes(limited.tenant);
  return stored instanceof Promise ? stored.then((s) => full(s, max, 0)) : full(stored, max, 0);
}

/**
 * A write of `adding` bytes the request knows in advance (a file's declared size at its upload's start, its real
 * size at completion) under the plan's `storageMb`: 403 `storage-quota-exceeded` when the tenant's stored bytes
 * plus these would pass it, else undefined (no plan bound, no ledger, an unlimited route).
 *
 * @example
 * ```ts
 * const refusal = await storageRefusal(ctx, declared.size);
 * if (refusal) return refusal;
 * ```
 */
export async function storageRefusal(
  ctx: LimitScope,
  adding: number,
): Promise<HttpResponseInit | undefined> {
  const limited = limitedTenant(ctx);
  const max = limited?.plan.storageMb;
  if (!limited || max === undefined) return undefined;
  return full(await limited.meter.storedBytes(limited.tenant), max, Math.max(0, adding));
}
