/**
 * A directory's record in the tenant registry (`atakora`/`tenants`, keyed by `/id`): its plan and whether it is
 * served. Written by `atakora tenant add|set|suspend|resume` (or by the runtime on a `signUp: 'open'` first request).
 *
 * @example
 * ```ts
 * const r: TenantRecord = {
 *   id: 'contoso', plan: 'free', status: 'active', createdOn: '2026-01-01T00:00:00.000Z', updatedOn: '…',
 * };
 * ```
 */
export interface TenantRecord {
  readonly id: string;
  readonly plan: string;
  readonly status: 'active' | 'suspended';
  readonly name?: string;
  readonly createdOn: string;
  readonly updatedOn: string;
}

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
  return {
    id: o.id,
    plan: text(o.plan),
    status: o.status === 'active' ? 'active' : 'suspended',
    ...(typeof o.name === 'string' ? { name: o.name } : {}),
    createdOn: text(o.createdOn),
    updatedOn: text(o.updatedOn),
  };
}
