import { problemResponse } from '../../http/response.js';
import type { Passed, TenantContext } from '../context.js';
import { refuse } from '../stage-list.js';
import { limitedTenant } from './limited-tenant.js';

/** Bytes in the `storageMb` of a plan (MiB, as Cosmos DB and Blob Storage count storage). */
export const BYTES_PER_MB = 1024 * 1024;

/**
 * The plan's `storageMb`: once the tenant's stored bytes (items and files, the ledger's `stored` items over every
 * instance and this one's live count) reach it → 403 `storage-quota-exceeded` on every write that may add bytes
 * (a CRUD create, replace or merge, a file upload or completion). Reads and deletes go on, so a tenant over its
 * quota can always free space.
 *
 * @example
 * ```ts
 * const passed = await storageQuota(ctx);
 * ```
 */
export async function storageQuota(ctx: TenantContext): Promise<Passed<TenantContext>> {
  const limited = limitedTenant(ctx);
  const max = limited?.plan.storageMb;
  if (!limited || max === undefined || !ctx.endpoint.resource) return { ok: true, ctx };
  const op = ctx.endpoint.operation?.(ctx.route);
  if (op !== 'create' && op !== 'update') return { ok: true, ctx };
  const stored = await limited.meter.storedBytes(limited.tenant);
  if (stored < max * BYTES_PER_MB) return { ok: true, ctx };
  return refuse(
    problemResponse(
      'storage-quota-exceeded',
      `Your directory stores ${stored} bytes, its plan's ${max} MB: delete items or files to write again.`,
      { quota: 'storageMb' },
    ),
  );
}
