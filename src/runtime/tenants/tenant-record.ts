import { billingOf, type TenantRecord } from '../../contract/tenants.js';

export type { TenantRecord } from '../../contract/tenants.js';

/**
 * The record as read from Cosmos DB, system fields dropped; undefined for an item that is not a record (a status
 * other than `active`/`suspended` reads as suspended: an unreadable record never admits).
 *
 * @example
 * ```ts
 * tenantRecordOf({ id: 'contoso', plan: 'free', status: 'active', _etag: '…' })?.status; // 'active'
 * ```
 */
export function tenantRecordOf(item: unknown): TenantRecord | undefined {
  if (!item || typeof item !== 'object') return undefined;
  const o = item as Record<string, unknown>;
  if (typeof o.id !== 'string') return undefined;
  const text = (v: unknown): string => (typeof v === 'string' ? v : '');
  const billing = billingOf(o.billing);
  return {
    id: o.id,
    plan: text(o.plan),
    status: o.status === 'active' ? 'active' : 'suspended',
    ...(typeof o.name === 'string' ? { name: o.name } : {}),
    ...(billing ? { billing } : {}),
    createdOn: text(o.createdOn),
    updatedOn: text(o.updatedOn),
  };
}
