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
 * - Operations under reordering (Learn: Microsoft retries a webhook call "500 retries over 8 hours"; ChangePlan,
 *   ChangeQuantity and Reinstate "need an ACK", "SaaS fulfillment operations APIs v2"): Microsoft may act while the
 *   webhook is unreachable — a Suspend, Unsubscribe or Renew done at once, a ChangePlan auto-accepted after 10 s, a
 *   Reinstate waiting `InProgress` for the publisher's PATCH (an Unsubscribe ends it: `Conflict`) — and deliver the
 *   calls later, in any order. Whatever call arrives, the organization follows the subscription as Microsoft holds it
 *   then, from the link's last known status (`link`): an ended link never moves again; to Unsubscribed → `onCanceled`
 *   (the default plan lifts billing's own suspension); Subscribed ⇄ Suspended → suspended by billing / reinstated; a
 *   new Marketplace plan → its mapped plan. An operation waiting is acknowledged: Success, or Failure for an unmapped
 *   plan or an ended link.
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

/** An operation Microsoft started: what it is and where it stands (`Conflict`: ended by an unsubscription). */
export interface Operation {
  readonly action: Action;
  readonly planId?: string;
  readonly status: 'InProgress' | 'Succeeded' | 'Failed' | 'Conflict';
}

export interface MarketplaceState {
  readonly saas: SaasStatus;
  readonly saasPlan: string;
  /** What the organization's link last recorded of the subscription (status, Marketplace plan). */
  readonly link?: { readonly status: SaasStatus; readonly planId: string };
  /** Operations started while the webhook was unreachable, not delivered yet, in the order they were started. */
  readonly held: readonly Operation[];
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
  const saas = s.saas === 'PendingFulfillmentStart' ? 'Subscribed' : s.saas;
  const link = { status: saas, planId: s.saasPlan };
  if (!s.org)
    return [
      { status: 302 },
      {
        ...s,
        saas,
        link,
        activations: s.activations + (s.saas === 'PendingFulfillmentStart' ? 1 : 0),
        org: {
          owner: user,
          plan,
          ...(s.saas === 'Suspended' ? { suspended: 'billing' as const } : {}),
        },
      },
    ];
  // Reopened: the plan Marketplace holds; the status followed only where the link had not recorded it yet.
  const org = s.link?.status === saas ? s.org : moved(s.org, saas);
  return [{ status: 302 }, { ...s, link, org: { ...org, plan } }];
}

type Org = NonNullable<MarketplaceState['org']>;

/** The organization after the subscription moved to `status`: billing suspends an active one, lifts only its own. */
function moved(org: Org, status: SaasStatus): Org {
  if (status === 'Suspended') return org.suspended ? org : { ...org, suspended: 'billing' };
  if (org.suspended !== 'billing') return org;
  const { suspended: _billing, ...rest } = org;
  return rest;
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
  (ACTIONS[action] as readonly SaasStatus[]).includes(s.saas) &&
  !(
    action === 'Reinstate' &&
    s.held.some((o) => o.action === 'Reinstate' && o.status === 'InProgress')
  );

/** Microsoft's side of an operation settled `Succeeded`: what the subscription becomes. */
function applied(s: MarketplaceState, op: Operation): MarketplaceState {
  switch (op.action) {
    case 'Suspend':
      return { ...s, saas: 'Suspended' };
    case 'Reinstate':
      return { ...s, saas: 'Subscribed' };
    case 'Unsubscribe':
      return {
        ...s,
        saas: 'Unsubscribed',
        held: s.held.map((o) => (o.status === 'InProgress' ? { ...o, status: 'Conflict' } : o)),
      };
    case 'ChangePlan':
      return op.planId === undefined ? s : { ...s, saasPlan: op.planId };
    default:
      return s;
  }
}

/**
 * Microsoft starts `action` (`planId` a ChangePlan's): the operation, and the subscription after it. ChangePlan,
 * ChangeQuantity and Reinstate wait `InProgress`; the others happen at once. `autoAccept`: nobody answered within
 * 10 s, so a ChangePlan or ChangeQuantity is accepted (the webhook unreachable).
 */
export function start(
  s: MarketplaceState,
  action: Action,
  planId: string | undefined,
  autoAccept: boolean,
): [Operation, MarketplaceState] {
  const waits = action === 'ChangePlan' || action === 'ChangeQuantity' || action === 'Reinstate';
  const op: Operation = {
    action,
    ...(planId !== undefined ? { planId } : {}),
    status: waits && !(autoAccept && action !== 'Reinstate') ? 'InProgress' : 'Succeeded',
  };
  return [op, op.status === 'Succeeded' ? applied(s, op) : s];
}

/**
 * The webhook's call for `op` arrives (verified): acknowledged if it waits (Success; Failure for an unmapped plan or
 * an ended link), then the organization brought to the subscription as Microsoft holds it now. A purchase nobody
 * landed is not ours: nothing is acknowledged or changed. Returns the operation as settled and the next state.
 */
export function deliver(
  s0: MarketplaceState,
  op0: Operation,
  onCanceled: OnCanceled,
): [Operation, MarketplaceState] {
  if (!s0.org || !s0.link) return [op0, s0];
  let s = s0;
  let op = op0;
  if (op.status === 'InProgress') {
    const accept =
      s.link?.status !== 'Unsubscribed' &&
      (op.action !== 'ChangePlan' || (op.planId !== undefined && MAPPED[op.planId] !== undefined));
    op = { ...op, status: accept ? 'Succeeded' : 'Failed' };
    if (accept) s = applied(s, op);
  }
  const org = s.org as Org;
  const link = s.link as NonNullable<MarketplaceState['link']>;
  if (link.status === 'Unsubscribed') return [op, s];
  if (s.saas === 'Unsubscribed') {
    const ended: Org =
      onCanceled === 'default-plan'
        ? { ...moved(org, 'Subscribed'), plan: DEFAULT_PLAN }
        : moved(org, 'Suspended');
    return [op, { ...s, org: ended, link: { ...link, status: 'Unsubscribed' } }];
  }
  let next = link.status === s.saas ? org : moved(org, s.saas);
  const mapped = MAPPED[s.saasPlan];
  if (s.saasPlan !== link.planId && mapped !== undefined) next = { ...next, plan: mapped };
  return [op, { ...s, org: next, link: { status: s.saas, planId: s.saasPlan } }];
}

/** After Microsoft's `action` whose webhook call arrives at once (verified and applied), `planId` a ChangePlan's. */
export function afterAction(
  s: MarketplaceState,
  action: Action,
  onCanceled: OnCanceled,
  planId?: string,
): MarketplaceState {
  const [op, started] = start(s, action, planId, false);
  return deliver(started, op, onCanceled)[1];
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
