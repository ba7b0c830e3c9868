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
import { operationEffect, type Settled } from './operation-effect.js';
import { organizationGone } from './organization-billing.js';

// 200 for every verified call (applied, a repeat, or not ours): Microsoft stops retrying once it has a 200.
const received = (outcome: 'applied' | 'duplicate' | 'ignored' | 'refused') =>
  jsonResponse(200, { received: true, outcome });

const unavailable = (detail: string) => retryLater('marketplace-unavailable', detail);

/** Operations the ISV acknowledges with a PATCH before Microsoft completes them (Learn: "PATCH with success"). */
const ACKNOWLEDGED = new Set(['ChangePlan', 'ChangeQuantity']);
const PENDING = new Set(['InProgress', 'NotStarted']);

/**
 * `POST api/marketplace/webhook`, Microsoft's calls for the offer's subscriptions (DESIGN §2; Learn, "Implementing a
 * webhook on the SaaS service"): anonymous to App Service but authenticated here — the bearer token checked
 * (webhook-token.ts), else 401 `webhook-token-invalid` saying nothing of why (the reason is logged). The payload names
 * an operation; what is done comes only from Get Operation's answer ("The SaaS service is required to call the Get
 * Operation API to validate and authorize the webhook call and payload data before taking action"), for a
 * subscription a landing page linked to an organization of this offer. ChangePlan and ChangeQuantity still in progress
 * are acknowledged — PATCH Success (the plan mapped), or Failure (a Marketplace plan we do not map) — inside
 * Microsoft's 10 s (each call ≤ 3 s), then applied; Suspend, Reinstate, Unsubscribe and Renew are applied as they
 * succeeded. Each operation is applied once: its id is kept on the record in the same ETag-conditional write that
 * applies it, so a retry or a replay of a signed call answers 200 and changes nothing. Every change is audited
 * (`organization.billing-changed`, `via: 'webhook'`).
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
      typeof id !== 'string' ||
      !GUID.test(id) ||
      typeof subscriptionId !== 'string' ||
      !GUID.test(subscriptionId)
    )
      return problemResponse(
        'validation',
        'The call names no operation (id) and subscription (subscriptionId).',
        {
          errors: [
            { field: 'id', code: 'required', message: 'id and subscriptionId must be GUIDs.' },
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
      return await applyOperation(api, client, subscriptionId, id);
    } catch (e) {
      return applyFailed(e, 'marketplace-unavailable', (err) => {
        if (!(err instanceof MarketplaceCallError)) return undefined;
        api.log({ outcome: 'marketplace-call-failed', status: err.status, message: err.message });
        return 'Azure Marketplace could not be read; Microsoft retries the call.';
      });
    }
  };
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
  // Suspend, Reinstate, Unsubscribe and Renew arrive done; one still under way is applied by the call that says so.
  if (!ACKNOWLEDGED.has(op.action) && PENDING.has(op.status)) return received('ignored');
  const claim = await api.claims.claimOf(subscriptionId);
  if (!claim) return received('ignored');
  const term =
    op.action === 'Renew' && op.status === 'Succeeded'
      ? (await client.subscription(subscriptionId))?.term
      : undefined;
  let settled: Settled | undefined;
  // A concurrent write (another operation, the operator) changed the record: read it again, at most a few times.
  for (let attempt = 0; attempt < 5; attempt++) {
    const tagged = await api.admin.read(claim.organization);
    const link = tagged?.record.marketplace;
    if (!tagged || organizationGone(tagged.record) || !link) return received('ignored');
    if (link.subscriptionId.toLowerCase() !== subscriptionId.toLowerCase())
      return received('ignored');
    if (link.operations?.includes(op.id)) return received('duplicate');
    settled ??= await settle(api, client, op);
    const effect = operationEffect(
      tagged.record,
      op,
      settled,
      api.marketplace,
      api.registry.defaultPlan,
      api.now().toISOString(),
      term,
    );
    const written = await api.admin.replace(effect.record, tagged.etag);
    if (written === 'missing') return received('ignored');
    if (written === 'changed') continue;
    api.forget(claim.organization);
    await recordAudit(api, {
      tenant: claim.organization,
      actor: { id: 'azure-marketplace', via: 'webhook' },
      action: 'organization.billing-changed',
      target: claim.organization,
      changes: { channel: 'marketplace', subscriptionId, ...effect.changes },
    });
    return received(settled === 'applied' ? 'applied' : 'refused');
  }
  return unavailable('The organization changed too often meanwhile; Microsoft retries the call.');
}

/**
 * Whether the operation is applied: a ChangePlan or ChangeQuantity in progress is acknowledged first (PATCH Success,
 * or Failure for a plan we do not map; a 409 — "a newer update is already fulfilled" — applies nothing); any other
 * action applies when Get Operation says it succeeded.
 */
async function settle(
  api: MarketplaceApi,
  client: MarketplaceClient,
  op: SaasOperation,
): Promise<Settled> {
  if (ACKNOWLEDGED.has(op.action) && PENDING.has(op.status)) {
    const accept = op.action !== 'ChangePlan' || api.marketplace.plans[op.planId] !== undefined;
    const answer = await client.patchOperation(
      op.subscriptionId,
      op.id,
      accept ? 'Success' : 'Failure',
    );
    return accept && answer === 'done' ? 'applied' : 'recorded';
  }
  return op.status === 'Succeeded' ? 'applied' : 'recorded';
}
