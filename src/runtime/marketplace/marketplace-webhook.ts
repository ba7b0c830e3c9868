import type { HttpHandler, HttpResponseInit } from '@azure/functions';
import { GUID } from '../../model/marketplace.js';
import { recordAudit } from '../audit/record-audit.js';
import { readJsonObject } from '../http/body.js';
import { applyFailed, retryLater } from '../http/webhook-retry.js';
import { jsonResponse, problemResponse } from '../http/response.js';
import { type MarketplaceApi, WEBHOOK_CALL_MS } from './marketplace-api.js';
import {
  MarketplaceCallError,
  type MarketplaceClient,
  type SaasOperation,
} from './marketplace-port.js';
import { operationEffect } from './operation-effect.js';
import { organizationGone } from './organization-billing.js';

// 200 for every verified call (applied, a repeat, a late or stale one, or not ours): Microsoft stops retrying once it
// has a 200 ("The publisher should return HTTP 200 to Microsoft as soon as the webhook call is processed", Learn,
// "Implementing a webhook on the SaaS service").
const received = (outcome: 'applied' | 'duplicate' | 'ignored' | 'refused' | 'unchanged') =>
  jsonResponse(200, { received: true, outcome });

const unavailable = (detail: string) => retryLater('marketplace-unavailable', detail);

/**
 * Statuses of an operation that waits for the publisher's PATCH: ChangePlan and ChangeQuantity ("PATCH with success
 * … autoaccepted in 10 secs"), and Reinstate, which Microsoft sends `InProgress` — "the only status that can be
 * returned in this case" — and completes only once acknowledged (Learn, "SaaS fulfillment operations APIs v2": "This
 * only applies to webhook events such as ChangePlan, ChangeQuantity, and Reinstate that need an ACK").
 */
const PENDING = new Set(['InProgress', 'NotStarted']);

/**
 * `POST api/marketplace/webhook`, Microsoft's calls for the offer's subscriptions (DESIGN §2; Learn, "Implementing a
 * webhook on the SaaS service"): anonymous to App Service but authenticated here — the bearer token checked
 * (webhook-token.ts), else 401 `webhook-token-invalid` saying nothing of why (the reason is logged). The payload names
 * an operation; what is done comes only from Get Operation's answer ("The SaaS service is required to call the Get
 * Operation API to validate and authorize the webhook call and payload data before taking action"), for a
 * subscription a landing page linked to an organization of this offer. Any operation Get Operation says is still in
 * progress (ChangePlan, ChangeQuantity, Reinstate) is acknowledged — PATCH Success, or Failure for a Marketplace plan
 * we do not map or a link already ended — inside Microsoft's 10 s (each call ≤ 3 s). Then the organization is brought
 * to the subscription Get Subscription answers (operation-effect.ts): never by the order calls arrive in, so a late or
 * stale operation changes nothing, and one Microsoft completed on its own (a 409 to the PATCH: auto-accepted) is
 * applied. Each operation is applied once: its id is kept on the record in the same ETag-conditional write that
 * applies it, so a retry or a replay of a signed call answers 200 and changes nothing. Every change is audited
 * (`organization.billing-changed`, `via: 'webhook'`). A key set that cannot be read is 503 (Microsoft retries), never
 * a 401 (which would reject a ChangePlan: "respond with 4xx"). A call naming no operation (Learn's Reinstate example)
 * applies the subscription's outstanding operations (applyOutstanding).
 *
 * @example
 * ```ts
 * app.http('atakora-marketplace-webhook', { route: 'marketplace/webhook', methods: ['POST'], authLevel: 'anonymous', handler: createMarketplaceWebhook(api) });
 * ```
 */
export function createMarketplaceWebhook(api: MarketplaceApi): HttpHandler {
  return async (request): Promise<HttpResponseInit> => {
    if (request.method.toUpperCase() !== 'POST')
      return problemResponse('method-not-allowed', 'Microsoft posts its operations.', {
        headers: { Allow: 'POST' },
      });
    const verdict = await api.verifyToken(request.headers.get('authorization'));
    if (!verdict.ok && verdict.unavailable) return keysUnavailable(api, verdict.reason);
    if (!verdict.ok) {
      api.log({ outcome: 'webhook-token-refused', reason: verdict.reason });
      return problemResponse(
        'webhook-token-invalid',
        "The bearer token is not one Microsoft's Marketplace signed for this offer.",
        { headers: { 'WWW-Authenticate': 'Bearer' } },
      );
    }
    const body = await readJsonObject(request);
    if (!body.ok) return body.response;
    const { id, subscriptionId } = body.value;
    if (
      (id !== undefined && (typeof id !== 'string' || !GUID.test(id))) ||
      typeof subscriptionId !== 'string' ||
      !GUID.test(subscriptionId)
    )
      return problemResponse(
        'validation',
        'The call names no subscription (subscriptionId), or an operation (id) that is no GUID.',
        {
          errors: [
            {
              field: typeof subscriptionId === 'string' ? 'id' : 'subscriptionId',
              code: 'required',
              message: 'subscriptionId, and id when given, must be GUIDs.',
            },
          ],
        },
      );
    const client = api.client(WEBHOOK_CALL_MS);
    if (!client)
      return unavailable(
        `App setting ${api.marketplace.secret} must hold the fulfillment app's client secret (atakora secret set); ` +
          'Microsoft retries the call.',
      );
    try {
      return typeof id === 'string'
        ? await applyOperation(api, client, subscriptionId, id)
        : await applyOutstanding(api, client, subscriptionId);
    } catch (e) {
      return applyFailed(e, 'marketplace-unavailable', (err) => {
        if (!(err instanceof MarketplaceCallError)) return undefined;
        api.log({ outcome: 'marketplace-call-failed', status: err.status, message: err.message });
        return 'Azure Marketplace could not be read; Microsoft retries the call.';
      });
    }
  };
}

/** The publisher tenant's key set could not be read: 503, so Microsoft retries (a 4xx would reject the operation). */
function keysUnavailable(api: MarketplaceApi, reason: string): HttpResponseInit {
  api.log({ outcome: 'webhook-keys-unavailable', reason });
  return unavailable(
    "The publisher tenant's signing keys could not be read to verify the call; Microsoft retries it.",
  );
}

/**
 * A call that names no operation — Learn's own "Webhook payload example of reinstate event" is `{ "subscriptionId":
 * "<guid>", "operationType": "Reinstate" }` ("Implementing a webhook on the SaaS service") — is answered by what List
 * outstanding operations holds for the subscription ("The publisher should acknowledge returned operations by calling
 * the Operation Patch API", "SaaS fulfillment operations APIs v2"): each applied as its own call would be. The first
 * answer that is no 200 (Microsoft retries) is the answer; else the last one's, `ignored` when nothing waits.
 */
async function applyOutstanding(
  api: MarketplaceApi,
  client: MarketplaceClient,
  subscriptionId: string,
): Promise<HttpResponseInit> {
  if (!(await api.claims.claimOf(subscriptionId))) return received('ignored');
  let answer = received('ignored');
  for (const op of await client.outstanding(subscriptionId)) {
    if (!GUID.test(op.id)) continue;
    answer = await applyOperation(api, client, subscriptionId, op.id);
    if (answer.status !== 200) return answer;
  }
  return answer;
}

async function applyOperation(
  api: MarketplaceApi,
  client: MarketplaceClient,
  subscriptionId: string,
  operationId: string,
): Promise<HttpResponseInit> {
  const op = await client.operation(subscriptionId, operationId);
  if (
    !op ||
    op.subscriptionId.toLowerCase() !== subscriptionId.toLowerCase() ||
    op.offerId !== api.marketplace.offer
  )
    return received('ignored');
  const claim = await api.claims.claimOf(subscriptionId);
  if (!claim) return received('ignored');
  let answer: Acknowledged | undefined;
  // A concurrent write (another operation, the operator) changed the record: read it and the subscription again.
  for (let attempt = 0; attempt < 5; attempt++) {
    const tagged = await api.admin.read(claim.organization);
    const link = tagged?.record.marketplace;
    if (!tagged || organizationGone(tagged.record) || !link) return received('ignored');
    if (link.subscriptionId.toLowerCase() !== subscriptionId.toLowerCase())
      return received('ignored');
    if (link.operations?.includes(op.id)) return received('duplicate');
    answer ??= await acknowledge(api, client, op, link.status !== 'Unsubscribed');
    const effect = operationEffect(
      tagged.record,
      op,
      await client.subscription(subscriptionId),
      api.marketplace,
      api.registry.defaultPlan,
      api.now().toISOString(),
    );
    const written = await api.admin.replace(effect.record, tagged.etag);
    if (written === 'missing') return received('ignored');
    if (written === 'changed') continue;
    api.forget(claim.organization);
    if (effect.changed)
      await recordAudit(api, {
        tenant: claim.organization,
        actor: { id: 'azure-marketplace', via: 'webhook' },
        action: 'organization.billing-changed',
        target: claim.organization,
        changes: { channel: 'marketplace', subscriptionId, ...effect.changes },
      });
    if (answer === 'rejected') return received('refused');
    return received(effect.changed ? 'applied' : 'unchanged');
  }
  return unavailable('The organization changed too often meanwhile; Microsoft retries the call.');
}

/** How an operation was acknowledged: accepted, rejected, already settled by Microsoft (409), or nothing to answer. */
type Acknowledged = 'accepted' | 'rejected' | 'settled' | 'none';

/**
 * Acknowledge an operation Get Operation says waits (`InProgress`, `NotStarted`): PATCH Success, or Failure for a
 * ChangePlan to a plan we do not map or any operation on a link already ended (`live` false). A 409 — "Conflict. For
 * example, a newer update is already fulfilled" (Learn, "SaaS fulfillment operations APIs v2", Patch the status of an
 * operation) — means Microsoft settled it already (auto-accepted after 10 s, or superseded): what it did is read from
 * Get Subscription, as for any other.
 */
async function acknowledge(
  api: MarketplaceApi,
  client: MarketplaceClient,
  op: SaasOperation,
  live: boolean,
): Promise<Acknowledged> {
  if (!PENDING.has(op.status)) return 'none';
  const accept =
    live && (op.action !== 'ChangePlan' || api.marketplace.plans[op.planId] !== undefined);
  const answer = await client.patchOperation(
    op.subscriptionId,
    op.id,
    accept ? 'Success' : 'Failure',
  );
  if (answer === 'conflict') return 'settled';
  return accept ? 'accepted' : 'rejected';
}
