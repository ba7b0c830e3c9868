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
 * Start `action` on `sub` as Marketplace does: a ChangePlan or ChangeQuantity waits `InProgress` for the publisher's
 * PATCH (auto-accepted after 10 s); the others happen at once (`Succeeded`, the subscription changed). Throws when the
 * subscription's status does not take the action.
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
  const pending = action === 'ChangePlan' || action === 'ChangeQuantity';
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
  state.operations.set(op.id, op);
  if (!pending) applyOperation(op, sub, state.now());
  else {
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
