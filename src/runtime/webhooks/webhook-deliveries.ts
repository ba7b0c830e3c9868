import type { HttpRequest, HttpResponseInit } from '@azure/functions';
import { jsonResponse, problemResponse } from '../http/response.js';
import { type Actor, byOwnerOrAdmin, recordMemberAudit } from '../members/members-api.js';
import { shownDelivery, type WebhooksApi } from './webhook-operations.js';
import { checkId } from '../http/schema-validator.js';

const WHAT = 'manages its webhooks';
const DEFAULT_FIRST = 50;
const MAX_FIRST = 100;

/**
 * `GET api/tenant/webhooks/{id}/deliveries[?$first=n]` by an Owner or an Admin → 200 `{ items }`: the endpoint's
 * deliveries newest first (status, attempts, the last answer's code, why when there was none), at most `$first`
 * (default 50, at most 100). 404 for an endpoint the organization does not hold.
 *
 * @example
 * ```ts
 * // GET /api/tenant/webhooks/Wz4k9/deliveries → 200 { "items": [{ "id": "msg_…", "status": "delivered", "answer": 204, … }] }
 * ```
 */
export function listDeliveries(
  api: WebhooksApi,
  actor: Actor,
  tenant: string,
  id: string,
  request: HttpRequest,
): Promise<HttpResponseInit> {
  return byOwnerOrAdmin(actor, tenant, WHAT, async () => {
    const raw = request.query.get('$first');
    const first = raw === null ? DEFAULT_FIRST : Number(raw);
    if (!Number.isInteger(first) || first < 1 || first > MAX_FIRST)
      return problemResponse(
        'validation',
        `$first must be a whole number from 1 to ${String(MAX_FIRST)}.`,
        {
          errors: [{ field: '$first', code: 'invalid', message: `from 1 to ${String(MAX_FIRST)}` }],
        },
      );
    if (!(await api.deps.store.readEndpoint(tenant, id)))
      return problemResponse(
        'not-found',
        `Organization ${tenant} has no webhook endpoint ${JSON.stringify(id.slice(0, 40))}.`,
      );
    const items = await api.deps.store.deliveries(tenant, id, first);
    return jsonResponse(200, { items: items.map(shownDelivery) });
  });
}

/**
 * `POST api/tenant/webhooks/{id}/deliveries/{delivery}/retry` by an Owner or an Admin → 202 the delivery, pending
 * again with a new 24 hours of retries and queued at once (a delivered one goes out again: a replay the receiver
 * tells by its `webhook-id`). 404 for an unknown endpoint or delivery, 409 `webhook-disabled` while the endpoint is
 * disabled.
 *
 * @example
 * ```ts
 * // POST /api/tenant/webhooks/Wz4k9/deliveries/msg_2b…/retry → 202 { "status": "pending", … }
 * ```
 */
export function retryDelivery(
  api: WebhooksApi,
  actor: Actor,
  tenant: string,
  id: string,
  deliveryId: string,
): Promise<HttpResponseInit> {
  return byOwnerOrAdmin(actor, tenant, WHAT, async () => {
    const endpoint = await api.deps.store.readEndpoint(tenant, id);
    // A delivery id Cosmos DB could not hold names none (read as it is, it would break the item's resource path).
    const found =
      endpoint &&
      checkId(deliveryId) === undefined &&
      (await api.deps.store.readDelivery(tenant, id, deliveryId));
    if (!endpoint || !found)
      return problemResponse(
        'not-found',
        `Organization ${tenant} has no delivery ${JSON.stringify(deliveryId.slice(0, 40))} of webhook endpoint ${JSON.stringify(id.slice(0, 40))}.`,
      );
    if (!endpoint.enabled)
      return problemResponse(
        'webhook-disabled',
        `Webhook endpoint ${id} is disabled: enable it (PATCH api/tenant/webhooks/${id} { "enabled": true }) first.`,
      );
    const at = new Date(api.deps.now()).toISOString();
    const again = { ...found, status: 'pending' as const, windowStart: at, nextAttemptOn: at };
    await api.deps.store.replaceDelivery(again);
    await api.deps.queue.send({ v: 1, tenant, endpoint: id, chain: found.chain }, 0);
    await recordMemberAudit(api.deps, actor, tenant, 'webhook.retried', id, { delivery: found.id });
    return jsonResponse(202, shownDelivery(again));
  });
}
