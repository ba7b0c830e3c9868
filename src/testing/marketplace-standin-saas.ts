import { randomBytes, randomUUID } from 'node:crypto';
import type { SaasStatus } from '../model/marketplace.js';

/** A purchased SaaS subscription as the stand-in holds it (Learn's Get Subscription fields we answer). */
export interface StandInSubscription {
  id: string;
  name: string;
  offerId: string;
  planId: string;
  quantity: number | undefined;
  status: SaasStatus;
  beneficiary: { emailId: string; objectId: string; tenantId: string; puid: string | null };
  purchaser: { emailId: string; objectId: string; tenantId: string; puid: string | null };
  term: { startDate: string; endDate: string; termUnit: string } | undefined;
  created: string;
}

/** An operation (webhook action) as Get Operation answers it. */
export interface StandInOperation {
  id: string;
  activityId: string;
  subscriptionId: string;
  offerId: string;
  publisherId: string;
  planId: string;
  quantity: number | undefined;
  action:
    | 'Subscribe'
    | 'ChangePlan'
    | 'ChangeQuantity'
    | 'Renew'
    | 'Suspend'
    | 'Unsubscribe'
    | 'Reinstate';
  /** `InProgress` until the publisher answers a ChangePlan, ChangeQuantity or Reinstate; `Succeeded`, `Failed`, `Conflict`. */
  status: string;
  timeStamp: string;
  /** What the operation changes once it succeeds (a ChangePlan's plan, a ChangeQuantity's seats). */
  readonly target: { readonly planId?: string; readonly quantity?: number };
}

/** What a purchase is made of (defaults: a buyer of a directory of their own, quantity none, named after the plan). */
export interface PurchaseInput {
  readonly planId: string;
  readonly offerId?: string;
  readonly quantity?: number;
  readonly name?: string;
  readonly beneficiary?: Partial<StandInSubscription['beneficiary']>;
  readonly purchaser?: Partial<StandInSubscription['purchaser']>;
}

const DAY_MS = 86_400_000;
const person = (given: Partial<StandInSubscription['beneficiary']> = {}) => ({
  emailId: given.emailId ?? 'buyer@contoso.example',
  objectId: given.objectId ?? randomUUID(),
  tenantId: given.tenantId ?? randomUUID(),
  // A string in the spec (saasapi.v2.json, AadIdentifier.puid), not nullable: a PUID is 16 hex digits.
  puid: given.puid ?? randomBytes(8).toString('hex').toUpperCase(),
});

/** A monthly term from `startMs` (P1M: start, then the day before the same date a month later). */
export function monthlyTerm(startMs: number): NonNullable<StandInSubscription['term']> {
  const start = new Date(Math.floor(startMs / DAY_MS) * DAY_MS);
  const end = new Date(start);
  end.setUTCMonth(end.getUTCMonth() + 1);
  return {
    startDate: start.toISOString(),
    endDate: new Date(end.getTime() - DAY_MS).toISOString(),
    termUnit: 'P1M',
  };
}

/**
 * A purchase token as Marketplace makes them: opaque, with the characters a URL must encode (`+`, `/`, `=`), so a
 * landing page that forgets to decode it (or decodes twice) fails here as it would there.
 */
export const purchaseToken = (): string => randomBytes(36).toString('base64');

/** A new subscription of `input`, not yet activated (PendingFulfillmentStart), created `nowMs`. */
export function newSubscription(
  input: PurchaseInput,
  offerId: string,
  nowMs: number,
): StandInSubscription {
  return {
    id: randomUUID(),
    name: input.name ?? `Purchase of ${input.planId}`,
    offerId: input.offerId ?? offerId,
    planId: input.planId,
    quantity: input.quantity,
    status: 'PendingFulfillmentStart',
    beneficiary: person(input.beneficiary),
    purchaser: person(input.purchaser ?? input.beneficiary),
    term: undefined,
    created: new Date(nowMs).toISOString(),
  };
}

/** The subscription as Get Subscription answers it (and Resolve's `subscription`). */
export function subscriptionJson(
  s: StandInSubscription,
  publisherId: string,
): Record<string, unknown> {
  return {
    id: s.id,
    name: s.name,
    publisherId,
    offerId: s.offerId,
    planId: s.planId,
    // `quantity` is an integer in the spec (saasapi.v2.json, Subscription): absent, not null, on a plan not per seat.
    ...(s.quantity !== undefined ? { quantity: s.quantity } : {}),
    beneficiary: s.beneficiary,
    purchaser: s.purchaser,
    allowedCustomerOperations: ['Delete', 'Update', 'Read'],
    sessionMode: 'None',
    isFreeTrial: false,
    autoRenew: true,
    isTest: false,
    sandboxType: 'None',
    created: s.created,
    lastModified: s.created,
    saasSubscriptionStatus: s.status,
    ...(s.term ? { term: s.term } : {}),
  };
}

/** The operation as Get Operation answers it (the target stays the stand-in's). */
export function operationJson(o: StandInOperation): Record<string, unknown> {
  const { target: _target, ...shown } = o;
  const { quantity, ...rest } = shown;
  // `quantity` is an integer in the spec (saasapi.v2.json, SaaSOperation): absent on an operation without one, never
  // the empty string (errorStatusCode and errorMessage are Learn's example's, outside the schema).
  return {
    ...rest,
    ...(quantity !== undefined ? { quantity } : {}),
    errorStatusCode: '',
    errorMessage: '',
  };
}

/**
 * The webhook's payload of `o`, as Learn's examples show them ("Implementing a webhook on the SaaS service"): the
 * operation's id, activity, subscription, offer, plan, quantity, time, action, status and source, and the subscription
 * as it is now.
 */
export function webhookPayload(
  o: StandInOperation,
  s: StandInSubscription,
  publisherId: string,
): Record<string, unknown> {
  return {
    id: o.id,
    activityId: o.activityId,
    publisherId,
    offerId: o.offerId,
    planId: o.planId,
    quantity: o.quantity ?? null,
    subscriptionId: o.subscriptionId,
    timeStamp: o.timeStamp,
    action: o.action,
    status: o.status,
    operationRequestSource: 'Azure',
    subscription: subscriptionJson(s, publisherId),
    purchaseToken: null,
  };
}

/** Apply a succeeded operation to its subscription (what Marketplace's side of it does). */
export function applyOperation(o: StandInOperation, s: StandInSubscription, nowMs: number): void {
  if (o.action === 'ChangePlan' && o.target.planId !== undefined) s.planId = o.target.planId;
  if (o.action === 'ChangeQuantity' && o.target.quantity !== undefined)
    s.quantity = o.target.quantity;
  if (o.action === 'Suspend') s.status = 'Suspended';
  if (o.action === 'Reinstate') s.status = 'Subscribed';
  if (o.action === 'Unsubscribe') s.status = 'Unsubscribed';
  if (o.action === 'Renew')
    s.term = monthlyTerm(s.term ? Date.parse(s.term.endDate) + DAY_MS : nowMs);
}
