// What the subscription routes and the webhook ask of Stripe, as plain data: the SDK's implementation is
// stripe-subscriptions-sdk.ts (loaded only where billing runs); tests may pass their own.

/**
 * A subscription as read back from Stripe: its id, customer, status, its plan's price and period (Unix seconds) —
 * those of its flat (licensed) item: the metered items a checkout adds beside it never name a plan.
 */
export interface StripeSubscription {
  readonly id: string;
  readonly customer: string;
  readonly status: string;
  readonly price: string | undefined;
  readonly periodStart: number | undefined;
  readonly periodEnd: number | undefined;
  /**
   * Stripe's `cancel_at_period_end`: set to cancel when the period ends (an Owner's delete, the portal). The
   * subscription's `metadata` is never read: who may write it is not ours to decide (the webhook links a subscription
   * only through a Checkout Session an Owner opened).
   */
  readonly cancelAtPeriodEnd: boolean;
  /** The quantity of the plan's item (a per-seat price's: the seats paid for). */
  readonly quantity?: number | undefined;
  /** Stripe's `trial_start` (Unix seconds): the subscription began with a trial; undefined when it had none. */
  readonly trialStart?: number | undefined;
  /**
   * Stripe's `trial_end` (Unix seconds): "If the subscription has a trial, the end of that trial" (API reference,
   * "The Subscription object", https://docs.stripe.com/api/subscriptions/object#subscription_object-trial_end).
   */
  readonly trialEnd?: number | undefined;
}

/** A Checkout Session as read back from Stripe. */
export interface StripeCheckoutSession {
  readonly id: string;
  readonly status: string | null;
  readonly customer: string | undefined;
  readonly subscription: string | undefined;
  readonly clientReferenceId: string | undefined;
}

/** A verified event: its id, type and the id of the object it is about. */
export interface VerifiedEvent {
  readonly id: string;
  readonly type: string;
  readonly objectId: string;
}

/**
 * Stripe does not know the customer a Checkout named: `POST /v1/checkout/sessions` answered 400 `resource_missing` on
 * param `customer` (docs.stripe.com/error-codes#resource-missing: "The ID provided is not valid. Either the resource
 * does not exist, or an ID for a different resource has been provided") — deleted in the dashboard, or of another
 * account or mode than the key's.
 */
export class CustomerMissingAtStripe extends Error {
  constructor(readonly customer: string) {
    super(`Stripe knows no customer ${customer}.`);
    this.name = 'CustomerMissingAtStripe';
  }
}

/** A payment of a refused subscription's paid invoice, and what became of its refund. */
export interface RefundOutcome {
  readonly paymentIntent: string;
  /** The refund Stripe made (`re_…`), its amount (cents) and currency. */
  readonly refund?: string;
  readonly amount?: number;
  readonly currency?: string;
  /**
   * Stripe refused the refund (a 4xx: `charge_already_refunded` — refunded in the Dashboard already —,
   * `charge_disputed`, a restricted key without *Refunds: Write*): nothing refunded by us, the reason kept.
   */
  readonly refused?: { readonly code: string; readonly message: string };
}

/** Stripe, as the subscription routes and the webhook call it. */
export interface SubscriptionsStripe {
  /**
   * A Checkout Session (mode subscription) on `price` (quantity 1) and each of `metered` (no quantity: a metered
   * price's quantity is its meter's events) for `tenant`; `customer` reused when it has one. Throws
   * {@link CustomerMissingAtStripe} when Stripe knows no such customer.
   */
  checkout(input: {
    price: string;
    /** The plan's quantity: 1, or with a per-seat price the organization's members. */
    quantity?: number;
    /** Checkout's `subscription_data.trial_period_days` (`plans.<n>.stripe.trialDays`). */
    trialDays?: number;
    metered: readonly string[];
    tenant: string;
    customer: string | undefined;
    successUrl: string;
    cancelUrl: string;
  }): Promise<{ url: string; id: string }>;
  /**
   * Create a customer for `tenant` (`POST /v1/customers`, the tenant in its metadata for people reading the
   * dashboard), sent with `idempotencyKey` so two callers replacing the same missing customer get one: its id.
   */
  createCustomer(tenant: string, idempotencyKey: string): Promise<string>;
  /**
   * Expire an open Checkout Session (`POST /v1/checkout/sessions/{id}/expire`: it can no longer be paid); one that is
   * not open (paid, expired) or gone is left as it is.
   */
  expire(sessionId: string): Promise<void>;
  /**
   * Set (`true`) or lift (`false`) the subscription's cancel at the period's end (`cancel_at_period_end`); the
   * subscription as Stripe then holds it, undefined when it is gone.
   */
  cancelAtPeriodEnd(id: string, cancel: boolean): Promise<StripeSubscription | undefined>;
  /**
   * Set the quantity of the subscription's item on `price` (`POST /v1/subscription_items/{id}`, Stripe's default
   * proration): the subscription as Stripe then holds it; undefined when it is gone, ended or has no such item.
   */
  setQuantity(id: string, price: string, quantity: number): Promise<StripeSubscription | undefined>;
  /** Cancel the subscription at once (`DELETE /v1/subscriptions/{id}`); one ended or gone is left as it is. */
  cancel(id: string): Promise<void>;
  /**
   * Refund what the subscription's paid invoice took (its `latest_invoice`, the first one for a Checkout just paid):
   * each PaymentIntent of the invoice's paid payments refunded whole (`POST /v1/refunds { payment_intent }`), sent
   * with `idempotencyKey` and the PaymentIntent so a repeat refunds nothing more. Nothing for a gone subscription
   * or an invoice nothing paid (a trial's). A 5xx or 429 throws (retry); any other refusal is an outcome.
   */
  refundLatestInvoice(id: string, idempotencyKey: string): Promise<readonly RefundOutcome[]>;
  portal(customer: string, returnUrl: string): Promise<{ url: string }>;
  /** The ids of the active prices on each of these meters (by event name), as `meterPrices` reads them. */
  meteredPrices(eventNames: readonly string[]): Promise<ReadonlyMap<string, readonly string[]>>;
  subscription(id: string): Promise<StripeSubscription | undefined>;
  session(id: string): Promise<StripeCheckoutSession | undefined>;
  /** This period's invoice as Stripe previews it (`invoices.createPreview`), or null when there is none. */
  preview(customer: string, subscription: string): Promise<Record<string, unknown> | null>;
  /** The SDK's `webhooks.constructEvent` (default 300 s tolerance); throws when the signature does not verify. */
  verify(payload: string, signature: string, secret: string): VerifiedEvent;
}
