// What the subscription routes and the webhook ask of Stripe, as plain data: the SDK's implementation is
// stripe-subscriptions-sdk.ts (loaded only where billing runs); tests may pass their own.

/** A subscription as read back from Stripe: its id, customer, status, price and period (Unix seconds). */
export interface StripeSubscription {
  readonly id: string;
  readonly customer: string;
  readonly status: string;
  readonly price: string | undefined;
  readonly periodStart: number | undefined;
  readonly periodEnd: number | undefined;
  /** `metadata.atakora_tenant`: the organization that checked out. */
  readonly tenant: string | undefined;
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

/** Stripe, as the subscription routes and the webhook call it. */
export interface SubscriptionsStripe {
  /** A Checkout Session (mode subscription) on `price` for `tenant`; `customer` reused when it has one. */
  checkout(input: {
    price: string;
    tenant: string;
    customer: string | undefined;
    successUrl: string;
    cancelUrl: string;
  }): Promise<{ url: string }>;
  portal(customer: string, returnUrl: string): Promise<{ url: string }>;
  subscription(id: string): Promise<StripeSubscription | undefined>;
  session(id: string): Promise<StripeCheckoutSession | undefined>;
  /** This period's invoice as Stripe previews it (`invoices.createPreview`), or null when there is none. */
  preview(customer: string, subscription: string): Promise<Record<string, unknown> | null>;
  /** The SDK's `webhooks.constructEvent` (default 300 s tolerance); throws when the signature does not verify. */
  verify(payload: string, signature: string, secret: string): VerifiedEvent;
}
