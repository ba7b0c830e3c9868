import type { TenantRecord } from '../../contract/tenants.js';
import {
  KEPT_OPERATION_IDS,
  type MarketplaceLink,
} from '../../contract/marketplace/marketplace-link.js';
import type { RuntimeMarketplace } from '../../model/runtime-manifest.js';
import type { SaasOperation, SaasSubscription } from './marketplace-port.js';
import { canceled, reinstated, suspendedByBilling } from './organization-billing.js';

/** What an operation did to an organization: its record after it, the changes the audit log names, and whether any. */
export interface OperationEffect {
  readonly record: TenantRecord;
  readonly changes: Readonly<Record<string, unknown>>;
  /** Whether the organization or its link changed beyond the operation's id kept (false: a late or stale operation). */
  readonly changed: boolean;
}

/**
 * `record` after the operation `op`, brought to the subscription as Microsoft's Get Subscription answered it just now
 * (`saas`) — never to the operation's own payload, and never by the order the calls arrived in (DESIGN §2, "One life
 * per organization, person and subscription"): Microsoft's calls may arrive late, twice, or out of order ("Microsoft
 * webhook calls do have a retry policy (500 retries over 8 hours)", Learn, "Implementing a webhook on the SaaS
 * service"), so what the subscription *is* decides, and the link's last known status tells which way it moved:
 *
 * - an `Unsubscribed` link is final: nothing revives it (a late Reinstate, ChangePlan or Suspend changes nothing; a
 *   new purchase lands anew);
 * - to `Unsubscribed`: `onCanceled` (the default plan, lifting billing's own suspension; or suspended by billing);
 * - `Subscribed` → `Suspended`: suspended by billing; `Suspended` → `Subscribed`: reinstated (billing's suspension only);
 * - the plan and seats Microsoft holds (a plan we do not map keeps ours), the term it reports; a Renew's time.
 *
 * The operation's id is kept as applied in every case (a retry or a replay changes nothing). `now` is the time.
 *
 * @example
 * ```ts
 * operationEffect(record, { action: 'Suspend', … }, { status: 'Suspended', … }, marketplace, 'free', now).record.status; // 'suspended'
 * ```
 */
export function operationEffect(
  record: TenantRecord,
  op: SaasOperation,
  saas: SaasSubscription | undefined,
  marketplace: RuntimeMarketplace,
  defaultPlan: string,
  now: string,
): OperationEffect {
  const link = record.marketplace as MarketplaceLink;
  const operations = [...(link.operations ?? []), op.id].slice(-KEPT_OPERATION_IDS);
  const keep = (
    next: TenantRecord,
    l: Partial<MarketplaceLink>,
    changes: Record<string, unknown>,
  ) => {
    const changed = Object.keys(changes).length > 0;
    return {
      record: { ...next, marketplace: { ...link, ...l, operations }, updatedOn: now },
      changes: {
        operation: op.action,
        operationId: op.id,
        ...(changed ? changes : { outcome: 'unchanged' }),
      },
      changed,
    };
  };
  // A subscription Microsoft no longer answers, one not activated yet, or a link already ended: nothing moves.
  if (!saas || saas.status === 'PendingFulfillmentStart' || link.status === 'Unsubscribed')
    return keep(record, {}, {});
  if (saas.status === 'Unsubscribed') {
    const next = canceled(record, marketplace.onCanceled, defaultPlan);
    return keep(
      next,
      { status: 'Unsubscribed' },
      { status: 'Unsubscribed', onCanceled: marketplace.onCanceled, plan: next.plan },
    );
  }
  let next = record;
  const l: { -readonly [K in keyof MarketplaceLink]?: MarketplaceLink[K] } = {};
  const changes: Record<string, unknown> = {};
  if (saas.status !== link.status) {
    next = saas.status === 'Suspended' ? suspendedByBilling(next) : reinstated(next);
    l.status = saas.status;
    changes['status'] = saas.status;
  }
  if (saas.planId !== link.planId) {
    const plan = marketplace.plans[saas.planId];
    l.planId = saas.planId;
    changes['planId'] = saas.planId;
    if (plan !== undefined) {
      next = { ...next, plan };
      changes['plan'] = plan;
    } else changes['outcome'] = 'unmapped plan';
  }
  if (saas.quantity !== undefined && saas.quantity !== link.quantity) {
    l.quantity = saas.quantity;
    changes['quantity'] = saas.quantity;
  }
  const term = saas.term;
  if (term && term.startDate !== link.term?.startDate) {
    l.term = term;
    if (link.term) l.previousTerm = link.term;
    changes['term'] = term;
  }
  if (op.action === 'Renew' && op.status === 'Succeeded') {
    l.renewedOn = now;
    changes['renewedOn'] = now;
  }
  return keep(next, l, changes);
}
