import type { HttpHandler, InvocationContext } from '@azure/functions';
import type { RuntimeAuth } from '../../model/runtime-manifest.js';
import type { Endpoint, RequestContext, RuntimeServices } from '../pipeline/context.js';
import { runStages, StageList } from '../pipeline/stage-list.js';
import { ledger } from '../pipeline/stages/ledger.js';

/**
 * The stages of a webhook: its usage ledger entry only. A webhook is admitted by its signature (its handler checks
 * it), not by a caller: there is no tenant to resolve, limit or authorize before it runs, so it is counted once
 * under tenant `anonymous` (a refused delivery as refused) and no plan's limit applies — a rate-limited
 * organization must never lose the subscription change a webhook carries (Stripe retries an undelivered event for
 * up to three days: docs.stripe.com/webhooks#retries).
 */
const WEBHOOK_STAGES = StageList.of<RequestContext>().wrap(ledger);

/**
 * A webhook's handler counted once in the usage ledger (DESIGN §6: every door, webhooks included), under tenant
 * `anonymous`, never limited; without a registry and a meter it runs as it is.
 *
 * @example
 * ```ts
 * add('atakora-billing-stripe', 'billing/stripe', countedWebhook(createStripeWebhook(api), policy, services));
 * ```
 */
export function countedWebhook(
  handler: HttpHandler,
  policy: RuntimeAuth,
  services: RuntimeServices,
): HttpHandler {
  const endpoint: Endpoint<null> = {
    policy,
    anonymous: true,
    route: () => ({ ok: true, value: null }),
    handle: async (ctx) => await handler(ctx.request, ctx.invocation as InvocationContext),
  };
  return async (request, invocation) => {
    const outcome = await runStages(WEBHOOK_STAGES.stages, {
      request,
      invocation,
      endpoint,
      services,
    });
    if ('failed' in outcome) throw outcome.failed;
    return outcome.response;
  };
}
