import type { AuditActor } from '../../contract/audit.js';
import type { TenantRecord } from '../../contract/tenants.js';
import { recordAudit } from '../audit/record-audit.js';
import type { SubscriptionsStripe } from '../billing/subscriptions-port.js';
import type { SubscriptionsApi } from './subscriptions-wiring.js';

/**
 * The organization's billing once its customer `stale` is found missing at Stripe, on `created`: what belongs to the
 * organization stays (the events applied, one trial per organization), what belonged to the dead customer goes (its
 * subscription, ended: a checkout runs only without a live one).
 */
function onNewCustomer(record: TenantRecord, created: string, now: string): TenantRecord {
  const billing = record.billing;
  return {
    ...record,
    billing: {
      stripeCustomerId: created,
      ...(billing?.events ? { events: billing.events } : {}),
      ...(billing?.trialUsed ? { trialUsed: true as const } : {}),
    },
    updatedOn: now,
  };
}

/**
 * The organization's stored Stripe customer `stale` is one Stripe does not know (Checkout answered 400
 * `resource_missing` on `customer`: deleted in the dashboard, or written from another account): a new customer is
 * created — its idempotency key the organization's and the stale id's, so two Checkouts at once make one — and kept
 * on the record in the stale one's place with the record's ETag, audited (`organization.billing-changed` by the
 * Owner, `reason: 'customer-missing-at-stripe'`). The customer the Checkout should name now: the new one, or the
 * one another writer put there meanwhile; null when the record kept changing or went (the caller answers 409).
 *
 * @example
 * ```ts
 * const customer = await replaceMissingCustomer(api, stripe, 'acme', 'cus_Deleted', { id: 'ada', via: 'api' });
 * ```
 */
export async function replaceMissingCustomer(
  api: SubscriptionsApi,
  stripe: SubscriptionsStripe,
  tenant: string,
  stale: string,
  actor: AuditActor,
): Promise<string | undefined | null> {
  let created: string | undefined;
  for (let attempt = 0; attempt < 5; attempt++) {
    const tagged = await api.admin.read(tenant);
    if (!tagged) return null;
    const current = tagged.record.billing?.stripeCustomerId;
    if (current !== stale) return current;
    created ??= await stripe.createCustomer(tenant, `atakora-customer:${tenant}:${stale}`);
    const next = onNewCustomer(tagged.record, created, api.now().toISOString());
    const written = await api.admin.replace(next, tagged.etag);
    if (written === 'missing') return null;
    if (written === 'changed') continue;
    api.forget(tenant);
    const sub = tagged.record.billing?.subscription;
    await recordAudit(api, {
      tenant,
      actor,
      action: 'organization.billing-changed',
      target: tenant,
      changes: {
        stripeCustomerId: { from: stale, to: created },
        ...(sub ? { subscription: { from: { id: sub.id, status: sub.status }, to: null } } : {}),
        reason: 'customer-missing-at-stripe',
      },
    });
    return created;
  }
  return null;
}
