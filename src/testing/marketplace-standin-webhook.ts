import { randomUUID } from 'node:crypto';
import { signJwt, type StandInKey, webhookClaims } from './marketplace-standin-keys.js';
import {
  applyOperation,
  type StandInOperation,
  type StandInSubscription,
  webhookPayload,
} from './marketplace-standin-saas.js';
import type { SaasState } from './marketplace-standin-routes.js';

/** One webhook call the stand-in made, and the publisher's answer. */
export interface WebhookDelivery {
  readonly operationId: string;
  readonly action: string;
  /** The answer's status (0: no answer). */
  readonly status: number;
  readonly body: string;
}

/** Where the stand-in calls the publisher's webhook (Partner Center's "Connection webhook"). */
export interface StandInHook {
  url: string;
}

/** Which actions each subscription status takes (Learn, "Implementing a webhook on the SaaS service"). */
const FROM: Record<StandInOperation['action'], readonly string[]> = {
  Subscribe: ['Subscribed'],
  ChangePlan: ['Subscribed'],
  ChangeQuantity: ['Subscribed'],
  Renew: ['Subscribed'],
  Suspend: ['Subscribed'],
  Unsubscribe: ['Subscribed', 'Suspended'],
  Reinstate: ['Suspended'],
};

/** A ChangePlan or ChangeQuantity nobody refused within 10 s is accepted (Learn: "autoaccepted in 10 sec"). */
const AUTO_ACCEPT_MS = 10_000;

/**
 * Operations that wait `InProgress` for the publisher's PATCH (Learn, "SaaS fulfillment operations APIs v2": "This only
 * applies to webhook events such as ChangePlan, ChangeQuantity, and Reinstate that need an ACK"); of them, those
 * Microsoft accepts on its own after 10 s ("this event is optional and autoaccepted in 10 secs", "Implementing a
 * webhook on the SaaS service"). A Reinstate is not: its operation stays `InProgress` — "the only status that can be
 * returned in this case", the operations page's List outstanding operations — and the subscription `Suspended` until
 * the publisher PATCHes it.
 */
const ACKED = new Set<StandInOperation['action']>(['ChangePlan', 'ChangeQuantity', 'Reinstate']);
const AUTO_ACCEPTED = new Set<StandInOperation['action']>(['ChangePlan', 'ChangeQuantity']);

/**
 * Start `action` on `sub` as Marketplace does: a ChangePlan, ChangeQuantity or Reinstate waits `InProgress` for the
 * publisher's PATCH (a ChangePlan or ChangeQuantity auto-accepted after 10 s, a Reinstate never); the others happen at
 * once (`Succeeded`, the subscription changed). Throws when the subscription's status does not take the action.
 */
export function startOperation(
  state: SaasState,
  sub: StandInSubscription,
  action: StandInOperation['action'],
  target: StandInOperation['target'],
  timers: Set<NodeJS.Timeout>,
): StandInOperation {
  if (!FROM[action].includes(sub.status))
    throw new Error(`A ${sub.status} subscription takes no ${action} (Marketplace sends none).`);
  const pending = ACKED.has(action);
  const op: StandInOperation = {
    id: randomUUID(),
    activityId: randomUUID(),
    subscriptionId: sub.id,
    offerId: sub.offerId,
    publisherId: state.publisherId,
    planId: target.planId ?? sub.planId,
    quantity: target.quantity ?? sub.quantity,
    action,
    status: pending ? 'InProgress' : 'Succeeded',
    timeStamp: new Date(state.now()).toISOString(),
    target,
  };
  // An unsubscription ends what still waited on the subscription: Get Operation answers `Conflict` ("Conflict" is
  // one of an operation's statuses, "SaaS fulfillment operations APIs v2") and a PATCH of it 409.
  if (action === 'Unsubscribe')
    for (const other of state.operations.values())
      if (other.subscriptionId === sub.id && other.status === 'InProgress')
        other.status = 'Conflict';
  state.operations.set(op.id, op);
  if (!pending) applyOperation(op, sub, state.now());
  else if (AUTO_ACCEPTED.has(action)) {
    const t = setTimeout(() => {
      timers.delete(t);
      if (op.status !== 'InProgress') return;
      op.status = 'Succeeded';
      applyOperation(op, sub, state.now());
    }, AUTO_ACCEPT_MS);
    t.unref();
    timers.add(t);
  }
  return op;
}

/**
 * What Microsoft makes of the publisher's answer to a ChangePlan or ChangeQuantity still in progress: a 4xx rejects it
 * ("PATCH with failure OR respond with 4xx (within 10 seconds)", "Implementing a webhook on the SaaS service") — the
 * operation `Failed`, the subscription unchanged, never auto-accepted later. A 5xx or no answer is retried, not a
 * rejection.
 */
export function answered(op: StandInOperation, delivery: WebhookDelivery): void {
  if (!AUTO_ACCEPTED.has(op.action) || op.status !== 'InProgress') return;
  if (delivery.status >= 400 && delivery.status < 500) op.status = 'Failed';
}

/** The bearer token of a webhook call: the publisher tenant's key, for the fulfillment app, from the Marketplace API. */
export function webhookToken(
  state: SaasState,
  claims: Readonly<Record<string, unknown>> = {},
  key?: StandInKey,
): string {
  const tenant = state.publisher.tenant ?? '00000000-0000-0000-0000-000000000000';
  const clientId = state.publisher.clientId ?? '00000000-0000-0000-0000-000000000000';
  return signJwt(key ?? state.key, { ...webhookClaims(tenant, clientId, state.now()), ...claims });
}

/**
 * POST the operation's payload to the webhook, `Authorization: Bearer <token>` (the stand-in's signed token unless
 * one is given: a forged or replayed one), and keep the answer.
 */
export async function deliver(
  state: SaasState,
  hook: StandInHook | null,
  op: StandInOperation,
  token?: string,
): Promise<WebhookDelivery> {
  const sub = state.subscriptions.get(op.subscriptionId);
  if (!hook || !sub)
    return { operationId: op.id, action: op.action, status: 0, body: 'no webhook' };
  try {
    const res = await fetch(hook.url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        authorization: `Bearer ${token ?? webhookToken(state)}`,
      },
      body: JSON.stringify(webhookPayload(op, sub, state.publisherId)),
      signal: AbortSignal.timeout(30_000),
    });
    return { operationId: op.id, action: op.action, status: res.status, body: await res.text() };
  } catch (e) {
    return {
      operationId: op.id,
      action: op.action,
      status: 0,
      body: e instanceof Error ? e.message : String(e),
    };
  }
}
