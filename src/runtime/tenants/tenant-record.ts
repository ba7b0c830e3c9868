import {
  billingOf,
  CHECKOUT_SESSION_ID,
  MAX_CHECKOUT_SESSIONS,
  type TenantRecord,
} from '../../contract/tenants.js';
import { organizationDirectoryOf } from '../../contract/enterprise/directory.js';
import { marketplaceLinkOf } from '../../contract/marketplace/marketplace-link.js';
import type { RuntimeAuth, RuntimeTenantPlan } from '../../model/runtime-manifest.js';

export type { TenantRecord } from '../../contract/tenants.js';

/**
 * The record as read from Cosmos DB, system fields dropped; undefined for an item that is not a record — a tombstone
 * (`status: 'erased'`: an erased organization is no tenant) or no id. Any other status than `active`/`suspended`
 * reads as suspended: an unreadable record never admits.
 *
 * @example
 * ```ts
 * tenantRecordOf({ id: 'contoso', plan: 'free', status: 'active', _etag: '…' })?.status; // 'active'
 * ```
 */
export function tenantRecordOf(item: unknown): TenantRecord | undefined {
  if (!item || typeof item !== 'object') return undefined;
  const o = item as Record<string, unknown>;
  if (typeof o.id !== 'string' || o.status === 'erased') return undefined;
  const text = (v: unknown): string => (typeof v === 'string' ? v : '');
  const billing = billingOf(o.billing);
  const directory = organizationDirectoryOf(o.directory);
  const marketplace = marketplaceLinkOf(o.marketplace);
  return {
    id: o.id,
    plan: text(o.plan),
    status: o.status === 'active' ? 'active' : 'suspended',
    ...(typeof o.name === 'string' ? { name: o.name } : {}),
    ...(billing ? { billing } : {}),
    ...(typeof o.deleteOn === 'string' ? { deleteOn: o.deleteOn } : {}),
    ...(o.suspendedBy === 'billing' ? { suspendedBy: 'billing' as const } : {}),
    ...(directory ? { directory } : {}),
    ...checkoutSessionsOf(o.checkoutSessions),
    ...(marketplace ? { marketplace } : {}),
    createdOn: text(o.createdOn),
    updatedOn: text(o.updatedOn),
  };
}

/** The Checkout Session ids a stored value holds (Stripe's shape, the newest kept), as a record's field. */
function checkoutSessionsOf(value: unknown): { checkoutSessions?: readonly string[] } {
  if (!Array.isArray(value)) return {};
  const ids = value
    .filter((v): v is string => typeof v === 'string' && CHECKOUT_SESSION_ID.test(v))
    .slice(-MAX_CHECKOUT_SESSIONS);
  return ids.length > 0 ? { checkoutSessions: ids } : {};
}

/**
 * A tenant as the registry admitted it (`auth.allowedTenants: 'registry'`): its record and its plan's limits; for
 * the home directory without a record, an active one on the default plan.
 *
 * @example
 * ```ts
 * const registered: RegisteredTenant = { record, limits: registry.plans[record.plan] ?? {} };
 * ```
 */
export interface RegisteredTenant {
  readonly record: TenantRecord;
  readonly limits: RuntimeTenantPlan;
}

/**
 * Whether `tid` is the backend's own (home) directory (case-insensitively, as GUIDs).
 *
 * @example
 * ```ts
 * isHomeDirectory('72F9…', policy); // true for policy.homeTenant '72f9…'
 * ```
 */
export function isHomeDirectory(
  tid: string | undefined,
  policy: Pick<RuntimeAuth, 'homeTenant'> | undefined,
): boolean {
  const home = policy?.homeTenant;
  return tid !== undefined && home !== undefined && tid.toLowerCase() === home.toLowerCase();
}
