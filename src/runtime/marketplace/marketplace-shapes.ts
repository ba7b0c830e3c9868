// Marketplace's answers read into the port's shapes: only the fields we use, each checked (an answer of another
// shape is no subscription or operation at all). Field names as Learn's examples show them.
import { SAAS_STATUSES } from '../../model/marketplace.js';
import type { MarketplaceTerm } from '../../contract/marketplace/marketplace-link.js';
import type {
  ResolvedPurchase,
  SaasOperation,
  SaasSubscription,
  UsageEventsRow,
  UsageResult,
} from './marketplace-port.js';

type Json = Record<string, unknown>;
const obj = (v: unknown): Json | undefined =>
  v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Json) : undefined;
const str = (v: unknown): string | undefined => (typeof v === 'string' ? v.trim() : undefined);
/** `quantity` arrives as a number or a string ("20"), or empty when the plan is not per seat. */
const count = (v: unknown): number | undefined => {
  const n = typeof v === 'number' ? v : typeof v === 'string' && v.trim() !== '' ? Number(v) : NaN;
  return Number.isInteger(n) && n >= 0 ? n : undefined;
};

function termOf(v: unknown): MarketplaceTerm | undefined {
  const t = obj(v);
  const startDate = str(t?.['startDate']);
  if (!startDate || Number.isNaN(Date.parse(startDate))) return undefined;
  const endDate = str(t?.['endDate']);
  const termUnit = str(t?.['termUnit']);
  return {
    startDate: new Date(startDate).toISOString(),
    ...(endDate && !Number.isNaN(Date.parse(endDate))
      ? { endDate: new Date(endDate).toISOString() }
      : {}),
    ...(termUnit ? { termUnit } : {}),
  };
}

/**
 * A Get Subscription answer (or Resolve's `subscription`): id, offer, plan, quantity, `saasSubscriptionStatus`
 * (Learn's examples pad it: " Subscribed "), name, term, beneficiary; undefined when any of the first four is missing.
 *
 * @example
 * ```ts
 * subscriptionOf({ id: 's', offerId: 'o', planId: 'p', saasSubscriptionStatus: 'Subscribed' })?.status; // 'Subscribed'
 * ```
 */
export function subscriptionOf(value: unknown): SaasSubscription | undefined {
  const o = obj(value);
  const id = str(o?.['id']);
  const offerId = str(o?.['offerId']);
  const planId = str(o?.['planId']);
  const status = SAAS_STATUSES.find((s) => s === str(o?.['saasSubscriptionStatus']));
  if (!id || !offerId || !planId || !status) return undefined;
  const quantity = count(o?.['quantity']);
  const name = str(o?.['name']);
  const term = termOf(o?.['term']);
  const b = obj(o?.['beneficiary']);
  return {
    id,
    offerId,
    planId,
    status,
    ...(quantity !== undefined ? { quantity } : {}),
    ...(name ? { name } : {}),
    ...(term ? { term } : {}),
    ...(b
      ? {
          beneficiary: {
            ...(str(b['objectId']) ? { objectId: str(b['objectId']) } : {}),
            ...(str(b['tenantId']) ? { tenantId: str(b['tenantId']) } : {}),
            ...(str(b['emailId']) ? { emailId: str(b['emailId']) } : {}),
          },
        }
      : {}),
  };
}

/** A Resolve answer: `{ id, subscriptionName, offerId, planId, quantity, subscription }`. */
export function resolvedOf(value: unknown): ResolvedPurchase | undefined {
  const o = obj(value);
  const subscription = subscriptionOf(o?.['subscription']);
  if (!subscription || str(o?.['id']) !== subscription.id) return undefined;
  return { subscription, name: str(o?.['subscriptionName']) || subscription.name || '' };
}

/** A Get Operation answer (Learn's example writes its id as `"id  "`: both spellings read). */
export function operationOf(value: unknown): SaasOperation | undefined {
  const o = obj(value);
  const id = str(o?.['id']) ?? str(o?.['id  ']);
  const subscriptionId = str(o?.['subscriptionId']);
  const offerId = str(o?.['offerId']);
  const action = str(o?.['action']);
  const status = str(o?.['status']);
  if (!id || !subscriptionId || !offerId || !action || !status) return undefined;
  const quantity = count(o?.['quantity']);
  return {
    id,
    subscriptionId,
    offerId,
    planId: str(o?.['planId']) ?? '',
    action,
    status,
    ...(quantity !== undefined ? { quantity } : {}),
  };
}

/**
 * A List outstanding operations answer: `{ operations: [...] }`, each as Get Operation answers it ("Returns empty
 * json if no operations are pending": none).
 */
export function operationsOf(value: unknown): SaasOperation[] {
  const list = obj(value)?.['operations'];
  if (!Array.isArray(list)) return [];
  return list.flatMap((o) => {
    const op = operationOf(o);
    return op ? [op] : [];
  });
}

/** `batchUsageEvent`'s `result[]`: each event's status, its keys, and its error's message when it has one. */
export function usageResultsOf(value: unknown): UsageResult[] {
  const results = obj(value)?.['result'];
  if (!Array.isArray(results)) return [];
  return results.map((r) => {
    const o = obj(r) ?? {};
    const message = str(obj(o['error'])?.['message']);
    return {
      status: str(o['status']) ?? 'Error',
      resourceId: str(o['resourceId']) ?? '',
      dimension: str(o['dimension']) ?? '',
      effectiveStartTime: str(o['effectiveStartTime']) ?? '',
      ...(message ? { message } : {}),
    };
  });
}

/** `GET …/usageEvents`: an array of rows (Learn's examples), or an object holding them. */
export function usageRowsOf(value: unknown): UsageEventsRow[] {
  const list = Array.isArray(value) ? value : obj(value)?.['value'];
  if (!Array.isArray(list)) return [];
  return list.flatMap((r) => {
    const o = obj(r);
    const usageDate = str(o?.['usageDate']);
    const usageResourceId = str(o?.['usageResourceId']);
    const dimension = str(o?.['dimension']);
    if (!usageDate || !usageResourceId || !dimension) return [];
    return [
      {
        usageDate,
        usageResourceId,
        dimension,
        planId: str(o?.['planId']) ?? '',
        submittedQuantity: Number(o?.['submittedQuantity'] ?? 0) || 0,
        processedQuantity: Number(o?.['processedQuantity'] ?? 0) || 0,
        reconStatus: str(o?.['reconStatus']) ?? '',
      },
    ];
  });
}
