import type { RuntimeEntity } from '../../model/runtime-manifest.js';

/**
 * The item field that records the tenant an item belongs to. For `/tenantId` entities it is also the
 * partition key; for every other isolated entity the runtime stamps it on write and filters by it.
 *
 * @example
 * ```ts
 * const item = { id: '42', [TENANT_FIELD]: 'contoso' }; // as read from an isolated entity's container
 * item[TENANT_FIELD]; // 'contoso'
 * ```
 */
export const TENANT_FIELD = 'tenantId';

/**
 * The caller's tenant and where it came from, so a refusal names what the caller actually sent (a claim of
 * its token, or a header a trusted gateway set).
 *
 * @example
 * ```ts
 * const tenant: Tenant = { id: 'contoso', source: 'the tid claim of your token' };
 * ```
 */
export interface Tenant {
  readonly id: string;
  readonly source: string;
}

/**
 * Whether every request of the entity is confined to the caller's tenant: all entities unless the CrudApi
 * says `tenancy: 'shared'` (DESIGN §6). A `/tenantId` entity is isolated by its partition key whatever it says.
 *
 * @example
 * ```ts
 * isIsolated({ partitionKey: '/id' } as RuntimeEntity);                     // true
 * isIsolated({ partitionKey: '/id', tenancy: 'shared' } as RuntimeEntity); // false
 * ```
 */
export function isIsolated(entity: Pick<RuntimeEntity, 'partitionKey' | 'tenancy'>): boolean {
  return entity.partitionKey === `/${TENANT_FIELD}` || entity.tenancy !== 'shared';
}

/**
 * Whether a stored item belongs to the tenant (always, for a shared entity). An item written before
 * isolation existed has no `tenantId` and so belongs to no tenant: it is invisible until migrated.
 *
 * @example
 * ```ts
 * if (!belongsTo(stored, tenant)) return notFound();
 * ```
 */
export function belongsTo(
  resource: Readonly<Record<string, unknown>>,
  tenant: Tenant | undefined,
): boolean {
  return tenant === undefined || resource[TENANT_FIELD] === tenant.id;
}
