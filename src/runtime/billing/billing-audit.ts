import type { AuditAction, AuditActor } from '../../contract/audit.js';
import type { TenantRecord } from '../../contract/tenants.js';
import { type AuditLog, recordAudit } from '../audit/record-audit.js';

/** Stripe's webhook as the audit log names it: no person, the webhook's door. */
export const WEBHOOK_ACTOR: AuditActor = { id: 'stripe', via: 'webhook' };

/** What one change of a record is, as audit lines: an action and its changes. */
export interface BillingChange {
  readonly action: AuditAction;
  readonly changes: Readonly<Record<string, unknown>>;
}

const subscriptionText = (r: TenantRecord) => {
  const s = r.billing?.subscription;
  return s
    ? {
        id: s.id,
        status: s.status,
        ...(s.price !== undefined ? { price: s.price } : {}),
        ...(s.cancelAtPeriodEnd ? { cancelAtPeriodEnd: s.cancelAtPeriodEnd } : {}),
      }
    : null;
};

/**
 * The audit lines a billing change of `before` into `after` makes (DESIGN §2: "every plan or billing change the
 * webhook makes is audited"): the plan (`organization.plan-changed`), a suspension by billing or its end
 * (`organization.suspended` / `organization.resumed`), the customer or the subscription — its id, status, price or
 * cancel at the period's end, never its period dates, which every renewal moves (`organization.billing-changed`).
 *
 * @example
 * ```ts
 * billingChanges(before, after); // [{ action: 'organization.plan-changed', changes: { plan: { from: 'free', to: 'pro' } } }]
 * ```
 */
export function billingChanges(before: TenantRecord, after: TenantRecord): BillingChange[] {
  const out: BillingChange[] = [];
  if (before.plan !== after.plan)
    out.push({
      action: 'organization.plan-changed',
      changes: { plan: { from: before.plan, to: after.plan } },
    });
  if (before.status !== after.status)
    out.push({
      action: after.status === 'active' ? 'organization.resumed' : 'organization.suspended',
      changes: {
        status: { from: before.status, to: after.status },
        ...(after.suspendedBy ? { suspendedBy: after.suspendedBy } : {}),
      },
    });
  const [from, to] = [subscriptionText(before), subscriptionText(after)];
  const [was, is] = [before.billing?.stripeCustomerId, after.billing?.stripeCustomerId];
  if (was !== is || JSON.stringify(from) !== JSON.stringify(to))
    out.push({
      action: 'organization.billing-changed',
      changes: {
        ...(was !== is
          ? { stripeCustomerId: { ...(was ? { from: was } : {}), to: is ?? null } }
          : {}),
        subscription: { from, to },
      },
    });
  return out;
}

/**
 * Record each of {@link billingChanges} in `tenant`'s audit log as `actor` (the webhook's by default; the Owner's for
 * what a delete or an undelete did to billing).
 *
 * @example
 * ```ts
 * await auditBillingChanges({ audit }, before, after, 'evt_1');
 * ```
 */
export async function auditBillingChanges(
  services: { readonly audit?: AuditLog | undefined },
  before: TenantRecord,
  after: TenantRecord,
  eventId?: string,
  actor: AuditActor = WEBHOOK_ACTOR,
): Promise<void> {
  for (const c of billingChanges(before, after))
    await recordAudit(services, {
      tenant: after.id,
      actor,
      action: c.action,
      target: after.id,
      changes: { ...c.changes, ...(eventId !== undefined ? { event: eventId } : {}) },
    });
}
