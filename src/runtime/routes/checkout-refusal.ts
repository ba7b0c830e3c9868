import type { TenantRecord } from '../../contract/tenants.js';
import { recordAudit } from '../audit/record-audit.js';
import { WEBHOOK_ACTOR } from '../billing/billing-audit.js';
import type { SubscriptionsStripe } from '../billing/subscriptions-port.js';
import type { SubscriptionsApi } from './subscriptions-wiring.js';

/** What the webhook refused: the organization, its record as read, the paid session and its subscription. */
export interface RefusedCheckout {
  readonly tenant: string;
  readonly tagged: { readonly record: TenantRecord; readonly etag: string };
  readonly session: string;
  readonly subscriptionId: string;
  readonly eventId: string;
}

/**
 * A Checkout paid for an organization an Azure Marketplace purchase has come to bill since it was opened (the landing
 * linked it meanwhile): one channel per organization (DESIGN §2), and the first holds. The subscription is canceled
 * at once — before anything is written, so a failure answers 5xx and Stripe's retry cancels it — (API reference,
 * "Cancel a subscription", https://docs.stripe.com/api/subscriptions/cancel: "Cancels a customer's subscription
 * immediately. The customer won't be charged again for the subscription."), the session taken off the record (a
 * repeat of the event links nothing), nothing of it linked — no customer, no subscription, no plan —, what its first
 * invoice took refunded (`refundLatestInvoice`: each refund, or Stripe's refusal of it) and the refusal audited
 * (`organization.billing-changed` with `refused` and `refunds`). 'refused', or 'changed' when the record moved meanwhile
 * (the caller reads it again).
 *
 * @example
 * ```ts
 * await refuseCheckout(api, stripe, { tenant: 'acme', tagged, session: 'cs_1', subscriptionId: 'sub_1', eventId: 'evt_1' });
 * ```
 */
export async function refuseCheckout(
  api: SubscriptionsApi,
  stripe: SubscriptionsStripe,
  refused: RefusedCheckout,
): Promise<'refused' | 'changed'> {
  await stripe.cancel(refused.subscriptionId);
  // The customer paid once for what was just canceled: that payment goes back (billing/stripe-refunds.ts), keyed by
  // the subscription so a redelivery after a crash refunds once; a refund Stripe refuses is audited, never a 5xx.
  const refunds = await stripe.refundLatestInvoice(
    refused.subscriptionId,
    `atakora-refund:${refused.subscriptionId}`,
  );
  const { record, etag } = refused.tagged;
  const sessions = (record.checkoutSessions ?? []).filter((s) => s !== refused.session);
  const { checkoutSessions: _kept, ...rest } = record;
  const next: TenantRecord = {
    ...rest,
    ...(sessions.length > 0 ? { checkoutSessions: sessions } : {}),
    updatedOn: api.now().toISOString(),
  };
  const written = await api.admin.replace(next, etag);
  if (written === 'changed') return 'changed';
  api.forget(refused.tenant);
  await recordAudit(api, {
    tenant: refused.tenant,
    actor: WEBHOOK_ACTOR,
    action: 'organization.billing-changed',
    target: refused.tenant,
    changes: {
      refused: {
        channel: 'stripe',
        subscriptionId: refused.subscriptionId,
        session: refused.session,
        reason: 'billing-channel-taken',
        billedBy: 'marketplace',
      },
      canceled: true,
      refunds,
      event: refused.eventId,
    },
  });
  return 'refused';
}
