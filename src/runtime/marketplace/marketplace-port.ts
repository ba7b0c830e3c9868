// What the landing page, the webhook and the metering export ask of Azure Marketplace, as plain data: the fetch
// implementation is marketplace-http.ts; tests may pass their own. Every shape is Learn's ("SaaS fulfillment
// Subscription APIs v2", "SaaS fulfillment operations APIs v2", "Marketplace metered billing APIs").
import type { SaasStatus } from '../../model/marketplace.js';
import type { MarketplaceTerm } from '../../contract/marketplace/marketplace-link.js';

/** A SaaS subscription as Get Subscription (and Resolve's `subscription`) answers it: what we read of it. */
export interface SaasSubscription {
  readonly id: string;
  readonly offerId: string;
  readonly planId: string;
  readonly quantity?: number;
  readonly status: SaasStatus;
  readonly name?: string;
  readonly term?: MarketplaceTerm;
  readonly beneficiary?: {
    readonly objectId?: string;
    readonly tenantId?: string;
    readonly emailId?: string;
  };
}

/** A purchase token resolved (`POST …/saas/subscriptions/resolve`): the subscription it identifies. */
export interface ResolvedPurchase {
  readonly subscription: SaasSubscription;
  /** `subscriptionName`: what the buyer named it (the new organization's name). */
  readonly name: string;
}

/** An operation as Get Operation answers it (`GET …/subscriptions/{id}/operations/{operationId}`). */
export interface SaasOperation {
  readonly id: string;
  readonly subscriptionId: string;
  readonly offerId: string;
  readonly planId: string;
  readonly quantity?: number;
  readonly action: string;
  /** `NotStarted`, `InProgress`, `Failed`, `Succeeded`, `Conflict`. */
  readonly status: string;
}

/** One usage event (`batchUsageEvent`'s `request[]`): the SaaS subscription as `resourceId`, the hour's start. */
export interface UsageEvent {
  readonly resourceId: string;
  readonly quantity: number;
  readonly dimension: string;
  /** ISO, the hour's start: "time in UTC when the usage event occurred". */
  readonly effectiveStartTime: string;
  readonly planId: string;
}

/** What became of one event of a batch: its `status` (`Accepted`, `Duplicate`, `Expired`, …) and any error text. */
export interface UsageResult {
  readonly status: string;
  readonly resourceId: string;
  readonly dimension: string;
  readonly effectiveStartTime: string;
  readonly message?: string;
}

/** One row of `GET …/usageEvents`: a subscription's day on one dimension as Marketplace recorded it. */
export interface UsageEventsRow {
  readonly usageDate: string;
  readonly usageResourceId: string;
  readonly dimension: string;
  readonly planId: string;
  readonly submittedQuantity: number;
  readonly processedQuantity: number;
  readonly reconStatus: string;
}

/**
 * A failed call: its HTTP status (none: no answer), whether trying again later may help (5xx, 429, no answer), and a
 * message that never holds the secret or a token.
 */
export class MarketplaceCallError extends Error {
  constructor(
    message: string,
    readonly status: number | undefined,
    readonly retryable: boolean,
  ) {
    super(message);
    this.name = 'MarketplaceCallError';
  }
}

/** Azure Marketplace, as the runtime and the CLI call it (every failure a {@link MarketplaceCallError}). */
export interface MarketplaceClient {
  /** The purchase a landing page token identifies; undefined when Marketplace does not resolve it (400/404). */
  resolve(token: string): Promise<ResolvedPurchase | undefined>;
  /** Activate (billing starts): `'activated'`, or `'refused'` (400: already Subscribed or Suspended, plan mismatch). */
  activate(
    subscriptionId: string,
    body: { readonly planId: string; readonly quantity?: number },
  ): Promise<'activated' | 'refused'>;
  subscription(subscriptionId: string): Promise<SaasSubscription | undefined>;
  operation(subscriptionId: string, operationId: string): Promise<SaasOperation | undefined>;
  /** The operations waiting for the publisher's PATCH (List outstanding operations); none for an unknown one. */
  outstanding(subscriptionId: string): Promise<readonly SaasOperation[]>;
  /** Acknowledge an operation: `'done'`, or `'conflict'` (409: "a newer update is already fulfilled"). */
  patchOperation(
    subscriptionId: string,
    operationId: string,
    status: 'Success' | 'Failure',
  ): Promise<'done' | 'conflict'>;
  /** One `batchUsageEvent` call (at most 25 events): each event's outcome, in order. */
  batchUsage(events: readonly UsageEvent[]): Promise<readonly UsageResult[]>;
  /** `GET …/usageEvents` from `usageStartDate` (ISO) for the offer. */
  usageEvents(query: {
    readonly usageStartDate: string;
    readonly offerId: string;
  }): Promise<readonly UsageEventsRow[]>;
}
