import type { HttpResponseInit } from '@azure/functions';
import type { Membership } from '../../../contract/members.js';
import type { TenantRecord } from '../../../contract/tenants.js';
import { organizationLifeOf } from '../../../model/lives/organization-life.js';
import { problemResponse } from '../../http/response.js';
import type { MembersApi } from '../members-api.js';
import { seatFreed } from '../seats/seats.js';

/**
 * Whether the organization `record` is one a door may still admit a person into: not deleted by its Owner, not
 * erased, not gone (model/lives/organization-life.ts). Its suspension is each door's own answer before it writes.
 *
 * @example
 * ```ts
 * organizationOpen({ status: 'suspended', deleteOn: '2026-12-01T00:00:00Z' }); // false
 * ```
 */
export function organizationOpen(record: TenantRecord | undefined): boolean {
  if (!record) return false;
  const life = organizationLifeOf(record);
  return life !== 'deleted' && life !== 'erased';
}

/**
 * 403 `tenant-suspended` of a door into an organization its Owner deleted (or that is erased): nobody joins it,
 * until an Owner restores it (`POST api/tenant/undelete`) before it is erased.
 *
 * @example
 * ```ts
 * if (!organizationOpen(record)) return organizationClosed('acme');
 * ```
 */
export const organizationClosed = (tenant: string): HttpResponseInit =>
  problemResponse(
    'tenant-suspended',
    `Organization ${tenant} was deleted by its Owner: nobody joins it unless an Owner restores it (POST ` +
      'api/tenant/undelete) before it is erased.',
  );

/**
 * The 403 `tenant-suspended` of a door into an organization that is not active: {@link organizationClosed} when its
 * Owner deleted it (or it is erased), else suspended — `then` says when to come back.
 *
 * @example
 * ```ts
 * if (record.status !== 'active') return notActive('acme', record, 'join it once it is active again.');
 * ```
 */
export const notActive = (tenant: string, record: TenantRecord, then: string): HttpResponseInit =>
  organizationOpen(record)
    ? problemResponse('tenant-suspended', `Organization ${tenant} is suspended: ${then}`)
    : organizationClosed(tenant);

/**
 * After a door created `membership` (it found the organization open first): whether the organization was deleted or
 * erased meanwhile. The Owner's delete and the erase write the record; a door whose membership was written before
 * that write left a member the delete (or the erase) finds, and one written after sees it here — the door takes its
 * membership back (at the version it wrote, its seat with it) and answers as for a deleted organization. Of a
 * deletion and a join at once, the deletion stands: no door opens into a deleted organization.
 *
 * @example
 * ```ts
 * if (await closedMeanwhile(api, made.value, made.etag)) return organizationClosed(tenant);
 * ```
 */
export async function closedMeanwhile(
  api: MembersApi,
  membership: Membership,
  etag: string,
): Promise<boolean> {
  if (organizationOpen((await api.admin.read(membership.tenant))?.record)) return false;
  const removed = await api.store.remove(membership.tenant, membership.userId, etag);
  api.cache.forget(membership.tenant, membership.userId);
  if (removed === 'removed') await seatFreed(api, membership.tenant);
  return true;
}
