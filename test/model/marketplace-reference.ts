/**
 * The reference of an Azure Marketplace subscription's life composed with its organization's (DESIGN §2, "Sold on
 * Azure Marketplace beside Stripe" and "One life per organization"). Pure: the answer and the next state, from the
 * contract alone (never the runtime's code).
 *
 * The subscription: PendingFulfillmentStart → (the landing page activates it) Subscribed ⇄ Suspended → Unsubscribed;
 * Microsoft sends ChangePlan, ChangeQuantity, Renew and Suspend while Subscribed, Reinstate while Suspended,
 * Unsubscribe from either (Learn, "Implementing a webhook on the SaaS service").
 * The organization: `active`, suspended by billing, by the operator, or deleted by its Owner (suspended, restorable).
 *
 * - Landing: an unsubscribed purchase is 400 `marketplace-token-invalid`; an unclaimed one is claimed by whoever opens
 *   it first (302; they become the Owner of a new organization on the mapped plan; activated once, so Subscribed);
 *   opened again by the Owner, 302 to the same organization, nothing activated again; by anyone else, 409
 *   `marketplace-purchase-claimed`.
 * - Suspend → suspended by billing (an active organization only: the operator's or the Owner's suspension stays
 *   theirs); Reinstate → active again only when billing suspended it; Unsubscribe → `onCanceled` (the default plan, or
 *   suspended by billing); ChangePlan → the mapped plan (a plan we do not map is refused: nothing changes on either
 *   side); ChangeQuantity, Renew → no change of plan or status. Each operation is applied once: a replay changes
 *   nothing. A forged call (a token not signed by the publisher tenant) changes nothing.
 * - The operator's suspension or resumption is theirs whatever suspended the organization before.
 */

export type SaasStatus = 'PendingFulfillmentStart' | 'Subscribed' | 'Suspended' | 'Unsubscribed';
export type OnCanceled = 'default-plan' | 'suspend';
/** Why an organization is suspended. */
export type Suspension = 'billing' | 'operator' | 'owner';

/** Marketplace plan ids → our plans (the test offer's); `gold` is one we do not map. */
export const MAPPED: Readonly<Record<string, string>> = {
  'pro-monthly': 'pro',
  'team-monthly': 'team',
};
export const DEFAULT_PLAN = 'free';

export interface MarketplaceState {
  readonly saas: SaasStatus;
  readonly saasPlan: string;
  /** The organization, once a landing page made it. */
  readonly org?: {
    readonly owner: string;
    readonly plan: string;
    readonly suspended?: Suspension;
  };
  /** Activations Marketplace recorded. */
  readonly activations: number;
}

export interface LandAnswer {
  readonly status: number;
  readonly code?: string;
}

/** The landing page opened by `user`: the answer and the next state. */
export function land(s: MarketplaceState, user: string): [LandAnswer, MarketplaceState] {
  if (s.saas === 'Unsubscribed') return [{ status: 400, code: 'marketplace-token-invalid' }, s];
  if (s.org && s.org.owner !== user)
    return [{ status: 409, code: 'marketplace-purchase-claimed' }, s];
  const plan = MAPPED[s.saasPlan] ?? DEFAULT_PLAN;
  if (!s.org)
    return [
      { status: 302 },
      {
        ...s,
        saas: s.saas === 'PendingFulfillmentStart' ? 'Subscribed' : s.saas,
        activations: s.activations + (s.saas === 'PendingFulfillmentStart' ? 1 : 0),
        org: {
          owner: user,
          plan,
          ...(s.saas === 'Suspended' ? { suspended: 'billing' as const } : {}),
        },
      },
    ];
  return [{ status: 302 }, { ...s, org: { ...s.org, plan } }];
}

/** Microsoft's actions, by the subscription status that takes each. */
export const ACTIONS = {
  Suspend: ['Subscribed'],
  Reinstate: ['Suspended'],
  Unsubscribe: ['Subscribed', 'Suspended'],
  ChangePlan: ['Subscribed'],
  ChangeQuantity: ['Subscribed'],
  Renew: ['Subscribed'],
} as const satisfies Record<string, readonly SaasStatus[]>;
export type Action = keyof typeof ACTIONS;

/** Whether Microsoft sends `action` now. */
export const sends = (s: MarketplaceState, action: Action): boolean =>
  (ACTIONS[action] as readonly SaasStatus[]).includes(s.saas);

/** After Microsoft's `action` (its webhook call verified and applied), `planId` a ChangePlan's. */
export function afterAction(
  s: MarketplaceState,
  action: Action,
  onCanceled: OnCanceled,
  planId?: string,
): MarketplaceState {
  const org = s.org;
  switch (action) {
    case 'Suspend':
      return {
        ...s,
        saas: 'Suspended',
        ...(org ? { org: org.suspended ? org : { ...org, suspended: 'billing' } } : {}),
      };
    case 'Reinstate': {
      const { suspended, ...rest } = org ?? { owner: '', plan: '' };
      return {
        ...s,
        saas: 'Subscribed',
        ...(org ? { org: suspended === 'billing' ? rest : org } : {}),
      };
    }
    case 'Unsubscribe':
      return {
        ...s,
        saas: 'Unsubscribed',
        ...(org
          ? {
              org:
                onCanceled === 'default-plan'
                  ? { ...org, plan: DEFAULT_PLAN }
                  : org.suspended
                    ? org
                    : { ...org, suspended: 'billing' },
            }
          : {}),
      };
    case 'ChangePlan': {
      const plan = planId !== undefined ? MAPPED[planId] : undefined;
      if (plan === undefined || planId === undefined) return s;
      return { ...s, saasPlan: planId, ...(org ? { org: { ...org, plan } } : {}) };
    }
    default:
      return s;
  }
}

/** After the operator suspends (`true`) or resumes the organization: theirs, whatever suspended it before. */
export function afterOperator(s: MarketplaceState, suspend: boolean): MarketplaceState {
  if (!s.org) return s;
  const { suspended: _was, ...rest } = s.org;
  return { ...s, org: suspend ? { ...rest, suspended: 'operator' } : rest };
}

/** After its Owner deletes the organization (`DELETE api/tenant`): suspended at once, restorable, theirs. */
export function afterOwnerDelete(s: MarketplaceState): MarketplaceState {
  if (!s.org) return s;
  return { ...s, org: { ...s.org, suspended: 'owner' } };
}
