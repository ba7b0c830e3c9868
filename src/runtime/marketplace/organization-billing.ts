// The one place the Marketplace channel changes an organization's life (DESIGN §2, "One life per organization"):
// suspended by billing, reinstated, `onCanceled` after an unsubscription, and which organizations a channel may bill.
// Its moves are the organization's life table's (model/lives/organization-record.ts `organizationMoved`: billing ends,
// billing pays) — nothing under runtime/marketplace decides an organization's status on its own.
import type { TenantRecord } from '../../contract/tenants.js';
import { organizationMoved } from '../../model/lives/organization-record.js';
import { marketplaceLive } from '../../contract/marketplace/marketplace-link.js';
import {
  stripeSubscriptionLive,
  stripeUsageCustomer,
} from '../../contract/marketplace/billing-channel.js';

/**
 * Whether the record is no organization any more (erased: a tombstone `{ id, status: 'erased', erasedOn }` reads with
 * no `createdOn`; or a record without one): a webhook for it is answered 2xx and changes nothing.
 *
 * @example
 * ```ts
 * organizationGone(tenantRecordOf({ id: 'acme', status: 'erased', erasedOn: '…' })!); // true
 * ```
 */
export const organizationGone = (record: TenantRecord): boolean => record.createdOn === '';

/**
 * Whether Stripe bills the organization (one channel per organization, billing-channel.ts): a live
 * subscription, or a customer the operator gave it for usage with no subscription ever linked — the first channel
 * holds, so a Marketplace purchase is not linked beside either (`linkedHere`: the purchase holds it already, and a
 * customer given since waits).
 *
 * @example
 * ```ts
 * stripeBills({ ...record, billing: { stripeCustomerId: 'cus_1', subscription: { id: 'sub_1', status: 'active' } } }); // true
 * ```
 */
export const stripeBills = (record: TenantRecord, linkedHere = false): boolean =>
  stripeSubscriptionLive(record) || (!linkedHere && stripeUsageCustomer(record));

/**
 * Whether a Marketplace subscription other than `subscriptionId` bills the organization.
 *
 * @example
 * ```ts
 * otherMarketplaceBills(record, '37f9…'); // false for a record linked to 37f9…, or to nothing
 * ```
 */
export const otherMarketplaceBills = (record: TenantRecord, subscriptionId: string): boolean =>
  marketplaceLive(record.marketplace) &&
  record.marketplace?.subscriptionId.toLowerCase() !== subscriptionId.toLowerCase();

/**
 * Suspended by billing (Marketplace's Suspend): an active organization only — an operator's suspension, or an Owner's
 * deletion, stays theirs (they carry no `suspendedBy`).
 *
 * @example
 * ```ts
 * suspendedByBilling({ ...record, status: 'active' }).suspendedBy; // 'billing'
 * ```
 */
export function suspendedByBilling(record: TenantRecord): TenantRecord {
  return billingMoved(record, 'billing-ends');
}

/**
 * Active again (Marketplace's Reinstate, or a purchase paid): only a suspension billing made is lifted.
 *
 * @example
 * ```ts
 * reinstated({ ...record, status: 'suspended', suspendedBy: 'billing' }).status; // 'active'
 * ```
 */
export function reinstated(record: TenantRecord): TenantRecord {
  return billingMoved(record, 'billing-pays');
}

/** `record` after a billing event, as the life table moves it (billing's events read no clock); refused: as it was. */
function billingMoved(record: TenantRecord, event: 'billing-ends' | 'billing-pays'): TenantRecord {
  const moved = organizationMoved(record, event, Number.NaN);
  return moved.ok ? moved.record : record;
}

/**
 * After an unsubscription: `tenants.billing.onCanceled` — the default plan (`'default-plan'`: active on it, so a
 * suspension billing made for the unpaid subscription is lifted with it — the operator's or the Owner's stays), or
 * suspended by billing (`'suspend'`). Never deletes: the organization's data stays (DESIGN: kept at least 7 days; only the Owner's `DELETE
 * api/tenant` or the operator erases it).
 *
 * @example
 * ```ts
 * canceled(record, 'default-plan', 'free').plan; // 'free'
 * ```
 */
export function canceled(
  record: TenantRecord,
  onCanceled: 'default-plan' | 'suspend',
  defaultPlan: string,
): TenantRecord {
  return onCanceled === 'suspend'
    ? suspendedByBilling(record)
    : { ...reinstated(record), plan: defaultPlan };
}
