import type { TenantRecord } from '../../contract/tenants.js';
import {
  KEPT_OPERATION_IDS,
  type MarketplaceLink,
  type MarketplaceTerm,
} from '../../contract/marketplace/marketplace-link.js';
import type { RuntimeMarketplace } from '../../model/runtime-manifest.js';
import type { SaasOperation } from './marketplace-port.js';
import { canceled, reinstated, suspendedByBilling } from './organization-billing.js';

/** What an operation did to an organization: its record after it, and the changes the audit log names. */
export interface OperationEffect {
  readonly record: TenantRecord;
  readonly changes: Readonly<Record<string, unknown>>;
}

/** How the webhook settled an operation: applied (as Get Operation says), or only recorded as seen. */
export type Settled = 'applied' | 'recorded';

/**
 * `record` after the operation `op` — as Get Operation answered it, never the webhook's payload — with its id kept as
 * applied (so a retry or a replay changes nothing), `now` its time. `settled: 'recorded'` keeps the id only (a
 * refused ChangePlan, a Failed or Conflict operation). ChangePlan → the plan the Marketplace plan maps to (and the
 * link's plan id); ChangeQuantity → the seats; Suspend → suspended by billing; Reinstate → active; Unsubscribe →
 * `onCanceled`; Renew → the new term (`term`, read with Get Subscription), the previous one kept.
 *
 * @example
 * ```ts
 * operationEffect(record, { action: 'Suspend', status: 'Succeeded', … }, 'applied', marketplace, 'free', now).record.status; // 'suspended'
 * ```
 */
export function operationEffect(
  record: TenantRecord,
  op: SaasOperation,
  settled: Settled,
  marketplace: RuntimeMarketplace,
  defaultPlan: string,
  now: string,
  term?: MarketplaceTerm,
): OperationEffect {
  const link = record.marketplace as MarketplaceLink;
  const operations = [...(link.operations ?? []), op.id].slice(-KEPT_OPERATION_IDS);
  const seen = (
    next: TenantRecord,
    l: Partial<MarketplaceLink>,
    changes: Record<string, unknown>,
  ) => ({
    record: { ...next, marketplace: { ...link, ...l, operations }, updatedOn: now },
    changes: { operation: op.action, operationId: op.id, ...changes },
  });
  if (settled === 'recorded') return seen(record, {}, { outcome: op.status });
  switch (op.action) {
    case 'ChangePlan': {
      const plan = marketplace.plans[op.planId];
      return plan === undefined
        ? seen(record, {}, { outcome: 'unmapped plan' })
        : seen({ ...record, plan }, { planId: op.planId }, { plan, planId: op.planId });
    }
    case 'ChangeQuantity':
      return seen(record, op.quantity !== undefined ? { quantity: op.quantity } : {}, {
        quantity: op.quantity,
      });
    case 'Suspend':
      return seen(suspendedByBilling(record), { status: 'Suspended' }, { status: 'Suspended' });
    case 'Reinstate':
      return seen(reinstated(record), { status: 'Subscribed' }, { status: 'Subscribed' });
    case 'Unsubscribe': {
      const next = canceled(record, marketplace.onCanceled, defaultPlan);
      return seen(
        next,
        { status: 'Unsubscribed' },
        {
          status: 'Unsubscribed',
          onCanceled: marketplace.onCanceled,
          plan: next.plan,
        },
      );
    }
    case 'Renew':
      return seen(
        record,
        {
          renewedOn: now,
          ...(term ? { term } : {}),
          ...(term && link.term && link.term.startDate !== term.startDate
            ? { previousTerm: link.term }
            : {}),
        },
        { renewedOn: now, ...(term ? { term } : {}) },
      );
    default:
      return seen(record, {}, { outcome: 'unknown action' });
  }
}
